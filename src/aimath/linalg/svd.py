"""The singular value decomposition: every matrix is rotate–stretch–rotate.

Curriculum: B10. Tall matrices are first reduced by QR. Small square factors (n ≤ 16, typically
stacks) use one-sided (Hestenes) Jacobi on the columns; larger ones Golub–Kahan
bidiagonalisation and the Golub–Kahan tridiagonal, solved by divide and conquer
(:mod:`aimath.linalg.bidiagonal`). Never
through :math:`A^\\top A` alone, which would square the condition number: big NumPy stacks of
order ≤ 8 start the Jacobi rotations from its eigenvectors, but the rotations on :math:`AV_0`
decide the accuracy.
"""

from __future__ import annotations

import numpy as np

from aimath.backend import device, is_torch, namespace
from aimath.linalg._jacobi import jacobi_svd
from aimath.linalg._small_stacks import small_svd
from aimath.linalg._utils import copy, diag, eye, flat, mT, prepare, take_cols, zeros
from aimath.linalg.bidiagonal import svd_by_bidiagonal
from aimath.linalg.qr import qr

__all__ = ["svd", "svdvals"]

_JACOBI_MAX = 16  # one-sided Jacobi up to this size, the bidiagonal route above
_SMALL_MAX = 8  # NumPy stacks of at least _SMALL_MIN_BATCH matrices up to this order: Jacobi-corrected
_SMALL_MIN_BATCH = 256  # started from the eigenvectors of AᵀA (_small_stacks.small_svd)


def _complete(xp, U, s, ncols):
    """Orthonormal ``U`` with ``ncols`` columns: columns of zero singular value (and the extra
    columns of a full basis) are filled with an orthonormal complement by one QR."""
    Bn, m, k = U.shape
    tiny = float(np.finfo(np.float32 if "float32" in str(U.dtype) else np.float64).tiny) * 1e6
    zero = s <= tiny
    if ncols == k and not bool(xp.any(zero)):
        return U
    g = np.random.default_rng(0).standard_normal((m, ncols))
    G = xp.asarray(g, dtype=U.dtype, device=device(U)) if is_torch(U) else g.astype(U.dtype)
    G = xp.broadcast_to(G, (Bn, m, ncols))
    C = copy(xp, G)
    C[:, :, :k] = xp.where(zero[:, None, :], G[:, :, :k], U)
    Q, R = qr(C)
    sg = xp.where(diag(R) < 0, -xp.ones_like(diag(R)), xp.ones_like(diag(R)))
    return Q * sg[:, None, :]


def _svd(xp, a, full_matrices, compute_uv):
    batch, (m, n) = a.shape[:-2], a.shape[-2:]
    wide = m < n
    A = mT(a) if wide else a
    M, N = A.shape[-2:]
    A = flat(xp, A)
    k = N
    if k == 0 or A.shape[0] == 0:
        s = zeros(xp, (*batch, 0), a)
        if not compute_uv:
            return s
        U = eye(xp, m, a, batch)[..., : (m if full_matrices else 0)]
        Vh = eye(xp, n, a, batch)[..., : (n if full_matrices else 0), :]
        return U, s, Vh
    Q = None
    if M > N:  # tall: A = QR, then the SVD of the small square R
        Q, A = qr(A) if compute_uv else (None, qr(A, mode="r"))
    if N > _JACOBI_MAX:
        U, s, V = svd_by_bidiagonal(A, compute_uv)
        if not compute_uv:
            return xp.reshape(s, (*batch, k))
    else:
        # scaled to max|a_ij| = 1: the column norms √Σ(uσ)² must not under/overflow (1e±200)
        sc = xp.max(xp.abs(xp.reshape(A, (A.shape[0], -1))), axis=-1)
        sc = xp.where(sc > 0, sc, xp.ones_like(sc))
        A = A / sc[:, None, None]
        if isinstance(A, np.ndarray) and N <= _SMALL_MAX and A.shape[0] >= _SMALL_MIN_BATCH:
            US, V = small_svd(A, compute_uv)  # from eig(AᵀA), finished by a Jacobi correction
        else:
            US, V = jacobi_svd(A, compute_uv)
        s = xp.sqrt(xp.sum(US * US, axis=-2))
        order = xp.argsort(-s, axis=-1)
        s = xp.take_along_axis(s, order, axis=-1)
        if not compute_uv:
            return xp.reshape(s * sc[:, None], (*batch, k))
        US, V = take_cols(xp, US, order), take_cols(xp, V, order)
        safe = xp.where(s > 0, s, xp.ones_like(s))
        U = _complete(xp, US / safe[:, None, :], s, N)
        s = s * sc[:, None]
    if Q is not None:
        U = Q @ U
        if full_matrices:
            U = _complete(xp, U, xp.ones_like(s), M)
    U = xp.reshape(U, (*batch, M, U.shape[-1]))
    V = xp.reshape(V, (*batch, N, N))
    s = xp.reshape(s, (*batch, k))
    if wide:
        return V, s, mT(U)
    return U, s, mT(V)


def svd(a, full_matrices=True, compute_uv=True):
    r"""Singular value decomposition :math:`A = U\Sigma V^\top` (``numpy.linalg.svd`` conventions).

    .. math::
        A = U \operatorname{diag}(\sigma) V^\top, \qquad \sigma_1 \ge \dots \ge \sigma_k \ge 0,
        \qquad U^\top U = I, \ V^\top V = I

    A tall :math:`A` is first reduced by QR. For the square factor of order :math:`n \le 16`
    (stacks of small matrices) one-sided Jacobi orthogonalises the columns by plane rotations and
    the column norms are the singular values; for larger :math:`n`, Golub–Kahan
    bidiagonalisation :math:`A = U_bBV_b^\top` (blocked) is followed by divide and conquer on
    the Golub–Kahan tridiagonal of :math:`B` (eigenvalues :math:`\pm\sigma_i`; only the
    :math:`+\sigma_i` half is formed), see :mod:`aimath.linalg.bidiagonal`. Both are backward
    stable; neither forms :math:`A^\top A`.

    Parameters
    ----------
    a : array of shape (..., m, n)
    full_matrices : bool
        ``U`` (m, m) and ``Vh`` (n, n) if True, else (m, k) and (k, n), k = min(m, n).
    compute_uv : bool
        Return only the singular values when False.

    Returns
    -------
    U : array of shape (..., m, m) or (..., m, k)
    s : array of shape (..., k), descending
    Vh : array of shape (..., n, n) or (..., k, n)

    Raises
    ------
    ShapeError
        ``a`` is not a (stack of) matrices.
    DomainError
        NaN/inf entries.

    Curriculum: B10.

    Examples
    --------
    >>> import numpy as np
    >>> U, s, Vh = svd(np.array([[3.0, 0.0], [4.0, 5.0]]))
    >>> np.round(s ** 2, 10)
    array([45.,  5.])
    """
    xp, a = prepare(a, "a")
    return _svd(xp, a, full_matrices, compute_uv)


def svdvals(a):
    r"""Singular values in descending order (``scipy.linalg.svdvals``), batched.

    .. math::
        \sigma_i(A) = \sqrt{\lambda_i(A^\top A)} \quad\text{(computed without forming } A^\top A)

    Raises
    ------
    ShapeError, DomainError
        Not a matrix; NaN/inf entries.

    Curriculum: B10.

    Examples
    --------
    >>> import numpy as np
    >>> svdvals(np.diag([1.0, -3.0]))
    array([3., 1.])
    """
    xp, a = prepare(a, "a")
    return _svd(xp, a, False, False)


_ = namespace
