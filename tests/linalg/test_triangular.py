import numpy as np
import pytest
import scipy.linalg as sl

from aimath.errors import DomainError, ShapeError
from aimath.linalg import solve_triangular
from aimath.linalg.triangular import back_substitution, forward_substitution


@pytest.mark.parametrize("n", [1, 7, 33, 100])
@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("trans", [0, 1])
def test_matches_scipy(rng, n, lower, trans):
    T = rng.standard_normal((n, n)) + 4 * np.eye(n)
    b = rng.standard_normal((n, 3))
    x = solve_triangular(T, b, trans=trans, lower=lower)
    ref = sl.solve_triangular(T, b, trans=trans, lower=lower)
    assert np.allclose(x, ref, rtol=1e-12, atol=1e-12)


def test_only_triangle_read_and_unit_diagonal(rng):
    T = rng.standard_normal((40, 40)) + 6 * np.eye(40)
    b = rng.standard_normal(40)
    x = solve_triangular(T, b, lower=True, unit_diagonal=True)
    L = np.tril(T, -1) + np.eye(40)
    assert np.allclose(L @ x, b, atol=1e-10)


def test_batched_and_torch(xp, rng):
    T = np.tril(rng.standard_normal((4, 50, 50))) + 5 * np.eye(50)
    b = rng.standard_normal((4, 50, 2))
    x = xp.to_numpy(solve_triangular(xp.asarray(T), xp.asarray(b), lower=True))
    assert np.allclose(T @ x, b, atol=1e-11)


def test_float32_kept(rng):
    T = (np.triu(rng.standard_normal((20, 20))) + 5 * np.eye(20)).astype(np.float32)
    x = solve_triangular(T, np.ones(20, np.float32))
    assert x.dtype == np.float32 and np.allclose(T @ x, 1, atol=1e-4)


def test_textbook_forms_agree(rng):
    T = rng.standard_normal((9, 9)) + 4 * np.eye(9)
    b = rng.standard_normal(9)
    assert np.allclose(forward_substitution(np.tril(T), b), solve_triangular(T, b, lower=True))
    assert np.allclose(back_substitution(np.triu(T), b), solve_triangular(T, b))


def test_errors():
    with pytest.raises(ShapeError, match="b must have length 3"):
        solve_triangular(np.eye(3), np.ones(4))
    with pytest.raises(ShapeError, match="square"):
        solve_triangular(np.ones((3, 4)), np.ones(3))
    with pytest.raises(DomainError, match="singular"):
        solve_triangular(np.diag([1.0, 0.0]), np.ones(2))
    with pytest.raises(DomainError, match="finite"):
        solve_triangular(np.eye(2), np.array([1.0, np.nan]))


@pytest.mark.parametrize("n", [1, 31, 100])
@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("unit", [True, False])
@pytest.mark.parametrize("trans", [0, 1])
def test_one_vector_matches_scipy(rng, n, lower, unit, trans):
    # one right-hand side takes the Python-float substitution at the leaves
    T = rng.standard_normal((n, n)) + 4 * np.eye(n)
    b = rng.standard_normal(n)
    x = solve_triangular(T, b, trans=trans, lower=lower, unit_diagonal=unit)
    ref = sl.solve_triangular(T, b, trans=trans, lower=lower, unit_diagonal=unit)
    assert x.shape == (n,)
    assert np.allclose(x, ref, rtol=1e-12, atol=1e-12)
    assert np.allclose(solve_triangular(T, b[:, None], trans=trans, lower=lower, unit_diagonal=unit)[:, 0], ref)


@pytest.mark.parametrize("lower", [True, False])
def test_one_vector_backward_stable(rng, lower):
    # κ(T) huge (tiny diagonal entries): the residual stays at rounding level
    n = 200
    T = 0.3 * (np.tril(rng.standard_normal((n, n))) if lower else np.triu(rng.standard_normal((n, n))))
    T[np.arange(n), np.arange(n)] = np.where(np.arange(n) % 25 == 0, 1e-7, 1.0)
    b = rng.standard_normal(n)
    x = solve_triangular(T, b, lower=lower)
    res = np.linalg.norm(T @ x - b) / (np.linalg.norm(T, 2) * np.linalg.norm(x) + np.linalg.norm(b))
    assert res < 10 * n * np.finfo(float).eps


def test_one_vector_zero_pivot_as_numpy():
    # trsm itself (no singularity check) on a zero diagonal entry: inf/nan as NumPy, no exception
    from aimath.linalg.triangular import trsm

    T = np.triu(np.ones((5, 5)))
    T[2, 2] = 0.0
    X = np.ones((5, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        trsm(T, X, lower=False)
    assert not np.all(np.isfinite(X))
