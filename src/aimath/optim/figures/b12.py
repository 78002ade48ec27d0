"""B12 figures: optimizer paths on an ill-conditioned quadratic and on Rosenbrock; convergence rates."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.optim.minimize import minimize
from aimath.optim.schedules import schedule
from aimath.optim.test_functions import logcosh_loss, random_orthogonal, random_quadratic, rosenbrock, rosenbrock_grad

_COLORS = {"gd": "C0", "heavy_ball": "C1", "nesterov": "C2", "adam": "C3", "newton": "C4"}
_LABELS = {"gd": "GD", "heavy_ball": "heavy ball", "nesterov": "Nesterov", "adam": "Adam", "newton": "Newton"}


def _paths(f, g, x0, runs):
    return {m: minimize(f, x0, m, grad=g, return_path=True, **kw).path for m, kw in runs.items()}


@figure("B12.quadratic-paths", "GD, heavy ball, Nesterov and Adam on an ill-conditioned quadratic",
        caption="Forty steps of each method on f(x) = ½ xᵀAx with eigenvalues 1 and 25 (κ = 25), from the same "
                "start. Gradient descent (η = 1/L) zig-zags across the narrow valley; heavy ball (optimal α, β) and "
                "Nesterov (η = 1/L) build momentum along it; Adam (η = 0.3) moves coordinate-wise, "
                "rescaled by its second-moment estimate.")
def quadratic_paths():
    c, s = math.cos(0.5), math.sin(0.5)
    R = np.array([[c, -s], [s, c]])
    A = R @ np.diag([1.0, 25.0]) @ R.T

    def f(x):
        return float(0.5 * x @ A @ x)

    def g(x):
        return A @ x

    L, mu = 25.0, 1.0
    runs = {"gd": dict(lr=1 / L, steps=40),
            "heavy_ball": dict(lr=4 / (math.sqrt(L) + math.sqrt(mu)) ** 2, momentum=(4 / 6) ** 2, steps=40),
            "nesterov": dict(lr=1 / L, steps=40), "adam": dict(lr=0.3, steps=40)}
    paths = _paths(f, g, np.array([-4.0, -2.5]), runs)
    u = np.linspace(-4.5, 4.5, 300)
    U, V = np.meshgrid(u, u)
    P = np.stack([U, V], -1)
    Z = 0.5 * np.einsum("...i,ij,...j->...", P, A, P)
    fig = Figure(figsize=(6.4, 5.2))
    ax = fig.add_subplot()
    ax.contour(U, V, Z, levels=np.geomspace(0.05, 200, 14), colors="0.75", linewidths=0.7)
    for m, p in paths.items():
        ax.plot(p[:, 0], p[:, 1], "-o", ms=2.5, lw=1.1, color=_COLORS[m], label=_LABELS[m])
    ax.plot(0, 0, "k*", ms=10)
    ax.set_aspect("equal")
    ax.set_xlim(-4.5, 4.5)
    ax.set_ylim(-4.5, 4.5)
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title("40 steps on an ill-conditioned quadratic (κ = 25)")
    return fig


@figure("B12.rosenbrock-paths", "GD, heavy ball, Nesterov and Adam on the Rosenbrock function",
        caption="Paths from (−1.2, 1) on the Rosenbrock banana f = (1 − x)² + 100(y − x²)². GD with Armijo "
                "backtracking (1000 steps) jumps to the valley floor and then creeps along it, still short of "
                "(1, 1); heavy ball and Nesterov (η = 10⁻³, μ = 0.9, 1500 steps) oscillate across the valley yet end "
                "within 10⁻³ of it; Adam (cosine-annealed η from 0.02, 3000 steps) follows the valley to the minimum.")
def rosenbrock_paths():
    def f(x):
        return float(rosenbrock(x))

    runs = {"gd": dict(line_search="armijo", steps=1000),
            "heavy_ball": dict(lr=1e-3, momentum=0.9, steps=1500),
            "nesterov": dict(lr=1e-3, momentum=0.9, steps=1500),
            "adam": dict(lr=schedule("cosine", 0.02, T_max=3000, eta_min=1e-5), betas=(0.9, 0.99), steps=3000)}
    paths = _paths(f, rosenbrock_grad, np.array([-1.2, 1.0]), runs)
    u, v = np.linspace(-1.6, 1.6, 400), np.linspace(-0.6, 1.8, 300)
    U, V = np.meshgrid(u, v)
    Z = rosenbrock(np.stack([U, V], -1))
    fig = Figure(figsize=(7.0, 5.0))
    ax = fig.add_subplot()
    ax.contour(U, V, Z, levels=np.geomspace(0.01, 500, 18), colors="0.75", linewidths=0.7)
    for m, p in paths.items():
        ax.plot(p[:, 0], p[:, 1], "-", lw=1.3, color=_COLORS[m], label=f"{_LABELS[m]} (end {np.round(p[-1], 3)})")
    ax.plot(1, 1, "k*", ms=11)
    ax.legend(loc="lower right", fontsize=7)
    ax.set_title("Paths on the Rosenbrock function from (−1.2, 1)")
    return fig


@figure("B12.convergence-rates", "Convergence rates on log axes",
        caption="Left: f(x_k) − f* on a strongly convex quadratic (n = 50, κ = 100) for gradient descent "
                "(η = 1/L), heavy ball (optimal α, β), Nesterov (η = 1/L, momentum (√κ−1)/(√κ+1)) and Newton, "
                "with the predicted slopes (1 − 1/κ)^{2k} and ((√κ−1)/(√κ+1))^{2k} dashed; Newton is exact "
                "after one step. Right: a convex, not strongly convex log-cosh regression on log–log axes: GD "
                "stays under ‖x₀−x*‖²L/(2k) and Nesterov under 2L‖x₀−x*‖²/(k+1)².")
def convergence_rates():
    rng = np.random.default_rng(3)
    kappa = 100.0
    q = random_quadratic(rng, 50, 1.0, kappa)
    x0 = rng.standard_normal(50)
    rho = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    K = 400
    runs = {"gd": dict(lr=1 / q.L), "heavy_ball": dict(lr=4 / (math.sqrt(q.L) + 1) ** 2, momentum=rho**2),
            "nesterov": dict(lr=1 / q.L, momentum=rho), "newton": dict(steps=3)}
    fig = Figure(figsize=(10.5, 4.2))
    ax, bx = fig.subplots(1, 2)
    k = np.arange(K + 1)
    f0 = q.f(x0) - q.f_star
    for m, kw in runs.items():
        kw = {"steps": K, **kw}
        r = minimize(q.f, x0, m, grad=q.grad, hess=lambda x: q.A, **kw)
        gap = np.maximum(r.history - q.f_star, 1e-17)
        ax.semilogy(np.arange(gap.size), gap, color=_COLORS[m], label=_LABELS[m])
    ax.semilogy(k, f0 * (1 - 1 / kappa) ** (2 * k), "--", color=_COLORS["gd"], lw=0.8, label="(1 − 1/κ)^{2k}")
    ax.semilogy(k, f0 * rho ** (2 * k), "--", color=_COLORS["heavy_ball"], lw=0.8, label="((√κ−1)/(√κ+1))^{2k}")
    ax.set_ylim(1e-16, 10 * f0)
    ax.set_xlabel("iteration k")
    ax.set_ylabel("f(x_k) − f*")
    ax.set_title("strongly convex quadratic, κ = 100")
    ax.legend(fontsize=7)
    # convex case: log-cosh regression with fewer equations than unknowns (f* = 0)
    m_, n_ = 20, 40
    s = np.concatenate([[0.05, 1.0], rng.uniform(0.05, 1.0, m_ - 2)])
    U, V = random_orthogonal(rng, m_), random_orthogonal(rng, n_)[:, :m_]
    A = (U * s) @ V.T
    b = A @ rng.standard_normal(n_)
    x0 = 3 * rng.standard_normal(n_)
    x_star = x0 - V @ ((U.T @ (A @ x0 - b)) / s)
    f, g = logcosh_loss(A, b)
    L, R2 = float(s.max() ** 2), float(np.sum((x0 - x_star) ** 2))
    K = 1000
    kk = np.arange(1, K + 1)
    for m in ("gd", "nesterov"):
        r = minimize(f, x0, m, lr=1 / L, grad=g, steps=K)
        bx.loglog(kk, r.history[1:], color=_COLORS[m], label=_LABELS[m])
    bx.loglog(kk, L * R2 / (2 * kk), "--", color=_COLORS["gd"], lw=0.8, label="L‖x₀−x*‖²/(2k)")
    bx.loglog(kk, 2 * L * R2 / (kk + 1) ** 2, "--", color=_COLORS["nesterov"], lw=0.8, label="2L‖x₀−x*‖²/(k+1)²")
    bx.set_xlabel("iteration k")
    bx.set_ylabel("f(x_k) − f*")
    bx.set_title("convex log-cosh regression (f* = 0)")
    bx.legend(fontsize=7)
    fig.tight_layout()
    return fig
