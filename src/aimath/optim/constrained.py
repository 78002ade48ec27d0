"""Constrained problems: equality-constrained quadratic programs through their KKT system, and
projected gradient descent on a box.

Curriculum: B12.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from aimath.backend import asarray
from aimath.errors import ConvergenceError, DomainError, ShapeError, check_array, check_matrix, shape_of
from aimath.optim.newton import _solve
from aimath.optim.optimizer import array_namespace, check_hyper

__all__ = ["KKTResult", "kkt_solve", "project_box", "projected_gradient"]


class KKTResult(NamedTuple):
    """Solution of an equality-constrained QP.

    Attributes
    ----------
    x : array of shape (n,)
        The minimiser.
    multipliers : array of shape (m,)
        Lagrange multipliers :math:`\\lambda` of :math:`Ax = b`.
    stationarity : float
        :math:`\\|Qx + c + A^\\top\\lambda\\|_\\infty`.
    feasibility : float
        :math:`\\|Ax - b\\|_\\infty`.
    """

    x: Any
    multipliers: Any
    stationarity: float
    feasibility: float


def kkt_solve(Q, c, A, b) -> KKTResult:
    r"""Minimise :math:`\tfrac12 x^\top Q x + c^\top x` subject to :math:`Ax = b` via the KKT system.

    The Lagrangian :math:`L(x, \lambda) = \tfrac12 x^\top Q x + c^\top x + \lambda^\top (Ax - b)` is
    stationary where

    .. math::

        \begin{pmatrix} Q & A^\top \\ A & 0 \end{pmatrix}
        \begin{pmatrix} x \\ \lambda \end{pmatrix} = \begin{pmatrix} -c \\ b \end{pmatrix},

    solved here with :func:`aimath.linalg.solve` (LU with partial pivoting; the matrix is
    symmetric indefinite). The point is the unique minimiser when :math:`A` has full row rank and
    :math:`Q` is positive definite on the null space of :math:`A`.

    Parameters
    ----------
    Q : array of shape (n, n)
        Symmetric.
    c : array of shape (n,)
    A : array of shape (m, n)
        Constraint matrix, ``m <= n``.
    b : array of shape (m,)

    Returns
    -------
    KKTResult
        ``x``, ``multipliers`` and the two residuals.

    Raises
    ------
    ShapeError
        On inconsistent shapes or ``m > n``.
    DomainError
        On non-finite input, non-symmetric ``Q``, or a singular KKT matrix.

    Curriculum: B12.

    Examples
    --------
    >>> import numpy as np
    >>> r = kkt_solve(np.eye(2), np.zeros(2), np.array([[1.0, 1.0]]), np.array([2.0]))  # min ½|x|² s.t. x1+x2=2
    >>> np.round(r.x, 12), np.round(r.multipliers, 12)
    (array([1., 1.]), array([-1.]))
    """
    check_matrix(Q, "Q", square=True, symmetric=True, batched=False)
    check_matrix(A, "A", batched=False)
    n = shape_of(Q)[0]
    m = shape_of(A)[0]
    check_array(c, "c", shape=(n,), ndim=1)
    check_array(b, "b", shape=(m,), ndim=1)
    if shape_of(A)[1] != n:
        raise ShapeError(f"A must have n = {n} columns to match Q, got shape {shape_of(A)}")
    if m > n:
        raise ShapeError(f"A must have at most n = {n} rows (constraints), got shape {shape_of(A)}")
    xp = array_namespace(Q, c, A, b)
    K = xp.concat([xp.concat([Q, xp.matrix_transpose(A)], axis=1),
                   xp.concat([A, xp.zeros((m, m), dtype=Q.dtype)], axis=1)], axis=0)
    rhs = xp.concat([-c, b])
    sol = _solve(K, rhs)
    if not bool(xp.all(xp.isfinite(sol))):
        raise DomainError("the KKT matrix is singular: A must have full row rank and Q be positive definite "
                          "on the null space of A")
    x, lam = sol[:n], sol[n:]
    stat = float(xp.max(xp.abs(Q @ x + c + xp.matrix_transpose(A) @ lam))) if n else 0.0
    feas = float(xp.max(xp.abs(A @ x - b))) if m else 0.0
    return KKTResult(x, lam, stat, feas)


def project_box(x, lower, upper):
    r"""Euclidean projection onto the box :math:`\{l \le x \le u\}`: :math:`\min(\max(x, l), u)` entrywise."""
    xp = array_namespace(x)
    return xp.minimum(xp.maximum(x, lower), upper)


def projected_gradient(fun: Callable, x0, lower, upper, *, lr: float, steps: int = 1000,
                       grad: Callable | None = None, tol: float | None = None, callback: Callable | None = None):
    r"""Projected gradient descent on a box: :math:`x_{k+1} = P_{[l, u]}(x_k - \eta \nabla f(x_k))`.

    For convex :math:`L`-smooth :math:`f` and :math:`\eta \le 1/L` the iterates converge to a
    minimiser over the box; the stopping residual is the projected-gradient norm
    :math:`\|x - P_{[l,u]}(x - \nabla f(x))\|_2`, zero exactly at the KKT points of the box problem.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> scalar``.
    x0 : array
        Start (projected onto the box first).
    lower, upper : float or array broadcastable to ``x0``
        Bounds, ``lower <= upper`` (``±inf`` allowed).
    lr : float
        Step size :math:`\eta > 0`.
    steps : int
    grad : callable, optional
        From :mod:`aimath.autodiff` when omitted.
    tol : float, optional
        Stop once the projected-gradient residual is ``<= tol``.
    callback : callable, optional
        ``callback(k, x, f)``; returning ``True`` stops.

    Returns
    -------
    aimath.optim.OptimizeResult

    Raises
    ------
    DomainError
        If ``lower > upper`` somewhere or ``lr <= 0``.
    ConvergenceError
        If the run produces NaN/inf.

    Curriculum: B12.

    Examples
    --------
    >>> import numpy as np
    >>> f = lambda x: float(np.sum((x - 2.0) ** 2))
    >>> r = projected_gradient(f, np.zeros(2), -1.0, np.array([1.0, 5.0]), lr=0.25, grad=lambda x: 2 * (x - 2))
    >>> np.round(r.x, 10)
    array([1., 2.])
    """
    from aimath.optim.minimize import OptimizeResult, _oracle

    check_hyper("lr", lr, closed="none")
    x = asarray(x0, dtype="float", copy=True)
    check_array(x, "x0")
    xp = array_namespace(x)
    lo = asarray(lower, like=x, dtype=x.dtype)
    hi = asarray(upper, like=x, dtype=x.dtype)
    if bool(xp.any(lo > hi)):
        raise DomainError("lower must be <= upper everywhere, got lower > upper in some entries")
    fg = _oracle(fun, grad, x)
    x = project_box(x, lo, hi)
    f, g = fg(x)
    history, nit, success, message = [f], 0, True, f"completed {steps} steps"

    def residual(x, g):
        r = x - project_box(x - g, lo, hi)
        return math.sqrt(float(xp.sum(r * r)))

    for k in range(int(steps)):
        if tol is not None and residual(x, g) <= tol:
            message = f"projected-gradient residual <= tol = {tol:g}"
            break
        x = project_box(x - lr * g, lo, hi)
        f, g = fg(x)
        nit = k + 1
        if not math.isfinite(f) or not bool(xp.all(xp.isfinite(x))):
            raise ConvergenceError(f"projected_gradient diverged at iteration {nit}: fun = {f}", iterate=x,
                                   history=history + [f])
        history.append(f)
        if callback is not None and callback(k, x, f):
            message = "stopped by callback"
            break
    else:
        if tol is not None and residual(x, g) > tol:
            success, message = False, f"projected-gradient residual {residual(x, g):.3g} > tol after {steps} steps"
    return OptimizeResult(x, history[-1], g, nit, nit + 1, np.asarray(history), success, message)


