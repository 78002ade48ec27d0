"""Orthogonal projections onto a column space.

Curriculum: B5.
"""

from __future__ import annotations

from aimath.errors import ShapeError, check_array
from aimath.linalg._utils import mT, prepare
from aimath.linalg.subspaces import orth

__all__ = ["projector", "project"]


def projector(A, rcond=None):
    r"""The orthogonal projector onto :math:`\mathcal R(A)`.

    .. math::
        P = QQ^\top = A(A^\top A)^{+}A^\top, \qquad P^2 = P = P^\top

    with :math:`Q` an orthonormal basis of the column space (from the SVD, so rank-deficient
    ``A`` is fine).

    Parameters
    ----------
    A : array of shape (m, n)
    rcond : float, optional
        Rank cut-off as in :func:`aimath.linalg.orth`.

    Returns
    -------
    P : array of shape (m, m)

    Raises
    ------
    ShapeError, DomainError

    Curriculum: B5.

    Examples
    --------
    >>> import numpy as np
    >>> projector(np.array([[1.0], [1.0]]))
    array([[0.5, 0.5],
           [0.5, 0.5]])
    """
    Q = orth(A, rcond)
    return Q @ mT(Q)


def project(b, A, rcond=None):
    r"""Orthogonal projection of ``b`` onto :math:`\mathcal R(A)`: the closest point in the span.

    .. math::
        \hat b = QQ^\top b = \arg\min_{y \in \mathcal R(A)} \|b - y\|_2, \qquad
        (b - \hat b) \perp \mathcal R(A)

    Parameters
    ----------
    b : array of shape (m,) or (m, k)
    A : array of shape (m, n)

    Returns
    -------
    array, the shape of ``b``

    Raises
    ------
    ShapeError, DomainError

    Curriculum: B5.

    Examples
    --------
    >>> import numpy as np
    >>> project(np.array([1.0, 3.0]), np.array([[1.0], [1.0]]))
    array([2., 2.])
    """
    xp, A = prepare(A, "A")
    check_array(b, "b", min_ndim=1)
    if b.shape[0] != A.shape[0]:
        raise ShapeError(f"b must have {A.shape[0]} rows to match A, got shape {tuple(b.shape)}")
    Q = orth(A, rcond)
    b = xp.astype(b, A.dtype) if b.dtype != A.dtype else b
    return Q @ (mT(Q) @ b)
