"""Eigenvalues of general real matrices: Hessenberg reduction plus Francis double-shift QR.

Curriculum: B8. Eigenvectors come from inverse iteration on :math:`A - \\lambda I` (complex
arithmetic for complex :math:`\\lambda`), as LAPACK's ``hsein`` does.
"""

from __future__ import annotations

import math

import numpy as np

from aimath.backend import asarray, is_torch, to_numpy
from aimath.errors import ConvergenceError
from aimath.linalg._utils import prepare
from aimath.linalg.hessenberg import hessenberg
from aimath.linalg.qr import householder_vector

__all__ = ["eig", "eigvals", "qr_algorithm_unshifted"]


def qr_algorithm_unshifted(A, n_iter=500):
    r"""The plain QR algorithm :math:`A_{k+1} = R_kQ_k` (textbook form, one matrix).

    .. math::
        A_k = Q_kR_k, \qquad A_{k+1} = R_kQ_k = Q_k^\top A_k Q_k

    For real eigenvalues of distinct moduli :math:`A_k` tends to upper triangular, the
    subdiagonal entry :math:`(i+1, i)` shrinking like :math:`|\lambda_{i+1}/\lambda_i|^k`.
    Returns the iterate; the shifted Hessenberg version in :func:`eig` is the practical one.

    Curriculum: B8.

    Examples
    --------
    >>> import numpy as np
    >>> T = qr_algorithm_unshifted(np.array([[2.0, 1.0], [1.0, 3.0]]), 100)
    >>> np.round(np.diag(T), 8)
    array([3.61803399, 1.38196601])
    """
    from aimath.linalg.qr import qr

    T = np.array(A, dtype=float)
    for _ in range(n_iter):
        Q, R = qr(T)
        T = R @ Q
    return T


def _two_by_two(a, b, c, d):
    """Eigenvalues of [[a, b], [c, d]] (complex pair when the discriminant is negative)."""
    p = 0.5 * (a - d)
    disc = p * p + b * c
    mid = 0.5 * (a + d)
    if disc >= 0:
        r = math.sqrt(disc)
        big = mid + math.copysign(r, mid) if mid != 0 else r
        small = (a * d - b * c) / big if big != 0 else mid - r
        return big, small
    r = math.sqrt(-disc)
    return complex(mid, r), complex(mid, -r)


def _francis_step(H, l, q, exceptional):
    """One implicit double-shift QR step on the active block H[l:q, l:q] (in place)."""
    m = q - l
    B = H[l:q, l:q]
    if exceptional:
        s_ = abs(B[m - 1, m - 2]) + abs(B[m - 2, m - 3])
        s, t = 1.5 * s_, s_ * s_
    else:
        s = B[m - 2, m - 2] + B[m - 1, m - 1]
        t = B[m - 2, m - 2] * B[m - 1, m - 1] - B[m - 2, m - 1] * B[m - 1, m - 2]
    x = B[0, 0] * B[0, 0] + B[0, 1] * B[1, 0] - s * B[0, 0] + t
    y = B[1, 0] * (B[0, 0] + B[1, 1] - s)
    z = B[1, 0] * B[2, 1]
    for k in range(m - 2):
        v, tau, _ = householder_vector(np.array([x, y, z]))
        r = max(0, k - 1)
        B[k : k + 3, r:] -= tau * np.outer(v, v @ B[k : k + 3, r:])
        rr = min(k + 4, m)
        B[:rr, k : k + 3] -= tau * np.outer(B[:rr, k : k + 3] @ v, v)
        x = B[k + 1, k]
        y = B[k + 2, k]
        if k < m - 3:
            z = B[k + 3, k]
    v, tau, _ = householder_vector(np.array([x, y]))
    B[m - 2 :, m - 3 :] -= tau * np.outer(v, v @ B[m - 2 :, m - 3 :])
    B[:, m - 2 :] -= tau * np.outer(B[:, m - 2 :] @ v, v)


def _eigvals_one(A):
    n = A.shape[0]
    H = hessenberg(A)
    w = np.zeros(n, dtype=complex)
    eps = np.finfo(float).eps
    q, its, total = n, 0, 0
    while q > 0:
        for k in range(q - 1, 0, -1):
            if abs(H[k, k - 1]) <= eps * (abs(H[k, k]) + abs(H[k - 1, k - 1])):
                H[k, k - 1] = 0.0
        l = q - 1
        while l > 0 and H[l, l - 1] != 0:
            l -= 1
        size = q - l
        if size == 1:
            w[q - 1] = H[q - 1, q - 1]
            q, its = q - 1, 0
        elif size == 2:
            w[q - 2], w[q - 1] = _two_by_two(H[q - 2, q - 2], H[q - 2, q - 1], H[q - 1, q - 2], H[q - 1, q - 1])
            q, its = q - 2, 0
        else:
            its += 1
            total += 1
            if total > 30 * n:
                raise ConvergenceError("the QR algorithm did not converge", iterate=H)
            _francis_step(H, l, q, exceptional=its % 11 == 10)
    return w


def _eigvec(A, lam, rng):
    """Unit eigenvector for the eigenvalue ``lam`` by two steps of inverse iteration."""
    from aimath.linalg.lu import _factor, _solve_factored

    n = A.shape[0]
    dt = complex if isinstance(lam, complex) or np.iscomplexobj(lam) else float
    scale = max(np.abs(A).sum(axis=0).max(), 1e-300)
    M = A.astype(dt) - (lam + 1e3 * np.finfo(float).eps * scale) * np.eye(n)
    W, perm, _ = _factor(M)
    d = np.diagonal(W).copy()
    d[d == 0] = np.finfo(float).eps * scale
    np.fill_diagonal(W, d)
    x = rng.standard_normal(n).astype(dt)
    for _ in range(3):
        with np.errstate(all="ignore"):
            x = _solve_factored(np, W, perm, x[:, None])[:, 0]
        x = x / math.sqrt(float(np.sum(np.abs(x) ** 2)))
    j = int(np.argmax(np.abs(x)))
    return x * (abs(x[j]) / x[j]) if dt is complex else x * np.sign(x[j])


def _eig(a, vectors):
    xp, a = prepare(a, "a", square=True)
    A = to_numpy(a).astype(np.float64)
    batch, n = A.shape[:-2], A.shape[-1]
    flat = A.reshape(-1, n, n)
    ws = np.zeros((flat.shape[0], n), dtype=complex)
    Vs = np.zeros((flat.shape[0], n, n), dtype=complex)
    rng = np.random.default_rng(0)
    for i, M in enumerate(flat):
        ws[i] = _eigvals_one(M) if n else ws[i]
        if vectors:
            for j in range(n):
                lam = ws[i, j]
                Vs[i, :, j] = _eigvec(M, lam if lam.imag != 0 else lam.real, rng)
    real = bool(np.all(ws.imag == 0))
    w = ws.real if real else ws
    V = Vs.real if real else Vs
    cdt = np.complex64 if "float32" in str(a.dtype) else np.complex128
    rdt = np.float32 if "float32" in str(a.dtype) else np.float64
    w = w.astype(rdt if real else cdt).reshape(*batch, n)
    V = V.astype(rdt if real else cdt).reshape(*batch, n, n)
    if is_torch(a):
        w, V = asarray(w, like=a), asarray(V, like=a)
    return (w, V) if vectors else w


def eig(a):
    r"""Eigenvalues and right eigenvectors of a general real matrix (``numpy.linalg.eig``).

    .. math::
        A v_i = \lambda_i v_i, \qquad \|v_i\|_2 = 1

    Hessenberg reduction, then the Francis implicit double-shift QR algorithm with deflation
    (complex-conjugate pairs from 2×2 blocks) for the eigenvalues; inverse iteration for the
    eigenvectors. As in NumPy the result is real when every eigenvalue is real, complex
    otherwise; a defective matrix gives (nearly) parallel eigenvectors.

    Parameters
    ----------
    a : array of shape (..., n, n)

    Returns
    -------
    w : array of shape (..., n)
    V : array of shape (..., n, n), columns are eigenvectors

    Raises
    ------
    ShapeError
        ``a`` not square.
    DomainError
        NaN/inf entries.
    ConvergenceError
        The QR iteration did not converge.

    Curriculum: B8.

    Examples
    --------
    >>> import numpy as np
    >>> w, V = eig(np.array([[0.0, -1.0], [1.0, 0.0]]))
    >>> w
    array([0.+1.j, 0.-1.j])
    """
    return _eig(a, True)


def eigvals(a):
    r"""Eigenvalues of a general real matrix (``numpy.linalg.eigvals``); see :func:`eig`.

    Raises
    ------
    ShapeError, DomainError, ConvergenceError

    Curriculum: B8.

    Examples
    --------
    >>> import numpy as np
    >>> eigvals(np.array([[2.0, 1.0], [0.0, 3.0]]))
    array([2., 3.])
    """
    return _eig(a, False)
