"""B18 figures: ULA vs MALA on a banana and a bimodal target with trace plots, MALA's acceptance
against the optimal-scaling curve, and Neal's funnel."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from scipy.special import ndtr

from aimath.figures import figure
from aimath.sampling import banana, funnel, gaussian_mixture, mala, ula


def _contours(ax, target, lim):
    g = np.linspace(-lim[0], lim[0], 200), np.linspace(lim[1], lim[2], 200)
    X, Y = np.meshgrid(*g)
    lp = target.log_prob(np.stack([X.ravel(), Y.ravel()], axis=1)).reshape(X.shape)
    ax.contour(X, Y, np.exp(lp - lp.max()), levels=6, colors="k", linewidths=0.6)


@figure("B18.ula-vs-mala", "ULA vs MALA on a banana and a bimodal mixture, with trace plots",
        caption="Top: 1000 draws (one per chain after 300 steps) of ULA and MALA at the same step over the target's "
                "contours; ULA's draws spread too far (its stationary law is biased by O(η)), MALA's follow the "
                "contours. Bottom: the trace of x₂ (banana) and x₁ (mixture) for one chain of each; MALA rejects "
                "some moves (flat stretches), ULA never does.")
def ula_vs_mala():
    fig = Figure(figsize=(10, 6.4))
    axes = fig.subplots(2, 4)
    cases = (("banana", banana(1.0, 0.5), 0.15, (3.0, -3.0, 6.0)),
             ("mixture", gaussian_mixture(np.array([[-2.0, 0.0], [2.0, 0.0]]), 1.0), 0.5, (5.0, -3.5, 3.5)))
    for j, (name, t, eta, lim) in enumerate(cases):
        x0 = t.sample(0, 1000)
        for k, (label, res) in enumerate((
                ("ULA", ula(x0, score=t.score, step_size=eta, n_samples=300, rng=1)),
                ("MALA", mala(x0, log_prob=t.log_prob, score=t.score, step_size=eta, n_samples=300, rng=1)))):
            ax = axes[0, 2 * j + k]
            _contours(ax, t, lim)
            s = res.samples[-1]
            ax.scatter(s[:, 0], s[:, 1], s=2, alpha=0.4, color="C0" if k == 0 else "C3")
            ax.set(xlim=(-lim[0], lim[0]), ylim=(lim[1], lim[2]),
                   title=f"{label}, {name}, η={eta:g}" + (f"\nacc {float(res.acceptance.mean()):.2f}" if k else ""))
            tr = axes[1, 2 * j + k]
            coord = 1 if name == "banana" else 0
            tr.plot(res.samples[:, 0, coord], lw=0.7, color="C0" if k == 0 else "C3")
            tr.set(xlabel="step", ylabel=f"x{coord + 1}", title=f"{label} trace")
    fig.tight_layout()
    return fig


@figure("B18.mala-optimal-scaling", "MALA's acceptance in high dimension and the 0.574 rule",
        caption="MALA on N(0, I_d), d = 200, with step ℓ²d^{−1/3}/2: measured mean acceptance (dots) against the "
                "diffusion limit 2Φ(−ℓ³/8) (line), and the speed ℓ²a(ℓ) (right axis), maximal where a ≈ 0.574.")
def mala_scaling():
    d = 200
    ells = np.linspace(0.6, 2.8, 9)
    rng = np.random.default_rng(0)
    acc = []
    for ell in ells:
        res = mala(rng.standard_normal((100, d)), log_prob=lambda x: -0.5 * np.sum(x * x, axis=-1),
                   score=lambda x: -x, step_size=ell**2 * d ** (-1 / 3) / 2, n_samples=40, rng=rng)
        acc.append(float(res.accept_prob.mean()))
    grid = np.linspace(0.5, 3.0, 400)
    limit = 2 * ndtr(-grid**3 / 8)
    fig = Figure(figsize=(5.8, 4.0))
    ax = fig.add_subplot()
    ax.plot(grid, limit, "C0", label="2Φ(−ℓ³/8)")
    ax.plot(ells, acc, "o", color="C0", label=f"measured, d = {d}")
    ax.axhline(0.574, color="0.5", ls=":", lw=1)
    ax.set(xlabel="ℓ", ylabel="acceptance", title="MALA optimal scaling")
    bx = ax.twinx()
    bx.plot(grid, grid**2 * limit, "C3", label="speed ℓ² a(ℓ)")
    bx.axvline(grid[np.argmax(grid**2 * limit)], color="C3", ls="--", lw=1)
    bx.set_ylabel("speed", color="C3")
    ax.legend(loc="lower left", fontsize=8)
    bx.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig


@figure("B18.funnel-failure", "Neal's funnel: a fixed-step sampler misses the neck",
        caption="MALA (η = 0.05, 64 chains started in the mouth) on Neal's 10-D funnel. Left: traces of v — no chain "
                "goes below v ≈ −4. Right: the histogram of v against the true N(0, 9): the neck v ≪ 0, where the "
                "x-scale e^{v/2} is tiny, is missing. A known failure of fixed-step gradient samplers, kept visible.")
def funnel_failure():
    f = funnel(10)
    rng = np.random.default_rng(0)
    x0 = np.concatenate([np.zeros((64, 1)), rng.standard_normal((64, 9))], axis=1)
    res = mala(x0, log_prob=f.log_prob, score=f.score, step_size=0.05, n_samples=800, burn_in=200, rng=1)
    v = res.samples[..., 0]
    fig = Figure(figsize=(9, 3.6))
    ax, bx = fig.subplots(1, 2)
    ax.plot(v[:, :6], lw=0.6)
    ax.set(xlabel="step", ylabel="v", title="MALA traces of v")
    bx.hist(v.ravel(), bins=60, density=True, alpha=0.6, label="MALA draws")
    g = np.linspace(-10, 10, 300)
    bx.plot(g, np.exp(-g**2 / 18) / np.sqrt(18 * np.pi), "k", label="true N(0, 9)")
    bx.set(xlabel="v", title="marginal of v")
    bx.legend(fontsize=8)
    fig.tight_layout()
    return fig
