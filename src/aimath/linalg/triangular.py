"""Triangular systems: forward and back substitution, blocked for speed.

Curriculum: B7 (LU and triangular solves).
"""

from __future__ import annotations

import operator

import numpy as np

from aimath.errors import DomainError
from aimath.linalg._utils import copy, diag, mT, prepare, rhs

__all__ = ["solve_triangular", "forward_substitution", "back_substitution"]

_NB = 32  # leaf size of the recursive solver


def forward_substitution(L, b, *, unit_diagonal=False):
    r"""Textbook forward substitution for :math:`Lx = b` (one row at a time).

    .. math::
        x_i = \Big(b_i - \sum_{j<i} \ell_{ij} x_j\Big) / \ell_{ii}, \qquad i = 1, \dots, n

    Parameters
    ----------
    L : array of shape (n, n)
        Lower triangular (the strict upper triangle is ignored).
    b : array of shape (n,)

    Returns
    -------
    x : array of shape (n,)

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> forward_substitution(np.array([[2.0, 0.0], [1.0, 1.0]]), np.array([2.0, 3.0]))
    array([1., 2.])
    """
    n = L.shape[-1]
    x = copy(None, b * 1.0)
    for i in range(n):
        s = b[i] - sum(L[i, j] * x[j] for j in range(i))
        x[i] = s if unit_diagonal else s / L[i, i]
    return x


def back_substitution(U, b, *, unit_diagonal=False):
    r"""Textbook back substitution for :math:`Ux = b` (from the last row up).

    .. math::
        x_i = \Big(b_i - \sum_{j>i} u_{ij} x_j\Big) / u_{ii}, \qquad i = n, \dots, 1

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> back_substitution(np.array([[2.0, 1.0], [0.0, 1.0]]), np.array([4.0, 2.0]))
    array([1., 2.])
    """
    n = U.shape[-1]
    x = copy(None, b * 1.0)
    for i in reversed(range(n)):
        s = b[i] - sum(U[i, j] * x[j] for j in range(i + 1, n))
        x[i] = s if unit_diagonal else s / U[i, i]
    return x


def _subst_vector(T, X, lower, unit):
    """Substitution for one right-hand side column ``X`` (n, 1) in Python floats.

    The same recurrence as :func:`forward_substitution` / :func:`back_substitution`, each inner
    product summed by :func:`sum` over :func:`map` on the rows of ``T`` turned into lists once:
    a block of ``_NB`` rows costs one conversion instead of two NumPy calls per row. Returns
    False, leaving ``X`` untouched, when a diagonal entry is zero.
    """
    n = T.shape[-1]
    rows = T.tolist()
    if not unit and any(rows[i][i] == 0.0 for i in range(n)):
        return False  # a zero pivot: NumPy's inf/nan semantics, not ZeroDivisionError
    x = X[:, 0].tolist()
    mul = operator.mul
    if lower:
        for i in range(n):
            r = rows[i]
            s = x[i] - sum(map(mul, r[:i], x[:i])) if i else x[i]
            x[i] = s if unit else s / r[i]
    else:
        for i in range(n - 1, -1, -1):
            r = rows[i]
            s = x[i] - sum(map(mul, r[i + 1 :], x[i + 1 :])) if i < n - 1 else x[i]
            x[i] = s if unit else s / r[i]
    X[:, 0] = x
    return True


def _trsm_leaf(T, X, lower, unit):
    n = T.shape[-1]
    if T.ndim == 2 and X.ndim == 2 and isinstance(X, np.ndarray):  # one matrix: fewer, cheaper calls
        if X.shape[1] == 1 and X.dtype == np.float64 and T.dtype == np.float64 and _subst_vector(T, X, lower, unit):
            return
        for i in range(n) if lower else range(n - 1, -1, -1):
            xi = X[i]
            if lower and i:
                xi -= T[i, :i] @ X[:i]
            elif not lower and i < n - 1:
                xi -= T[i, i + 1 :] @ X[i + 1 :]
            if not unit:
                xi /= T[i, i]
        return
    order = range(n) if lower else range(n - 1, -1, -1)
    for i in order:
        if lower and i > 0:
            X[..., i, :] -= (T[..., i : i + 1, :i] @ X[..., :i, :])[..., 0, :]
        elif not lower and i < n - 1:
            X[..., i, :] -= (T[..., i : i + 1, i + 1 :] @ X[..., i + 1 :, :])[..., 0, :]
        if not unit:
            X[..., i, :] /= T[..., i, i][..., None]


def trsm(T, X, lower, unit=False):
    """Solve ``T Y = X`` in place (``X`` of shape (..., n, k) is overwritten by ``Y``).

    Recursive blocked form: split ``T`` in halves, solve one half, update the other with one
    matrix product, recurse. Only the referenced triangle of ``T`` is read.
    """
    n = T.shape[-1]
    if n <= _NB:
        _trsm_leaf(T, X, lower, unit)
        return X
    h = n // 2
    if lower:
        trsm(T[..., :h, :h], X[..., :h, :], True, unit)
        X[..., h:, :] -= T[..., h:, :h] @ X[..., :h, :]
        trsm(T[..., h:, h:], X[..., h:, :], True, unit)
    else:
        trsm(T[..., h:, h:], X[..., h:, :], False, unit)
        X[..., :h, :] -= T[..., :h, h:] @ X[..., h:, :]
        trsm(T[..., :h, :h], X[..., :h, :], False, unit)
    return X


def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False):
    r"""Solve :math:`a x = b` (or :math:`a^\top x = b`) for triangular ``a``.

    .. math::
        \text{lower: } x_i = \Big(b_i - \sum_{j<i} a_{ij}x_j\Big)/a_{ii}, \qquad
        \text{upper: } x_i = \Big(b_i - \sum_{j>i} a_{ij}x_j\Big)/a_{ii}

    SciPy's ``scipy.linalg.solve_triangular`` conventions, batched over leading axes. The fast
    form is recursive: the work is in matrix products; :func:`forward_substitution` and
    :func:`back_substitution` are the textbook forms.

    Parameters
    ----------
    a : array of shape (..., n, n)
        Triangular matrix; only the triangle named by ``lower`` (and the diagonal) is read.
    b : array of shape (n,) or (..., n, k)
        Right-hand side(s), NumPy 2's ``solve`` rule: a 1-D ``b`` is one vector, anything else is
        a stack of ``(n, k)`` matrices broadcast against ``a``.
    trans : {0, 1, 2, 'N', 'T', 'C'}
        Solve ``a x = b`` (0, 'N') or ``aᵀ x = b`` (1, 'T', 2, 'C').
    lower : bool
        Use the lower triangle (default upper, as SciPy).
    unit_diagonal : bool
        Assume ones on the diagonal (the diagonal is not read).

    Returns
    -------
    x : array, shape of the broadcast ``b``

    Raises
    ------
    ShapeError
        ``a`` not square or ``b`` of the wrong length.
    DomainError
        NaN/inf input, or a zero on the diagonal (singular; SciPy raises ``LinAlgError``).

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> L = np.array([[2.0, 0.0], [1.0, 1.0]])
    >>> solve_triangular(L, np.array([2.0, 3.0]), lower=True)
    array([1., 2.])
    """
    xp, a = prepare(a, "a", square=True)
    B, vector, batch = rhs(xp, a, b)
    if trans in (1, 2, "T", "C"):
        a, lower = mT(a), not lower
    elif trans not in (0, "N"):
        raise ValueError(f"trans must be 0, 1, 2, 'N', 'T' or 'C', got {trans!r}")
    if not unit_diagonal and a.shape[-1] > 0:
        if bool(xp.any(diag(a) == 0)):
            raise DomainError("a is singular: a zero on the diagonal of a triangular matrix")
    X = copy(xp, xp.broadcast_to(B, (*batch, *B.shape[-2:])))
    if a.shape[-1] and X.shape[-1]:
        trsm(a, X, lower, unit_diagonal)
    return X[..., 0] if vector else X

