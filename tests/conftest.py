"""Shared fixtures: the array library parametrisation and seeded generators."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

_LIBS = ["numpy"] + (["torch"] if importlib.util.find_spec("torch") else [])


class ArrayLib:
    """The array library a portable test runs on: ``lib.asarray(np_array)`` converts a NumPy
    array to it, ``lib.to_numpy(x)`` converts back, ``lib.name`` is ``"numpy"`` or ``"torch"``."""

    def __init__(self, name: str):
        self.name = name
        if name == "torch":
            import torch

            self.module = torch
        else:
            self.module = np

    def asarray(self, x, dtype=None):
        if self.name == "torch":
            t = self.module.as_tensor(np.asarray(x))
            return t.to(getattr(self.module, np.dtype(dtype).name)) if dtype is not None else t
        return np.asarray(x, dtype=dtype)

    @staticmethod
    def to_numpy(x):
        from aimath.backend import to_numpy

        return to_numpy(x)

    def __repr__(self) -> str:
        return f"ArrayLib({self.name})"


@pytest.fixture(params=_LIBS)
def xp(request) -> ArrayLib:
    """Parametrises a portable test over NumPy and (when installed) PyTorch on the CPU."""
    return ArrayLib(request.param)


@pytest.fixture
def rng() -> np.random.Generator:
    """A fixed-seed NumPy generator."""
    return np.random.default_rng(12345)


# Folders whose tests run with single-threaded BLAS: their small matrix products (networks, score
# models) gain nothing from a second thread, and on a shared machine multi-threaded OpenBLAS spins
# and slows them by an order of magnitude.
_SINGLE_THREADED_BLAS = {"nn", "diffusion"}


@pytest.fixture(autouse=True)
def _single_threaded_blas(request):
    if request.path.parent.name not in _SINGLE_THREADED_BLAS:
        yield
        return
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

    with threadpool_limits(1):
        yield
