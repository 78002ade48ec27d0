"""The SVD through a bidiagonal matrix: Golub–Kahan bidiagonalisation and the Golub–Kahan
tridiagonal :math:`T_{GK}` of the bidiagonal.

Curriculum: B10. :math:`A = U_b B V_b^\\top` with :math:`B` upper bidiagonal (reflectors from
the left and the right alternately). The symmetric tridiagonal of order :math:`2n` with zero
diagonal and off-diagonal :math:`(d_1, f_1, d_2, f_2, \\dots, d_n)` is a permutation of
:math:`\\begin{pmatrix}0 & B^\\top\\\\ B & 0\\end{pmatrix}`; its eigenvalues are
:math:`\\pm\\sigma_i` and the eigenvector of :math:`+\\sigma_i` interleaves :math:`v_i` and
:math:`u_i`. So the SVD never forms :math:`A^\\top A` (which would square the condition number).
"""

from __future__ import annotations

import numpy as np

from aimath.backend import device, is_torch, namespace
from aimath.linalg._utils import copy, diag, mT, zeros
from aimath.linalg.qr import _larft, _nrm2, _reflector, qr
from aimath.linalg.tridiagonal import _bisect, _dc_batch, _tri_solve, _use_dc

__all__ = ["bidiagonalize", "svd_by_bidiagonal"]

_NB = 32
_QR_FROM = 0  # inverse-iteration step from which the vectors are re-orthonormalised by QR
_INVIT_STEPS = 2  # inverse-iteration steps (2 and 3 give the same worst residual on hard spectra)


def bidiagonalize(A):
    """Golub–Kahan reduction of square ``A`` (B, n, n): ``(d, f, VL, tauL, VR, tauR)``."""
    xp = namespace(A)
    W = copy(xp, A)
    Bn, n = W.shape[0], W.shape[-1]
    VL, tauL = zeros(xp, (Bn, n, n), W), zeros(xp, (Bn, n), W)
    VR, tauR = zeros(xp, (Bn, n, max(n - 1, 0)), W), zeros(xp, (Bn, max(n - 1, 0)), W)
    d, f = zeros(xp, (Bn, n), W), zeros(xp, (Bn, max(n - 1, 0)), W)
    for k in range(n):
        x = W[:, k:, k]
        beta, t, scale = _reflector(xp, x[:, 0], _nrm2(xp, x[:, 1:]))
        v = x * scale[:, None]
        v[:, 0] = 1.0
        VL[:, k:, k], tauL[:, k], d[:, k] = v, t, beta
        if k + 1 < n:
            C = W[:, k:, k + 1 :]
            C -= (t[:, None] * v)[:, :, None] * (v[:, None, :] @ C)
            y = W[:, k, k + 1 :]
            beta, t, scale = _reflector(xp, y[:, 0], _nrm2(xp, y[:, 1:]))
            u = y * scale[:, None]
            u[:, 0] = 1.0
            VR[:, k + 1 :, k], tauR[:, k], f[:, k] = u, t, beta
            C = W[:, k + 1 :, k + 1 :]
            C -= (C @ u[:, :, None]) * (t[:, None] * u)[:, None, :]
    return d, f, VL, tauL, VR, tauR


def _apply(xp, V, tau, Z, offset):
    """Z ← (H₀H₁⋯)Z for reflectors stored in the columns of V, the k-th acting on rows k+offset:."""
    m = V.shape[-1]
    for k0 in reversed(range(0, m, _NB)):
        k1 = min(k0 + _NB, m)
        Vb = V[:, k0 + offset :, k0:k1]
        T = _larft(xp, Vb, tau[:, k0:k1])
        C = Z[:, k0 + offset :, :]
        C -= Vb @ (T @ (mT(Vb) @ C))
    return Z


def _orthonormalise(xp, X):
    Q, R = qr(X)
    one = xp.ones_like(diag(R))
    return Q * xp.where(diag(R) < 0, -one, one)[:, None, :]


def svd_by_bidiagonal(A, vectors=True):
    """SVD of a stack of square matrices (B, n, n): ``(U, s, V)`` with s descending (V, not Vᵀ)."""
    xp = namespace(A)
    Bn, n = A.shape[0], A.shape[-1]
    scale = xp.max(xp.abs(xp.reshape(A, (Bn, -1))), axis=-1)
    scale = xp.where(scale > 0, scale, xp.ones_like(scale))
    d, f, VL, tauL, VR, tauR = bidiagonalize(A / scale[:, None, None])
    e = zeros(xp, (Bn, 2 * n - 1), A)
    e[:, 0::2] = d
    e[:, 1::2] = f
    zero = zeros(xp, (Bn, 2 * n), A)
    dc = _use_dc(A)
    if dc:  # divide and conquer on T_GK: all 2n eigenpairs, keep the n largest (+σ)
        w, Z = _dc_batch(zero, e, top=n)
    else:
        w = _bisect(xp, zero, e, index=np.arange(n, 2 * n))  # the n largest eigenvalues: +σ
    s = xp.maximum(w, xp.zeros_like(w))
    s_desc = xp.flip(s, axis=-1) * scale[:, None]
    if not vectors:
        return None, s_desc, None
    tnorm = 2 * xp.max(xp.abs(e), axis=-1)
    tnorm = xp.where(tnorm > 0, tnorm, xp.ones_like(tnorm))  # a zero matrix
    floor = (np.finfo(np.float32 if "float32" in str(A.dtype) else np.float64).eps * tnorm)[:, None]
    if not dc:
        g = np.random.default_rng(12345).standard_normal((2 * n, n))
        Z = xp.asarray(g, dtype=A.dtype, device=device(A)) if is_torch(A) else g.astype(A.dtype)
        Z = xp.broadcast_to(Z[None], (Bn, 2 * n, n)) * 1.0
        for it in range(_INVIT_STEPS):  # inverse iteration on T_GK, re-orthonormalised by QR
            with np.errstate(all="ignore"):
                Z = _tri_solve(xp, zero, e, w, Z, floor)
            Z = Z / xp.sqrt(xp.sum(Z * Z, axis=1, keepdims=True))
            if it >= _QR_FROM:
                Z = _orthonormalise(xp, Z)
    Z = xp.flip(Z, axis=-1)  # descending σ
    Vz = Z[:, 0::2, :]
    nv = xp.sqrt(xp.sum(Vz * Vz, axis=1, keepdims=True))
    # a zero even part (the vector of a zero σ may come out as (0, u)): QR completes the column
    Vz = _orthonormalise(xp, Vz / xp.where(nv > 0, nv, xp.ones_like(nv)))
    # left vectors from the right ones: B V = U R with R ≈ Σ (QR in descending σ, so columns of
    # tiny or repeated σ are completed orthogonally and paired with the right sign)
    BV = d[:, :, None] * Vz
    BV[:, :-1, :] += f[:, :, None] * Vz[:, 1:, :]
    Uz = _orthonormalise(xp, BV)
    U = _apply(xp, VL, tauL, copy(xp, Uz), 0)
    V = _apply(xp, VR, tauR, copy(xp, Vz), 1)
    return U, s_desc, V
