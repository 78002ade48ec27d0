"""B19 figures: Brownian paths and quadratic variation, Itô vs Stratonovich sums, strong/weak
convergence orders, Ornstein–Uhlenbeck paths and stationary density."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.sde import (
    GeometricBrownianMotion,
    OrnsteinUhlenbeck,
    brownian_bridge,
    brownian_motion,
    ito_integral,
    quadratic_variation,
    sdeint,
    stratonovich_integral,
    strong_error,
    weak_error,
)


@figure("B19.brownian-paths", "Brownian paths and their quadratic variation",
        caption="Left: ten Brownian paths on [0, 1] with the ±2√t band. Right: the running sums Σ(ΔW)² of the "
                "same paths on grids of 16, 128 and 1024 steps; as the grid refines they collapse onto the line "
                "[W]_t = t (the variance of the sum is 2t²/n).")
def brownian_paths():
    path = brownian_motion(0, 10, 1024, 1.0)
    t = np.asarray(path.t)
    fig = Figure(figsize=(9, 3.6))
    ax, bx = fig.subplots(1, 2)
    ax.plot(t, path.W[:, :, 0], lw=0.8)
    ax.fill_between(t, -2 * np.sqrt(t), 2 * np.sqrt(t), color="0.9", zorder=0)
    ax.set(xlabel="t", ylabel="W_t", title="Brownian paths")
    for r, c in ((64, "C0"), (8, "C1"), (1, "C3")):
        qv = quadratic_variation(path.W[::r], cumulative=True)[:, :, 0]
        bx.plot(t[::r], qv, color=c, lw=0.8, alpha=0.7)
        bx.plot([], [], color=c, label=f"n = {1024 // r}")
    bx.plot(t, t, "k--", lw=1.2, label="[W]_t = t")
    bx.set(xlabel="t", ylabel="Σ (ΔW)²", title="Quadratic variation")
    bx.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure("B19.ito-vs-stratonovich", "∫W dW: Itô and Stratonovich sums on one path",
        caption="One Brownian path refined by Brownian-bridge midpoints from 4 to 4096 steps. The left-point (Itô) "
                "sums converge to (W_T² − T)/2, the midpoint-average (Stratonovich) sums equal W_T²/2 on every "
                "grid; the gap is half the quadratic variation, T/2.")
def ito_vs_strat():
    path = brownian_motion(3, 1, 4, 1.0)
    ns, ito, strat = [], [], []
    for level in range(11):
        if level:  # the same path, seen at twice the resolution
            path = brownian_bridge(path, 100 + level, levels=1)
        ns.append(path.W.shape[0] - 1)
        ito.append(float(ito_integral(lambda t, w: w, path)[0, 0]))
        strat.append(float(stratonovich_integral(lambda t, w: w, path)[0, 0]))
    WT = float(path.W[-1, 0, 0])
    fig = Figure(figsize=(5.6, 3.8))
    ax = fig.add_subplot()
    ax.semilogx(ns, ito, "o-", label="Itô sum Σ W_k ΔW_k")
    ax.semilogx(ns, strat, "s-", label="Stratonovich sum Σ ½(W_k + W_{k+1}) ΔW_k")
    ax.axhline((WT**2 - 1) / 2, color="C0", ls="--", label="(W_T² − T)/2")
    ax.axhline(WT**2 / 2, color="C1", ls="--", label="W_T²/2")
    ax.set(xlabel="number of steps n", ylabel="value of the sum", title="∫₀¹ W dW on one path")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure("B19.convergence-orders", "Strong and weak errors of Euler–Maruyama and Milstein on GBM",
        caption="Errors at T = 1 against the step h on log–log axes, all levels driven by the same Brownian "
                "paths, with reference lines of slope ½ and 1: Euler–Maruyama converges strongly with order ½ "
                "and weakly with order 1, Milstein strongly with order 1.")
def convergence_orders():
    levels = [8, 16, 32, 64, 128, 256]
    gbm = GeometricBrownianMotion(0.5, 1.0)
    em = strong_error(gbm, [1.0], 1.0, levels, n_paths=4000, rng=0)
    mil = strong_error(gbm, [1.0], 1.0, levels, method="milstein", n_paths=4000, rng=0)
    wk = weak_error(GeometricBrownianMotion(1.0, 0.3), [1.0], 1.0, levels, n_paths=20_000, rng=1)
    fig = Figure(figsize=(5.8, 4.2))
    ax = fig.add_subplot()
    h = em.step_sizes
    for st, lab, mk in ((em, "EM strong", "o"), (mil, "Milstein strong", "s"), (wk, "EM weak", "^")):
        s, _ = st.order
        ax.errorbar(st.step_sizes, st.errors, yerr=2 * st.se, marker=mk, capsize=2, label=f"{lab} (slope {s:.2f})")
    ax.loglog(h, em.errors[0] * (h / h[0]) ** 0.5, "k:", lw=1, label="slope ½")
    ax.loglog(h, mil.errors[0] * (h / h[0]), "k--", lw=1, label="slope 1")
    ax.loglog(h, wk.errors[0] * (h / h[0]), "k--", lw=1)
    ax.set(xlabel="step h", ylabel="error", title="Convergence orders on GBM (μ=0.5, σ=1; weak: μ=1, σ=0.3)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure("B19.ou-stationary", "Ornstein–Uhlenbeck paths relax to N(μ, σ²/(2θ))",
        caption="Left: Euler–Maruyama paths of dX = θ(μ − X)dt + σdW (θ = 2, μ = 1, σ = 1) started at −2 and 4, "
                "with the exact mean μ + (x₀ − μ)e^{−θt} and ±2 sd bands. Right: histogram of 20 000 paths at t = 5 "
                "against the stationary density N(μ, σ²/(2θ)).")
def ou_figure():
    ou = OrnsteinUhlenbeck(2.0, 1.0, 1.0)
    ts = np.linspace(0, 5, 1001)
    fig = Figure(figsize=(9, 3.6))
    ax, bx = fig.subplots(1, 2)
    for x0, c in ((-2.0, "C0"), (4.0, "C3")):
        X = sdeint(ou, np.full(1, x0), ts, rng=int(x0 + 10), n_paths=8)[:, :, 0]
        ax.plot(ts, X, color=c, lw=0.6, alpha=0.7)
        m = 1 + (x0 - 1) * np.exp(-2 * ts)
        sd = np.sqrt((1 - np.exp(-4 * ts)) / 4)
        ax.plot(ts, m, color="k", lw=1)
        ax.fill_between(ts, m - 2 * sd, m + 2 * sd, color=c, alpha=0.12)
    ax.set(xlabel="t", ylabel="X_t", title="OU paths and exact mean ± 2 sd")
    X = sdeint(ou, np.full(1, 4.0), ts, rng=1, n_paths=20_000, save_every=1000)[-1, :, 0]
    bx.hist(X, bins=60, density=True, color="C2", alpha=0.6, label="EM paths at t = 5")
    grid = np.linspace(X.min(), X.max(), 300)
    bx.plot(grid, ou.stationary().pdf(grid[:, None]), "k", lw=1.5, label="N(μ, σ²/(2θ))")
    bx.set(xlabel="x", title="Stationary density")
    bx.legend(fontsize=8)
    fig.tight_layout()
    return fig
