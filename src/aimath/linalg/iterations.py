"""Vector iterations for one eigenpair: power, inverse and Rayleigh-quotient iteration.

Curriculum: B8. Each returns an :class:`EigenIteration` with the history of the eigenvalue
estimates and of the residuals, so the convergence rate can be read off.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from aimath.backend import as_generator, normal
from aimath.errors import ConvergenceError, DomainError, ShapeError, check_array
from aimath.linalg._utils import eye, prepare

__all__ = ["EigenIteration", "power_iteration", "inverse_iteration", "rayleigh_quotient_iteration"]


class EigenIteration(NamedTuple):
    """Result of a vector iteration."""

    eigenvalue: float
    eigenvector: object
    n_iter: int
    history: list  #: eigenvalue estimate after each step
    residuals: list  #: ‖Av − λv‖₂ after each step

    def __repr__(self) -> str:
        return f"EigenIteration(eigenvalue={float(self.eigenvalue):.6g}, n_iter={self.n_iter})"


def _start(A, x0, rng):
    xp, A = prepare(A, "A", square=True)
    if A.ndim != 2 or A.shape[0] == 0:
        raise ShapeError(f"A must be a non-empty single square matrix, got shape {tuple(A.shape)}")
    n = A.shape[0]
    if x0 is None:
        x = normal(as_generator(rng, like=A), (n,), dtype=A.dtype, like=A)
    else:
        check_array(x0, "x0", ndim=1, shape=(n,))
        x = xp.astype(xp.asarray(x0), A.dtype)
    nx = xp.sqrt(xp.sum(x * x))
    if float(nx) == 0:
        raise DomainError("x0 must be non-zero")
    return xp, A, x / nx


def _finish(xp, A, x, hist, res, k, tol, max_iter, name):
    if res[-1] > tol:
        raise ConvergenceError(f"{name} did not reach residual {tol:g} in {max_iter} iterations "
                               f"(last {res[-1]:.3g})", iterate=x, history=res)
    return EigenIteration(hist[-1], x, k, hist, res)


def _norm_scale(xp, A):
    return float(xp.max(xp.sum(xp.abs(A), axis=0))) or 1.0


def power_iteration(A, x0=None, *, tol=1e-10, max_iter=10_000, rng=None):
    r"""Power iteration for the dominant eigenpair :math:`|\lambda_1| > |\lambda_2| \ge \dots`.

    .. math::
        x_{k+1} = \frac{Ax_k}{\|Ax_k\|_2}, \qquad \lambda^{(k)} = x_k^\top A x_k,
        \qquad \angle(x_k, v_1) = O(|\lambda_2/\lambda_1|^k)

    Parameters
    ----------
    A : array of shape (n, n)
    x0 : array of shape (n,), optional
        Start vector (random from ``rng`` if omitted).
    tol : float
        Stop when :math:`\|Ax - \lambda x\|_2 \le \mathrm{tol}\,\|A\|_1`.
    max_iter : int
    rng : int, Generator or None

    Returns
    -------
    EigenIteration

    Raises
    ------
    ShapeError, DomainError
        Bad shapes, NaN/inf, zero start vector.
    ConvergenceError
        No convergence in ``max_iter`` steps (e.g. :math:`|\lambda_1| = |\lambda_2|`).

    Curriculum: B8.

    Examples
    --------
    >>> import numpy as np
    >>> r = power_iteration(np.diag([3.0, 1.0]), np.array([1.0, 1.0]))
    >>> round(float(r.eigenvalue), 8)
    3.0
    """
    xp, A, x = _start(A, x0, rng)
    scale = _norm_scale(xp, A)
    hist, res = [], []
    k = 0
    while k < max_iter:
        k += 1
        y = A @ x
        lam = float(xp.sum(x * y))
        hist.append(lam)
        res.append(float(xp.sqrt(xp.sum((y - lam * x) ** 2))) / scale)
        if res[-1] <= tol:
            break
        ny = xp.sqrt(xp.sum(y * y))
        if float(ny) == 0:
            raise DomainError("A x = 0: the start vector lies in the null space")
        x = y / ny
    return _finish(xp, A, x, hist, res, k, tol, max_iter, "power iteration")


def inverse_iteration(A, shift, x0=None, *, tol=1e-10, max_iter=1000, rng=None):
    r"""Inverse iteration: power iteration on :math:`(A - \mu I)^{-1}`, one LU factorisation.

    .. math::
        (A - \mu I) y = x_k, \qquad x_{k+1} = y/\|y\|_2, \qquad
        \text{rate } |\lambda_j - \mu| / |\lambda_i - \mu|

    converges to the eigenpair whose eigenvalue is closest to the shift :math:`\mu`.

    Raises
    ------
    ShapeError, DomainError
        Bad input; ``shift`` exactly an eigenvalue (singular shifted matrix).
    ConvergenceError

    Curriculum: B8.

    Examples
    --------
    >>> import numpy as np
    >>> r = inverse_iteration(np.diag([3.0, 1.0, -2.0]), 0.8, np.ones(3))
    >>> round(float(r.eigenvalue), 10)
    1.0
    """
    from aimath.linalg.lu import lu_factor, lu_solve

    xp, A, x = _start(A, x0, rng)
    n = A.shape[0]
    scale = _norm_scale(xp, A)
    F = lu_factor(A - float(shift) * eye(xp, n, A))
    hist, res = [], []
    k = 0
    while k < max_iter:
        k += 1
        y = lu_solve(F, x)
        x = y / xp.sqrt(xp.sum(y * y))
        Ax = A @ x
        lam = float(xp.sum(x * Ax))
        hist.append(lam)
        res.append(float(xp.sqrt(xp.sum((Ax - lam * x) ** 2))) / scale)
        if res[-1] <= tol:
            break
    return _finish(xp, A, x, hist, res, k, tol, max_iter, "inverse iteration")


def rayleigh_quotient_iteration(A, x0=None, *, tol=1e-12, max_iter=100, rng=None):
    r"""Rayleigh-quotient iteration: inverse iteration with the shift updated every step.

    .. math::
        \rho_k = \frac{x_k^\top A x_k}{x_k^\top x_k}, \qquad (A - \rho_k I) y = x_k,
        \qquad x_{k+1} = y / \|y\|

    Cubically convergent for symmetric :math:`A` (quadratically otherwise).

    Raises
    ------
    ShapeError, DomainError, ConvergenceError

    Curriculum: B8.

    Examples
    --------
    >>> import numpy as np
    >>> r = rayleigh_quotient_iteration(np.diag([3.0, 1.0]), np.array([1.0, 0.1]))
    >>> round(float(r.eigenvalue), 12)
    3.0
    """
    from aimath.linalg.lu import solve

    xp, A, x = _start(A, x0, rng)
    n = A.shape[0]
    scale = _norm_scale(xp, A)
    I = eye(xp, n, A)
    hist, res = [], []
    k = 0
    while k < max_iter:
        k += 1
        Ax = A @ x
        rho = float(xp.sum(x * Ax))
        hist.append(rho)
        res.append(float(xp.sqrt(xp.sum((Ax - rho * x) ** 2))) / scale)
        if res[-1] <= tol:
            break
        with np.errstate(all="ignore"):
            try:
                y = solve(A - rho * I, x)
            except DomainError:  # the shift hit an eigenvalue exactly: nudge it by an ulp of ‖A‖
                y = solve(A - (rho + 4 * float(np.finfo(np.float64).eps) * scale) * I, x)
        ny = xp.sqrt(xp.sum(y * y))
        if not bool(xp.isfinite(ny)):
            break
        x = y / ny
    return _finish(xp, A, x, hist, res, k, tol, max_iter, "Rayleigh-quotient iteration")
