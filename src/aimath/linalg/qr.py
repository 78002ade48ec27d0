"""QR factorisation: Householder reflections (blocked, compact WY), Givens rotations.

Curriculum: B6. The default is blocked Householder: each panel of ``nb`` columns is reduced by
plain Householder steps, its reflectors are gathered as :math:`I - VTV^\\top` (compact WY) and
applied to the rest of the matrix by matrix products. :func:`householder_qr_unblocked` is the
textbook one-reflector-at-a-time form, kept beside it and tested equal.
"""

from __future__ import annotations

import math

import numpy as np

from aimath.backend import namespace
from aimath.errors import DomainError, check_array
from aimath.linalg._utils import arange, copy, diag, eye, mT, prepare, tril, triu, zeros

__all__ = ["qr", "householder_vector", "givens_rotation", "householder_qr_unblocked", "givens_qr"]

_NB = 128  # outer panel width of the blocked Householder QR
_NB_INNER = 32  # panel width inside an outer panel
_STACK_MIN_BATCH = 16  # stacks of at least this many matrices of order ≤ _STACK_MAX_N go batch-last
_STACK_MAX_N = 32


def householder_vector(x):
    r"""Householder vector of ``x``: :math:`(I - \tau vv^\top)x = \beta e_1` with :math:`v_1 = 1`.

    .. math::
        \beta = -\operatorname{sign}(x_1)\|x\|_2, \qquad v = \frac{x - \beta e_1}{x_1 - \beta},
        \qquad \tau = \frac{\beta - x_1}{\beta}

    LAPACK's ``dlarfg`` convention: the sign of :math:`\beta` is chosen opposite to
    :math:`x_1` so that :math:`x_1 - \beta` does not cancel; when :math:`x_{2:} = 0` then
    :math:`\tau = 0` (no reflection).

    Parameters
    ----------
    x : array of shape (..., n), n ≥ 1

    Returns
    -------
    v : array of shape (..., n)
    tau : array of shape (...)
    beta : array of shape (...)

    Raises
    ------
    ShapeError, DomainError
        Empty or non-finite ``x``.

    Curriculum: B6.

    Examples
    --------
    >>> import numpy as np
    >>> v, tau, beta = householder_vector(np.array([3.0, 4.0]))
    >>> float(beta), bool(np.allclose((np.eye(2) - tau * np.outer(v, v)) @ [3.0, 4.0], [beta, 0]))
    (-5.0, True)
    """
    xp = namespace(x)
    check_array(x, "x", min_ndim=1, nonempty=True)
    from aimath.linalg._utils import as_float

    x = as_float(xp, x)
    alpha = x[..., 0]
    xn = _nrm2(xp, x[..., 1:])
    beta, tau, scale = _reflector(xp, alpha, xn)
    v = copy(xp, x)
    v[..., 1:] *= scale[..., None]
    v[..., 0] = 1.0
    return v, tau, beta


def _nrm2(xp, x):
    """Overflow-safe 2-norm along the last axis."""
    if x.shape[-1] == 0:
        return xp.sum(x, axis=-1) * 0
    s = xp.max(xp.abs(x), axis=-1)
    safe = xp.where(s > 0, s, xp.ones_like(s))
    return s * xp.sqrt(xp.sum((x / safe[..., None]) ** 2, axis=-1))


def _reflector(xp, alpha, xnorm):
    """β, τ and the scale 1/(α − β) of dlarfg, vectorised; τ = 0 when the tail is zero."""
    r = xp.hypot(alpha, xnorm)
    beta = xp.where(alpha >= 0, -r, r)
    zero = xnorm == 0
    one = xp.ones_like(r)
    beta = xp.where(zero, alpha, beta)
    safe_beta = xp.where(zero, one, beta)
    tau = xp.where(zero, 0 * one, (beta - alpha) / safe_beta)
    denom = xp.where(zero, one, alpha - beta)
    scale = xp.where(zero, 0 * one, 1 / denom)
    return beta, tau, scale


def _panel_single(P, tau):
    """:func:`_panel` for one NumPy matrix: on a contiguous transposed copy (the panel's columns
    become rows, so every step runs over contiguous memory), with the reflector's scalars in
    Python floats."""
    T = np.ascontiguousarray(P.T)
    nb, m = T.shape
    fi = np.finfo(T.dtype)
    for j in range(min(m, nb)):
        x = T[j, j + 1 :]
        alpha = float(T[j, j])
        with np.errstate(over="ignore"):  # an overflowed sum of squares is caught just below
            ss = float(x @ x) if x.size else 0.0
        if fi.tiny / fi.eps < ss < fi.max / 4:
            xn = math.sqrt(ss)
        else:  # zero, or the squares may have under/overflowed: rescale as dnrm2 does
            sc = float(np.abs(x).max()) if x.size else 0.0
            xn = sc * math.sqrt(float((x / sc) @ (x / sc))) if sc > 0 else 0.0
        if xn == 0.0:
            beta, t, scale = alpha, 0.0, 0.0
        else:
            r = math.hypot(alpha, xn)
            beta = -r if alpha >= 0 else r
            t, scale = (beta - alpha) / beta, 1.0 / (alpha - beta)
        x *= scale
        T[j, j] = beta
        tau[j] = t
        if j + 1 < nb:
            C = T[j + 1 :, j:]
            w = C[:, 0] + C[:, 1:] @ x  # w = vᵀ P[j:, j+1:] with v = (1, x)
            w *= t
            C[:, 0] -= w
            C[:, 1:] -= np.multiply.outer(w, x)
    P[...] = T.T


def _panel(P, tau):
    """Unblocked Householder QR of the panel ``P`` (..., m, nb) in place; ``tau`` (..., nb) out."""
    if P.ndim == 2 and isinstance(P, np.ndarray):
        return _panel_single(P, tau)
    xp = namespace(P)
    m, nb = P.shape[-2:]
    for j in range(min(m, nb)):
        alpha = P[..., j, j]
        tail = P[..., j + 1 :, j]
        beta, t, scale = _reflector(xp, alpha, _nrm2(xp, tail))
        tail *= scale[..., None]
        P[..., j, j] = beta
        tau[..., j] = t
        if j + 1 < nb:
            # w = vᵀ P[j:, j+1:] with v = (1, tail)
            w = P[..., j, j + 1 :] + (tail[..., None, :] @ P[..., j + 1 :, j + 1 :])[..., 0, :]
            tw = t[..., None] * w
            P[..., j, j + 1 :] -= tw
            P[..., j + 1 :, j + 1 :] -= tail[..., :, None] * tw[..., None, :]


def _larft(xp, V, tau):
    """Upper-triangular ``T`` with :math:`H_1\\cdots H_k = I - VTV^\\top` (forward, columnwise)."""
    k = V.shape[-1]
    G = mT(V) @ V
    T = zeros(xp, (*V.shape[:-2], k, k), V)
    for j in range(k):
        T[..., j, j] = tau[..., j]
        if j:
            T[..., :j, j] = -tau[..., j, None] * (T[..., :j, :j] @ G[..., :j, j, None])[..., 0]
    return T


def _unit_lower(xp, P):
    """The reflectors stored below the diagonal of the panel ``P``, with their unit first entry."""
    nb = P.shape[-1]
    V = tril(xp, P, -1)
    i = arange(xp, min(nb, P.shape[-2]), P)
    V[..., i, i] = 1.0
    return V


def _geqrf(xp, W, nb=_NB):
    """Blocked Householder QR of ``W`` (..., m, n) in place; returns the WY blocks.

    Two levels: panels of ``nb`` columns are themselves reduced by this blocked algorithm with
    panels of ``_NB_INNER`` columns, so the trailing matrix is swept only every ``nb`` columns.
    """
    m, n = W.shape[-2:]
    k = min(m, n)
    tau = zeros(xp, (*W.shape[:-2], k), W)
    blocks = []
    for j0 in range(0, k, nb):
        j1 = min(j0 + nb, k)
        if j1 - j0 > _NB_INNER:
            tau[..., j0:j1] = _geqrf(xp, W[..., j0:, j0:j1], _NB_INNER)[0]
        else:
            _panel(W[..., j0:, j0:j1], tau[..., j0:j1])
        V = _unit_lower(xp, W[..., j0:, j0:j1])
        T = _larft(xp, V, tau[..., j0:j1])
        blocks.append((j0, V, T))
        if j1 < n:
            C = W[..., j0:, j1:]
            C -= V @ (mT(T) @ (mT(V) @ C))
    return tau, blocks


def _form_q(xp, W, blocks, ncols):
    """Accumulate Q = H₁⋯H_k applied to the first ``ncols`` columns of the identity."""
    m = W.shape[-2]
    Q = copy(xp, eye(xp, m, W, W.shape[:-2], ncols=ncols))  # only the columns kept: m × ncols, not m × m
    for j0, V, T in reversed(blocks):
        C = Q[..., j0:, j0:]
        C -= V @ (T @ (mT(V) @ C))
    return Q


def _norm_axis0(T):
    """2-norm over axis 0 of ``T`` (r, B); columns whose sum of squares could have overflowed or
    underflowed are recomputed with rescaling (as ``dnrm2``)."""
    if T.shape[0] == 0:
        return np.zeros(T.shape[1:], T.dtype)
    ss = np.einsum("ib,ib->b", T, T)
    fi = np.finfo(T.dtype)
    bad = ~((ss < fi.max / 4) & (ss > fi.tiny / fi.eps))
    out = np.sqrt(ss)
    if bad.any():
        idx = np.flatnonzero(bad)
        U = T[:, idx]
        s = np.abs(U).max(axis=0)
        U = U / np.where(s > 0, s, 1)
        out[idx] = s * np.sqrt(np.einsum("ib,ib->b", U, U))
    return out


def _apply_last(v, tau, C):
    """``C`` (r, c, B) ← (I − τ uuᵀ) C with u = (1, v), ``v`` (r − 1, B): batch on the last axis."""
    w = C[0] + np.einsum("ib,ijb->jb", v, C[1:])
    w *= tau
    C[0] -= w
    C[1:] -= v[:, None, :] * w[None, :, :]


def _qr_stack_small(A, mode):
    r"""Householder QR of a stack ``A`` (B, m, n) of small NumPy matrices, batch axis last.

    The stack is transposed once to (m, n, B), so each Householder step is a handful of
    elementwise operations on contiguous length-B vectors (no per-matrix products of tiny
    sizes), reflecting column :math:`j` and updating the columns right of it; ``Q`` is then
    accumulated backwards, :math:`Q = H_1(H_2(\cdots H_k I))`, touching only ``Q[j:, j:]``.
    Same reflectors (LAPACK's ``dlarfg`` signs) as :func:`_geqrf`, so the same ``Q`` and ``R``.
    """
    Bn, m, n = A.shape
    k = min(m, n)
    X = np.ascontiguousarray(np.moveaxis(A, 0, -1))
    taus = np.zeros((k, Bn), X.dtype)
    for j in range(min(k, m - 1)):
        tail = X[j + 1 :, j]
        beta, tau, scale = _reflector(np, X[j, j], _norm_axis0(tail))
        tail *= scale
        X[j, j] = beta
        taus[j] = tau
        if j + 1 < n:
            _apply_last(tail, tau, X[j:, j + 1 :])
    nq = m if mode == "complete" else k
    Q = None
    if mode != "r":
        Q = np.zeros((m, nq, Bn), X.dtype)
        for i in range(nq):
            Q[i, i] = 1
        for j in reversed(range(min(k, m - 1))):
            _apply_last(X[j + 1 :, j], taus[j], Q[j:, j:])
    rows = m if mode == "complete" else k
    R = X[:rows]
    for j in range(min(n, rows)):
        R[j + 1 :, j] = 0
    R = np.ascontiguousarray(np.moveaxis(R, -1, 0))
    if mode == "r":
        return R
    return np.ascontiguousarray(np.moveaxis(Q, -1, 0)), R


def householder_qr_unblocked(A):
    r"""Textbook Householder QR of one matrix, one reflector at a time: ``(Q, R)`` complete.

    For :math:`k = 1, \dots, \min(m, n)`: reflect column :math:`k` below the diagonal onto
    :math:`\beta e_1`, apply :math:`H_k = I - \tau_k v_k v_k^\top` to the remaining columns, and
    accumulate :math:`Q = H_1 H_2 \cdots H_k`.

    Curriculum: B6.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[3.0, 1.0], [4.0, 2.0]])
    >>> Q, R = householder_qr_unblocked(A)
    >>> bool(np.allclose(Q @ R, A)), bool(np.allclose(Q.T @ Q, np.eye(2)))
    (True, True)
    """
    R = np.array(A, dtype=float)
    m, n = R.shape
    Q = np.eye(m)
    for k in range(min(m, n)):
        if k == m - 1:
            break
        v, tau, _ = householder_vector(R[k:, k])
        R[k:, :] -= tau * np.outer(v, v @ R[k:, :])
        Q[:, k:] -= tau * np.outer(Q[:, k:] @ v, v)
    return Q, np.triu(R)


def givens_rotation(a, b):
    r"""Givens rotation :math:`(c, s, r)` with :math:`\begin{pmatrix}c & s\\-s & c\end{pmatrix}
    \begin{pmatrix}a\\b\end{pmatrix} = \begin{pmatrix}r\\0\end{pmatrix}`.

    .. math::
        r = \sqrt{a^2 + b^2}, \qquad c = a/r, \qquad s = b/r

    computed with ``hypot`` (no overflow); ``(a, b) = (0, 0)`` gives the identity. Elementwise
    over arrays.

    Curriculum: B6.

    Examples
    --------
    >>> c, s, r = givens_rotation(3.0, 4.0)
    >>> float(c), float(s), float(r)
    (0.6, 0.8, 5.0)
    """
    xp = namespace(a, b)
    a = xp.asarray(a, dtype=xp.float64) if not hasattr(a, "dtype") else a
    b = xp.asarray(b, dtype=a.dtype) if not hasattr(b, "dtype") else b
    if not bool(xp.all(xp.isfinite(a))) or not bool(xp.all(xp.isfinite(b))):
        raise DomainError("a and b must be finite")
    r = xp.hypot(a, b)
    safe = xp.where(r == 0, xp.ones_like(r), r)
    c = xp.where(r == 0, xp.ones_like(r), a / safe)
    s = xp.where(r == 0, xp.zeros_like(r), b / safe)
    return c, s, r


def givens_qr(A):
    r"""QR by Givens rotations (one matrix): zero the subdiagonal bottom-up, column by column.

    Each rotation acts on two adjacent rows, which makes Givens the method of choice for sparse
    and Hessenberg matrices. Returns ``(Q, R)`` complete.

    Curriculum: B6.

    Examples
    --------
    >>> import numpy as np
    >>> Q, R = givens_qr(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    >>> bool(np.allclose(Q @ R, [[1, 2], [3, 4], [5, 6]])), bool(abs(R[2, 1]) < 1e-14)
    (True, True)
    """
    R = np.array(A, dtype=float)
    m, n = R.shape
    Q = np.eye(m)
    for j in range(min(n, m - 1)):
        for i in range(m - 1, j, -1):
            c, s, r = (float(t) for t in givens_rotation(R[i - 1, j], R[i, j]))
            G = np.array([[c, s], [-s, c]])
            R[[i - 1, i], j:] = G @ R[[i - 1, i], j:]
            Q[:, [i - 1, i]] = Q[:, [i - 1, i]] @ G.T
            R[i, j] = 0.0
    return Q, R


def qr(a, mode="reduced", *, method="householder", block_size=None):
    r"""QR factorisation :math:`A = QR`, NumPy's ``numpy.linalg.qr`` conventions, batched.

    .. math::
        A = QR, \qquad Q^\top Q = I, \qquad R \text{ upper triangular (trapezoidal)}

    Parameters
    ----------
    a : array of shape (..., m, n)
    mode : {'reduced', 'complete', 'r'}
        ``reduced``: Q (m, k), R (k, n) with k = min(m, n); ``complete``: Q (m, m), R (m, n);
        ``r``: R (k, n) only.
    method : {'householder', 'givens', 'gram_schmidt'}
        Blocked Householder (default, batched, fast); Givens rotations and modified Gram–Schmidt
        (loops, for teaching; Gram–Schmidt needs full column rank and ``mode='reduced'``).
    block_size : int, optional
        Panel width of the blocked Householder (default 128 with 32-column inner panels; 1 gives
        the unblocked algorithm). Left at None, a NumPy stack of at least 16 matrices of order
        ≤ 32 is factored batch-axis-last, one reflector at a time over the whole stack
        (:func:`_qr_stack_small`); giving ``block_size`` forces the blocked form.

    Returns
    -------
    Q, R : arrays (or R alone for ``mode='r'``)

    Raises
    ------
    ShapeError
        ``a`` is not a (stack of) matrices.
    DomainError
        NaN/inf entries.
    ValueError
        Unknown ``mode`` or ``method``.

    Curriculum: B6.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    >>> Q, R = qr(A)
    >>> Q.shape, R.shape, bool(np.allclose(Q @ R, A))
    ((3, 2), (2, 2), True)
    """
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    xp, a = prepare(a, "a")
    m, n = a.shape[-2:]
    k = min(m, n)
    if method in ("givens", "gram_schmidt"):
        return _qr_loop(xp, a, mode, method)
    if method != "householder":
        raise ValueError(f"method must be 'householder', 'givens' or 'gram_schmidt', got {method!r}")
    batch = a.shape[:-2]
    if len(batch) and math.prod(batch) == 1:  # one matrix: 2-D products are faster than stacked ones
        out = qr(xp.reshape(a, (m, n)), mode, method=method, block_size=block_size)
        return xp.reshape(out, (*batch, *out.shape)) if mode == "r" else tuple(
            xp.reshape(t, (*batch, *t.shape)) for t in out)
    if (isinstance(a, np.ndarray) and len(batch) and math.prod(batch) >= _STACK_MIN_BATCH
            and max(m, n) <= _STACK_MAX_N and k and block_size is None):
        out = _qr_stack_small(a.reshape(-1, m, n), mode)
        return out.reshape(*batch, *out.shape[1:]) if mode == "r" else tuple(
            t.reshape(*batch, *t.shape[1:]) for t in out)
    W = copy(xp, a)
    nb = block_size or _NB
    if min(m, n) == 0:
        tau, blocks = None, []
    else:
        tau, blocks = _geqrf(xp, W, nb)
    if mode == "r":
        return triu(xp, W[..., :k, :])
    if mode == "complete":
        return _form_q(xp, W, blocks, m), triu(xp, W)
    return _form_q(xp, W, blocks, k), triu(xp, W[..., :k, :])


def _qr_loop(xp, a, mode, method):
    from aimath.backend import asarray, to_numpy

    A = to_numpy(a)
    batch, (m, n) = A.shape[:-2], A.shape[-2:]
    k = min(m, n)
    flat = A.reshape(-1, m, n)
    Qs, Rs = [], []
    for M in flat:
        if method == "givens":
            Q, R = givens_qr(M)
            if mode != "complete":
                Q, R = Q[:, :k], R[:k]
        else:
            if mode == "complete" and m > n:
                raise ValueError("method='gram_schmidt' gives only the reduced QR")
            from aimath.linalg.gram_schmidt import gram_schmidt

            Q, R = gram_schmidt(M, method="modified")
        Qs.append(Q)
        Rs.append(R)
    Q = np.stack(Qs).reshape(*batch, *Qs[0].shape) if Qs else np.zeros((*batch, m, k))
    R = np.stack(Rs).reshape(*batch, *Rs[0].shape) if Rs else np.zeros((*batch, k, n))
    Q, R = asarray(Q.astype(A.dtype), like=a), asarray(R.astype(A.dtype), like=a)
    return R if mode == "r" else (Q, R)


_ = (math, diag)
