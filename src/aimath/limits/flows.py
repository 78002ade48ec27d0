"""Optimizers as discretised ODEs: gradient flow, modified equations, heavy-ball and Nesterov ODEs,
residual networks as Euler steps.

Curriculum: B20.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aimath.backend import namespace
from aimath.errors import DomainError, check_array
from aimath.limits.odeint import odeint

__all__ = ["gradient_flow", "gd_trajectory", "flow_vs_gd", "modified_flow", "heavy_ball_ode", "heavy_ball_trajectory",
           "nesterov_ode", "nesterov_trajectory", "resnet_euler"]


def _times(T, n_out):
    if T <= 0:
        raise DomainError(f"T must be positive, got {T}")
    return np.linspace(0.0, float(T), int(n_out))


def gradient_flow(grad_f: Callable, x0, T: float | None = None, *, ts=None, n_out: int = 101, rtol: float = 1e-10,
                  atol: float = 1e-12):
    r"""The gradient flow :math:`\dot X = -\nabla f(X)`, :math:`X(0) = x_0`, solved with Dormand–Prince.

    Parameters
    ----------
    grad_f : callable ``x -> ∇f(x)`` (batched over leading axes of ``x``)
    x0 : array of shape (..., d)
    T : float, optional
        Final time (with ``n_out`` equally spaced outputs), unless ``ts`` is given.
    ts : 1-D array, optional
        Output times starting at 0.

    Returns
    -------
    (ts, X) with X of shape ``(len(ts),) + x0.shape``

    Curriculum: B20.
    """
    ts = _times(T, n_out) if ts is None else np.asarray(ts, dtype=np.float64)
    return ts, odeint(lambda t, x: -grad_f(x), x0, ts, rtol=rtol, atol=atol)


def gd_trajectory(grad_f: Callable, x0, eta: float, steps: int):
    r"""Gradient-descent iterates :math:`x_{k+1} = x_k - \eta \nabla f(x_k)`, the Euler scheme of the flow.

    Returns
    -------
    array of shape ``(steps + 1,) + x0.shape``

    Curriculum: B20.
    """
    if eta <= 0:
        raise DomainError(f"eta must be positive, got {eta}")
    check_array(x0, "x0")
    xp = namespace(x0)
    xs = [x0]
    x = x0
    for _ in range(int(steps)):
        x = x - eta * grad_f(x)
        xs.append(x)
    return xp.stack(xs)


def flow_vs_gd(grad_f: Callable, x0, etas, T: float, *, hess_f: Callable | None = None, modified: bool = False):
    r"""Largest distance between GD iterates and the flow at matching times, for each step size.

    .. math::
        e(\eta) = \max_{k \le T/\eta} \| x_k - X(k\eta) \|

    With ``modified=True`` the flow is the modified equation
    :math:`\dot X = -\nabla\big(f + \tfrac{\eta}{4}\|\nabla f\|^2\big)(X)` (needs ``hess_f``), which
    GD follows to second order: :math:`e(\eta) = O(\eta^2)` instead of :math:`O(\eta)`.

    Returns
    -------
    array of shape (len(etas),)

    Curriculum: B20.
    """
    errs = []
    for eta in etas:
        n = int(round(T / eta))
        ts = np.arange(n + 1) * eta
        xs = gd_trajectory(grad_f, x0, eta, n)
        field = modified_flow(grad_f, hess_f, eta) if modified else (lambda t, x: -grad_f(x))
        X = odeint(field, x0, ts, rtol=1e-11, atol=1e-13)
        diff = xs - X
        errs.append(float(np.max(np.sqrt(np.sum(np.asarray(diff) ** 2, axis=-1)))))
    return np.array(errs)


def modified_flow(grad_f: Callable, hess_f: Callable | None, eta: float) -> Callable:
    r"""The vector field of GD's first modified equation.

    .. math::
        \dot X = -\nabla \tilde f_\eta(X), \qquad
        \tilde f_\eta = f + \frac{\eta}{4}\|\nabla f\|^2, \qquad
        \nabla \tilde f_\eta = \nabla f + \frac{\eta}{2} \nabla^2 f\, \nabla f

    Parameters
    ----------
    grad_f : callable ``x -> ∇f(x)``
    hess_f : callable ``x -> ∇²f(x)`` of shape (..., d, d)
    eta : float

    Returns
    -------
    callable ``F(t, x)``

    Curriculum: B20.
    """
    if hess_f is None:
        raise DomainError("modified_flow needs hess_f (the Hessian of f)")

    def field(t, x):
        g = grad_f(x)
        Hg = (hess_f(x) @ g[..., None])[..., 0]
        return -(g + 0.5 * eta * Hg)

    return field


def heavy_ball_ode(grad_f: Callable, damping: float) -> Callable:
    r"""First-order form of the heavy-ball ODE :math:`\ddot X + a \dot X + \nabla f(X) = 0`.

    The state is ``z = [x, v]`` stacked on the last axis (shape (..., 2d)):
    :math:`\dot x = v`, :math:`\dot v = -a v - \nabla f(x)`. Heavy-ball momentum
    :math:`x_{k+1} = x_k - \eta\nabla f(x_k) + \beta (x_k - x_{k-1})` discretises it with
    :math:`\beta = 1 - a\sqrt\eta` at time scale :math:`t = k\sqrt\eta`.

    Curriculum: B20.
    """
    if damping < 0:
        raise DomainError(f"damping must be non-negative, got {damping}")

    def field(t, z):
        d = z.shape[-1] // 2
        x, v = z[..., :d], z[..., d:]
        xp = namespace(z)
        return xp.concat([v, -damping * v - grad_f(x)], axis=-1)

    return field


def heavy_ball_trajectory(grad_f: Callable, x0, eta: float, beta: float, steps: int):
    r"""Heavy-ball iterates :math:`x_{k+1} = x_k - \eta \nabla f(x_k) + \beta (x_k - x_{k-1})`, :math:`x_{-1} = x_0`.

    Curriculum: B20.
    """
    xp = namespace(x0)
    xs, prev, x = [x0], x0, x0
    for _ in range(int(steps)):
        x, prev = x - eta * grad_f(x) + beta * (x - prev), x
        xs.append(x)
    return xp.stack(xs)


def nesterov_ode(grad_f: Callable, x0, ts, *, rtol: float = 1e-10, atol: float = 1e-12, t_start: float = 1e-6):
    r"""Solve the Nesterov ODE :math:`\ddot X + \tfrac{3}{t}\dot X + \nabla f(X) = 0` from rest at :math:`x_0`.

    The coefficient :math:`3/t` is singular at :math:`t = 0`; the solution starts at
    ``t_start`` from its series :math:`X(t) = x_0 - \tfrac{t^2}{8}\nabla f(x_0) + O(t^4)`,
    :math:`\dot X(t) = -\tfrac{t}{4}\nabla f(x_0) + O(t^3)`, then Dormand–Prince takes over.

    Returns
    -------
    array of shape ``(len(ts),) + x0.shape`` (``ts[0]`` must be 0)

    Curriculum: B20.
    """
    ts = np.asarray(ts, dtype=np.float64)
    if ts[0] != 0.0:
        raise DomainError(f"ts must start at 0, got {ts[0]}")
    xp = namespace(x0)
    g0 = grad_f(x0)
    t0 = min(t_start, 0.5 * ts[1]) if ts.size > 1 else t_start
    z0 = xp.concat([x0 - (t0**2 / 8) * g0, -(t0 / 4) * g0], axis=-1)
    d = x0.shape[-1]

    def field(t, z):
        x, v = z[..., :d], z[..., d:]
        return xp.concat([v, -(3.0 / t) * v - grad_f(x)], axis=-1)

    zs = odeint(field, z0, np.concatenate([[t0], ts[1:]]), rtol=rtol, atol=atol)
    return xp.concat([x0[None], zs[1:, ..., :d]], axis=0)


def nesterov_trajectory(grad_f: Callable, x0, s: float, steps: int):
    r"""Nesterov's accelerated gradient with step ``s`` in Su–Boyd–Candès form.

    .. math::
        x_k = y_{k-1} - s \nabla f(y_{k-1}), \qquad y_k = x_k + \frac{k-1}{k+2}(x_k - x_{k-1}),
        \qquad y_0 = x_0

    As :math:`s \to 0`, :math:`x_k \approx X(k\sqrt s)` for the Nesterov ODE.

    Curriculum: B20.
    """
    xp = namespace(x0)
    xs, x_prev, y = [x0], x0, x0
    for k in range(1, int(steps) + 1):
        x = y - s * grad_f(y)
        y = x + ((k - 1) / (k + 2)) * (x - x_prev)
        x_prev = x
        xs.append(x)
    return xp.stack(xs)


def resnet_euler(field: Callable, x0, depth: int, T: float = 1.0):
    r"""A residual network as Euler steps: :math:`x_{l+1} = x_l + \tfrac{T}{L} F(t_l, x_l)`, :math:`l < L`.

    With ``depth`` L → ∞ the output converges to the ODE solution :math:`X(T)` of
    :math:`\dot X = F(t, X)` at first order in :math:`1/L`.

    Returns
    -------
    array of ``x0``'s shape: the network's output.

    Curriculum: B20.
    """
    if depth < 1:
        raise DomainError(f"depth must be a positive integer, got {depth}")
    h = T / depth
    x = x0
    for layer in range(depth):
        x = x + h * field(layer * h, x)
    return x
