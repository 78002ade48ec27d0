"""Symmetric eigenproblems through a tridiagonal matrix: Householder tridiagonalisation,
bisection on Sturm counts, inverse iteration, back-transformation.

Curriculum: B9. This is the route LAPACK's ``dsyevx`` takes: :math:`A = QTQ^\\top` with
:math:`T` tridiagonal; the eigenvalues of :math:`T` come from bisection (the number of negative
pivots of :math:`T - xI` counts the eigenvalues below :math:`x`, Sylvester's law of inertia); the
eigenvectors from inverse iteration with the computed eigenvalues as shifts, orthonormalised by
QR; finally :math:`V = QZ`. Everything is vectorised over all eigenvalues and over the batch, so
the Python loops run over the matrix size only. That route serves big stacks of small matrices
(and torch tensors that require grad); one or a few larger matrices go through divide and conquer
(:mod:`aimath.linalg.divide_conquer`, LAPACK's ``dsyevd`` route), whose work is matrix products.
The reduction itself is blocked (``dsytrd``), the textbook form kept as ``blocked=False``; one
small float64 matrix (order up to ``_LANCZOS_MAX``) is reduced by Lanczos with full
reorthogonalisation instead (:mod:`aimath.linalg.lanczos`), which takes fewer NumPy calls per step
and returns :math:`Q` explicitly.
"""

from __future__ import annotations

import math

import numpy as np

from aimath.backend import device, is_torch, namespace
from aimath.linalg._utils import copy, diag, eps, mT, zeros
from aimath.linalg.lanczos import _lanczos
from aimath.linalg.qr import _larft, _nrm2, _reflector, qr

__all__ = ["tridiagonalize", "eigvalsh_tridiagonal", "eigh_by_tridiagonal"]

_NB = 32
_NB_TRD = 32  # panel width of the blocked tridiagonalisation
_QR_FROM = 0  # inverse-iteration step from which the vectors are re-orthonormalised by QR
_INVIT_STEPS = 2  # inverse-iteration steps (2 and 3 give the same worst residual on hard spectra)
_MULTISECTION = 3  # points per interval and bisection step when the arrays are small
_DC_FROM = 16  # divide and conquer from this order on (NumPy arrays), for at most n/16 matrices
_LANCZOS_MAX = 160  # one matrix up to this order: Lanczos tridiagonalisation (faster than Householder's)


def tridiagonalize(A, blocked=True):
    r"""Householder reduction of symmetric ``A`` (B, n, n): ``(d, e, V, tau)`` with A = QTQᵀ.

    ``V[:, k+1:, k]`` holds the k-th reflector (unit first entry), ``Q = H₀H₁⋯H_{n−3}``.

    The blocked form (LAPACK ``dsytrd``/``dlatrd``) reduces a panel of ``nb`` columns with
    level-2 operations while keeping the trailing matrix implicit,
    :math:`A - VW^\top - WV^\top`, and then updates it by one symmetric rank-2nb product;
    ``blocked=False`` is the textbook form, one rank-2 update per column. They give the same
    reflectors up to rounding.
    """
    if blocked and A.shape[-1] > _NB_TRD:
        return _sytrd(A)
    xp = namespace(A)
    W = copy(xp, A)
    Bn, n = W.shape[0], W.shape[-1]
    V = zeros(xp, (Bn, n, max(n - 2, 0)), W)
    tau = zeros(xp, (Bn, max(n - 2, 0)), W)
    e = zeros(xp, (Bn, max(n - 1, 0)), W)
    for k in range(n - 2):
        x = W[:, k + 1 :, k]
        beta, t, scale = _reflector(xp, x[:, 0], _nrm2(xp, x[:, 1:]))
        v = x * scale[:, None]
        v[:, 0] = 1.0
        V[:, k + 1 :, k] = v
        tau[:, k] = t
        e[:, k] = beta
        S = W[:, k + 1 :, k + 1 :]
        p = t[:, None] * (S @ v[:, :, None])[..., 0]
        w = p - (0.5 * t * xp.sum(p * v, axis=-1))[:, None] * v
        S -= xp.stack([v, w], axis=-1) @ xp.stack([w, v], axis=-2)  # the rank-2 update as one product
    if n >= 2:
        e[:, n - 2] = W[:, n - 1, n - 2]
    return copy(xp, diag(W)), e, V, tau


def _sytrd(A, nb=_NB_TRD):
    """Blocked Householder tridiagonalisation (``dsytrd`` with ``dlatrd`` panels), batched; a
    single matrix runs on 2-D arrays (matrix–vector products straight to BLAS)."""
    xp = namespace(A)
    if A.shape[0] == 1:
        return tuple(r[None] for r in _sytrd_one(xp, copy(xp, A[0]), nb))
    return _sytrd_kernel(xp, copy(xp, A), nb)


def _sytrd_one(xp, W, nb):
    """:func:`_sytrd_kernel` for one matrix (n, n): 1-D matrix–vector products, scalar τ, β."""
    n = W.shape[-1]
    m = max(n - 2, 0)
    V = zeros(xp, (n, m), W)
    tau = zeros(xp, (m,), W)
    e = zeros(xp, (max(n - 1, 0),), W)
    for k0 in range(0, m, nb):
        k1 = min(k0 + nb, m)
        X = zeros(xp, (n, 2 * (k1 - k0)), W)
        Y = zeros(xp, (n, 2 * (k1 - k0)), W)
        for j, i in enumerate(range(k0, k1)):
            jj = 2 * j
            if j:
                W[i:, i] -= X[i:, :jj] @ Y[i, :jj]
            x = W[i + 1 :, i]
            beta, t, scale = _reflector_scalar(xp, x)
            v = x * scale
            v[0] = 1.0
            V[i + 1 :, i] = v
            tau[i] = t
            e[i] = beta
            y = W[i + 1 :, i + 1 :] @ v
            if j:
                y -= X[i + 1 :, :jj] @ (v @ Y[i + 1 :, :jj])
            y *= t
            y -= (0.5 * t * float(y @ v)) * v  # w = τ(Av) − ½τ²(vᵀAv)v
            X[i + 1 :, jj] = v
            X[i + 1 :, jj + 1] = y
            Y[i + 1 :, jj] = y
            Y[i + 1 :, jj + 1] = v
        S = W[k1:, k1:]
        S -= X[k1:] @ mT(Y[k1:])
    if n >= 2:
        e[n - 2] = W[n - 1, n - 2]
    return copy(xp, diag(W)), e, V, tau


def _reflector_scalar(xp, x):
    """``dlarfg`` for one vector: (β, τ, scale) as Python floats, overflow-safe (the scaled norm
    only where the plain sum of squares leaves the safe range)."""
    alpha = float(x[0])
    tail = x[1:]
    ss = float(tail @ tail) if tail.shape[0] else 0.0
    if 1e-280 < ss < 1e280:  # no square under- or overflowed: the plain norm
        xnorm = math.sqrt(ss)
    else:
        big = float(xp.max(xp.abs(tail))) if tail.shape[0] else 0.0
        if big == 0.0:
            return alpha, 0.0, 0.0
        u = tail / big
        xnorm = big * math.sqrt(float(u @ u))
    beta = -math.copysign(math.hypot(alpha, xnorm), alpha)
    return beta, (beta - alpha) / beta, 1.0 / (alpha - beta)


def _sytrd_kernel(xp, W, nb):
    """``dsytrd`` on ``W`` (..., n, n) in place; the batch axes may be absent.

    ``X`` holds the panel's reflectors and ``W``-vectors interleaved, ``[v₀, w₀, v₁, w₁, …]``, and
    ``Y`` the same pairs swapped, so that :math:`VW^\top + WV^\top = XY^\top`.
    """
    batch, n = W.shape[:-2], W.shape[-1]
    one = not batch
    m = max(n - 2, 0)
    V = zeros(xp, (*batch, n, m), W)
    tau = zeros(xp, (*batch, m), W)
    e = zeros(xp, (*batch, max(n - 1, 0)), W)
    for k0 in range(0, m, nb):
        k1 = min(k0 + nb, m)
        X = zeros(xp, (*batch, n, 2 * (k1 - k0)), W)
        Y = zeros(xp, (*batch, n, 2 * (k1 - k0)), W)
        for j, i in enumerate(range(k0, k1)):
            jj = 2 * j
            if j:  # bring column i up to date: A − VWᵀ − WVᵀ
                W[..., i:, i] -= (X[..., i:, :jj] @ Y[..., i, :jj, None])[..., 0]
            x = W[..., i + 1 :, i]
            if one:
                beta, t, scale = _reflector_scalar(xp, x)
            else:
                beta, t, scale = _reflector(xp, x[..., 0], _nrm2(xp, x[..., 1:]))
                t, scale = t[..., None], scale[..., None]
            v = x * scale
            v[..., 0] = 1.0
            V[..., i + 1 :, i] = v
            tau[..., i] = t if one else t[..., 0]
            e[..., i] = beta
            vc = v[..., None]
            y = W[..., i + 1 :, i + 1 :] @ vc
            if j:
                y = y - X[..., i + 1 :, :jj] @ (mT(Y[..., i + 1 :, :jj]) @ vc)
            p = t * y[..., 0]
            w = p - (0.5 * t * xp.sum(p * v, axis=-1, keepdims=True)) * v
            X[..., i + 1 :, jj] = v
            X[..., i + 1 :, jj + 1] = w
            Y[..., i + 1 :, jj] = w
            Y[..., i + 1 :, jj + 1] = v
        S = W[..., k1:, k1:]
        S -= X[..., k1:, :] @ mT(Y[..., k1:, :])  # one symmetric rank-2nb product
    if n >= 2:
        e[..., n - 2] = W[..., n - 1, n - 2]
    return copy(xp, diag(W)), e, V, tau


def _apply_q(xp, V, tau, Z):
    """Z ← QZ with Q = H₀⋯H_{n−3} from :func:`tridiagonalize`, blocked (compact WY)."""
    m = V.shape[-1]
    starts = list(range(0, m, _NB))
    for k0 in reversed(starts):
        k1 = min(k0 + _NB, m)
        Vb = V[:, k0 + 1 :, k0:k1]
        T = _larft(xp, Vb, tau[:, k0:k1])
        C = Z[:, k0 + 1 :, :]
        C -= Vb @ (T @ (mT(Vb) @ C))
    return Z


def eigvalsh_tridiagonal(d, e):
    r"""All eigenvalues of symmetric tridiagonal matrices by bisection on Sturm counts, ascending.

    .. math::
        q_1 = d_1 - x, \qquad q_i = d_i - x - e_{i-1}^2/q_{i-1}, \qquad
        \#\{\lambda < x\} = \#\{i : q_i < 0\}

    Parameters
    ----------
    d : array of shape (..., n)
        Diagonal.
    e : array of shape (..., n − 1)
        Off-diagonal.

    Returns
    -------
    array of shape (..., n)

    Curriculum: B9.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(eigvalsh_tridiagonal(np.array([2.0, 2.0]), np.array([1.0])), 12)
    array([1., 3.])
    """
    xp = namespace(d)
    batch, n = d.shape[:-1], d.shape[-1]
    d2 = xp.reshape(d, (-1, n))
    e2 = xp.reshape(e, (-1, max(n - 1, 0)))
    return xp.reshape(_bisect(xp, d2, e2), (*batch, n))


def _bisect(xp, d, e, index=None):
    """Eigenvalues number ``index`` (default all, ascending) of the tridiagonals (d, e) (B, n)."""
    Bn, n = d.shape
    if n == 0:
        return d
    ae = xp.abs(e)
    r = zeros(xp, (Bn, n), d)
    if n > 1:
        r[:, :-1] += ae
        r[:, 1:] += ae
    lo = xp.min(d - r, axis=-1)
    hi = xp.max(d + r, axis=-1)
    span = xp.maximum(hi - lo, xp.max(xp.abs(d), axis=-1) + 1e-300)
    lo = lo - 2 * eps(d) * span - 1e-300
    hi = hi + 2 * eps(d) * span + 1e-300
    # IEEE arithmetic makes the Sturm count robust without pivot guards (Demmel & Li): a zero
    # pivot gives ±inf and the next one is finite again; the floor on e² avoids 0/0.
    ee = xp.maximum(e * e, xp.full_like(e, 1e-300))
    idx = np.arange(n) if index is None else np.asarray(index)
    m = idx.size
    k = xp.asarray(idx.astype(np.float64), dtype=d.dtype, device=device(d))[None, :]
    a = xp.broadcast_to(lo[:, None], (Bn, m)) * 1.0
    b = xp.broadcast_to(hi[:, None], (Bn, m)) * 1.0
    K = _MULTISECTION if Bn * m <= 4096 else 1  # points per interval: multisection when arrays are small
    frac = xp.asarray(np.arange(1, K + 1) / (K + 1.0), dtype=d.dtype, device=device(d))
    iters = int(np.ceil((np.log2(1.0 / eps(d)) + 3) / np.log2(K + 1)))
    dc = d[:, :, None, None]
    ec = ee[:, :, None, None]
    kc = k[:, :, None]
    with np.errstate(all="ignore"):
        for _ in range(iters):
            x = a[:, :, None] + (b - a)[:, :, None] * frac  # (B, m, K)
            q = dc[:, 0] - x
            cnt = xp.astype(q < 0, d.dtype)
            for i in range(1, n):
                q = (dc[:, i] - x) - ec[:, i - 1] / q
                cnt = cnt + xp.astype(q < 0, d.dtype)
            left = cnt <= kc  # fewer than k+1 eigenvalues below x: the k-th lies above
            inf = xp.full_like(x, float("inf"))
            a = xp.maximum(a, xp.max(xp.where(left, x, -inf), axis=-1))
            b = xp.minimum(b, xp.min(xp.where(left, inf, x), axis=-1))
    w = 0.5 * (a + b)
    return xp.where(xp.abs(w) < 1e-280, xp.zeros_like(w), w)  # the ±1e-300 margins of a zero matrix


def _tri_solve(xp, d, e, lam, R, floor):
    """Solve (T − λ_j I) z_j = r_j for every shift at once by Gaussian elimination with partial
    pivoting on the tridiagonal (LAPACK's ``dlagtf``/``dlagts``); tiny pivots are floored."""
    Bn, n, m = R.shape
    U0 = zeros(xp, (Bn, n, m), R)
    U1 = zeros(xp, (Bn, n, m), R)
    U2 = zeros(xp, (Bn, n, m), R)
    Y = zeros(xp, (Bn, n, m), R)
    alpha = d[:, :1] - lam
    beta = xp.broadcast_to(e[:, :1], alpha.shape) * 1.0 if n > 1 else alpha * 0
    rho = R[:, 0, :]
    for i in range(n - 1):
        c = e[:, i : i + 1]
        a1 = d[:, i + 1 : i + 2] - lam
        e1 = e[:, i + 1 : i + 2] if i + 1 < n - 1 else c * 0
        swap = xp.abs(c) > xp.abs(alpha)
        alpha_f = xp.where(xp.abs(alpha) < floor, xp.where(alpha < 0, -floor, floor), alpha)
        c_safe = xp.where(c == 0, floor, c)
        U0[:, i, :] = xp.where(swap, c + 0 * alpha, alpha_f)
        U1[:, i, :] = xp.where(swap, a1, beta)
        U2[:, i, :] = xp.where(swap, e1 + 0 * alpha, 0 * alpha)
        Y[:, i, :] = xp.where(swap, R[:, i + 1, :], rho)
        m_ns = c / alpha_f
        m_sw = alpha / c_safe
        new_alpha = xp.where(swap, beta - m_sw * a1, a1 - m_ns * beta)
        new_beta = xp.where(swap, -m_sw * e1, e1 + 0 * alpha)
        new_rho = xp.where(swap, rho - m_sw * R[:, i + 1, :], R[:, i + 1, :] - m_ns * rho)
        alpha, beta, rho = new_alpha, new_beta, new_rho
    U0[:, n - 1, :] = xp.where(xp.abs(alpha) < floor, xp.where(alpha < 0, -floor, floor), alpha)
    Y[:, n - 1, :] = rho
    Z = zeros(xp, (Bn, n, m), R)
    for i in range(n - 1, -1, -1):
        s = Y[:, i, :]
        if i + 1 < n:
            s = s - U1[:, i, :] * Z[:, i + 1, :]
        if i + 2 < n:
            s = s - U2[:, i, :] * Z[:, i + 2, :]
        Z[:, i, :] = s / U0[:, i, :]
        if i % 16 == 0:  # rescale to keep clear of overflow near repeated eigenvalues
            big = xp.max(xp.abs(Z), axis=1)
            sc = xp.where(big > 1e100, 1 / xp.where(big > 1e100, big, xp.ones_like(big)), xp.ones_like(big))
            Z = Z * sc[:, None, :]
            Y = Y * sc[:, None, :]
    return Z


def _eigvecs_tridiagonal(xp, d, e, w):
    """Eigenvectors of T for the eigenvalues ``w`` by two steps of inverse iteration plus QR."""
    Bn, n = d.shape
    tnorm = xp.max(xp.abs(d), axis=-1) + 2 * (xp.max(xp.abs(e), axis=-1) if n > 1 else 0)
    tnorm = xp.where(tnorm > 0, tnorm, xp.ones_like(tnorm))
    floor = (eps(d) * tnorm)[:, None]
    g = np.random.default_rng(12345).standard_normal((n, n))
    R0 = xp.asarray(g, dtype=d.dtype, device=device(d)) if is_torch(d) else g.astype(d.dtype)
    Z = xp.broadcast_to(R0[None], (Bn, n, n)) * 1.0
    lam = w[:, None, :][:, 0, :]
    for it in range(_INVIT_STEPS):  # inverse iteration, re-orthonormalised by QR (clusters stay apart)
        with np.errstate(all="ignore"):
            Z = _tri_solve(xp, d, e, lam, Z, floor)
        Z = Z / xp.sqrt(xp.sum(Z * Z, axis=1, keepdims=True))
        if it >= _QR_FROM:
            Q, R = qr(Z)
            sg = xp.where(diag(R) < 0, -xp.ones_like(diag(R)), xp.ones_like(diag(R)))
            Z = Q * sg[:, None, :]
    return Z


def eigh_by_tridiagonal(A, vectors=True, select=None):
    """Eigen-decomposition of a stack of symmetric matrices (B, n, n) via the tridiagonal route.

    Returns ascending ``w`` (B, n) and ``V`` (B, n, n) (or None); with ``select=(lo, hi)`` only
    the eigenpairs ``lo..hi`` of the ascending order, ``w`` (B, k) and ``V`` (B, n, k), where divide
    and conquer then forms and back-transforms only those eigenvectors.
    """
    xp = namespace(A)
    scale = xp.max(xp.abs(xp.reshape(A, (A.shape[0], -1))), axis=-1)
    scale = xp.where(scale > 0, scale, xp.ones_like(scale))
    As = A / scale[:, None, None]
    if _use_lanczos(A):  # one small matrix: Q explicit, the eigenvectors one product V = QZ
        d, e, Q = _lanczos(As[0])
        w, Z = _dc_batch(d[None], e[None], select=select)
        return w * scale[:, None], ((Q @ Z[0])[None] if vectors else None)
    d, e, V, tau = tridiagonalize(As)
    if _use_dc(A):
        w, Z = _dc_batch(d, e, select=select)
        if not vectors:
            return w * scale[:, None], None
    else:
        w = _bisect(xp, d, e)
        if not vectors:
            w = w if select is None else w[:, select[0] : select[1] + 1]
            return w * scale[:, None], None
        Z = _eigvecs_tridiagonal(xp, d, e, w)
        if select is not None:
            w, Z = w[:, select[0] : select[1] + 1], Z[..., select[0] : select[1] + 1]
    Z = _apply_q(xp, V, tau, Z)
    return w * scale[:, None], Z


def _use_dc(A):
    """Divide and conquer (one matrix at a time) unless ``A`` is a big stack of small matrices,
    where the batched bisection and inverse iteration are faster, or a torch tensor that
    requires grad (the tridiagonal solve runs in NumPy on the host)."""
    Bn, n = A.shape[0], A.shape[-1]
    if is_torch(A) and A.requires_grad:
        return False
    return n >= _DC_FROM and Bn * _DC_FROM <= n


def _use_lanczos(A):
    """Lanczos with full reorthogonalisation (:mod:`aimath.linalg.lanczos`) instead of Householder
    for one float64 NumPy matrix of order up to ``_LANCZOS_MAX`` on the divide-and-conquer route:
    fewer NumPy calls per step, and no back-transformation by reflectors."""
    n = A.shape[-1]
    return (isinstance(A, np.ndarray) and A.dtype == np.float64 and A.shape[0] == 1
            and n <= _LANCZOS_MAX and _use_dc(A))


def _dc_batch(d, e, top=None, select=None):
    """:func:`~aimath.linalg.divide_conquer.eigh_tridiagonal_dc` on each tridiagonal of a batch (B, n),
    in float64 (only the ``top`` largest eigenpairs, or those numbered ``select = (lo, hi)``, if
    given); the results in ``d``'s dtype and
    device. For torch the O(n) data of (d, e) go to the host and Z comes back, as in MAGMA's
    ``dsyevd_gpu``; the O(n³) reduction and back-transformation stay on the device."""
    from aimath.linalg.divide_conquer import eigh_tridiagonal_dc

    torch_in = is_torch(d)
    dn = d.detach().cpu().double().numpy() if torch_in else d
    en = e.detach().cpu().double().numpy() if torch_in else e
    out = [eigh_tridiagonal_dc(dn[b], en[b], top=top, select=select) for b in range(dn.shape[0])]
    w = np.stack([o[0] for o in out])
    Z = np.stack([o[1] for o in out])
    if torch_in:
        import torch

        return (torch.as_tensor(w, dtype=d.dtype, device=d.device),
                torch.as_tensor(Z, dtype=d.dtype, device=d.device))
    return w.astype(d.dtype), Z.astype(d.dtype)
