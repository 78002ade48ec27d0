"""B20 figures: GD against gradient flow and the modified flow, Nesterov against its ODE, SGD's
stationary spread."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.limits.flows import gd_trajectory, gradient_flow, modified_flow, nesterov_ode, nesterov_trajectory
from aimath.limits.odeint import odeint
from aimath.limits.sgd import sgd_iterates, sgd_stationary_variance

_A = np.array([[3.0, 0.8], [0.8, 0.6]])


def _grad(x):
    return x @ _A + 0.5 * np.tanh(x)


def _hess(x):
    return _A + 0.5 * (1 - np.tanh(x) ** 2)[..., :, None] * np.eye(2)


@figure("B20.gd-vs-flow", "Gradient descent as the Euler scheme of gradient flow",
        caption="GD iterates (dots) with steps η = 0.25 and 0.1 on f(x) = ½xᵀAx + ½Σ log cosh xᵢ, the gradient flow "
                "ẋ = −∇f (black) and, for η = 0.25, the modified flow ẋ = −∇(f + η‖∇f‖²/4) (dashed), which the "
                "iterates follow much more closely.")
def gd_vs_flow():
    x0 = np.array([-1.8, 2.2])
    fig = Figure(figsize=(5.4, 4.6))
    ax = fig.add_subplot()
    g = np.linspace(-2.2, 2.4, 200)
    X, Y = np.meshgrid(g, g)
    P = np.stack([X, Y], -1)
    F = 0.5 * np.einsum("...i,ij,...j->...", P, _A, P) + 0.5 * np.sum(np.log(np.cosh(P)), -1)
    ax.contour(X, Y, F, levels=15, colors="0.85", linewidths=0.7)
    ts, Xf = gradient_flow(_grad, x0, 6.0, n_out=400)
    ax.plot(Xf[:, 0], Xf[:, 1], "k", lw=1.5, label="gradient flow")
    for eta, c in ((0.25, "C3"), (0.1, "C0")):
        xs = gd_trajectory(_grad, x0, eta, int(6.0 / eta))
        ax.plot(xs[:, 0], xs[:, 1], "o-", ms=3, lw=0.6, color=c, label=f"GD, η = {eta}")
    Xm = odeint(modified_flow(_grad, _hess, 0.25), x0, np.linspace(0, 6.0, 400), rtol=1e-9)
    ax.plot(Xm[:, 0], Xm[:, 1], "--", color="C3", lw=1.2, label="modified flow, η = 0.25")
    ax.set_aspect("equal")
    ax.legend(fontsize=8, loc="lower right")
    return fig


@figure("B20.nesterov-ode", "Nesterov's method and its ODE",
        caption="Left: the first coordinate of Nesterov iterates x_k at times k√s for s = 10⁻¹, 10⁻², 10⁻³ approach "
                "the solution X(t) of ẍ + (3/t)ẋ + ∇f = 0 on an ill-conditioned quadratic. Right: f(X(t)) − f* with "
                "the bound 2‖x₀ − x*‖²/t².")
def nesterov_figure():
    lam = np.array([1.0, 0.05])
    grad = lambda x: lam * x  # noqa: E731
    x0 = np.array([1.0, 1.0])
    ts = np.linspace(0, 20, 801)
    X = nesterov_ode(grad, x0, ts)
    fig = Figure(figsize=(9.0, 3.6))
    ax, bx = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    ax.plot(ts, X[:, 0], "k", lw=1.5, label="X(t)")
    for s, c in ((1e-1, "C3"), (1e-2, "C1"), (1e-3, "C0")):
        K = int(20 / np.sqrt(s))
        xs = nesterov_trajectory(grad, x0, s, K)
        ax.plot(np.arange(K + 1) * np.sqrt(s), xs[:, 0], ".", ms=2, color=c, label=f"x_k, s = {s:g}")
    ax.set_xlabel("t = k√s")
    ax.set_ylabel("first coordinate")
    ax.legend(fontsize=8)
    f = 0.5 * np.sum(lam * X**2, axis=1)
    bx.loglog(ts[1:], f[1:], "k", label="f(X(t)) − f*")
    bx.loglog(ts[1:], 2 * np.sum(x0**2) / ts[1:] ** 2, "--", color="C3", label="2‖x₀ − x*‖²/t²")
    bx.set_xlabel("t")
    bx.set_ylim(1e-6, 10)
    bx.legend(fontsize=8)
    return fig


@figure("B20.sgd-stationary", "SGD's stationary spread and its SDE approximation",
        caption="Histogram of 10⁵ SGD chains at stationarity on f(x) = λx²/2 with gradient noise σ² (λ = 1, σ² = 1, "
                "η = 0.8), against the exact stationary law N(0, ησ²/(λ(2 − ηλ))) and the SDE's N(0, ησ²/(2λ)): "
                "the diffusion approximation is first order in η.")
def sgd_stationary():
    lam, s2, eta = 1.0, 1.0, 0.8
    xs = sgd_iterates(lambda x: lam * x, np.zeros(1), eta, 60, s2, 0, n_chains=100_000, save_every=60)[-1, :, 0]
    fig = Figure(figsize=(5.4, 3.6))
    ax = fig.add_subplot()
    ax.hist(xs, bins=120, density=True, color="0.75", label="SGD iterates")
    x = np.linspace(xs.min(), xs.max(), 400)
    for var, c, lab in ((sgd_stationary_variance(lam, eta, s2), "C3", "exact: ησ²/(λ(2−ηλ))"),
                        (eta * s2 / (2 * lam), "C0", "SDE: ησ²/(2λ)")):
        ax.plot(x, np.exp(-x**2 / (2 * var)) / np.sqrt(2 * np.pi * var), color=c, label=lab)
    ax.set_xlabel("x")
    ax.legend(fontsize=8)
    return fig
