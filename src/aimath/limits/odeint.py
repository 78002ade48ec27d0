"""Ordinary differential equations: fixed-step Euler, Heun and RK4, adaptive Dormand–Prince.

``odeint(f, y0, ts)`` follows SciPy's ``solve_ivp`` argument order, ``f(t, y)``, and returns the
solution at every time of ``ts``. The state may be any array (a batch of initial conditions in
its leading axes): ``f`` is called on the whole batch at once and one step size serves it all.

Curriculum: B20.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from aimath.backend import float_dtype, namespace
from aimath.errors import ConvergenceError, DomainError, check_array

__all__ = ["odeint", "ODE_METHODS", "euler_step", "heun_step", "rk4_step", "dormand_prince_step"]

# Butcher tableau of Dormand–Prince 5(4): nodes c, stages a, fifth-order weights b, error weights e = b − b̂
_C = (0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0)
_A = (
    (),
    (1 / 5,),
    (3 / 40, 9 / 40),
    (44 / 45, -56 / 15, 32 / 9),
    (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
    (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
    (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84),
)
_B = (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.0)
_B_HAT = (5179 / 57600, 0.0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40)
_E = tuple(b - bh for b, bh in zip(_B, _B_HAT, strict=True))


def euler_step(f: Callable, t: float, y, h: float):
    r"""One explicit Euler step, :math:`y_{n+1} = y_n + h f(t_n, y_n)` (order 1)."""
    return y + h * f(t, y)


def heun_step(f: Callable, t: float, y, h: float):
    r"""One Heun (explicit trapezoid) step, order 2.

    .. math:: k_1 = f(t, y),\quad k_2 = f(t + h, y + h k_1),\quad y_{n+1} = y_n + \tfrac h2 (k_1 + k_2)
    """
    k1 = f(t, y)
    k2 = f(t + h, y + h * k1)
    return y + (0.5 * h) * (k1 + k2)


def rk4_step(f: Callable, t: float, y, h: float):
    r"""One classical Runge–Kutta step, order 4.

    .. math::
        y_{n+1} = y_n + \tfrac h6 (k_1 + 2k_2 + 2k_3 + k_4),\quad
        k_1 = f(t, y),\ k_2 = f(t+\tfrac h2, y+\tfrac h2 k_1),\ k_3 = f(t+\tfrac h2, y+\tfrac h2 k_2),\
        k_4 = f(t+h, y+hk_3)
    """
    k1 = f(t, y)
    k2 = f(t + 0.5 * h, y + (0.5 * h) * k1)
    k3 = f(t + 0.5 * h, y + (0.5 * h) * k2)
    k4 = f(t + h, y + h * k3)
    return y + (h / 6.0) * (k1 + 2 * k2 + 2 * k3 + k4)


def dormand_prince_step(f: Callable, t: float, y, h: float, k1=None):
    """One Dormand–Prince 5(4) step: returns ``(y_new, error_estimate, k7)``.

    The fifth-order solution is propagated; the difference to the embedded fourth-order one
    estimates the local error. ``k7 = f(t + h, y_new)`` is the next step's ``k1`` (FSAL).
    """
    ks = [f(t, y) if k1 is None else k1]
    for i in range(1, 7):
        yi = y
        for j, a in enumerate(_A[i]):
            if a != 0.0:
                yi = yi + (h * a) * ks[j]
        ks.append(f(t + _C[i] * h, yi))
    y_new = y
    for b, k in zip(_B, ks, strict=True):
        if b != 0.0:
            y_new = y_new + (h * b) * k
    err = 0.0
    for e, k in zip(_E, ks, strict=True):
        if e != 0.0:
            err = err + (h * e) * k
    return y_new, err, ks[6]


ODE_METHODS = {"euler": (euler_step, 1), "heun": (heun_step, 2), "rk4": (rk4_step, 4), "rk45": (None, 5)}


def odeint(f: Callable, y0, ts, *, method: str = "rk45", rtol: float = 1e-7, atol: float = 1e-10,
           step_size: float | None = None, first_step: float | None = None, max_steps: int = 1_000_000):
    r"""Solve :math:`\dot y = f(t, y)`, :math:`y(t_0) = y_0`, and return :math:`y` at each time of ``ts``.

    .. math::
        y(t) = y_0 + \int_{t_0}^{t} f(s, y(s))\, ds

    Parameters
    ----------
    f : callable ``f(t, y) -> array`` of ``y``'s shape
    y0 : array of any shape (a batch of states is fine)
    ts : 1-D array of increasing times; ``ts[0]`` is the initial time.
    method : {"euler", "heun", "rk4", "rk45"}
        Fixed-step Euler (order 1), Heun (2), classical Runge–Kutta (4), or adaptive
        Dormand–Prince 5(4) with local error control.
    rtol, atol : float
        rk45 only: each step keeps the RMS of ``err / (atol + rtol·max(|y|, |y_new|))`` ≤ 1.
    step_size : float, optional
        Fixed-step methods: largest step; each interval of ``ts`` is split into equal steps no
        longer than this (default: one step per interval).
    first_step : float, optional
        rk45: initial step (default: chosen from the scales of ``y0`` and ``f(t0, y0)``).
    max_steps : int
        rk45: give up (``ConvergenceError``) after this many attempted steps.

    Returns
    -------
    array of shape ``(len(ts),) + y0.shape``
        rk45 steps exactly onto each requested time, so no interpolation error is added.

    Raises
    ------
    DomainError
        ``ts`` not strictly increasing or not finite, non-positive tolerances or step size.
    ConvergenceError
        ``f`` returned non-finite values, or the step size underflowed.

    Curriculum: B20.

    Examples
    --------
    >>> import numpy as np
    >>> ys = odeint(lambda t, y: -y, np.array([1.0]), np.array([0.0, 1.0]), rtol=1e-10)
    >>> round(float(ys[-1, 0]), 8)
    0.36787944
    """
    if method not in ODE_METHODS:
        raise ValueError(f"method must be one of {sorted(ODE_METHODS)}, got {method!r}")
    xp = namespace(y0)
    y = y0 if hasattr(y0, "shape") else np.asarray(y0)
    dt = float_dtype(y, xp)
    if y.dtype != dt:
        y = xp.astype(y, dt)
    check_array(y, "y0")
    ts_np = np.asarray(ts.detach().cpu() if hasattr(ts, "detach") else ts, dtype=np.float64)
    if ts_np.ndim != 1 or ts_np.size < 1:
        raise DomainError(f"ts must be a non-empty 1-D array of times, got shape {ts_np.shape}")
    if not np.all(np.isfinite(ts_np)) or np.any(np.diff(ts_np) <= 0):
        raise DomainError("ts must be finite and strictly increasing")
    out = [y]
    if method != "rk45":
        step, _ = ODE_METHODS[method]
        if step_size is not None and step_size <= 0:
            raise DomainError(f"step_size must be positive, got {step_size}")
        times = ts_np.tolist()  # Python floats: a NumPy float64 scalar would promote float32 states
        for t0, t1 in zip(times[:-1], times[1:], strict=True):
            n = 1 if step_size is None else max(1, math.ceil((t1 - t0) / step_size - 1e-12))
            h = (t1 - t0) / n
            for j in range(n):
                y = step(f, t0 + j * h, y, h)
            _check_finite(xp, y, t1)
            out.append(y)
        return xp.stack(out)
    if rtol <= 0 or atol < 0:
        raise DomainError(f"rtol must be positive and atol non-negative, got rtol={rtol}, atol={atol}")
    t = float(ts_np[0])
    k1 = f(t, y)
    _check_finite(xp, k1, t)
    h = float(first_step or _initial_step(xp, y, k1, rtol, atol, float(ts_np[-1]) - t))
    n_steps = 0
    for t_next in ts_np[1:].tolist():
        while t < t_next:
            n_steps += 1
            if n_steps > max_steps:
                raise ConvergenceError(f"odeint(rk45) exceeded max_steps={max_steps} at t={t:.6g}", iterate=y)
            last = t + h >= t_next - 1e-12 * max(1.0, abs(t_next))
            h_try = t_next - t if last else h
            y_new, err, k7 = dormand_prince_step(f, t, y, h_try, k1)
            scale = atol + rtol * xp.maximum(xp.abs(y), xp.abs(y_new))
            en = float(xp.sqrt(xp.mean((err / scale) ** 2))) if err.shape and math.prod(err.shape) else 0.0
            if not math.isfinite(en):
                h = 0.2 * h_try
                if h < 1e-14 * max(abs(t), 1.0):
                    raise ConvergenceError(f"odeint(rk45): non-finite values near t={t:.6g}", iterate=y)
                continue
            if en <= 1.0:
                t = t_next if last else t + h_try
                y, k1 = y_new, k7
            factor = 0.9 * en ** (-0.2) if en > 0 else 5.0
            h = h_try * min(5.0, max(0.2, factor))
            if h < 1e-14 * max(abs(t), 1.0):
                raise ConvergenceError(f"odeint(rk45): step size underflow at t={t:.6g}", iterate=y)
        out.append(y)
    return xp.stack(out)


def _initial_step(xp, y, f0, rtol, atol, span):
    scale = atol + rtol * xp.abs(y)
    d0 = float(xp.sqrt(xp.mean((y / scale) ** 2))) if math.prod(y.shape) else 0.0
    d1 = float(xp.sqrt(xp.mean((f0 / scale) ** 2))) if math.prod(y.shape) else 0.0
    h = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    return min(h, span)


def _check_finite(xp, y, t):
    if not bool(xp.all(xp.isfinite(y))):
        raise ConvergenceError(f"the solution became non-finite by t={t:.6g}", iterate=y)
