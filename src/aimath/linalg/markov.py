"""Markov chains and PageRank: the eigenvector of eigenvalue 1.

Curriculum: B8.
"""

from __future__ import annotations

from aimath.backend import namespace
from aimath.errors import ConvergenceError, DomainError, check_in_range, check_matrix, check_stochastic_matrix
from aimath.linalg._utils import as_float, eye, mT
from aimath.linalg.lu import solve

__all__ = ["stationary_distribution", "pagerank"]


def stationary_distribution(P):
    r"""Stationary distribution :math:`\pi` of a row-stochastic matrix: :math:`\pi^\top P = \pi^\top`.

    .. math::
        (P^\top - I)\pi = 0, \qquad \mathbf 1^\top \pi = 1

    solved as one square system, the last balance equation replaced by the normalisation.
    Batched over leading axes.

    Parameters
    ----------
    P : array of shape (..., n, n)
        Row-stochastic (non-negative, rows sum to 1).

    Returns
    -------
    pi : array of shape (..., n)

    Raises
    ------
    ShapeError
        ``P`` not square.
    DomainError
        ``P`` not stochastic, or the stationary distribution is not unique (reducible chain).

    Curriculum: B8.

    Examples
    --------
    >>> import numpy as np
    >>> stationary_distribution(np.array([[0.9, 0.1], [0.5, 0.5]]))
    array([0.83333333, 0.16666667])
    """
    xp = namespace(P)
    check_stochastic_matrix(P, "P")
    P = as_float(xp, P)
    n = P.shape[-1]
    M = mT(P) - eye(xp, n, P)
    M[..., -1, :] = 1.0
    b = xp.zeros((*P.shape[:-2], n, 1), dtype=P.dtype)
    b[..., -1, 0] = 1.0
    try:
        pi = solve(M, b)[..., 0]
    except DomainError as exc:
        raise DomainError("P has no unique stationary distribution (the chain is reducible)") from exc
    resid = xp.max(xp.abs(pi - (mT(P) @ pi[..., None])[..., 0]))
    if not float(resid) <= 1e-8:
        raise DomainError("P has no unique stationary distribution (the chain is reducible or nearly so)")
    return pi


def pagerank(adjacency, damping=0.85, *, tol=1e-12, max_iter=1000):
    r"""PageRank by power iteration on the Google matrix.

    .. math::
        G = d\,P + \frac{1-d}{n}\mathbf 1\mathbf 1^\top, \qquad
        \pi_{k+1}^\top = \pi_k^\top G

    where :math:`P` is the row-normalised adjacency (``adjacency[i, j] > 0`` is a link
    :math:`i \to j`) and dangling pages (no out-links) link to every page uniformly. The
    iteration contracts at rate :math:`d`.

    Parameters
    ----------
    adjacency : array of shape (n, n), non-negative weights
    damping : float in [0, 1)
    tol : float
        Stop when the 1-norm change is below ``tol``.
    max_iter : int

    Returns
    -------
    pi : array of shape (n,), sums to 1

    Raises
    ------
    ShapeError, DomainError
        Bad shapes, negative weights, NaN/inf, damping out of range.
    ConvergenceError

    Curriculum: B8.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(pagerank(np.array([[0.0, 1.0], [1.0, 0.0]])), 6)
    array([0.5, 0.5])
    """
    xp = namespace(adjacency)
    check_matrix(adjacency, "adjacency", square=True, batched=False)
    check_in_range(damping, "damping", 0.0, 1.0, closed="left")
    A = as_float(xp, adjacency)
    if float(xp.min(A)) < 0:
        raise DomainError("adjacency must be non-negative")
    n = A.shape[0]
    out = xp.sum(A, axis=1)
    dangling = out == 0
    P = A / xp.where(dangling, xp.ones_like(out), out)[:, None]
    pi = xp.ones(n, dtype=A.dtype) / n
    for _ in range(max_iter):
        new = damping * ((pi[None, :] @ P)[0] + xp.sum(xp.where(dangling, pi, 0 * pi)) / n) + (1 - damping) / n
        new = new / xp.sum(new)
        if float(xp.sum(xp.abs(new - pi))) < tol:
            return new
        pi = new
    raise ConvergenceError(f"PageRank did not converge in {max_iter} iterations", iterate=pi)
