"""Coordinates and change of basis.

Curriculum: B1.
"""

from __future__ import annotations

from aimath.errors import DomainError, ShapeError
from aimath.linalg._utils import prepare
from aimath.linalg.lu import solve

__all__ = ["coordinates", "change_of_basis"]


def coordinates(v, B):
    r"""Coordinates :math:`c` of ``v`` in the basis given by the columns of ``B``: :math:`Bc = v`.

    Parameters
    ----------
    v : array of shape (n,) or (n, k)
    B : array of shape (n, n), invertible

    Returns
    -------
    c : array, the shape of ``v``

    Raises
    ------
    ShapeError
        ``B`` not square or ``v`` the wrong length.
    DomainError
        The columns of ``B`` are not a basis (singular).

    Curriculum: B1.

    Examples
    --------
    >>> import numpy as np
    >>> coordinates(np.array([3.0, 1.0]), np.array([[1.0, 1.0], [0.0, 1.0]]))
    array([2., 1.])
    """
    xp, B = prepare(B, "B", square=True)
    try:
        return solve(B, v)
    except DomainError as exc:
        raise DomainError("the columns of B are not a basis: B is singular") from exc


def change_of_basis(B_from, B_to):
    r"""The matrix :math:`C` that turns coordinates in ``B_from`` into coordinates in ``B_to``.

    .. math::
        B_{\text{from}}\, x = B_{\text{to}}\, y \quad\Longrightarrow\quad
        y = C x, \qquad C = B_{\text{to}}^{-1} B_{\text{from}}

    Parameters
    ----------
    B_from, B_to : array of shape (n, n)
        Bases as columns.

    Returns
    -------
    C : array of shape (n, n)

    Raises
    ------
    ShapeError
        Not square or sizes differ.
    DomainError
        Either set of columns is not a basis.

    Curriculum: B1.

    Examples
    --------
    >>> import numpy as np
    >>> change_of_basis(np.eye(2), np.array([[2.0, 0.0], [0.0, 4.0]]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    xp, B_from = prepare(B_from, "B_from", square=True)
    _, B_to = prepare(B_to, "B_to", square=True)
    if B_from.shape[-1] != B_to.shape[-1]:
        raise ShapeError(f"B_from and B_to must have the same size, got {tuple(B_from.shape)} and {tuple(B_to.shape)}")
    from aimath.linalg.subspaces import matrix_rank

    if bool(xp.any(matrix_rank(B_from) < B_from.shape[-1])):
        raise DomainError("the columns of B_from are not a basis (linearly dependent)")
    return coordinates(B_from, B_to)
