"""B21 figures: a double-well density with particles, free-energy decay, a 2-D density evolution."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.fokker_planck.fp1d import FokkerPlanck1D
from aimath.fokker_planck.fp2d import FokkerPlanck2D


def _double_well(x):
    return (x * x - 1) * (x * x - 1) + 0.15 * x


@figure("B21.fp-double-well", "Fokker–Planck density in a double well, with particles",
        caption="The density of dX = −U′(X)dt + √(2/β)dW, U(x) = (x² − 1)² + 0.15x, β = 2.5, started as a narrow "
                "Gaussian at x = −0.1 (FokkerPlanck1D.langevin, 440 cells, backward Euler), beside histograms of "
                "20 000 Euler–Maruyama particles (aimath.sde.sdeint) at the same times; the mass splits over the "
                "barrier and relaxes to the Gibbs density ∝ e^{−βU} (dashed).")
def double_well():
    from aimath.sde import SDE, sdeint

    beta = 2.5
    fp = FokkerPlanck1D.langevin(_double_well, beta, (-2.2, 2.2, 440))
    p0 = np.exp(-((fp.centers + 0.1) ** 2) / (2 * 0.15**2))
    p0 /= np.sum(p0 * fp.widths)
    ts = np.array([0.0, 0.2, 1.0, 5.0])
    P = fp.solve(p0, ts, dt=2e-3)
    s = math.sqrt(2 / beta)
    sde = SDE(lambda t, x: -(4 * x * (x * x - 1) + 0.15), lambda t, x: s + 0 * x,
              diffusion_derivative=lambda t, x: 0 * x)
    rng = np.random.default_rng(0)
    x0 = -0.1 + 0.15 * rng.standard_normal((20_000, 1))
    X = sdeint(sde, x0, np.linspace(0, 5, 1001), rng=rng, save_every=20)[:, :, 0]
    idx = [0, 2, 10, 50]  # t = 0, 0.2, 1, 5 on the saved grid (every 0.1)
    fig = Figure(figsize=(7.5, 4.2))
    ax = fig.add_subplot()
    for k, (t, i) in enumerate(zip(ts, idx, strict=True)):
        ax.hist(X[i], bins=fp.faces[::20], density=True, color=f"C{k}", alpha=0.25)
        ax.plot(fp.centers, P[k], color=f"C{k}", lw=1.8, label=f"t = {t:g}")
    ax.plot(fp.centers, fp.stationary(), "k--", lw=1, label="Gibbs ∝ exp(−βU)")
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    ax.set_title("PDE density (lines) and particle histograms (bars)")
    ax.legend(fontsize=8)
    return fig


@figure("B21.fp-free-energy", "Free-energy decay along the Fokker–Planck flow",
        caption="F(p_t) − F(p_∞) with F(p) = ∫U p + β⁻¹∫p log p for the double well at three temperatures, on a "
                "log scale: never increasing (the discrete scheme keeps this exactly), fast intra-well "
                "relaxation first, then the slow exponential rate set by barrier crossing, slower at larger β.")
def free_energy_decay():
    fig = Figure(figsize=(6.4, 4.2))
    ax = fig.add_subplot()
    ts = np.linspace(0, 30, 301)
    for k, beta in enumerate((1.0, 2.0, 3.0)):
        fp = FokkerPlanck1D.langevin(_double_well, beta, (-2.2, 2.2, 400))
        p0 = np.exp(-((fp.centers - 1.0) ** 2) / (2 * 0.1**2))
        p0 /= np.sum(p0 * fp.widths)
        F = fp.free_energy(fp.solve(p0, ts, dt=0.02))
        Finf = float(fp.free_energy(fp.stationary()))
        gap = F - Finf
        keep = gap > 1e-11  # below that the difference is rounding
        ax.semilogy(ts[keep], gap[keep], color=f"C{k}", label=f"β = {beta:g}")
    ax.set_xlabel("t")
    ax.set_ylabel("F(p_t) − F(p_∞)")
    ax.set_title("Free energy decreases to its minimum at the Gibbs state")
    ax.legend()
    return fig


@figure("B21.fp-2d", "A 2-D Fokker–Planck density evolution",
        caption="FokkerPlanck2D.langevin for U(x, y) = (x² − 1)² + ½(y − 0.5x)² at β = 2 on 120 × 80 cells "
                "(dimensional splitting of backward Euler, one batched tridiagonal solve per axis): a blob "
                "started at (−1.2, 1.2) flows into the left well, leaks over the saddle, and settles on the "
                "two-well Gibbs density (last panel).")
def evolution_2d():
    def U(x, y):
        return (x * x - 1) ** 2 + 0.5 * (y - 0.5 * x) ** 2

    fp = FokkerPlanck2D.langevin(U, 2.0, ((-2.0, 2.0, 120), (-2.5, 2.5, 80)))
    X, Y = np.meshgrid(*fp.centers, indexing="ij")
    p0 = np.exp(-((X + 1.2) ** 2 + (Y - 1.2) ** 2) / (2 * 0.15**2))
    p0 /= np.sum(p0 * fp.widths)
    ts = [0.0, 0.3, 2.0, 20.0]
    P = fp.solve(p0, ts, dt=0.02)
    fig = Figure(figsize=(10, 2.9))
    ext = (fp.grid[0][0], fp.grid[0][1], fp.grid[1][0], fp.grid[1][1])
    for k, t in enumerate(ts):
        ax = fig.add_subplot(1, 4, k + 1)
        ax.imshow(P[k].T, origin="lower", extent=ext, cmap="viridis", aspect="auto")
        ax.contour(X, Y, U(X, Y), levels=[0.1, 0.5, 1.0, 2.0], colors="w", linewidths=0.5)
        ax.set_title(f"t = {t:g}")
        ax.set_xlabel("x")
        if k == 0:
            ax.set_ylabel("y")
    fig.suptitle("p(t, x, y) with the potential's level sets")
    fig.tight_layout()
    return fig
