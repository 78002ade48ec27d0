"""Armijo backtracking line search.

Curriculum: B12.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from aimath.errors import ConvergenceError, DomainError
from aimath.optim.optimizer import array_namespace, check_hyper

__all__ = ["ArmijoResult", "armijo"]


class ArmijoResult(NamedTuple):
    """The accepted step ``t``, the new point ``x + t d``, its value, and the number of function evaluations."""

    t: float
    x: object
    fun: float
    nfev: int


def armijo(fun: Callable, x, d, g, *, f0: float | None = None, t0: float = 1.0, c: float = 1e-4,
           shrink: float = 0.5, max_iter: int = 60) -> ArmijoResult:
    r"""Backtrack from ``t0`` until the Armijo sufficient-decrease condition holds.

    .. math::

        f(x + t d) \le f(x) + c\, t\, \nabla f(x)^\top d, \qquad t \in \{t_0, \rho t_0, \rho^2 t_0, \dots\}

    with :math:`d` = ``d`` a descent direction (:math:`\nabla f(x)^\top d < 0`), :math:`c` = ``c``
    and :math:`\rho` = ``shrink``. For an :math:`L`-smooth :math:`f` and :math:`d = -\nabla f(x)` the
    accepted step satisfies :math:`t \ge \min(t_0, 2\rho(1-c)/L)`.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> float``.
    x, d, g : array of the same shape
        Point, search direction and gradient at ``x``.
    f0 : float, optional
        ``fun(x)`` if already known.
    t0, c, shrink : float
        Initial step > 0, sufficient-decrease constant in (0, 1), shrink factor in (0, 1).
    max_iter : int
        Most backtracking steps.

    Returns
    -------
    ArmijoResult

    Raises
    ------
    DomainError
        If ``d`` is not a descent direction, or on bad constants.
    ConvergenceError
        If no step satisfies the condition within ``max_iter`` halvings.

    Curriculum: B12.

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda x: float(x @ x)
    >>> x = np.array([1.0, 1.0]); g = 2 * x
    >>> armijo(f, x, -g, g).t        # t = 1 overshoots to -x (no decrease); t = 0.5 lands on 0
    0.5
    """
    check_hyper("t0", t0, closed="none")
    check_hyper("c", c, low=0.0, high=1.0, closed="none")
    check_hyper("shrink", shrink, low=0.0, high=1.0, closed="none")
    xp = array_namespace(x, d, g)
    slope = float(xp.sum(g * d))
    if not slope < 0:
        raise DomainError(f"d must be a descent direction (grad·d < 0), got grad·d = {slope:.6g}")
    nfev = 0
    if f0 is None:
        f0, nfev = float(fun(x)), 1
    t = float(t0)
    for _ in range(max_iter):
        x_new = x + t * d
        f_new = float(fun(x_new))
        nfev += 1
        if f_new <= f0 + c * t * slope:  # NaN fails the test and shrinks t
            return ArmijoResult(t, x_new, f_new, nfev)
        t *= shrink
    raise ConvergenceError(f"armijo found no step with sufficient decrease in {max_iter} halvings "
                           f"(last t = {t:.3g}, grad·d = {slope:.3g})", iterate=x)
