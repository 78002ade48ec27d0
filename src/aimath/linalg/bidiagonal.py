"""The SVD through a bidiagonal matrix: Golub–Kahan bidiagonalisation and the Golub–Kahan
tridiagonal :math:`T_{GK}` of the bidiagonal.

Curriculum: B10. :math:`A = U_b B V_b^\\top` with :math:`B` upper bidiagonal (reflectors from
the left and the right alternately). The symmetric tridiagonal of order :math:`2n` with zero
diagonal and off-diagonal :math:`(d_1, f_1, d_2, f_2, \\dots, d_n)` is a permutation of
:math:`\\begin{pmatrix}0 & B^\\top\\\\ B & 0\\end{pmatrix}`; its eigenvalues are
:math:`\\pm\\sigma_i` and the eigenvector of :math:`+\\sigma_i` interleaves :math:`v_i` and
:math:`u_i`. So the SVD never forms :math:`A^\\top A` (which would square the condition number).
The :math:`n` largest eigenpairs of :math:`T_{GK}` come from divide and conquer
(:mod:`aimath.linalg.divide_conquer`; bisection and inverse iteration for big stacks and grad tensors);
:math:`V` and :math:`U` are :math:`\\sqrt2` times their even and odd parts, polished by one
Newton–Schulz step; when tiny or zero :math:`\\sigma` (whose :math:`\\pm\\sigma` pairs mix) leave
them too far from orthonormal, :math:`V` is the orthonormalised even part and :math:`U` the
orthonormalised :math:`BV` (QR completes the columns of zero :math:`\\sigma`).
The reduction is blocked (``dgebrd``), the textbook form kept as ``blocked=False``.
"""

from __future__ import annotations

import numpy as np

from aimath.backend import device, is_torch, namespace
from aimath.linalg._utils import copy, diag, eps, mT, zeros
from aimath.linalg.qr import _larft, _nrm2, _reflector, qr
from aimath.linalg.tridiagonal import _bisect, _dc_batch, _reflector_scalar, _tri_solve, _use_dc

__all__ = ["bidiagonalize", "svd_by_bidiagonal"]

_NB = 32
_NB_BRD = 32  # panel width of the blocked bidiagonalisation
_QR_FROM = 0  # inverse-iteration step from which the vectors are re-orthonormalised by QR
_INVIT_STEPS = 2  # inverse-iteration steps (2 and 3 give the same worst residual on hard spectra)


def bidiagonalize(A, blocked=True):
    r"""Golub–Kahan reduction of square ``A`` (B, n, n): ``(d, f, VL, tauL, VR, tauR)``.

    The blocked form (LAPACK ``dgebrd`` with ``dlabrd`` panels) keeps the trailing matrix
    implicit, :math:`A - UY^\top - XV^\top`, while it reduces a panel of ``nb`` columns and rows
    with matrix–vector products, then updates it by one product of rank 2nb; ``blocked=False`` is
    the textbook form, two rank-one updates per step.
    """
    if blocked and A.shape[-1] > _NB_BRD:
        xp = namespace(A)
        if A.shape[0] == 1:
            return tuple(r[None] for r in _gebrd_one(xp, copy(xp, A[0]), _NB_BRD))
        return _gebrd(xp, copy(xp, A), _NB_BRD)
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


def _gebrd(xp, W, nb):
    """``dgebrd``/``dlabrd`` on square ``W`` (..., n, n) in place; the batch axes may be absent.

    ``L = [u₀, x₀, u₁, x₁, …]`` and ``R = [y₀, v₀, y₁, v₁, …]`` so that
    :math:`UY^\top + XV^\top = LR^\top`.
    """
    batch, n = W.shape[:-2], W.shape[-1]
    one = not batch
    VL, tauL = zeros(xp, (*batch, n, n), W), zeros(xp, (*batch, n), W)
    VR, tauR = zeros(xp, (*batch, n, max(n - 1, 0)), W), zeros(xp, (*batch, max(n - 1, 0)), W)
    d, f = zeros(xp, (*batch, n), W), zeros(xp, (*batch, max(n - 1, 0)), W)

    def reflect(x):
        if one:
            beta, t, scale = _reflector_scalar(xp, x)
            v = x * scale
        else:
            beta, t, scale = _reflector(xp, x[..., 0], _nrm2(xp, x[..., 1:]))
            v = x * scale[..., None]
        v[..., 0] = 1.0
        return beta, t, v

    def col(v):
        return v[..., None]

    for k0 in range(0, n, nb):
        k1 = min(k0 + nb, n)
        L = zeros(xp, (*batch, n, 2 * (k1 - k0)), W)
        R = zeros(xp, (*batch, n, 2 * (k1 - k0)), W)
        for j, i in enumerate(range(k0, k1)):
            jj = 2 * j
            if j:  # column i of A − LRᵀ
                W[..., i:, i] -= (L[..., i:, :jj] @ R[..., i, :jj, None])[..., 0]
            beta, t, u = reflect(W[..., i:, i])
            VL[..., i:, i], tauL[..., i], d[..., i] = u, t, beta
            if i + 1 >= n:
                break
            tq = t if one else t[..., None]
            y = mT(W[..., i:, i + 1 :]) @ col(u)
            if j:
                y = y - R[..., i + 1 :, :jj] @ (mT(L[..., i:, :jj]) @ col(u))
            L[..., i:, jj] = u
            R[..., i + 1 :, jj] = tq * y[..., 0]
            # row i of A − LRᵀ (with the new pair u, y)
            W[..., i, i + 1 :] -= (R[..., i + 1 :, : jj + 1] @ L[..., i, : jj + 1, None])[..., 0]
            beta, t, v = reflect(W[..., i, i + 1 :])
            VR[..., i + 1 :, i], tauR[..., i], f[..., i] = v, t, beta
            tp = t if one else t[..., None]
            x = W[..., i + 1 :, i + 1 :] @ col(v) - L[..., i + 1 :, : jj + 1] @ (mT(R[..., i + 1 :, : jj + 1]) @ col(v))
            L[..., i + 1 :, jj + 1] = tp * x[..., 0]
            R[..., i + 1 :, jj + 1] = v
        if k1 < n:
            S = W[..., k1:, k1:]
            S -= L[..., k1:, :] @ mT(R[..., k1:, :])  # one product of rank 2nb
    return d, f, VL, tauL, VR, tauR


def _gebrd_one(xp, W, nb):
    """:func:`_gebrd` for one matrix (n, n): 1-D matrix–vector products, scalar τ, β."""
    n = W.shape[-1]
    VL, tauL = zeros(xp, (n, n), W), zeros(xp, (n,), W)
    VR, tauR = zeros(xp, (n, max(n - 1, 0)), W), zeros(xp, (max(n - 1, 0),), W)
    d, f = zeros(xp, (n,), W), zeros(xp, (max(n - 1, 0),), W)
    for k0 in range(0, n, nb):
        k1 = min(k0 + nb, n)
        L = zeros(xp, (n, 2 * (k1 - k0)), W)
        R = zeros(xp, (n, 2 * (k1 - k0)), W)
        for j, i in enumerate(range(k0, k1)):
            jj = 2 * j
            if j:  # column i of A − LRᵀ
                W[i:, i] -= L[i:, :jj] @ R[i, :jj]
            x = W[i:, i]
            beta, t, scale = _reflector_scalar(xp, x)
            u = x * scale
            u[0] = 1.0
            VL[i:, i], tauL[i], d[i] = u, t, beta
            if i + 1 >= n:
                break
            y = u @ W[i:, i + 1 :]
            if j:
                y -= R[i + 1 :, :jj] @ (u @ L[i:, :jj])
            L[i:, jj] = u
            R[i + 1 :, jj] = t * y
            W[i, i + 1 :] -= R[i + 1 :, : jj + 1] @ L[i, : jj + 1]  # row i of A − LRᵀ
            x = W[i, i + 1 :]
            beta, t, scale = _reflector_scalar(xp, x)
            v = x * scale
            v[0] = 1.0
            VR[i + 1 :, i], tauR[i], f[i] = v, t, beta
            z = W[i + 1 :, i + 1 :] @ v - L[i + 1 :, : jj + 1] @ (v @ R[i + 1 :, : jj + 1])
            L[i + 1 :, jj + 1] = t * z
            R[i + 1 :, jj + 1] = v
        if k1 < n:
            S = W[k1:, k1:]
            S -= L[k1:] @ mT(R[k1:])
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


def _split_polished(xp, Z):
    r"""``(U, V)`` straight from the eigenvectors of :math:`T_{GK}`: :math:`\sqrt2` times the odd
    and the even rows, polished by one Newton–Schulz step :math:`X \leftarrow X(3I - X^\top X)/2`,
    or None when they are too far from orthonormal for that (tiny or zero :math:`\sigma`, whose
    :math:`\pm\sigma` pairs mix), where the QR route takes over.

    Their departure :math:`G = X^\top X - I` comes from pairs with small :math:`\sigma_i + \sigma_j`,
    :math:`|G_{ij}| \lesssim \varepsilon\|B\|/(\sigma_i + \sigma_j)`; the step leaves
    :math:`O(\|G\|^2)` and moves :math:`BV - U\Sigma` by :math:`U(\Sigma G_V - G_U\Sigma)/2`, whose
    entries :math:`\approx G_{V,ij}(\sigma_i + \sigma_j) = O(\varepsilon\|B\|)` since
    :math:`G_U \approx -G_V` (the columns of Z are orthogonal).
    """
    n = Z.shape[-1]
    V = Z[:, 0::2, :] * np.sqrt(2.0)
    U = Z[:, 1::2, :] * np.sqrt(2.0)
    I = xp.eye(n, dtype=Z.dtype, device=device(Z))
    GV = mT(V) @ V - I
    GU = mT(U) @ U - I
    g = max(float(xp.max(xp.abs(GV))), float(xp.max(xp.abs(GU))))
    if not g <= np.sqrt(eps(Z)) / 8:
        return None
    return U - 0.5 * (U @ GU), V - 0.5 * (V @ GV)


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
    if dc:
        UV = _split_polished(xp, Z)
        if UV is not None:
            Uz, Vz = UV
            return _apply(xp, VL, tauL, Uz, 0), s_desc, _apply(xp, VR, tauR, Vz, 1)
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
