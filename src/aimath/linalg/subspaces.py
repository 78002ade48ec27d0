"""Rank and the four fundamental subspaces, from the SVD.

Curriculum: B1 (rank, span), B4 (column, null, row and left-null spaces; rank–nullity).
"""

from __future__ import annotations

from typing import NamedTuple

from aimath.errors import ShapeError, check_array
from aimath.linalg._utils import eps, mT, prepare
from aimath.linalg.svd import svd, svdvals

__all__ = ["matrix_rank", "null_space", "orth", "fundamental_subspaces", "FundamentalSubspaces", "in_span"]


def _default_tol(s, m, n, A):
    return s[..., 0] * max(m, n) * eps(A) if s.shape[-1] else s.sum(-1) * 0


def matrix_rank(A, tol=None):
    r"""Numerical rank: the number of singular values above ``tol`` (NumPy's ``matrix_rank``).

    .. math::
        \operatorname{rank}(A) = \#\{i : \sigma_i > \mathrm{tol}\}, \qquad
        \mathrm{tol} = \sigma_1 \max(m, n)\, \varepsilon \text{ by default}

    Parameters
    ----------
    A : array of shape (..., m, n)
    tol : float, optional

    Returns
    -------
    int array of shape (...)

    Raises
    ------
    ShapeError, DomainError
        Not a matrix; NaN/inf entries.

    Curriculum: B1, B4.

    Examples
    --------
    >>> import numpy as np
    >>> int(matrix_rank(np.array([[1.0, 2.0], [2.0, 4.0]])))
    1
    """
    xp, A = prepare(A, "A")
    m, n = A.shape[-2:]
    s = svdvals(A)
    t = _default_tol(s, m, n, A) if tol is None else tol
    t = t[..., None] if hasattr(t, "shape") and t.ndim else t
    return xp.sum(xp.astype(s > t, xp.int64), axis=-1)


def _split(A, rcond):
    xp, A = prepare(A, "A")
    if A.ndim != 2:
        raise ShapeError(f"A must be a single matrix (m, n), got shape {tuple(A.shape)}")
    m, n = A.shape
    U, s, Vh = svd(A, full_matrices=True)
    if s.shape[0] == 0:
        return xp, U, s, Vh, 0
    tol = float(s[0]) * (max(m, n) * eps(A) if rcond is None else rcond)
    r = int(xp.sum(xp.astype(s > tol, xp.int64)))
    return xp, U, s, Vh, r


def orth(A, rcond=None):
    r"""Orthonormal basis of the column space :math:`\mathcal R(A)` (SciPy's ``orth``).

    .. math::
        \mathcal R(A) = \operatorname{span}(u_1, \dots, u_r), \qquad r = \operatorname{rank}(A)

    Parameters
    ----------
    A : array of shape (m, n)
    rcond : float, optional
        Relative cut-off: singular values ≤ ``rcond·σ₁`` count as zero (default ``max(m,n)·ε``).

    Returns
    -------
    array of shape (m, r)

    Raises
    ------
    ShapeError, DomainError

    Curriculum: B4.

    Examples
    --------
    >>> import numpy as np
    >>> orth(np.array([[1.0, 1.0], [0.0, 0.0]])).shape
    (2, 1)
    """
    _, U, _, _, r = _split(A, rcond)
    return U[:, :r]


def null_space(A, rcond=None):
    r"""Orthonormal basis of the null space :math:`\mathcal N(A) = \{x : Ax = 0\}` (SciPy's).

    .. math::
        \mathcal N(A) = \operatorname{span}(v_{r+1}, \dots, v_n)

    Returns
    -------
    array of shape (n, n − r)

    Raises
    ------
    ShapeError, DomainError

    Curriculum: B4.

    Examples
    --------
    >>> import numpy as np
    >>> N = null_space(np.array([[1.0, 1.0]]))
    >>> N.shape, bool(abs(N[0, 0] + N[1, 0]) < 1e-15)
    ((2, 1), True)
    """
    _, _, _, Vh, r = _split(A, rcond)
    return mT(Vh[r:, :])


class FundamentalSubspaces(NamedTuple):
    """Orthonormal bases of the four fundamental subspaces of an m×n matrix of rank r."""

    column: object  #: (m, r) basis of R(A)
    null: object  #: (n, n − r) basis of N(A)
    row: object  #: (n, r) basis of R(Aᵀ)
    left_null: object  #: (m, m − r) basis of N(Aᵀ)
    rank: int


def fundamental_subspaces(A, rcond=None):
    r"""The four fundamental subspaces of ``A`` from one SVD.

    .. math::
        \mathbb R^n = \mathcal R(A^\top) \oplus \mathcal N(A), \qquad
        \mathbb R^m = \mathcal R(A) \oplus \mathcal N(A^\top), \qquad r + (n - r) = n

    Returns
    -------
    FundamentalSubspaces
        ``(column, null, row, left_null, rank)``.

    Raises
    ------
    ShapeError, DomainError

    Curriculum: B4.

    Examples
    --------
    >>> import numpy as np
    >>> S = fundamental_subspaces(np.array([[1.0, 2.0], [2.0, 4.0], [0.0, 0.0]]))
    >>> S.rank, S.null.shape, S.left_null.shape
    (1, (2, 1), (3, 2))
    """
    _, U, _, Vh, r = _split(A, rcond)
    V = mT(Vh)
    return FundamentalSubspaces(U[:, :r], V[:, r:], V[:, :r], U[:, r:], r)


def in_span(v, A, tol=None):
    r"""Whether ``v`` lies in the column span of ``A``, judged by the projection residual.

    .. math::
        \|v - QQ^\top v\|_2 \le \mathrm{tol}\,\|v\|_2, \qquad Q = \operatorname{orth}(A)

    Parameters
    ----------
    v : array of shape (m,) or (m, k) (each column tested)
    A : array of shape (m, n)
    tol : float, optional
        Relative residual threshold (default ``1e3·ε·max(m, n)``).

    Returns
    -------
    bool or bool array of shape (k,)

    Raises
    ------
    ShapeError, DomainError

    Curriculum: B1.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    >>> bool(in_span(np.array([2.0, 3.0, 0.0]), A)), bool(in_span(np.array([0.0, 0.0, 1.0]), A))
    (True, False)
    """
    xp, A = prepare(A, "A")
    check_array(v, "v", min_ndim=1)
    if v.shape[0] != A.shape[0]:
        raise ShapeError(f"v must have {A.shape[0]} rows to match A, got shape {tuple(v.shape)}")
    Q = orth(A)
    v = xp.astype(v, A.dtype) if v.dtype != A.dtype else v
    r = v - Q @ (mT(Q) @ v)
    t = 1e3 * eps(A) * max(A.shape) if tol is None else tol
    num = xp.sqrt(xp.sum(r * r, axis=0))
    den = xp.sqrt(xp.sum(v * v, axis=0))
    return num <= t * den
