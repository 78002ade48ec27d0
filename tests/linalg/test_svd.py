import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimath.errors import DomainError, ShapeError
from aimath.linalg import svd, svdvals

from ._helpers import EPS, with_singular_values


def _check(A, U, s, Vh, c=20):
    m, n = A.shape[-2:]
    k = min(m, n)
    nrm = max(float(np.max(s)) if s.size else 0.0, 1e-300)
    assert np.all(np.diff(s, axis=-1) <= 0) and np.all(s >= 0)
    R = (U[..., :, :k] * s[..., None, :]) @ Vh[..., :k, :] - A
    assert np.abs(R).max(initial=0) <= c * max(m, n) * EPS * nrm
    assert np.abs(np.swapaxes(U, -1, -2) @ U - np.eye(U.shape[-1])).max(initial=0) <= c * max(m, n) * EPS
    assert np.abs(Vh @ np.swapaxes(Vh, -1, -2) - np.eye(Vh.shape[-2])).max(initial=0) <= c * max(m, n) * EPS


@pytest.mark.parametrize("shape", [(1, 1), (6, 6), (40, 40), (50, 17), (17, 50), (3, 8, 5), (1, 7), (7, 1)])
@pytest.mark.parametrize("full", [True, False])
def test_random(rng, shape, full):
    A = rng.standard_normal(shape)
    U, s, Vh = svd(A, full_matrices=full)
    Un, sn, Vhn = np.linalg.svd(A, full_matrices=full)
    assert U.shape == Un.shape and Vh.shape == Vhn.shape
    assert np.allclose(s, sn, atol=50 * EPS * sn.max())
    _check(A, U, s, Vh)


def test_ill_conditioned_and_rank_deficient(rng):
    s0 = np.logspace(0, -12, 30)
    A = with_singular_values(rng, 40, 30, s0)
    U, s, Vh = svd(A)
    _check(A, U, s, Vh)
    assert np.allclose(s, s0, atol=40 * EPS)
    B = with_singular_values(rng, 20, 25, np.r_[np.ones(5), np.zeros(15)])
    U, s, Vh = svd(B)
    _check(B, U, s, Vh)
    U, s, Vh = svd(np.zeros((4, 3)))
    _check(np.zeros((4, 3)), U, s, Vh)


def test_batched_torch_float32(xp, rng):
    A = rng.standard_normal((20, 8, 8))
    U, s, Vh = (xp.to_numpy(t) for t in svd(xp.asarray(A)))
    _check(A, U, s, Vh)
    assert np.allclose(xp.to_numpy(svdvals(xp.asarray(A))), np.linalg.svd(A, compute_uv=False))
    s32 = svdvals(xp.asarray(A.astype(np.float32)))
    assert xp.to_numpy(s32).dtype == np.float32


def test_empty_and_errors():
    U, s, Vh = svd(np.zeros((0, 3)))
    assert U.shape == (0, 0) and s.shape == (0,) and Vh.shape == (3, 3)
    with pytest.raises(ShapeError):
        svd(np.ones(3))
    with pytest.raises(DomainError, match="finite"):
        svdvals(np.array([[np.nan, 1.0]]))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 9), st.integers(1, 9), st.integers(0, 10**6))
def test_svd_property(m, n, seed):
    A = np.random.default_rng(seed).standard_normal((m, n))
    U, s, Vh = svd(A)
    _check(A, U, s, Vh)


@pytest.mark.parametrize("shape", [(40, 40), (60, 25), (25, 60), (2, 30, 30)])
def test_bidiagonal_route(rng, shape):
    A = rng.standard_normal(shape)
    U, s, Vh = svd(A)
    _check(A, U, s, Vh)
    assert np.allclose(s, np.linalg.svd(A, compute_uv=False), atol=1e-13 * s.max())


def test_bidiagonal_hard_spectra(rng):
    for s0 in (np.logspace(0, -14, 40), np.r_[np.ones(15), np.zeros(25)], np.ones(30), np.r_[1.0, 1 + 1e-13, 1, 0.5]):
        n = len(s0)
        A = with_singular_values(rng, n + 5, n, s0)
        U, s, Vh = svd(A, full_matrices=False)
        _check(A, U, s, Vh)
        assert np.allclose(s, np.sort(s0)[::-1], atol=40 * n * EPS)


def test_bidiagonal_pieces(rng):
    from aimath.linalg.bidiagonal import bidiagonalize

    A = rng.standard_normal((1, 7, 7))
    d, f, *_ = bidiagonalize(A)
    B = np.diag(d[0]) + np.diag(f[0], 1)
    assert np.allclose(np.linalg.svd(B, compute_uv=False), np.linalg.svd(A[0], compute_uv=False))


def test_bidiagonal_torch_float32(xp, rng):
    A = rng.standard_normal((2, 24, 20))
    U, s, Vh = (xp.to_numpy(t) for t in svd(xp.asarray(A), full_matrices=False))
    _check(A, U, s, Vh)
    s32 = xp.to_numpy(svdvals(xp.asarray(A.astype(np.float32))))
    assert s32.dtype == np.float32 and np.allclose(s32, np.linalg.svd(A, compute_uv=False), rtol=1e-4)


@pytest.mark.parametrize("shape", [(1, 70, 70), (3, 45, 45)])
def test_blocked_bidiagonalisation_agrees(xp, rng, shape):
    """The blocked (dgebrd) and the textbook reductions both satisfy UᵀAV = B with orthogonal U,
    V, and their bidiagonals have the singular values of A."""
    from aimath.linalg.bidiagonal import _apply, bidiagonalize

    A = rng.standard_normal(shape)
    n = shape[-1]
    i = np.arange(n)
    nrm = np.abs(A).max()
    I = np.broadcast_to(np.eye(n), shape)
    sv = []
    for blocked in (True, False):
        d, f, VL, tL, VR, tR = (xp.to_numpy(r) for r in bidiagonalize(xp.asarray(A), blocked=blocked))
        U, V = _apply(np, VL, tL, I.copy(), 0), _apply(np, VR, tR, I.copy(), 1)
        B = np.zeros(shape)
        B[:, i, i] = d
        B[:, i[:-1], i[1:]] = f
        assert np.abs(np.swapaxes(U, -1, -2) @ U - np.eye(n)).max() <= 20 * n * EPS
        assert np.abs(np.swapaxes(V, -1, -2) @ V - np.eye(n)).max() <= 20 * n * EPS
        assert np.abs(np.swapaxes(U, -1, -2) @ A @ V - B).max() <= 20 * n * EPS * nrm
        sv.append(np.linalg.svd(B, compute_uv=False))
    ref = np.linalg.svd(A, compute_uv=False)
    assert np.abs(sv[0] - ref).max() <= 20 * n * EPS * nrm and np.abs(sv[1] - ref).max() <= 20 * n * EPS * nrm


@pytest.mark.parametrize("shape", [(40, 40), (70, 50)])
def test_divide_and_conquer_agrees_with_bisection_route(rng, shape, monkeypatch):
    """Divide and conquer on T_GK (the fast form) and bisection + inverse iteration (the textbook
    form) give the same singular values and, for distinct σ, the same vectors up to sign."""
    from aimath.linalg import tridiagonal

    A = rng.standard_normal(shape)
    n = min(shape)
    assert tridiagonal._use_dc(np.zeros((1, n, n)))
    U1, s1, Vh1 = svd(A, full_matrices=False)
    monkeypatch.setattr(tridiagonal, "_DC_FROM", 10**9)
    assert not tridiagonal._use_dc(np.zeros((1, n, n)))
    U2, s2, Vh2 = svd(A, full_matrices=False)
    _check(A, U1, s1, Vh1)
    _check(A, U2, s2, Vh2)
    assert np.abs(s1 - s2).max() <= 20 * n * EPS * s1[0]
    assert np.allclose(np.abs(np.sum(U1 * U2, axis=0)), 1, atol=1e-9)
    assert np.allclose(np.abs(np.sum(Vh1 * Vh2, axis=1)), 1, atol=1e-9)


def test_polished_and_qr_completion_paths(rng, monkeypatch):
    """The vectors of T_GK are used directly (Newton–Schulz polished) when nearly orthonormal, and
    the QR route takes over for zero and tiny σ; both meet the residual and orthogonality bounds."""
    from aimath.linalg import bidiagonal

    used = []
    orig = bidiagonal._split_polished

    def spy(xp, Z):
        out = orig(xp, Z)
        used.append(out is not None)
        return out

    monkeypatch.setattr(bidiagonal, "_split_polished", spy)
    cases = [(rng.standard_normal((60, 60)), True),
             (with_singular_values(rng, 60, 60, np.logspace(0, -4, 60)), True),
             (with_singular_values(rng, 60, 60, np.r_[np.ones(30), np.zeros(30)]), False),
             (with_singular_values(rng, 60, 60, np.logspace(0, -15, 60)), False)]
    for A, polished in cases:
        used.clear()
        U, s, Vh = svd(A)
        assert used == [polished]
        _check(A, U, s, Vh)
        sn = np.linalg.svd(A, compute_uv=False)
        assert np.abs(s - sn).max() <= 20 * 60 * EPS * sn[0]


@pytest.mark.parametrize("scale", [1e-200, 1e200])
@pytest.mark.parametrize("shape", [(9, 9), (12, 9), (40, 40), (45, 40)])
def test_tiny_and_huge_scales(rng, scale, shape):
    """σᵢ of 1e-200 or 1e200 matrices: no squares that under/overflow on either route."""
    A = rng.standard_normal(shape) * scale
    U, s, Vh = svd(A, full_matrices=False)
    sn = np.linalg.svd(A, compute_uv=False)
    assert np.abs(s - sn).max() <= 20 * max(shape) * EPS * sn[0]
    assert np.abs((U * s) @ Vh - A).max() <= 20 * max(shape) * EPS * sn[0]
    assert np.abs(U.T @ U - np.eye(shape[1])).max() <= 20 * max(shape) * EPS
