"""Cholesky factorisation of symmetric positive definite matrices.

Curriculum: B7 (Cholesky), B9 (positive definiteness). The fast form is recursive:
:math:`L_{11} = \\operatorname{chol}(A_{11})`, :math:`L_{21} = A_{21}L_{11}^{-\\top}`,
:math:`L_{22} = \\operatorname{chol}(A_{22} - L_{21}L_{21}^\\top)`. For one NumPy matrix the
first two steps are one recursive elimination of the block column (:func:`_chol_panel`), so all
the work beyond 16-column strips is in matrix products; :func:`cholesky_unblocked` is the
textbook form, tested equal.
"""

from __future__ import annotations

import math

import numpy as np

from aimath.backend import namespace
from aimath.errors import DomainError
from aimath.linalg._utils import copy, diag, flat, mT, prepare, rhs, tril
from aimath.linalg.triangular import trsm

__all__ = ["cholesky", "cholesky_unblocked", "cho_factor", "cho_solve", "is_positive_definite"]

_NB = 32


def _chol_leaf(W, ok):
    xp = namespace(W)
    n = W.shape[-1]
    for j in range(n):
        d = W[..., j, j]
        good = d > 0
        ok &= good
        s = xp.sqrt(xp.where(good, d, xp.ones_like(d)))
        W[..., j, j] = s
        W[..., j + 1 :, j] = xp.where(good[..., None], W[..., j + 1 :, j] / s[..., None], 0.0)
        if j + 1 < n:
            c = W[..., j + 1 :, j]
            W[..., j + 1 :, j + 1 :] -= c[..., :, None] * c[..., None, :]
    return ok


def _chol_rec(W, ok):
    """Lower Cholesky of ``W`` in place (upper triangle left as garbage); ``ok`` flags success."""
    n = W.shape[-1]
    if n <= _NB:
        return _chol_leaf(W, ok)
    h = n // 2
    ok = _chol_rec(W[..., :h, :h], ok)
    X = copy(namespace(W), mT(W[..., h:, :h]))  # L21ᵀ = L11⁻¹ A12 (contiguous rows for the solve)
    trsm(W[..., :h, :h], X, lower=True)
    W[..., h:, :h] = mT(X)
    W[..., h:, h:] -= W[..., h:, :h] @ mT(W[..., h:, :h])
    return _chol_rec(W[..., h:, h:], ok)


_LEAF = 16  # columns eliminated one at a time at the bottom of the recursive panel form


def _chol_panel(P, leaf=_LEAF):
    r"""Recursive Cholesky of the tall panel ``P`` (m, w), m ≥ w, one NumPy matrix, in place.

    The top w × w block of ``P`` is a diagonal block of the matrix being factored and the rows
    below it are the block column under it. Splitting the columns at ``h``:

    .. math::
        \begin{pmatrix} L_{11} \\ L_{21} \end{pmatrix} \leftarrow \operatorname{panel}(P_{:, :h}),
        \qquad P_{h:, h:} \leftarrow P_{h:, h:} - L_{21} (L_{21})_{:w-h}^\top,
        \qquad \operatorname{panel}(P_{h:, h:}),

    so the block column below a diagonal block comes out of the same elimination that factors
    the block (no triangular solve) and all but the ``leaf``-wide strips are updated by matrix
    products (for the whole matrix, m = w, the update is a syrk). Each strip is eliminated column
    by column on a contiguous transposed copy. Only the lower triangle is read. Returns False at
    a non-positive pivot.
    """
    m, w = P.shape
    if w <= leaf:
        T = np.ascontiguousarray(P.T)  # the strip's columns as contiguous rows
        for j in range(w):
            d = float(T[j, j])
            if not d > 0:  # also catches NaN
                return False
            d = math.sqrt(d)
            T[j, j] = d
            row = T[j, j + 1 :]
            row /= d
            if j + 1 < w:
                T[j + 1 :, j + 1 :] -= np.multiply.outer(row[: w - j - 1], row)
        P[...] = T.T
        return True
    h = w // 2
    if not _chol_panel(P[:, :h], leaf):
        return False
    L21 = P[h:, :h]
    if m == w:
        P[h:, h:] -= L21 @ L21.T  # NumPy hands A @ A.T to BLAS syrk
    else:
        P[h:, h:] -= L21 @ P[h:w, :h].T
    return _chol_panel(P[h:, h:], leaf)


def _cholesky_2d(A):
    """``(L, ok)`` for one NumPy matrix by :func:`_chol_panel` on a single copy."""
    W = np.array(A, order="C", copy=True)
    with np.errstate(over="ignore", invalid="ignore"):
        ok = _chol_panel(W) if W.shape[-1] else True
    if not ok:
        return np.tril(W), np.asarray(False)
    n = W.shape[-1]
    for i0 in range(0, n, 256):  # zero the strict upper triangle in place, by row blocks
        i1 = min(i0 + 256, n)
        W[i0:i1, i1:] = 0.0
        W[i0:i1, i0:i1] = np.tril(W[i0:i1, i0:i1])
    return W, np.asarray(bool(np.all(np.isfinite(np.diagonal(W)))))


def _cholesky(xp, A):
    """``(L, ok)``: the lower factor and a boolean array over the batch telling success."""
    if A.ndim == 2 and isinstance(A, np.ndarray):
        return _cholesky_2d(A)
    W = copy(xp, A)
    W = flat(xp, W) if W.ndim > 2 else W
    ok = xp.ones(W.shape[:-2], dtype=xp.bool) if W.ndim > 2 else xp.asarray(True)
    if W.shape[-1]:
        # symmetrise from the lower triangle: only that triangle is read, as LAPACK does
        W = tril(xp, W) + mT(tril(xp, W, -1))
        with np.errstate(over="ignore", invalid="ignore"):  # a failing batch entry may overflow
            ok = _chol_rec(W, ok)
        ok = ok & xp.all(xp.isfinite(diag(W)), axis=-1)
    L = tril(xp, W)
    return xp.reshape(L, A.shape), xp.reshape(ok, A.shape[:-2])


def cholesky_unblocked(A):
    r"""Textbook Cholesky–Banachiewicz, one entry at a time, on one matrix.

    .. math::
        \ell_{jj} = \sqrt{a_{jj} - \sum_{k<j} \ell_{jk}^2}, \qquad
        \ell_{ij} = \Big(a_{ij} - \sum_{k<j}\ell_{ik}\ell_{jk}\Big)/\ell_{jj} \quad (i > j)

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> cholesky_unblocked(np.array([[4.0, 2.0], [2.0, 5.0]]))
    array([[2., 0.],
           [1., 2.]])
    """
    A = np.asarray(A, dtype=float)
    n = A.shape[0]
    L = np.zeros_like(A)
    for j in range(n):
        d = A[j, j] - L[j, :j] @ L[j, :j]
        if not d > 0:
            raise DomainError(f"A is not positive definite (pivot {j} is {d:.3g})")
        L[j, j] = np.sqrt(d)
        for i in range(j + 1, n):
            L[i, j] = (A[i, j] - L[i, :j] @ L[j, :j]) / L[j, j]
    return L


def cholesky(a, *, upper=False):
    r"""Cholesky factor :math:`A = LL^\top` of a symmetric positive definite matrix.

    .. math::
        A = L L^\top, \qquad L \text{ lower triangular with } \ell_{ii} > 0

    NumPy's ``numpy.linalg.cholesky`` conventions: lower factor by default, batched over leading
    axes, only the lower triangle of ``a`` is read.

    Parameters
    ----------
    a : array of shape (..., n, n)
    upper : bool
        Return the upper factor :math:`U = L^\top` instead.

    Returns
    -------
    L : array of shape (..., n, n)

    Raises
    ------
    ShapeError
        ``a`` not square.
    DomainError
        NaN/inf entries, or ``a`` not positive definite (NumPy raises ``LinAlgError``); the
        message says which matrices of the batch failed.

    Curriculum: B7, B9.

    Examples
    --------
    >>> import numpy as np
    >>> cholesky(np.array([[4.0, 2.0], [2.0, 5.0]]))
    array([[2., 0.],
           [1., 2.]])
    """
    xp, a = prepare(a, "a", square=True)
    L, ok = _cholesky(xp, a)
    if not bool(xp.all(ok)):
        bad = np.argwhere(~np.asarray(ok.cpu() if hasattr(ok, "cpu") else ok).reshape(-1)).ravel()
        where = "" if a.ndim == 2 else f" (batch entries {bad[:5].tolist()}{' …' if bad.size > 5 else ''})"
        raise DomainError(f"a must be positive definite, got a matrix whose Cholesky pivot is not positive{where}")
    return mT(L) if upper else L


def cho_factor(a, lower=True):
    """``(c, lower)`` for :func:`cho_solve`, as SciPy's ``cho_factor`` (lower by default here).

    Raises
    ------
    DomainError
        ``a`` not positive definite.

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> c, low = cho_factor(np.array([[4.0, 2.0], [2.0, 5.0]]))
    >>> low
    True
    """
    L = cholesky(a)
    return (L, True) if lower else (mT(L), False)


def cho_solve(c_and_lower, b):
    r"""Solve :math:`Ax = b` from a Cholesky factor: :math:`Ly = b`, :math:`L^\top x = y`.

    Parameters
    ----------
    c_and_lower : tuple (c, lower) or array
        SciPy's form ``(c, lower)`` (``c`` lower or upper factor), or the lower factor ``L`` alone
        (what :func:`cholesky` returns).
    b : array of shape (n,) or (..., n, k)
        NumPy 2's ``solve`` rule, see :func:`aimath.linalg.solve`.

    Returns
    -------
    x : array

    Raises
    ------
    ShapeError, DomainError
        Wrong shapes; NaN/inf; a zero on the factor's diagonal.

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[4.0, 2.0], [2.0, 5.0]])
    >>> cho_solve(cholesky(A), A @ np.array([1.0, -1.0]))
    array([ 1., -1.])
    """
    if isinstance(c_and_lower, tuple):
        c, lower = c_and_lower
    else:
        c, lower = c_and_lower, True
    xp, c = prepare(c, "c", square=True)
    B, vector, batch = rhs(xp, c, b)
    if c.shape[-1] and bool(xp.any(diag(c) == 0)):
        raise DomainError("the Cholesky factor has a zero on its diagonal")
    X = copy(xp, xp.broadcast_to(B, (*batch, *B.shape[-2:])))
    L = c if lower else mT(c)
    if c.shape[-1] and X.shape[-1]:
        trsm(L, X, lower=True)
        trsm(mT(L), X, lower=False)
    return X[..., 0] if vector else X


def is_positive_definite(a, *, rtol=1e-10):
    r"""Whether each matrix of the stack is symmetric positive definite (a Cholesky test).

    .. math::
        A = A^\top \ \text{and}\ x^\top A x > 0 \ \forall x \ne 0
        \iff A = LL^\top \text{ with } \ell_{ii} > 0

    Parameters
    ----------
    a : array of shape (..., n, n)
    rtol : float
        Relative tolerance of the symmetry test, ``max|A − Aᵀ| ≤ rtol·max|A|``.

    Returns
    -------
    bool array of shape (...)

    Raises
    ------
    ShapeError
        ``a`` not square.
    DomainError
        NaN/inf entries.

    Curriculum: B9.

    Examples
    --------
    >>> import numpy as np
    >>> bool(is_positive_definite(np.array([[2.0, 1.0], [1.0, 2.0]])))
    True
    >>> bool(is_positive_definite(np.array([[1.0, 2.0], [2.0, 1.0]])))
    False
    """
    xp, a = prepare(a, "a", square=True)
    if a.shape[-1] == 0:
        return xp.ones(a.shape[:-2], dtype=xp.bool)
    asym = xp.max(xp.abs(xp.reshape(a - mT(a), (*a.shape[:-2], -1))), axis=-1)
    scale = xp.max(xp.abs(xp.reshape(a, (*a.shape[:-2], -1))), axis=-1)
    _, ok = _cholesky(xp, a)
    return ok & (asym <= rtol * scale)
