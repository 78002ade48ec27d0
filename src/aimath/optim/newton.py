"""Newton's method: the step solving the local quadratic model, and the ``newton`` driver.

Curriculum: B12.
"""

from __future__ import annotations

from collections.abc import Callable

from aimath.errors import ShapeError, shape_of

__all__ = ["newton_direction", "newton_update", "newton"]


def _solve(H, g):
    """Solve ``H d = g`` with aimath's own LU solver."""
    from aimath.linalg import solve

    return solve(H, g)


def newton_direction(g, H):
    r"""The Newton direction :math:`d = -H^{-1} g`, by solving :math:`H d = -g` (never inverting).

    Parameters
    ----------
    g : array of shape (n,)
        Gradient.
    H : array of shape (n, n)
        Hessian.

    Raises
    ------
    ShapeError
        If ``H`` is not ``(n, n)`` for ``g`` of shape ``(n,)``.

    Curriculum: B12.
    """
    n = shape_of(g)
    if len(n) != 1 or shape_of(H) != (n[0], n[0]):
        raise ShapeError(f"newton needs a gradient of shape (n,) and a Hessian of shape (n, n), "
                         f"got {shape_of(g)} and {shape_of(H)}")
    return -_solve(H, g)


def newton_update(x, g, H, *, lr: float = 1.0):
    r"""One (damped) Newton step :math:`x_{k+1} = x_k - \eta\, \nabla^2 f(x_k)^{-1} \nabla f(x_k)`.

    Parameters
    ----------
    x, g : array of shape (n,)
        Point and gradient.
    H : array of shape (n, n)
        Hessian at ``x``.
    lr : float
        Damping :math:`\eta` (1 for the pure Newton step).

    Returns
    -------
    array of shape (n,)

    Curriculum: B12.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[3.0, 1.0], [1.0, 2.0]]); b = np.array([1.0, 1.0])
    >>> x = newton_update(np.zeros(2), -b, A)      # one step solves a quadratic: A x = b
    >>> np.allclose(A @ x, b)
    True
    """
    return x + lr * newton_direction(g, H)


def newton(fun: Callable, x0, *, grad: Callable | None = None, hess: Callable | None = None, lr: float = 1.0,
           steps: int = 50, tol: float | None = 1e-10, line_search: str | None = None,
           callback: Callable | None = None):
    r"""Minimise ``fun`` by Newton's method, :math:`x_{k+1} = x_k - \eta\,[\nabla^2 f(x_k)]^{-1}\nabla f(x_k)`.

    Near a minimiser with a Lipschitz Hessian the error squares each step:
    :math:`\|x_{k+1}-x^*\| \le \tfrac{M}{2\mu}\|x_k - x^*\|^2`. Gradient and Hessian come from
    ``grad``/``hess`` when given, else from :mod:`aimath.autodiff`. This is
    ``minimize(fun, x0, method="newton", ...)``; see :func:`aimath.optim.minimize` for the
    parameters and the result.

    Curriculum: B12.

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda x: float(np.sum(np.exp(x) - 2 * x))        # minimum at x = log 2
    >>> r = newton(f, np.zeros(3), grad=lambda x: np.exp(x) - 2, hess=lambda x: np.diag(np.exp(x)))
    >>> bool(np.allclose(r.x, np.log(2))), r.success
    (True, True)
    """
    from aimath.optim.minimize import minimize

    return minimize(fun, x0, method="newton", lr=lr, steps=steps, tol=tol, line_search=line_search, grad=grad,
                    hess=hess, callback=callback)
