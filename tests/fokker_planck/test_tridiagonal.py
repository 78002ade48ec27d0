import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimath.errors import DomainError, ShapeError
from aimath.fokker_planck import (
    cyclic_reduction,
    periodic_tridiagonal,
    solve_periodic_tridiagonal,
    solve_tridiagonal,
    thomas,
)


def _system(rng, n, batch=()):
    a = rng.uniform(-1, 0, (n,) + batch)
    c = rng.uniform(-1, 0, (n,) + batch)
    b = 2.2 + rng.uniform(0, 1, (n,) + batch)
    return a, b, c


def _dense(a, b, c, periodic=False):
    T = np.diag(b) + np.diag(a[1:], -1) + np.diag(c[:-1], 1)
    if periodic:
        T[0, -1] += a[0]
        T[-1, 0] += c[-1]
    return T


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 8, 9, 64, 100])
def test_thomas_and_cyclic_reduction_match_dense_solve(rng, n):
    a, b, c = _system(rng, n)
    d = rng.standard_normal((n, 3))
    ref = np.linalg.solve(_dense(a, b, c), d)
    np.testing.assert_allclose(thomas(a, b, c, d), ref, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(cyclic_reduction(a, b, c).solve(d), ref, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(solve_tridiagonal(a, b, c, d[:, 0], method="thomas"), ref[:, 0], rtol=1e-12,
                               atol=1e-13)


def test_batched_lines(rng):
    n, lines = 33, 5
    a, b, c = _system(rng, n, (lines,))
    d = rng.standard_normal((n, lines))
    x_cr = solve_tridiagonal(a, b, c, d)
    x_th = thomas(a, b, c, d)
    for j in range(lines):
        ref = np.linalg.solve(_dense(a[:, j], b[:, j], c[:, j]), d[:, j])
        np.testing.assert_allclose(x_cr[:, j], ref, rtol=1e-12, atol=1e-13)
        np.testing.assert_allclose(x_th[:, j], ref, rtol=1e-12, atol=1e-13)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 70), seed=st.integers(0, 2**31 - 1), k=st.integers(1, 3))
def test_cyclic_reduction_equals_thomas(n, seed, k):
    rng = np.random.default_rng(seed)
    a, b, c = _system(rng, n)
    d = rng.standard_normal((n, k))
    np.testing.assert_allclose(cyclic_reduction(a, b, c).solve(d), thomas(a, b, c, d), rtol=1e-11, atol=1e-12)


@pytest.mark.parametrize("n", [3, 4, 5, 16, 51])
def test_periodic_matches_dense(rng, n):
    a, b, c = _system(rng, n)
    d = rng.standard_normal(n)
    ref = np.linalg.solve(_dense(a, b, c, periodic=True), d)
    np.testing.assert_allclose(solve_periodic_tridiagonal(a, b, c, d), ref, rtol=1e-12, atol=1e-13)
    f = periodic_tridiagonal(a, b, c)
    D = rng.standard_normal((n, 2))
    np.testing.assert_allclose(f.solve(D), np.linalg.solve(_dense(a, b, c, periodic=True), D), rtol=1e-12, atol=1e-13)


def test_float32_and_integers():
    x = thomas(np.zeros(3, np.float32), np.full(3, 2, np.float32), np.zeros(3, np.float32),
               np.ones(3, np.float32))
    assert x.dtype == np.float32
    np.testing.assert_allclose(solve_tridiagonal([0, 0], [2, 4], [0, 0], [2, 2]), [1.0, 0.5])
    assert "levels" in repr(cyclic_reduction(np.zeros(5), np.ones(5), np.zeros(5)))


def test_bad_input():
    with pytest.raises(ShapeError, match="same shape"):
        thomas(np.zeros(3), np.ones(4), np.zeros(3), np.ones(3))
    with pytest.raises(ShapeError, match="rhs must have 3 rows"):
        thomas(np.zeros(3), np.ones(3), np.zeros(3), np.ones(4))
    with pytest.raises(DomainError):
        thomas(np.zeros(3), np.array([1.0, np.nan, 1.0]), np.zeros(3), np.ones(3))
    with pytest.raises(DomainError, match="zero pivot"):
        thomas(np.zeros(3), np.zeros(3), np.zeros(3), np.ones(3))
    with pytest.raises(DomainError, match="zero pivot"):
        cyclic_reduction(np.zeros(3), np.array([1.0, 0.0, 1.0]), np.zeros(3))
    with pytest.raises(ShapeError, match="n >= 3"):
        solve_periodic_tridiagonal(np.zeros(2), np.ones(2), np.zeros(2), np.ones(2))
    with pytest.raises(DomainError, match="method"):
        solve_tridiagonal(np.zeros(3), np.ones(3), np.zeros(3), np.ones(3), method="lu")
    with pytest.raises(ShapeError):
        thomas(np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0))
    with pytest.raises(TypeError):
        thomas(np.array(["a"]), np.ones(1), np.zeros(1), np.ones(1))
