"""Array namespace, dtype, device and random-number helpers.

This is the only module that knows which array library is in use. Numerical kernels call
:func:`namespace` on their inputs and write against the Python Array API standard, so the same
code runs on NumPy arrays (the default) and on PyTorch tensors (CPU here, CUDA on a GPU).

Randomness always comes from an explicit ``rng`` argument: an ``int`` seed, a
``numpy.random.Generator``, a ``torch.Generator`` or ``None`` (fresh entropy). The helpers
:func:`normal`, :func:`uniform`, :func:`integers` and :func:`permutation` return arrays of the
library the generator belongs to (or of ``like``'s library), with the requested dtype and device.

>>> import numpy as np
>>> from aimath import backend as B
>>> x = B.normal(0, (2, 3))
>>> x.shape, x.dtype
((2, 3), dtype('float64'))
>>> bool(np.all(x == B.normal(0, (2, 3))))
True
"""

from __future__ import annotations

import functools
import importlib.util
from typing import Any

import array_api_compat
import numpy as np

__all__ = [
    "DEFAULT_FLOAT",
    "namespace",
    "asarray",
    "is_torch",
    "is_numpy",
    "to_numpy",
    "device",
    "float_dtype",
    "available_libraries",
    "as_generator",
    "normal",
    "uniform",
    "integers",
    "permutation",
]

DEFAULT_FLOAT = np.float64
"""The default floating dtype (float64). Float32 inputs are accepted and kept."""

_NUMPY_NS = array_api_compat.array_namespace(np.empty(0))


def _torch():
    import torch

    return torch


@functools.cache
def _torch_available() -> bool:
    return importlib.util.find_spec("torch") is not None


def is_torch(x: Any) -> bool:
    """True when ``x`` is a ``torch.Tensor`` (without importing torch if it is not loaded)."""
    return array_api_compat.is_torch_array(x)


def is_numpy(x: Any) -> bool:
    """True when ``x`` is a NumPy array or NumPy scalar."""
    return isinstance(x, np.ndarray | np.generic)


def namespace(*arrays: Any):
    """The array-API namespace of the inputs (array-api-compat's wrapper).

    Python scalars, lists and ``None`` are ignored; with no array among the inputs the NumPy
    namespace is returned.

    Raises
    ------
    TypeError
        If the inputs mix array libraries (say NumPy and torch).
    """
    arrs = [a for a in arrays if a is not None and not isinstance(a, int | float | complex | bool | list | tuple)]
    if not arrs:
        return _NUMPY_NS
    try:
        return array_api_compat.array_namespace(*arrs)
    except TypeError as exc:
        kinds = sorted({type(a).__module__.split(".")[0] + "." + type(a).__name__ for a in arrs})
        raise TypeError(f"inputs mix array libraries: {', '.join(kinds)}") from exc


def device(x: Any):
    """The device of ``x`` (``"cpu"`` for NumPy)."""
    return array_api_compat.device(x)


def float_dtype(x: Any, xp=None):
    """The floating dtype computations on ``x`` should use: ``x``'s own if it is floating (or
    complex), else float64."""
    xp = xp or namespace(x)
    dt = getattr(x, "dtype", None)
    if dt is not None and xp.isdtype(dt, ("real floating", "complex floating")):
        return dt
    return xp.float64


def asarray(x: Any, *, dtype: Any = None, like: Any = None, xp=None, copy: bool | None = None):
    """Convert ``x`` to an array of ``like``'s library and device (or ``xp``; NumPy by default).

    Integer and boolean data keep their dtype unless ``dtype`` is given; pass
    ``dtype="float"`` to get :func:`float_dtype` of the input (float64 for integers).
    """
    if xp is None:
        if like is not None:
            xp = namespace(like)
        elif is_torch(x):
            xp = namespace(x)
        else:
            xp = _NUMPY_NS
    dev = device(like) if like is not None and hasattr(like, "shape") else None
    if isinstance(dtype, str) and dtype == "float":
        if hasattr(x, "dtype") and namespace(x) is xp:
            dtype = float_dtype(x, xp)
        else:
            probe = np.asarray(x) if not is_torch(x) else x
            kind = getattr(probe.dtype, "kind", None)
            dtype = None if kind in ("f", "c") else xp.float64
            if dtype is None and not is_torch(probe):
                dtype = getattr(xp, str(probe.dtype))
    if is_torch(x) and xp is _NUMPY_NS:
        x = x.detach().cpu().numpy()
    kwargs = {}
    if dev is not None:
        kwargs["device"] = dev
    return xp.asarray(x, dtype=dtype, copy=copy, **kwargs)


def to_numpy(x: Any) -> np.ndarray:
    """A NumPy copy/view of ``x`` (torch tensors are detached and moved to the CPU)."""
    if is_torch(x):
        return x.detach().cpu().numpy()
    return np.asarray(x)


def available_libraries() -> dict[str, str | None]:
    """Versions of the array libraries aimath can use (``None`` when not installed)."""
    out: dict[str, str | None] = {"numpy": np.__version__}
    if _torch_available():
        torch = _torch()
        out["torch"] = torch.__version__
        out["torch.cuda"] = "available" if torch.cuda.is_available() else None
    else:
        out["torch"] = None
    return out


# --------------------------------------------------------------------------- random numbers


def _is_torch_generator(rng: Any) -> bool:
    if not _torch_available() or type(rng).__module__.split(".")[0] != "torch":
        return False
    return isinstance(rng, _torch().Generator)


def as_generator(rng: Any = None, *, like: Any = None):
    """Normalise ``rng`` to a generator.

    Parameters
    ----------
    rng : int, numpy.random.Generator, torch.Generator or None
        A seed, an existing generator (returned as is), or ``None`` for fresh OS entropy.
    like : array, optional
        When ``rng`` is a seed and ``like`` is a torch tensor, a ``torch.Generator`` on
        ``like``'s device is returned, seeded with it; otherwise a NumPy generator.

    Returns
    -------
    numpy.random.Generator or torch.Generator
    """
    if isinstance(rng, np.random.Generator) or _is_torch_generator(rng):
        return rng
    if isinstance(rng, np.random.RandomState):
        return np.random.default_rng(rng.randint(0, 2**31 - 1))
    if rng is not None and not isinstance(rng, int | np.integer | np.random.SeedSequence):
        raise TypeError(
            "rng must be an int seed, a numpy.random.Generator, a torch.Generator or None, "
            f"got {type(rng).__name__}"
        )
    if like is not None and is_torch(like):
        torch = _torch()
        g = torch.Generator(device=like.device)
        if rng is None:
            g.seed()
        else:
            g.manual_seed(int(np.random.SeedSequence(int(rng)).generate_state(1, np.uint64)[0] >> 1))
        return g
    return np.random.default_rng(rng)


def _target(rng, dtype, like, device_):
    """Work out (generator, library, dtype, device) for a sampling call."""
    g = as_generator(rng, like=like)
    torch_out = _is_torch_generator(g) or (like is not None and is_torch(like))
    if torch_out:
        torch = _torch()
        dev = device_ if device_ is not None else (like.device if like is not None and is_torch(like) else None)
        if dev is None and _is_torch_generator(g):
            dev = g.device
        if dtype is None:
            floating_like = like is not None and is_torch(like) and like.dtype.is_floating_point
            dtype = like.dtype if floating_like else torch.float64
        elif not isinstance(dtype, torch.dtype):
            dtype = getattr(torch, np.dtype(dtype).name)
        return g, "torch", dtype, dev
    if dtype is None:
        dtype = like.dtype if like is not None and getattr(like.dtype, "kind", "") == "f" else DEFAULT_FLOAT
    return g, "numpy", np.dtype(dtype), None


def _shape(shape) -> tuple[int, ...]:
    if isinstance(shape, int | np.integer):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def normal(rng: Any, shape=(), *, loc: float = 0.0, scale: float = 1.0, dtype=None, like=None, device=None):
    """Standard-normal draws scaled to ``loc + scale * Z``.

    Parameters
    ----------
    rng : int, numpy.random.Generator, torch.Generator or None
        Source of randomness; see :func:`as_generator`.
    shape : int or tuple of int
        Output shape.
    loc, scale : float
        Mean and standard deviation.
    dtype : dtype, optional
        Floating dtype (default float64, or ``like``'s floating dtype).
    like : array, optional
        Take library, dtype and device from this array.
    device : optional
        Device for torch output.
    """
    g, lib, dt, dev = _target(rng, dtype, like, device)
    shape = _shape(shape)
    if lib == "torch":
        torch = _torch()
        if _is_torch_generator(g):
            z = torch.randn(shape, generator=g, dtype=dt, device=dev)
        else:
            z = torch.as_tensor(g.standard_normal(shape), dtype=dt, device=dev)
        return z * scale + loc if (scale != 1.0 or loc != 0.0) else z
    z = g.standard_normal(shape, dtype=dt if dt in (np.float32, np.float64) else np.float64)
    if scale != 1.0 or loc != 0.0:
        z = z * dt.type(scale) + dt.type(loc)
    return z.astype(dt, copy=False)


def uniform(rng: Any, shape=(), *, low: float = 0.0, high: float = 1.0, dtype=None, like=None, device=None):
    """Uniform draws on ``[low, high)``; arguments as in :func:`normal`."""
    if not high > low:
        from aimath.errors import DomainError

        raise DomainError(f"uniform needs low < high, got low={low}, high={high}")
    g, lib, dt, dev = _target(rng, dtype, like, device)
    shape = _shape(shape)
    if lib == "torch":
        torch = _torch()
        if _is_torch_generator(g):
            u = torch.rand(shape, generator=g, dtype=dt, device=dev)
        else:
            u = torch.as_tensor(g.random(shape), dtype=dt, device=dev)
        return u * (high - low) + low
    u = g.random(shape, dtype=dt if dt in (np.float32, np.float64) else np.float64)
    return (u * dt.type(high - low) + dt.type(low)).astype(dt, copy=False)


def integers(rng: Any, low: int, high: int | None = None, shape=(), *, like=None, device=None):
    """Integers uniform on ``[low, high)`` (``[0, low)`` if ``high`` is None), dtype int64."""
    if high is None:
        low, high = 0, low
    if not high > low:
        from aimath.errors import DomainError

        raise DomainError(f"integers needs low < high, got low={low}, high={high}")
    g, lib, _, dev = _target(rng, None, like, device)
    shape = _shape(shape)
    if lib == "torch":
        torch = _torch()
        if _is_torch_generator(g):
            return torch.randint(low, high, shape, generator=g, dtype=torch.int64, device=dev)
        return torch.as_tensor(g.integers(low, high, shape), dtype=torch.int64, device=dev)
    return g.integers(low, high, shape, dtype=np.int64)


def permutation(rng: Any, n: int, *, like=None, device=None):
    """A uniformly random permutation of ``range(n)`` (int64)."""
    g, lib, _, dev = _target(rng, None, like, device)
    if lib == "torch":
        torch = _torch()
        if _is_torch_generator(g):
            return torch.randperm(int(n), generator=g, device=dev)
        return torch.as_tensor(g.permutation(int(n)), dtype=torch.int64, device=dev)
    return g.permutation(int(n)).astype(np.int64)
