"""Symmetric eigenproblems: the spectral theorem made computable.

Curriculum: B9. :func:`eigh` returns ascending eigenvalues and orthonormal eigenvectors like
``numpy.linalg.eigh``.
"""

from __future__ import annotations

import operator

import numpy as np

from aimath.backend import namespace
from aimath.errors import DomainError, ShapeError, check_array
from aimath.linalg._jacobi import jacobi_eigh
from aimath.linalg._small_stacks import small_eigh
from aimath.linalg._utils import copy, flat, mT, prepare, take_cols, tril, triu
from aimath.linalg.tridiagonal import eigh_by_tridiagonal

__all__ = ["eigh", "eigvalsh", "rayleigh_quotient"]

_JACOBI_MAX = 8  # batched Jacobi up to this order (2× faster than the tridiagonal route on 10⁴ 8×8)
_SMALL_MAX = 8  # NumPy stacks up to this order: batch-last tridiagonal QR (_small_stacks; faster than Jacobi
_SMALL_MIN_BATCH = 256  # from this many matrices on; below, Jacobi's fewer numpy calls win)


def _symmetrise(xp, a, UPLO):
    if UPLO not in ("L", "U"):
        raise ValueError(f"UPLO must be 'L' or 'U', got {UPLO!r}")
    T = tril(xp, a) if UPLO == "L" else triu(xp, a)
    off = tril(xp, a, -1) if UPLO == "L" else triu(xp, a, 1)
    return T + mT(off)


def _subset(subset_by_index, n):
    """``(lo, hi)`` from ``subset_by_index`` (inclusive, like SciPy's), checked against ``n``."""
    if subset_by_index is None:
        return None
    try:
        lo, hi = (int(operator.index(i)) for i in subset_by_index)
    except (TypeError, ValueError):
        raise ValueError(f"subset_by_index must be two integers (lo, hi), got {subset_by_index!r}") from None
    if not 0 <= lo <= hi < n:
        raise ValueError(f"subset_by_index must satisfy 0 <= lo <= hi < n = {n}, got {(lo, hi)}")
    return lo, hi


def _eigh(xp, a, vectors, method="tridiagonal", subset_by_index=None):
    if method not in ("tridiagonal", "jacobi"):
        raise ValueError(f"method must be 'tridiagonal' or 'jacobi', got {method!r}")
    batch, n = a.shape[:-2], a.shape[-1]
    sel = _subset(subset_by_index, n)
    S = flat(xp, a)
    if n == 0 or S.shape[0] == 0:
        w = xp.zeros((*batch, n), dtype=a.dtype)
        return w, (copy(xp, a) if vectors else None)
    if sel is not None and method == "tridiagonal" and n > _SMALL_MAX:
        w, V = eigh_by_tridiagonal(S, vectors, select=sel)  # only the selected vectors are formed
        k = sel[1] - sel[0] + 1
        return xp.reshape(w, (*batch, k)), (xp.reshape(V, (*batch, n, k)) if vectors else None)
    if method == "tridiagonal" and n <= _SMALL_MAX and isinstance(S, np.ndarray) and S.shape[0] >= _SMALL_MIN_BATCH:
        w, V = small_eigh(S, vectors, sort=True)  # already ascending
    else:
        if method == "jacobi" or n <= _JACOBI_MAX:
            w, V = jacobi_eigh(S, vectors)
        else:
            w, V = eigh_by_tridiagonal(S, vectors)
        order = xp.argsort(w, axis=-1)
        w = xp.take_along_axis(w, order, axis=-1)
        if vectors:
            V = take_cols(xp, V, order)
    w = xp.reshape(w, (*batch, n))
    if vectors:
        V = xp.reshape(V, (*batch, n, n))
    if sel is not None:
        w = w[..., sel[0] : sel[1] + 1]
        V = V[..., sel[0] : sel[1] + 1] if vectors else None
    return w, V


def eigh(a, UPLO="L", *, method="tridiagonal", subset_by_index=None):
    r"""Eigenvalues and eigenvectors of a symmetric matrix (``numpy.linalg.eigh`` conventions).

    .. math::
        A = V \Lambda V^\top, \qquad V^\top V = I, \qquad \lambda_1 \le \dots \le \lambda_n

    Only the triangle named by ``UPLO`` is read, as in NumPy. The default method reduces
    :math:`A = QTQ^\top` to tridiagonal form by blocked Householder reflections, solves
    :math:`T = Z\Lambda Z^\top` by Cuppen's divide and conquer (rank-one tearing, the secular
    equation, Gu–Eisenstat eigenvectors; :mod:`aimath.linalg.divide_conquer`) and maps back,
    :math:`V = QZ` (:mod:`aimath.linalg.tridiagonal`). Big stacks of small matrices (and torch
    tensors that require grad) use bisection on Sturm counts and inverse iteration instead, vectorised over the batch.
    NumPy stacks of at least 256 matrices of order :math:`n \le 8` take the same two phases
    batch-last instead: Householder tridiagonalisation, then implicit Wilkinson-shifted QR steps
    whose Givens rotations are vectors over the stack (:mod:`aimath.linalg._small_stacks`).
    ``method='jacobi'`` (the default for smaller stacks with :math:`n \le 8`) runs cyclic Jacobi
    rotations in the round-robin ordering instead, vectorised over the batch and over the
    disjoint pairs of each round: the classic accurate textbook method.

    Parameters
    ----------
    a : array of shape (..., n, n)
    UPLO : {'L', 'U'}
    method : {'tridiagonal', 'jacobi'}
    subset_by_index : (int, int), optional
        Only the eigenpairs ``lo..hi`` (inclusive) of the ascending order, as in SciPy. Divide and
        conquer still finds every eigenvalue of the tridiagonal (its eigenvector formula needs
        them) but forms and maps back only the selected eigenvectors: the top few of a covariance
        matrix (PCA) cost less than the whole basis.

    Returns
    -------
    w : array of shape (..., n) or (..., hi − lo + 1)
        Ascending eigenvalues.
    V : array of shape (..., n, n) or (..., n, hi − lo + 1)
        Orthonormal eigenvectors, ``V[..., :, i]`` for ``w[..., i]``.

    Raises
    ------
    ShapeError
        ``a`` not square.
    DomainError
        NaN/inf entries.
    ValueError
        ``subset_by_index`` not two integers with ``0 <= lo <= hi < n``.
    ConvergenceError
        The Jacobi sweeps or the shifted QR steps did not converge (not observed in practice).

    Curriculum: B9.

    Examples
    --------
    >>> import numpy as np
    >>> w, V = eigh(np.array([[2.0, 1.0], [1.0, 2.0]]))
    >>> w
    array([1., 3.])
    """
    xp, a = prepare(a, "a", square=True)
    return _eigh(xp, _symmetrise(xp, a, UPLO), True, method, subset_by_index)


def eigvalsh(a, UPLO="L", *, method="tridiagonal", subset_by_index=None):
    r"""Ascending eigenvalues of a symmetric matrix (``numpy.linalg.eigvalsh``); only those numbered
    ``lo..hi`` with ``subset_by_index=(lo, hi)`` (see :func:`eigh`).

    Raises
    ------
    ShapeError, DomainError
        Not square; NaN/inf entries.
    ValueError
        A bad ``subset_by_index``.

    Curriculum: B9.

    Examples
    --------
    >>> import numpy as np
    >>> eigvalsh(np.diag([3.0, -1.0, 2.0]))
    array([-1.,  2.,  3.])
    """
    xp, a = prepare(a, "a", square=True)
    return _eigh(xp, _symmetrise(xp, a, UPLO), False, method, subset_by_index)[0]


def rayleigh_quotient(A, x):
    r"""Rayleigh quotient :math:`R_A(x) = x^\top A x / x^\top x`, batched over ``x``'s leading axes.

    For symmetric :math:`A`, :math:`\lambda_{\min} \le R_A(x) \le \lambda_{\max}` with equality
    at the extreme eigenvectors (Courant–Fischer).

    Parameters
    ----------
    A : array of shape (..., n, n)
    x : array of shape (..., n), non-zero

    Returns
    -------
    array of shape (...)

    Raises
    ------
    ShapeError
        Mismatched ``n``.
    DomainError
        NaN/inf or a zero vector.

    Curriculum: B9.

    Examples
    --------
    >>> import numpy as np
    >>> float(rayleigh_quotient(np.diag([1.0, 3.0]), np.array([1.0, 1.0])))
    2.0
    """
    xp, A = prepare(A, "A", square=True)
    check_array(x, "x", min_ndim=1)
    if x.shape[-1] != A.shape[-1]:
        raise ShapeError(f"x must have length {A.shape[-1]} to match A, got shape {tuple(x.shape)}")
    x = xp.astype(x, A.dtype) if x.dtype != A.dtype else x
    xx = xp.sum(x * x, axis=-1)
    if bool(xp.any(xx == 0)):
        raise DomainError("x must be non-zero")
    Ax = (A @ x[..., None])[..., 0]
    return xp.sum(x * Ax, axis=-1) / xx


_ = namespace
