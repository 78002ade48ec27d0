import numpy as np
import pytest

from aimath.errors import DomainError, ShapeError
from aimath.linalg import cho_factor, cho_solve, cholesky, is_positive_definite
from aimath.linalg.cholesky import cholesky_unblocked

from ._helpers import EPS, spd


@pytest.mark.parametrize("n", [1, 5, 40, 130])
def test_matches_numpy(rng, n):
    A = spd(rng, n, cond=1e8)
    L = cholesky(A)
    assert np.allclose(L, np.tril(L))
    assert np.linalg.norm(L @ L.T - A) / np.linalg.norm(A) < 10 * n * EPS
    assert np.allclose(L, np.linalg.cholesky(A), atol=1e-6 * np.abs(L).max())


def test_upper_and_unblocked(rng):
    A = spd(rng, 12)
    assert np.allclose(cholesky(A, upper=True), cholesky(A).T)
    assert np.allclose(cholesky_unblocked(A), cholesky(A))


def test_batched_torch_and_solve(xp, rng):
    A = spd(rng, 9, batch=(3,))
    b = rng.standard_normal((3, 9, 2))
    L = cholesky(xp.asarray(A))
    assert np.allclose(xp.to_numpy(L), np.linalg.cholesky(A))
    x = xp.to_numpy(cho_solve(L, xp.asarray(b)))
    assert np.allclose(x, np.linalg.solve(A, b))
    x2 = xp.to_numpy(cho_solve(cho_factor(xp.asarray(A), lower=False), xp.asarray(b)))
    assert np.allclose(x2, x)


def test_not_pd(rng):
    A = spd(rng, 6, batch=(4,))
    A[2] -= 2 * np.eye(6)
    ok = is_positive_definite(A)
    assert ok.tolist() == [True, True, False, True]
    with pytest.raises(DomainError, match=r"positive definite.*\[2\]"):
        cholesky(A)
    assert not is_positive_definite(np.array([[1.0, 2.0], [0.0, 1.0]]))  # not symmetric
    assert not is_positive_definite(np.zeros((2, 2)))
    with pytest.raises(ShapeError):
        cholesky(np.ones((2, 3)))
    with pytest.raises(DomainError, match="finite"):
        cholesky(np.full((2, 2), np.nan))


def test_recursive_panel_equals_textbook_and_reads_lower_only(rng):
    # n = 70 crosses several levels of the recursive panel form (leaf 16, uneven halves)
    A = spd(rng, 70, cond=1e6)
    L = cholesky(A)
    assert np.allclose(L, cholesky_unblocked(A), atol=1e-12 * np.abs(L).max())
    junk = A + np.triu(rng.standard_normal((70, 70)), 1)  # the strict upper triangle is not read
    assert np.array_equal(cholesky(junk), L)
    assert np.array_equal(L, np.tril(L))


def test_late_failing_pivot_detected(rng):
    # an indefinite matrix whose Cholesky breaks down only at pivot 57, deep in the recursion
    B = spd(rng, 60)  # eigenvalues in [1e-3, 1]
    assert bool(is_positive_definite(B))
    B[57:, 57:] -= 10 * np.eye(3)
    assert not bool(is_positive_definite(B))
    with pytest.raises(DomainError, match="positive definite"):
        cholesky(B)


def test_float32_recursive(rng):
    A = spd(rng, 48).astype(np.float32)
    L = cholesky(A)
    assert L.dtype == np.float32
    assert np.linalg.norm(L.astype(float) @ L.T.astype(float) - A) / np.linalg.norm(A) < 48 * np.finfo(np.float32).eps
