import numpy as np
import pytest
import scipy.linalg as sl
from hypothesis import given, settings
from hypothesis import strategies as st

from aimath.errors import DomainError, ShapeError
from aimath.linalg import det, inv, lu, lu_factor, lu_solve, slogdet, solve
from aimath.linalg.lu import lu_unblocked

from ._helpers import EPS, ill_conditioned


@pytest.mark.parametrize("shape", [(1, 1), (5, 5), (40, 40), (130, 130), (70, 30), (30, 70), (3, 20, 20), (0, 3)])
def test_lu_factors(rng, shape):
    A = rng.standard_normal(shape)
    P, L, U = lu(A)
    assert np.allclose(P @ L @ U, A, atol=50 * EPS * max(shape))
    assert np.all(np.abs(L) <= 1 + 1e-15)
    assert np.allclose(np.triu(U), U) and np.allclose(np.tril(L), L)
    if A.ndim == 2 and A.size:
        P2, L2, U2 = sl.lu(A)
        assert np.allclose(L, L2) and np.allclose(U, U2) and np.array_equal(P, P2)


def test_lu_factor_matches_scipy(rng):
    A = rng.standard_normal((90, 90))
    lu_, piv = lu_factor(A)
    lu2, piv2 = sl.lu_factor(A)
    assert np.array_equal(piv, piv2)
    assert np.allclose(lu_, lu2, atol=1e-12)
    b = rng.standard_normal((90, 3))
    for trans in (0, 1):
        assert np.allclose(lu_solve((lu_, piv), b, trans=trans), sl.lu_solve((lu2, piv2), b, trans=trans))


def test_unblocked_equals_blocked(rng):
    A = rng.standard_normal((50, 50))
    for a, b in zip(lu_unblocked(A), lu(A), strict=True):
        assert np.allclose(a, b, atol=1e-12)


def test_no_pivoting_fails_on_small_pivot():
    A = np.array([[1e-20, 1.0], [1.0, 1.0]])
    P, L, U = lu(A, pivoting=False)
    assert np.abs(L @ U - A).max() > 0.5  # the 1 in the corner is lost
    P, L, U = lu(A)
    assert np.abs(P @ L @ U - A).max() < 1e-15
    with pytest.raises(DomainError, match="zero pivot"):
        lu(np.array([[0.0, 1.0], [1.0, 1.0]]), pivoting=False)


@pytest.mark.parametrize("n", [1, 8, 64, 150])
def test_solve_backward_error(rng, n):
    A = ill_conditioned(rng, n, 1e10)
    b = rng.standard_normal(n)
    x = solve(A, b)
    res = np.linalg.norm(A @ x - b) / (np.linalg.norm(A, 2) * np.linalg.norm(x) + np.linalg.norm(b))
    assert res < 10 * n * EPS


def test_solve_broadcasting(xp, rng):
    A = rng.standard_normal((3, 6, 6))
    b = rng.standard_normal((6, 2))
    x = xp.to_numpy(solve(xp.asarray(A), xp.asarray(b)))
    assert x.shape == (3, 6, 2) and np.allclose(x, np.linalg.solve(A, b))
    v = rng.standard_normal(6)
    x = xp.to_numpy(solve(xp.asarray(A), xp.asarray(v)))
    assert x.shape == (3, 6) and np.allclose(x, np.linalg.solve(A, v))


def test_det_slogdet_inv(xp, rng):
    A = rng.standard_normal((4, 7, 7))
    assert np.allclose(xp.to_numpy(det(xp.asarray(A))), np.linalg.det(A))
    s, l = slogdet(xp.asarray(A))
    s2, l2 = np.linalg.slogdet(A)
    assert np.allclose(xp.to_numpy(s), s2) and np.allclose(xp.to_numpy(l), l2)
    assert np.allclose(xp.to_numpy(inv(xp.asarray(A))), np.linalg.inv(A))


def test_singular():
    A = np.array([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(DomainError, match="singular"):
        solve(A, np.ones(2))
    with pytest.raises(DomainError, match="singular"):
        inv(A)
    s, l = slogdet(np.zeros((3, 3)))
    assert s == 0 and l == -np.inf
    assert det(np.zeros((2, 2))) == 0


def test_bad_input():
    with pytest.raises(ShapeError, match="square"):
        det(np.ones((2, 3)))
    with pytest.raises(ShapeError, match="square"):
        inv(np.ones((2, 3)))
    with pytest.raises(DomainError, match="finite"):
        solve(np.array([[1.0, np.inf], [0.0, 1.0]]), np.ones(2))
    with pytest.raises(ShapeError):
        solve(np.eye(3), np.ones((4, 1)))


def test_float32(rng):
    A = rng.standard_normal((10, 10)).astype(np.float32)
    x = solve(A, np.ones(10, np.float32))
    assert x.dtype == np.float32 and np.allclose(A @ x, 1, atol=1e-3)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12), st.integers(0, 10**6))
def test_lu_property(m, n, seed):
    A = np.random.default_rng(seed).standard_normal((m, n))
    P, L, U = lu(A)
    assert np.allclose(P @ L @ U, A, atol=1e-12)
    assert np.allclose(P.T @ P, np.eye(m))


@pytest.mark.parametrize("kind", ["ill", "multipliers_near_one", "wide", "tall"])
def test_recursive_lu_backward_error(rng, kind):
    # n = 150 crosses several recursion levels, 16-column strips and 32-row inverted blocks of L
    n = 150
    if kind == "ill":
        A = ill_conditioned(rng, n, 1e12)
    elif kind == "multipliers_near_one":  # |l_ij| close to 1 everywhere: the hardest case for L⁻¹ blocks
        L0 = np.tril(rng.uniform(-1, 1, (n, n)), -1) + np.eye(n)
        A = L0 @ (np.triu(rng.standard_normal((n, n))) + 5 * np.eye(n))
    else:
        A = rng.standard_normal((n, 97) if kind == "tall" else (97, n))
    P, L, U = lu(A)
    assert np.linalg.norm(P @ L @ U - A) <= 10 * max(A.shape) * EPS * np.linalg.norm(L) * np.linalg.norm(U)
    if kind != "ill":  # (near-ties among tiny late pivots may legitimately differ for κ = 1e12)
        P2, L2, U2 = sl.lu(A)
        assert np.array_equal(P, P2)
        if kind == "multipliers_near_one":
            # κ(L) ≈ 1e9 here, so any two stable eliminations differ in L by ~1e-8: ask the fast
            # form to be as close to LAPACK as the textbook elimination is
            d_text = np.abs(lu_unblocked(A)[1] - L2).max()
            assert np.abs(L - L2).max() <= 3 * d_text + 1e-14
        else:
            assert np.allclose(L, L2, atol=1e-10) and np.allclose(U, U2, atol=1e-9)


def test_trsm_with_inverted_blocks_equals_substitution(rng):
    from aimath.linalg.lu import _trsm_unit_lower
    from aimath.linalg.triangular import forward_substitution

    n = 100
    M = np.tril(rng.uniform(-1, 1, (n, n)), -1) + np.eye(n)
    b = rng.standard_normal(n)
    X = b[:, None].copy()
    _trsm_unit_lower(M, 0, n, X, {})
    x = forward_substitution(M, b, unit_diagonal=True)
    assert np.allclose(X[:, 0], x, rtol=1e-10, atol=1e-10 * np.abs(x).max())


@pytest.mark.parametrize("kind", ["tiny_pivots", "kahan"])
def test_solve_backward_error_hard_u(rng, kind):
    # U with ill-conditioned diagonal blocks: U must be solved by substitution, not through
    # inverted blocks (which gives backward errors ~1e3 ε on the first matrix)
    n = 200
    if kind == "tiny_pivots":
        U0 = np.triu(rng.standard_normal((n, n)))
        U0[np.arange(n), np.arange(n)] = np.where(np.arange(n) % 3 == 0, 1e-9, 1.0)
        A = (np.eye(n) + np.tril(0.01 * rng.standard_normal((n, n)), -1)) @ U0
    else:
        s, c = np.sin(1.2), np.cos(1.2)
        A = np.diag(s ** np.arange(n)) @ (np.triu(-c * np.ones((n, n)), 1) + np.eye(n))
    b = rng.standard_normal(n)
    for x in (solve(A, b), solve(A[None], b[None, :, None])[0, :, 0]):  # one matrix, and the stack path
        res = np.linalg.norm(A @ x - b) / (np.linalg.norm(A, 2) * np.linalg.norm(x) + np.linalg.norm(b))
        assert res < 10 * n * EPS


@pytest.mark.parametrize("w", [1, 2, 5, 19, 32])
def test_unit_lower_inverse_by_doubling(rng, w):
    from aimath.linalg.lu import _unit_lower_inv

    B = rng.uniform(-1, 1, (w, w))  # the upper triangle (U, in the packed array) must be ignored
    E = _unit_lower_inv(B)
    ref = sl.solve_triangular(B, np.eye(w), lower=True, unit_diagonal=True)
    assert np.allclose(E, ref, rtol=1e-12, atol=1e-12)
    assert np.array_equal(np.triu(E), np.eye(w))


@pytest.mark.parametrize("n", [97, 300])
def test_lu_factor_same_pivots_as_lapack(rng, n):
    # several levels of the recursion and 32-column Crout strips: partial pivoting must pick the
    # same rows as LAPACK's getrf on a generic matrix
    A = rng.standard_normal((n, n))
    lu_, piv = lu_factor(A)
    lu2, piv2 = sl.lu_factor(A)
    assert np.array_equal(piv, piv2)
    assert np.abs(lu_ - lu2).max() < 1e-10


def test_lu_zero_and_repeated_columns(rng):
    # a zero column (zero pivot, no scaling, elimination goes on) and an exact repeat
    A = rng.standard_normal((70, 70))
    A[:, 10] = 0.0
    A[:, 40] = A[:, 5]
    lu_, piv = lu_factor(A)
    assert np.all(np.isfinite(lu_)) and lu_[10, 10] == 0.0
    P, L, U = lu(A)
    assert np.allclose(P @ L @ U, A, atol=1e-12) and np.all(np.abs(L) <= 1 + 1e-15)
    assert np.array_equal(piv[:10], sl.lu_factor(A)[1][:10])
    with pytest.raises(DomainError, match="singular"):
        solve(A, np.ones(70))
