"""Textbook forms of the SDE schemes: one scalar path, one step at a time, the maths line by line.

These are for reading (and for the tests, which prove :func:`aimath.sde.sdeint` equal to them);
use :func:`aimath.sde.sdeint` to compute.

Curriculum: B19
"""

from __future__ import annotations

import math

__all__ = ["euler_maruyama_path", "milstein_path", "heun_path", "srk_path"]


def euler_maruyama_path(b, g, x0: float, ts, dW) -> list[float]:
    """``X_{k+1} = X_k + b(t_k, X_k)Δt_k + g(t_k, X_k)ΔW_k`` for a scalar SDE (Itô)."""
    xs = [float(x0)]
    for k in range(len(ts) - 1):
        t, x, dt = ts[k], xs[-1], ts[k + 1] - ts[k]
        xs.append(x + b(t, x) * dt + g(t, x) * dW[k])
    return xs


def milstein_path(b, g, dg, x0: float, ts, dW) -> list[float]:
    """``X_{k+1} = X_k + bΔt + gΔW + ½ g g' (ΔW² − Δt)`` for a scalar SDE (Itô)."""
    xs = [float(x0)]
    for k in range(len(ts) - 1):
        t, x, dt = ts[k], xs[-1], ts[k + 1] - ts[k]
        xs.append(x + b(t, x) * dt + g(t, x) * dW[k] + 0.5 * g(t, x) * dg(t, x) * (dW[k] ** 2 - dt))
    return xs


def heun_path(b, g, x0: float, ts, dW) -> list[float]:
    """Stochastic Heun for a scalar Stratonovich SDE: Euler predictor, trapezoidal corrector."""
    xs = [float(x0)]
    for k in range(len(ts) - 1):
        t, x, dt = ts[k], xs[-1], ts[k + 1] - ts[k]
        pred = x + b(t, x) * dt + g(t, x) * dW[k]
        xs.append(x + 0.5 * (b(t, x) + b(t + dt, pred)) * dt + 0.5 * (g(t, x) + g(t + dt, pred)) * dW[k])
    return xs


def srk_path(b, g, x0: float, ts, dW) -> list[float]:
    """Derivative-free Milstein (Kloeden–Platen): ``g g'`` replaced by a difference at a support point."""
    xs = [float(x0)]
    for k in range(len(ts) - 1):
        t, x, dt = ts[k], xs[-1], ts[k + 1] - ts[k]
        support = x + b(t, x) * dt + g(t, x) * math.sqrt(dt)
        correction = (g(t, support) - g(t, x)) * (dW[k] ** 2 - dt) / (2 * math.sqrt(dt))
        xs.append(x + b(t, x) * dt + g(t, x) * dW[k] + correction)
    return xs
