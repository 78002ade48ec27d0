"""Run the nn tests with single-threaded BLAS: on a shared 2-core machine multi-threaded OpenBLAS
spins and slows small matrix products by an order of magnitude."""

import pytest


@pytest.fixture(autouse=True)
def _single_threaded_blas():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        yield
        return
    with threadpool_limits(1):
        yield
