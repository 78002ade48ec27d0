"""Reduction to upper Hessenberg form by Householder similarity transforms.

Curriculum: B8 (the first phase of the QR algorithm).
"""

from __future__ import annotations

from aimath.linalg._utils import copy, eye, prepare, triu
from aimath.linalg.qr import _nrm2, _reflector

__all__ = ["hessenberg"]


def hessenberg(a, calc_q=False):
    r"""Upper Hessenberg form :math:`H = Q^\top A Q` (SciPy's ``scipy.linalg.hessenberg``).

    .. math::
        A = QHQ^\top, \qquad h_{ij} = 0 \text{ for } i > j + 1

    For :math:`k = 1, \dots, n-2` a reflector :math:`P_k` zeroes column :math:`k` below the
    subdiagonal and is applied from both sides, so eigenvalues are preserved; for symmetric
    :math:`A` the result is tridiagonal. Batched over leading axes.

    Parameters
    ----------
    a : array of shape (..., n, n)
    calc_q : bool
        Also return the orthogonal :math:`Q`.

    Returns
    -------
    H : array of shape (..., n, n)
    Q : array of shape (..., n, n), if ``calc_q``

    Raises
    ------
    ShapeError, DomainError
        Not square; NaN/inf entries.

    Curriculum: B8.

    Examples
    --------
    >>> import numpy as np
    >>> H = hessenberg(np.arange(16.0).reshape(4, 4))
    >>> bool(np.allclose(np.tril(H, -2), 0))
    True
    """
    xp, a = prepare(a, "a", square=True)
    H = copy(xp, a)
    n = a.shape[-1]
    Q = eye(xp, n, a, a.shape[:-2]) if calc_q else None
    for k in range(n - 2):
        x = H[..., k + 1 :, k]
        _, tau, scale = _reflector(xp, x[..., 0], _nrm2(xp, x[..., 1:]))
        v = copy(xp, x) * scale[..., None]
        v[..., 0] = 1.0
        t = tau[..., None]
        # H ← P H P with P = I − τ v vᵀ acting on rows/columns k+1:
        w = (v[..., None, :] @ H[..., k + 1 :, :])[..., 0, :]
        H[..., k + 1 :, :] -= (t * v)[..., :, None] * w[..., None, :]
        w = (H[..., :, k + 1 :] @ v[..., :, None])[..., 0]
        H[..., :, k + 1 :] -= w[..., :, None] * (t * v)[..., None, :]
        H[..., k + 2 :, k] = 0.0
        if calc_q:
            w = (Q[..., :, k + 1 :] @ v[..., :, None])[..., 0]
            Q[..., :, k + 1 :] -= w[..., :, None] * (t * v)[..., None, :]
    H = triu(xp, H, -1)
    return (H, Q) if calc_q else H
