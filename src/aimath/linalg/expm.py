"""The matrix exponential by scaling and squaring with a [13/13] Padé approximant.

Curriculum: B8 (matrix exponential, linear ODEs :math:`\\dot x = Ax`).
"""

from __future__ import annotations

import math

import numpy as np

from aimath.linalg._utils import eye, prepare
from aimath.linalg.lu import solve

__all__ = ["expm", "expm_taylor"]

# Higham (2005), "The scaling and squaring method for the matrix exponential revisited".
_B13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0, 129060195264000.0,
        10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0, 40840800.0, 960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152


def expm_taylor(A, terms=30):
    r"""Textbook truncated Taylor series :math:`\sum_{k<K} A^k/k!` (one matrix; for teaching).

    Accurate only for small :math:`\|A\|`: for large norms the terms grow before they shrink
    and cancellation destroys the result, which is why :func:`expm` scales first.

    Curriculum: B8.

    Examples
    --------
    >>> import numpy as np
    >>> round(float(expm_taylor(np.array([[1.0]]))[0, 0]), 12)
    2.718281828459
    """
    A = np.asarray(A, dtype=float)
    term, total = np.eye(A.shape[0]), np.eye(A.shape[0])
    for k in range(1, terms):
        term = term @ A / k
        total = total + term
    return total


def expm(A):
    r"""Matrix exponential :math:`e^A = \sum_k A^k/k!` (``scipy.linalg.expm``), batched.

    .. math::
        e^A = \big(r_{13}(2^{-s}A)\big)^{2^s}, \qquad r_{13} = q_{13}^{-1}p_{13},
        \qquad s = \max\big(0, \lceil \log_2(\|A\|_1/\theta_{13}) \rceil\big)

    Scaling brings :math:`\|2^{-s}A\|_1 \le \theta_{13} = 5.37`, where the [13/13] Padé
    approximant is accurate to double precision (Higham 2005); :math:`s` squarings undo the
    scaling. Each matrix of a batch gets its own :math:`s`.

    Parameters
    ----------
    A : array of shape (..., n, n)

    Returns
    -------
    array of shape (..., n, n)

    Raises
    ------
    ShapeError
        ``A`` not square.
    DomainError
        NaN/inf entries.

    Curriculum: B8.

    Examples
    --------
    >>> import numpy as np
    >>> np.round(expm(np.array([[0.0, 1.0], [-1.0, 0.0]])), 12)
    array([[ 0.54030231,  0.84147098],
           [-0.84147098,  0.54030231]])
    """
    xp, A = prepare(A, "A", square=True)
    n = A.shape[-1]
    if n == 0:
        return A * 0
    norm1 = xp.max(xp.sum(xp.abs(A), axis=-2), axis=-1)
    ratio = np.asarray(norm1.cpu() if hasattr(norm1, "cpu") else norm1, dtype=float) / _THETA13
    with np.errstate(divide="ignore"):
        s_np = np.maximum(0, np.ceil(np.log2(np.maximum(ratio, 1e-300)))).astype(int)
    s = xp.asarray(s_np, device=A.device) if hasattr(A, "device") and not isinstance(A, np.ndarray) else s_np
    scale = xp.asarray(2.0, dtype=A.dtype) ** (-xp.astype(xp.asarray(s), A.dtype))
    X = A * scale[..., None, None]
    b = _B13
    I = eye(xp, n, X)
    X2 = X @ X
    X4 = X2 @ X2
    X6 = X4 @ X2
    U = X @ (X6 @ (b[13] * X6 + b[11] * X4 + b[9] * X2) + b[7] * X6 + b[5] * X4 + b[3] * X2 + b[1] * I)
    V = X6 @ (b[12] * X6 + b[10] * X4 + b[8] * X2) + b[6] * X6 + b[4] * X4 + b[2] * X2 + b[0] * I
    R = solve(V - U, V + U)
    smax = int(s_np.max()) if s_np.size else 0
    for k in range(smax):
        need = xp.asarray(s_np > k) if isinstance(R, np.ndarray) else xp.asarray(s_np > k, device=R.device)
        R = xp.where(need[..., None, None], R @ R, R)
    return R


_ = math
