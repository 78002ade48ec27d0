"""Batch-last tridiagonal QR for stacks of small symmetric matrices (aimath.linalg._small_stacks):
against LAPACK's eigenvalues, residual and orthogonality in units of n·ε, on random and hard stacks
(repeated, clustered, graded, zero, diagonal, split tridiagonal, 1e±200, float32), and through
eigh's routing against the Jacobi method; the SVD started from eig(AᵀA) likewise."""

import numpy as np
import pytest

from aimath.linalg import eigh, eigvalsh, svd
from aimath.linalg._small_stacks import _tridiagonalise, small_eigh, small_svd

from ._helpers import EPS, symmetric_with, with_singular_values


def _sym(rng, b, n):
    A = rng.standard_normal((b, n, n))
    return A + np.swapaxes(A, -1, -2)


def _check(A, w, V, eps=EPS, c=20):
    n = A.shape[-1]
    scale = np.abs(A).max(axis=(-2, -1))
    scale = np.where(scale > 0, scale, 1.0)[:, None, None]
    res = np.abs((A / scale) @ V - V * (w[:, None, :] / scale)).max()  # scaled first: no overflow
    orth = np.abs(np.swapaxes(V, -1, -2) @ V - np.eye(n)).max()
    ref = np.linalg.eigvalsh((A / scale).astype(np.float64))
    err = np.abs(np.sort(w / scale[:, :, 0], -1) - ref).max()
    assert res < c * n * eps and orth < c * n * eps and err < c * n * eps, (res, orth, err)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 8])
def test_random_stacks_match_lapack(rng, n):
    A = _sym(rng, 60, n)
    w, V = small_eigh(A)
    _check(A, w, V)
    w2, none = small_eigh(A, vectors=False)
    assert none is None and np.allclose(np.sort(w2, -1), np.sort(w, -1), rtol=0, atol=1e-13 * np.abs(w).max())


def test_tridiagonalisation_is_a_similarity(rng):
    A = _sym(rng, 30, 8)
    d, e, Q = _tridiagonalise(np.array(np.moveaxis(A, 0, -1), order="C"), True)
    T = np.zeros((30, 8, 8))
    i = np.arange(8)
    T[:, i, i] = d.T
    T[:, i[:-1], i[1:]] = T[:, i[1:], i[:-1]] = e.T
    Qb = np.moveaxis(Q, -1, 0)
    assert np.abs(Qb @ T @ np.swapaxes(Qb, -1, -2) - A).max() < 20 * 8 * EPS * np.abs(A).max()
    assert np.abs(np.swapaxes(Qb, -1, -2) @ Qb - np.eye(8)).max() < 20 * 8 * EPS


def _hard_stack(rng, n):
    mats = []
    for _ in range(4):
        mats += [
            symmetric_with(rng, np.repeat(rng.standard_normal(2), n)[:n]),  # repeated
            symmetric_with(rng, 1 + 1e-12 * rng.standard_normal(n)),  # cluster
            symmetric_with(rng, np.logspace(0, -15, n) * rng.choice([-1, 1], n)),  # graded
            symmetric_with(rng, np.r_[np.zeros(n // 2), rng.standard_normal(n - n // 2)]),  # half zero
            symmetric_with(rng, np.round(rng.standard_normal(n), 1)),  # ties
            np.zeros((n, n)),
            np.diag(rng.standard_normal(n)),  # already diagonal: e = 0 throughout
            np.eye(n),
        ]
        T = np.diag(rng.standard_normal(n)) + np.diag(np.r_[rng.standard_normal(n - 1)], 1)
        T[n // 2 - 1, n // 2] = 0  # tridiagonal with a split in the middle: the chase starts below it
        mats.append(T + np.triu(T, 1).T)
    return np.stack(mats)


@pytest.mark.parametrize("n", [3, 5, 8])
@pytest.mark.parametrize("scale", [1.0, 1e-200, 1e200])
def test_hard_stacks(rng, n, scale):
    A = _hard_stack(rng, n) * scale
    w, V = small_eigh(A)
    assert np.all(np.isfinite(w)) and np.all(np.isfinite(V))
    _check(A, w, V)


def test_float32(rng):
    A = _sym(rng, 100, 8).astype(np.float32)
    w, V = small_eigh(A)
    assert w.dtype == np.float32 and V.dtype == np.float32
    _check(A, w.astype(np.float64), V.astype(np.float64), eps=np.finfo(np.float32).eps)


def test_eigh_routes_big_stacks_here_and_agrees_with_jacobi(rng):
    A = _sym(rng, 300, 8)  # ≥ _SMALL_MIN_BATCH: the default method takes the tridiagonal QR
    w, V = eigh(A)
    wj, Vj = eigh(A, method="jacobi")
    assert np.all(np.diff(w, axis=-1) >= 0)
    assert np.abs(w - wj).max() < 20 * 8 * EPS * np.abs(A).max()
    assert np.allclose(np.abs(np.sum(V * Vj, axis=-2)), 1, atol=1e-8)  # same eigenvectors up to sign
    assert np.array_equal(eigvalsh(A), w)
    wl, Vl = eigh(A.reshape(3, 100, 8, 8))  # leading batch axes
    assert wl.shape == (3, 100, 8) and np.array_equal(wl.reshape(300, 8), w)


def _check_svd(A, US, V, eps=EPS, c=20):
    n = A.shape[-1]
    scale = np.abs(A).max(axis=(-2, -1))
    scale = np.where(scale > 0, scale, 1.0)[:, None, None]
    USs = US / scale
    res = np.abs(USs @ np.swapaxes(V, -1, -2) - A / scale).max()
    orthV = np.abs(np.swapaxes(V, -1, -2) @ V - np.eye(n)).max()
    s = np.sqrt(np.sum(USs * USs, axis=-2))
    ref = np.linalg.svd((A / scale).astype(np.float64), compute_uv=False)
    err = np.abs(np.sort(s, -1)[:, ::-1] - ref).max()
    # the columns of U·Σ are orthogonal: |u_p·u_q| ≤ c n ε s_p s_q (relative, as Jacobi's test)
    G = np.swapaxes(USs, -1, -2) @ USs
    off = np.abs(G - G * np.eye(n)) / np.maximum(s[:, :, None] * s[:, None, :], np.finfo(float).tiny)
    big = (s[:, :, None] > c * n * eps) & (s[:, None, :] > c * n * eps)
    assert res < c * n * eps and orthV < c * n * eps and err < c * n * eps, (res, orthV, err)
    assert np.where(big, off, 0).max() < c * n * eps


def _hard_svd_stack(rng, m, n):
    mats = []
    for _ in range(4):
        for s in (
            np.repeat(rng.random(2) + 0.5, n)[:n],
            1 + 1e-12 * rng.standard_normal(n),
            np.logspace(0, -15, n),
            np.r_[np.zeros(n // 2), rng.random(n - n // 2)],
            np.round(rng.random(n), 1),
            np.zeros(n),
        ):
            mats.append(with_singular_values(rng, m, n, np.abs(s)))
        mats.append(rng.standard_normal((m, n)))
    return np.stack(mats)


@pytest.mark.parametrize(("m", "n"), [(1, 1), (3, 2), (5, 5), (8, 8), (9, 7)])
@pytest.mark.parametrize("scale", [1.0, 1e-200, 1e200])
def test_svd_hard_stacks(rng, m, n, scale):
    A = _hard_svd_stack(rng, m, n) * scale
    US, V = small_svd(A)
    assert np.all(np.isfinite(US)) and np.all(np.isfinite(V))
    _check_svd(A, US, V)
    US2, none = small_svd(A, vectors=False)
    assert none is None and np.allclose(US2, US, rtol=0, atol=1e-13 * np.abs(A).max())


def test_svd_float32(rng):
    A = rng.standard_normal((100, 8, 8)).astype(np.float32)
    US, V = small_svd(A)
    assert US.dtype == np.float32 and V.dtype == np.float32
    _check_svd(A, US.astype(np.float64), V.astype(np.float64), eps=np.finfo(np.float32).eps)


def test_svd_routes_big_stacks_here(rng):
    A = rng.standard_normal((300, 8, 8))  # ≥ _SMALL_MIN_BATCH
    A[:5, :, 3] = A[:5, :, 2]  # some rank-deficient matrices
    U, s, Vh = svd(A)
    ref = np.linalg.svd(A, compute_uv=False)
    assert np.abs(s - ref).max() < 20 * 8 * EPS * np.abs(ref).max()
    assert np.abs((U * s[:, None, :]) @ Vh - A).max() < 20 * 8 * EPS * np.abs(ref).max()
    assert np.abs(np.swapaxes(U, -1, -2) @ U - np.eye(8)).max() < 20 * 8 * EPS
    assert np.abs(Vh @ np.swapaxes(Vh, -1, -2) - np.eye(8)).max() < 20 * 8 * EPS
    T = rng.standard_normal((300, 12, 6))  # tall: QR first, then the 6×6 factor
    U, s, Vh = svd(T, full_matrices=False)
    assert np.abs((U * s[:, None, :]) @ Vh - T).max() < 20 * 12 * EPS * np.abs(T).max()
    assert np.abs(s - np.linalg.svd(T, compute_uv=False)).max() < 20 * 12 * EPS * np.abs(T).max()


def test_svd_first_order_path_and_rotation_fallback(rng, monkeypatch):
    import aimath.linalg._jacobi as J

    sizes = []
    orig = J._one_sided

    def spy(U, n, tol, V=None):
        sizes.append(U.shape[-1])
        return orig(U, n, tol, V)

    monkeypatch.setattr(J, "_one_sided", spy)
    A = rng.standard_normal((200, 8, 8))  # distinct singular values: the first-order correction suffices
    US, V = small_svd(A)
    _check_svd(A, US, V)
    assert sizes == []
    H = _hard_svd_stack(rng, 8, 8)  # repeated, clustered, zero: these need the rotations
    US, V = small_svd(np.concatenate([A, H]))
    _check_svd(np.concatenate([A, H]), US, V)
    assert len(sizes) == 1 and 0 < sizes[0] < len(H)


@pytest.mark.parametrize("frac", [0.05, 0.2, 0.5])
def test_mixed_stacks_without_warnings(rng, frac):
    """Deflated matrices (zero, diagonal) step along with the rest while most still need steps:
    the shift must stay finite for them (b = δ = 0)."""
    import warnings

    n_odd = int(200 * frac)
    A = np.concatenate(
        [
            _sym(rng, 200 - 2 * n_odd, 8),
            np.zeros((n_odd, 8, 8)),
            np.stack([np.diag(rng.standard_normal(8)) for _ in range(n_odd)]),
        ]
    )
    B = np.concatenate([rng.standard_normal((200 - n_odd, 8, 8)), _hard_svd_stack(rng, 8, 8)[:n_odd]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w, V = small_eigh(A)
        US, Vs = small_svd(B)
    _check(A, w, V)
    _check_svd(B, US, Vs)


def test_big_hard_stacks_through_eigh_and_svd():
    """Hundreds of hard matrices per call (the in-place steps, gathers and skipped rotations of the
    stack mix them), through the public functions at three scales. This draw once hit a chase whose
    (x, z) were both below the skip threshold mid-block, which wrote r := 1 into e_{k−1}."""
    rng = np.random.default_rng(2)
    for n in (2, 5, 8):
        for scale in (1.0, 1e-200, 1e200):
            H = np.concatenate([_hard_stack(rng, n) for _ in range(9)]) * scale
            w, V = eigh(H)
            assert np.all(np.diff(w, axis=-1) >= 0)
            _check(H, w, V)
            B = np.concatenate([_hard_svd_stack(rng, n + 1, n) for _ in range(10)]) * scale
            U, s, Vh = svd(B, full_matrices=False)
            assert np.all(np.diff(s, axis=-1) <= 0) and np.all(s >= 0)
            _check_svd(B, U * s[:, None, :], np.swapaxes(Vh, -1, -2))
            assert np.abs(np.swapaxes(U, -1, -2) @ U - np.eye(n)).max() < 20 * n * EPS


def test_subnormal_stacks_scale_exactly(rng):
    """max|a_ij| ≈ 1e-310: the power of two 2^k that brings it to [1/2, 1) overflows as a number,
    so it is applied by ldexp; eigenvectors and singular vectors stay orthonormal, values finite."""
    import warnings

    A = _sym(rng, 50, 6) * 1e-310
    B = rng.standard_normal((50, 7, 6)) * 1e-310
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        w, V = small_eigh(A)
        US, Vs = small_svd(B)
    assert np.all(np.isfinite(w)) and np.all(np.isfinite(US))
    assert np.abs(np.swapaxes(V, -1, -2) @ V - np.eye(6)).max() < 20 * 6 * EPS
    assert np.abs(np.swapaxes(Vs, -1, -2) @ Vs - np.eye(6)).max() < 20 * 6 * EPS
    ref = np.linalg.eigvalsh(A * 2.0**1000) * 2.0**-1000  # exact rescaling of the same matrices
    assert np.abs(np.sort(w, -1) - ref).max() <= 20 * 6 * EPS * np.abs(ref).max() + 1e-322
