"""What the SVD is for: pseudoinverse, least squares, condition number, low-rank approximation.

Curriculum: B6 (least squares by QR), B10 (pseudoinverse, Eckart–Young, condition number,
randomized SVD).
"""

from __future__ import annotations

import numpy as np

from aimath.backend import as_generator, namespace, normal
from aimath.errors import DomainError, ShapeError, check_array
from aimath.linalg._utils import diag, eps, mT, prepare, rhs
from aimath.linalg.qr import qr
from aimath.linalg.svd import svd, svdvals
from aimath.linalg.triangular import solve_triangular

__all__ = ["pinv", "lstsq", "cond", "low_rank_approx", "randomized_svd"]


def pinv(a, rtol=None):
    r"""Moore–Penrose pseudoinverse from the SVD (``numpy.linalg.pinv``), batched.

    .. math::
        A^+ = V \Sigma^+ U^\top, \qquad \Sigma^+_{ii} = 1/\sigma_i \text{ if } \sigma_i > \mathrm{rtol}\,\sigma_1
        \text{ else } 0

    :math:`X = A^+` is the unique solution of the Penrose equations :math:`AXA = A`,
    :math:`XAX = X`, :math:`(AX)^\top = AX`, :math:`(XA)^\top = XA`.

    Parameters
    ----------
    a : array of shape (..., m, n)
    rtol : float, optional
        Relative cut-off (default ``max(m, n)·ε``).

    Returns
    -------
    array of shape (..., n, m)

    Raises
    ------
    ShapeError, DomainError

    Curriculum: B10.

    Examples
    --------
    >>> import numpy as np
    >>> pinv(np.array([[2.0, 0.0], [0.0, 0.0]]))
    array([[0.5, 0. ],
           [0. , 0. ]])
    """
    xp, a = prepare(a, "a")
    m, n = a.shape[-2:]
    if m == 0 or n == 0:
        return xp.zeros((*a.shape[:-2], n, m), dtype=a.dtype)
    U, s, Vh = svd(a, full_matrices=False)
    r = max(m, n) * eps(a) if rtol is None else rtol
    cut = r * s[..., :1]
    sinv = xp.where(s > cut, 1 / xp.where(s > cut, s, xp.ones_like(s)), xp.zeros_like(s))
    return (mT(Vh) * sinv[..., None, :]) @ mT(U)


def lstsq(a, b, rcond=None, *, method="svd"):
    r"""Least-squares solution of :math:`\min_x \|ax - b\|_2` (``numpy.linalg.lstsq``).

    .. math::
        x = A^+ b = V\Sigma^+U^\top b \quad\text{(minimum-norm among minimisers)}

    ``method='qr'`` solves :math:`Rx = Q^\top b` for full-column-rank ``a`` (m ≥ n).

    Parameters
    ----------
    a : array of shape (m, n)
    b : array of shape (m,) or (m, k)
    rcond : float, optional
        Singular values below ``rcond·σ₁`` are treated as zero (default ``max(m,n)·ε``).
    method : {'svd', 'qr'}

    Returns
    -------
    x : array of shape (n,) or (n, k)
    residuals : array of shape (k,) or (1,) or (0,)
        Squared residual norms when ``rank == n < m``, else empty (as NumPy).
    rank : int
    s : array of shape (min(m, n),)
        Singular values of ``a`` (for ``method='qr'``: ``|diag R|``, unsorted).

    Raises
    ------
    ShapeError
        Mismatched rows.
    DomainError
        NaN/inf; with ``method='qr'``, a rank-deficient ``a``.

    Curriculum: B6, B10.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    >>> x, res, rank, s = lstsq(A, np.array([1.0, 2.0, 4.0]))
    >>> bool(np.allclose(x, [5 / 6, 1.5])), rank
    (True, 2)
    """
    xp, a = prepare(a, "a")
    if a.ndim != 2:
        raise ShapeError(f"a must be a single matrix (m, n), got shape {tuple(a.shape)}")
    check_array(b, "b", min_ndim=1)
    m, n = a.shape
    if b.shape[0] != m or b.ndim > 2:
        raise ShapeError(f"b must have shape ({m},) or ({m}, k) to match a, got shape {tuple(b.shape)}")
    vec = b.ndim == 1
    B = xp.astype(b[:, None] if vec else b, a.dtype)
    if method == "qr":
        if m < n:
            raise ShapeError("method='qr' needs m ≥ n")
        Q, R = qr(a)
        d = xp.abs(diag(R))
        if n and bool(xp.any(d <= max(m, n) * eps(a) * xp.max(d))):
            raise DomainError("a is rank deficient; use method='svd'")
        X = solve_triangular(R, mT(Q) @ B)
        rank, s = n, d
    elif method == "svd":
        U, s, Vh = svd(a, full_matrices=False)
        r = max(m, n) * eps(a) if rcond is None else rcond
        keep = s > r * (s[0] if s.shape[0] else 0)
        rank = int(xp.sum(xp.astype(keep, xp.int64)))
        sinv = xp.where(keep, 1 / xp.where(keep, s, xp.ones_like(s)), xp.zeros_like(s))
        X = mT(Vh) @ (sinv[:, None] * (mT(U) @ B))
    else:
        raise ValueError(f"method must be 'svd' or 'qr', got {method!r}")
    if rank == n and m > n:
        R_ = a @ X - B
        res = xp.sum(R_ * R_, axis=0)
    else:
        res = xp.zeros((0,), dtype=a.dtype)
    return (X[:, 0] if vec else X), res, rank, s


def cond(x, p=None):
    r"""Condition number :math:`\kappa(A) = \|A\|\,\|A^{-1}\|` (``numpy.linalg.cond``).

    .. math::
        \kappa_2(A) = \sigma_{\max}/\sigma_{\min}

    ``p`` in ``{None, 2, -2}`` uses singular values (any shape; ``inf`` for singular matrices),
    other norms (``'fro'``, 1, -1, inf, -inf, 'nuc') need square matrices and an inverse.

    Raises
    ------
    ShapeError, DomainError

    Curriculum: B10.

    Examples
    --------
    >>> import numpy as np
    >>> float(cond(np.diag([10.0, 0.1])))
    100.0
    """
    xp, x = prepare(x, "x")
    if p in (None, 2, -2):
        s = svdvals(x)
        with np.errstate(divide="ignore"):
            r = s[..., 0] / s[..., -1]
        return r if p != -2 else 1 / r
    from aimath.linalg.lu import inv
    from aimath.linalg.norms import matrix_norm

    try:
        xi = inv(x)
    except DomainError:
        return xp.full(x.shape[:-2], float("inf"), dtype=x.dtype)
    return matrix_norm(x, p) * matrix_norm(xi, p)


def low_rank_approx(A, k):
    r"""Best rank-``k`` approximation :math:`A_k = \sum_{i \le k} \sigma_i u_i v_i^\top`.

    Eckart–Young–Mirsky: :math:`\|A - A_k\|_2 = \sigma_{k+1}` and
    :math:`\|A - A_k\|_F = (\sum_{i>k}\sigma_i^2)^{1/2}`, the minimum over all rank-k matrices.

    Parameters
    ----------
    A : array of shape (..., m, n)
    k : int, 0 ≤ k ≤ min(m, n)

    Returns
    -------
    array of shape (..., m, n)

    Raises
    ------
    ShapeError, DomainError
        Bad shapes, NaN/inf, ``k`` out of range.

    Curriculum: B10.

    Examples
    --------
    >>> import numpy as np
    >>> low_rank_approx(np.diag([3.0, 1.0]), 1)
    array([[3., 0.],
           [0., 0.]])
    """
    xp, A = prepare(A, "A")
    kmax = min(A.shape[-2:])
    if not (isinstance(k, int | np.integer) and 0 <= k <= kmax):
        raise DomainError(f"k must be an integer in [0, {kmax}], got {k!r}")
    U, s, Vh = svd(A, full_matrices=False)
    return (U[..., :, :k] * s[..., None, :k]) @ Vh[..., :k, :]


def randomized_svd(A, k, oversample=10, n_iter=2, rng=None):
    r"""Randomized truncated SVD (Halko, Martinsson & Tropp 2011).

    .. math::
        Y = (AA^\top)^{q} A\Omega,\ \ \Omega \sim \mathcal N(0,1)^{n \times (k+p)},\quad Q = \operatorname{qr}(Y),
        \quad Q^\top A = \tilde U \Sigma V^\top,\quad U = Q\tilde U

    With :math:`q` power iterations (re-orthonormalised by QR each time) the error
    :math:`\|A - U_k\Sigma_k V_k^\top\|_2` is close to the optimum :math:`\sigma_{k+1}`.

    Parameters
    ----------
    A : array of shape (m, n)
    k : int, 1 ≤ k ≤ min(m, n)
    oversample : int
        Extra columns :math:`p`.
    n_iter : int
        Power iterations :math:`q`.
    rng : int, Generator or None

    Returns
    -------
    U : array of shape (m, k)
    s : array of shape (k,)
    Vh : array of shape (k, n)

    Raises
    ------
    ShapeError, DomainError

    Curriculum: B10.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.outer(np.arange(1.0, 6.0), np.ones(4))
    >>> U, s, Vh = randomized_svd(A, 1, rng=0)
    >>> round(float(s[0]), 10) == round(float(np.sqrt(55 * 4)), 10)
    True
    """
    xp, A = prepare(A, "A")
    if A.ndim != 2:
        raise ShapeError(f"A must be a single matrix (m, n), got shape {tuple(A.shape)}")
    m, n = A.shape
    if not (isinstance(k, int | np.integer) and 1 <= k <= min(m, n)):
        raise DomainError(f"k must be an integer in [1, {min(m, n)}], got {k!r}")
    ell = min(k + int(oversample), min(m, n))
    g = as_generator(rng, like=A)
    Omega = normal(g, (n, ell), dtype=A.dtype, like=A)
    Q, _ = qr(A @ Omega)
    for _ in range(int(n_iter)):
        W, _ = qr(mT(A) @ Q)
        Q, _ = qr(A @ W)
    Ub, s, Vh = svd(mT(Q) @ A, full_matrices=False)
    return (Q @ Ub)[:, :k], s[:k], Vh[:k, :]


_ = (namespace, rhs)
