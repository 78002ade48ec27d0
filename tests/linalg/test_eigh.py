import numpy as np
import pytest

from aimath.errors import DomainError, ShapeError
from aimath.linalg import eigh, eigvalsh, rayleigh_quotient

from ._helpers import EPS, symmetric_with


def _check(A, w, V, c=20):
    n = A.shape[-1]
    nrm = np.linalg.norm(A, 2, axis=(-2, -1))[..., None, None] if A.size else 1
    assert np.all(np.diff(w, axis=-1) >= 0)
    assert np.abs(A @ V - V * w[..., None, :]).max() <= c * n * EPS * np.max(nrm)
    assert np.abs(np.swapaxes(V, -1, -2) @ V - np.eye(n)).max() <= c * n * EPS


@pytest.mark.parametrize("n", [1, 2, 5, 16, 31])
def test_random(rng, n):
    A = rng.standard_normal((n, n))
    A = A + A.T
    w, V = eigh(A)
    _check(A, w, V)
    assert np.allclose(w, np.linalg.eigvalsh(A), atol=20 * n * EPS * np.abs(w).max())


def test_clustered_and_repeated(rng):
    A = symmetric_with(rng, [1, 1, 1, 2, 2, 1 + 1e-13, -3, 0, 0, 0])
    w, V = eigh(A)
    _check(A, w, V)
    assert np.allclose(w, np.sort([1, 1, 1, 2, 2, 1, -3, 0, 0, 0]), atol=1e-13)


def test_ill_conditioned(rng):
    A = symmetric_with(rng, np.logspace(0, -12, 12) * np.array([1, -1] * 6))
    w, V = eigh(A)
    _check(A, w, V)


def test_batched_torch(xp, rng):
    A = rng.standard_normal((50, 6, 6))
    A = A + np.swapaxes(A, -1, -2)
    w, V = eigh(xp.asarray(A))
    w, V = xp.to_numpy(w), xp.to_numpy(V)
    _check(A, w, V)
    assert np.allclose(w, np.linalg.eigvalsh(A))
    # eigenvectors agree with numpy's up to sign (distinct eigenvalues)
    Vn = np.linalg.eigh(A)[1]
    assert np.allclose(np.abs(np.sum(V * Vn, axis=-2)), 1, atol=1e-8)


def test_uplo_and_eigvalsh(rng):
    A = rng.standard_normal((5, 5))
    assert np.allclose(eigvalsh(A), np.linalg.eigvalsh(A))
    assert np.allclose(eigvalsh(A, UPLO="U"), np.linalg.eigvalsh(A, UPLO="U"))


def test_rayleigh(rng):
    A = symmetric_with(rng, [1.0, 2.0, 5.0])
    x = rng.standard_normal((100, 3))
    r = rayleigh_quotient(A, x)
    assert np.all((r >= 1 - 1e-12) & (r <= 5 + 1e-12))
    with pytest.raises(DomainError):
        rayleigh_quotient(A, np.zeros(3))


def test_errors():
    with pytest.raises(ShapeError, match="square"):
        eigh(np.ones((2, 3)))
    with pytest.raises(DomainError, match="finite"):
        eigh(np.array([[1.0, np.inf], [np.inf, 1.0]]))
    w, V = eigh(np.zeros((0, 0)))
    assert w.shape == (0,) and V.shape == (0, 0)


@pytest.mark.parametrize("n", [3, 9, 40, 70])
def test_methods_agree(rng, n):
    A = rng.standard_normal((2, n, n))
    A = A + np.swapaxes(A, -1, -2)
    w1, V1 = eigh(A)
    w2, V2 = eigh(A, method="jacobi")
    _check(A, w1, V1)
    _check(A, w2, V2)
    assert np.allclose(w1, w2, atol=1e-12 * np.abs(w1).max())
    assert np.allclose(np.abs(np.sum(V1 * V2, axis=-2)), 1, atol=1e-8)


@pytest.mark.parametrize("w", [np.r_[np.ones(20), 2 * np.ones(20), np.arange(8.0)], np.zeros(12), np.ones(30),
                               np.logspace(0, -14, 40), 1 + 1e-12 * np.arange(25)])
def test_hard_spectra_tridiagonal(rng, w):
    A = symmetric_with(rng, w)
    lam, V = eigh(A)
    _check(A, lam, V)
    assert np.allclose(lam, np.sort(w), atol=1e-13 * max(1, np.abs(w).max()) * len(w))


def test_tridiagonal_pieces(rng):
    from aimath.linalg.tridiagonal import eigvalsh_tridiagonal, tridiagonalize

    A = rng.standard_normal((1, 9, 9))
    A = A + np.swapaxes(A, -1, -2)
    d, e, _, _ = tridiagonalize(A)
    T = np.diag(d[0]) + np.diag(e[0], 1) + np.diag(e[0], -1)
    assert np.allclose(np.linalg.eigvalsh(T), np.linalg.eigvalsh(A[0]))
    assert np.allclose(eigvalsh_tridiagonal(d, e)[0], np.linalg.eigvalsh(A[0]))


def test_tridiagonal_float32(xp, rng):
    A = rng.standard_normal((30, 30))
    A = A + A.T
    w, V = eigh(xp.asarray(A.astype(np.float32)))
    w, V = xp.to_numpy(w), xp.to_numpy(V)
    assert w.dtype == np.float32
    assert np.allclose(w, np.linalg.eigvalsh(A), atol=1e-4 * np.abs(w).max())
    assert np.abs(V.T @ V - np.eye(30)).max() < 1e-4


@pytest.mark.parametrize("shape", [(1, 70, 70), (3, 45, 45)])
def test_blocked_tridiagonalisation_agrees(xp, rng, shape):
    """The blocked (dsytrd) and the textbook (one rank-2 update per column) reductions both satisfy
    QᵀAQ = T with orthogonal Q, and their tridiagonals have the same spectrum. (Their later entries
    may differ by more than ε‖A‖: T is not a well-conditioned function of A, only backward stable.)"""
    from aimath.linalg.tridiagonal import _apply_q, tridiagonalize

    A = rng.standard_normal(shape)
    A = A + np.swapaxes(A, -1, -2)
    n = shape[-1]
    i = np.arange(n)
    nrm = np.abs(A).max()
    spectra = []
    for blocked in (True, False):
        d, e, V, tau = (xp.to_numpy(r) for r in tridiagonalize(xp.asarray(A), blocked=blocked))
        Q = _apply_q(np, V, tau, np.broadcast_to(np.eye(n), shape).copy())
        T = np.zeros(shape)
        T[:, i, i] = d
        T[:, i[:-1], i[1:]] = e
        T[:, i[1:], i[:-1]] = e
        assert np.abs(np.swapaxes(Q, -1, -2) @ Q - np.eye(n)).max() <= 20 * n * EPS
        assert np.abs(np.swapaxes(Q, -1, -2) @ A @ Q - T).max() <= 20 * n * EPS * nrm
        spectra.append(np.linalg.eigvalsh(T))
    assert np.abs(spectra[0] - spectra[1]).max() <= 20 * n * EPS * nrm
    assert np.abs(spectra[0] - np.linalg.eigvalsh(A)).max() <= 20 * n * EPS * nrm


@pytest.mark.parametrize("scale", [1e-200, 1e200])
@pytest.mark.parametrize("n", [6, 40])
def test_tiny_and_huge_scales(rng, scale, n):
    A = rng.standard_normal((n, n))
    A = (A + A.T) * scale
    w, V = eigh(A)
    _check(A, w, V)
    assert np.abs(w - np.linalg.eigvalsh(A)).max() <= 20 * n * EPS * np.abs(w).max()


@pytest.mark.parametrize("n", [3, 8, 9, 64, 100, 130])
def test_subset_by_index(rng, n):
    """subset_by_index = (lo, hi) returns exactly those eigenpairs of the ascending order (SciPy's
    convention), orthonormal, with the residual of the whole decomposition."""
    A = rng.standard_normal((n, n))
    A = A + A.T
    ref = np.linalg.eigvalsh(A)
    for lo, hi in [(0, n - 1), (n - 1, n - 1), (0, 0), (n // 3, (2 * n) // 3), (max(n - 10, 0), n - 1)]:
        w, V = eigh(A, subset_by_index=(lo, hi))
        k = hi - lo + 1
        assert w.shape == (k,) and V.shape == (n, k)
        assert np.abs(w - ref[lo : hi + 1]).max() <= 20 * n * EPS * np.abs(ref).max()
        assert np.abs(A @ V - V * w).max() <= 20 * n * EPS * np.abs(ref).max()
        assert np.abs(V.T @ V - np.eye(k)).max() <= 20 * n * EPS
        np.testing.assert_array_equal(eigvalsh(A, subset_by_index=(lo, hi)).shape, (k,))


def test_subset_by_index_batched_and_jacobi(rng):
    A = rng.standard_normal((4, 3, 6, 6))
    A = A + np.swapaxes(A, -1, -2)
    for method in ("tridiagonal", "jacobi"):
        w, V = eigh(A, subset_by_index=(2, 4), method=method)
        w0, V0 = eigh(A, method=method)
        assert w.shape == (4, 3, 3) and V.shape == (4, 3, 6, 3)
        np.testing.assert_allclose(w, w0[..., 2:5], atol=1e-12)
        np.testing.assert_allclose(np.abs(np.sum(V * V0[..., 2:5], axis=-2)), 1, atol=1e-10)


@pytest.mark.parametrize("bad", [(2, 1), (-1, 2), (0, 5), (1.5, 2), "ab", (1,)])
def test_subset_by_index_errors(bad):
    with pytest.raises(ValueError, match="subset_by_index"):
        eigh(np.eye(5), subset_by_index=bad)
