"""Gram–Schmidt orthogonalisation: classical, modified, and with re-orthogonalisation.

Curriculum: B5. Classical Gram–Schmidt loses orthogonality like :math:`\\kappa^2\\varepsilon`,
modified like :math:`\\kappa\\varepsilon`, and one re-orthogonalisation pass ("twice is enough")
brings either to :math:`\\varepsilon`.
"""

from __future__ import annotations

from aimath.backend import namespace
from aimath.errors import DomainError, ShapeError
from aimath.linalg._utils import copy, eps, mT, prepare, zeros

__all__ = ["gram_schmidt"]


def gram_schmidt(A, method="modified", reorthogonalize=False):
    r"""Orthonormalise the columns of ``A`` by Gram–Schmidt: ``A = QR``.

    .. math::
        v_j = a_j - \sum_{i<j} r_{ij} q_i, \qquad r_{jj} = \|v_j\|_2, \qquad q_j = v_j / r_{jj}

    Classical: :math:`r_{ij} = q_i^\top a_j` (all projections from the original column, one
    matrix–vector product). Modified: :math:`r_{ij} = q_i^\top v_j^{(i)}`, each projection
    taken from the column already cleared of :math:`q_1,\dots,q_{i-1}`. Re-orthogonalisation
    repeats the projection step once.

    Parameters
    ----------
    A : array of shape (..., m, n), m ≥ n, full column rank
    method : {'modified', 'classical'}
    reorthogonalize : bool
        Project twice (CGS2 / MGS2).

    Returns
    -------
    Q : array of shape (..., m, n)
    R : array of shape (..., n, n), upper triangular with positive diagonal

    Raises
    ------
    ShapeError
        ``m < n``.
    DomainError
        NaN/inf, or a column in the span of the previous ones (:math:`r_{jj} \le 4m\varepsilon\|a_j\|`).

    Curriculum: B5.

    Examples
    --------
    >>> import numpy as np
    >>> Q, R = gram_schmidt(np.array([[3.0, 1.0], [4.0, 1.0]]))
    >>> R
    array([[5. , 1.4],
           [0. , 0.2]])
    """
    if method not in ("modified", "classical"):
        raise ValueError(f"method must be 'modified' or 'classical', got {method!r}")
    xp, A = prepare(A, "A")
    m, n = A.shape[-2:]
    if m < n:
        raise ShapeError(f"A must have at least as many rows as columns (m ≥ n), got shape {tuple(A.shape)}")
    Q = copy(xp, A)
    R = zeros(xp, (*A.shape[:-2], n, n), A)
    passes = 2 if reorthogonalize else 1
    for j in range(n):
        v = Q[..., :, j]
        a_norm = xp.sqrt(xp.sum(v * v, axis=-1))
        for _ in range(passes):
            if j == 0:
                break
            if method == "classical":
                r = (mT(Q[..., :, :j]) @ v[..., None])[..., 0]
                v = v - (Q[..., :, :j] @ r[..., None])[..., 0]
                R[..., :j, j] += r
            else:
                for i in range(j):
                    r = xp.sum(Q[..., :, i] * v, axis=-1)
                    v = v - r[..., None] * Q[..., :, i]
                    R[..., i, j] += r
        nv = xp.sqrt(xp.sum(v * v, axis=-1))
        if bool(xp.any(nv <= 4 * m * eps(A) * a_norm)) or bool(xp.any(nv == 0)):
            raise DomainError(f"A must have full column rank: column {j} lies in the span of the previous ones")
        R[..., j, j] = nv
        Q[..., :, j] = v / nv[..., None]
    return Q, R


_ = namespace
