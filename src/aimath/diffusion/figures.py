"""B21 (generative) figures: forward noising of a 2-D data set, reverse-SDE and probability-flow
trajectories, generated samples beside the data — all with the exact score of a Gaussian mixture."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.diffusion.exact import exact_score
from aimath.diffusion.forward import VPSDE
from aimath.diffusion.metrics import mmd
from aimath.diffusion.samplers import ddim_sampler, euler_maruyama_sampler, ode_sampler
from aimath.figures import figure
from aimath.prob import Mixture, MultivariateNormal


def _eight_gaussians():
    angles = 2 * np.pi * np.arange(8) / 8
    comps = [MultivariateNormal(2.0 * np.array([np.cos(a), np.sin(a)]), covariance=0.02 * np.eye(2)) for a in angles]
    return Mixture(comps, np.full(8, 1 / 8))


def _one_d_mixture():
    comps = [MultivariateNormal(np.array([m]), covariance=np.array([[0.05]])) for m in (-1.5, 0.5, 2.0)]
    return Mixture(comps, np.array([0.3, 0.3, 0.4]))


@figure("B21.forward-noising", "Forward noising of a 2-D data set by the VP SDE",
        caption="Samples of the eight-Gaussians data pushed through X_t = α(t)X₀ + σ(t)ε of the VP SDE "
                "(β from 0.1 to 20) at t = 0, 0.1, 0.25, 0.5 and 1: the structure dissolves into N(0, I).")
def forward_noising():
    sde = VPSDE()
    x0 = _eight_gaussians().sample(0, (1500,))
    times = (0.0, 0.1, 0.25, 0.5, 1.0)
    fig = Figure(figsize=(11, 2.6))
    rng = np.random.default_rng(1)
    for i, t in enumerate(times):
        ax = fig.add_subplot(1, len(times), i + 1)
        x = sde.sample_marginal(x0, t, rng)
        ax.scatter(x[:, 0], x[:, 1], s=2, alpha=0.5, color="C0")
        _, _, a, s = sde.coefficients(t)
        ax.set_title(f"t = {t:g}  (α = {float(a):.2f}, σ = {float(s):.2f})", fontsize=8)
        ax.set_xlim(-3.5, 3.5)
        ax.set_ylim(-3.5, 3.5)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


@figure("B21.reverse-trajectories", "Reverse-SDE and probability-flow trajectories",
        caption="A 1-D mixture of three Gaussians generated from N(0, 1) at t = 1 with the exact score: reverse-SDE "
                "paths (Euler–Maruyama, left) wander and land on the modes; probability-flow ODE paths (right) are "
                "smooth and never cross. The shading is the noised density p_t.")
def reverse_trajectories():
    sde = VPSDE()
    data = _one_d_mixture()
    score = exact_score(sde, data)
    n_steps, eps = 300, 1e-3
    x_T = np.random.default_rng(2).normal(size=(40, 1))
    paths = {
        "reverse SDE": euler_maruyama_sampler(sde, score, (40, 1), 3, n_steps=n_steps, eps=eps, x_T=x_T,
                                              return_path=True),
        "probability-flow ODE": ode_sampler(sde, score, (40, 1), 3, method="rk4", n_steps=n_steps, eps=eps,
                                            x_T=x_T, return_path=True),
    }
    ts = np.linspace(sde.T, eps, n_steps + 1)
    grid = np.linspace(-3.5, 3.5, 200)[:, None]
    tg = np.linspace(eps, 1.0, 120)
    dens = np.exp(np.stack([score.log_prob(grid, float(t)) for t in tg], axis=1))
    fig = Figure(figsize=(10, 3.8))
    for i, (name, p) in enumerate(paths.items()):
        ax = fig.add_subplot(1, 2, i + 1)
        ax.pcolormesh(tg, grid[:, 0], dens, cmap="Greys", shading="auto", vmax=dens.max() * 0.6)
        ax.plot(ts, p[:, :, 0], lw=0.7, alpha=0.8)
        ax.set_xlim(1.0, 0.0)
        ax.set_xlabel("t (data at t = 0)")
        ax.set_ylabel("x")
        ax.set_title(name)
    fig.tight_layout()
    return fig


@figure("B21.generated-samples", "Generated 2-D samples beside the data",
        caption="Eight-Gaussians data (left) and samples generated from the prior with the exact score by the "
                "reverse SDE (500 Euler–Maruyama steps), the probability-flow ODE (RK45) and DDIM (η = 0, 100 steps); "
                "each title gives MMD² to fresh data with the noise floor MMD² between two data samples.")
def generated_samples():
    sde = VPSDE()
    data = _eight_gaussians()
    score = exact_score(sde, data)
    n = 1500
    rng = np.random.default_rng(4)
    ref = data.sample(rng, (n,))
    panels = {
        "data": data.sample(rng, (n,)),
        "reverse SDE": euler_maruyama_sampler(sde, score, (n, 2), rng, n_steps=500),
        "probability-flow ODE": ode_sampler(sde, score, (n, 2), rng),
        "DDIM (η = 0)": ddim_sampler(sde, score, (n, 2), rng, n_steps=100),
    }
    fig = Figure(figsize=(11, 3.0))
    for i, (name, x) in enumerate(panels.items()):
        ax = fig.add_subplot(1, len(panels), i + 1)
        ax.scatter(x[:, 0], x[:, 1], s=2, alpha=0.5, color="C0" if i == 0 else "C3")
        ax.set_title(f"{name}\nMMD² = {mmd(x, ref, bandwidth=0.5):.1e}", fontsize=8)
        ax.set_xlim(-3, 3)
        ax.set_ylim(-3, 3)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


@figure("B21.learned-2d", "Generated 2-D samples of trained score networks beside held-out data",
        caption="Top: held-out samples of two moons, a swiss roll and eight Gaussians. Bottom: samples of ScoreNet "
                "models (time-embedded MLPs, 3 × 256 SiLU) trained by denoising score matching on 4,000 points each "
                "(the shipped weights, `python -m aimath.diffusion.train_digits --toy-only`), generated by 300 "
                "reverse-SDE Euler–Maruyama steps. Titles: MMD² (biased, RBF, median bandwidth) of the generated "
                "points to held-out data over that between two held-out halves; the result asks for at most 2. "
                "The moons samples are blurred yet pass: the coarse bandwidth does not see it (see "
                "aimath.diffusion.toy2d).")
def learned_2d():
    from aimath.diffusion.toy2d import TOY_DATASETS, load_toy_2d, mmd_vs_heldout, single_thread, toy_data

    n = 1000
    fig = Figure(figsize=(10, 6.4))
    rng = np.random.default_rng(7)
    with single_thread():
        for j, name in enumerate(TOY_DATASETS):
            res = load_toy_2d(name)
            held = toy_data(name, 2 * n, rng)
            gen = res.sample(n, rng)
            g, f, _ = mmd_vs_heldout(gen, held, rng)
            lo, hi = held.min(axis=0) - 0.3, held.max(axis=0) + 0.3
            for i, (x, title, c) in enumerate(((held[:n], f"{name.replace('_', ' ')}: held-out", "C0"),
                                               (gen, f"generated: MMD² ratio {g / f:.2f}", "C3"))):
                ax = fig.add_subplot(2, 3, 1 + j + 3 * i)
                ax.scatter(x[:, 0], x[:, 1], s=2, alpha=0.5, color=c)
                ax.set_title(title, fontsize=9)
                ax.set_xlim(lo[0], hi[0])
                ax.set_ylim(lo[1], hi[1])
                ax.set_xticks([])
                ax.set_yticks([])
    fig.tight_layout()
    return fig


@figure("B21.generated-digits", "Generated digits beside real ones",
        caption="Left: 48 real 8×8 digits of scikit-learn's data set. Right: 48 digits generated by the shipped "
                "ScoreNet (an MLP on the 64 pixels, trained by denoising score matching under the VP SDE) with 500 "
                "reverse-SDE Euler–Maruyama steps, pixels clipped to [0, 1] at the end. A calibrated classifier of "
                "real digits gives them mean confidence 0.92 (real test digits 0.97, pixel-permuted digits 0.14; "
                "aimath.diffusion.digits): digit-like, still noisier than real ones.")
def generated_digits():
    from aimath.data import digits
    from aimath.diffusion.digits import load_digits_model, sample_digits
    from aimath.diffusion.toy2d import single_thread

    real = digits()[0][:48].reshape(-1, 8, 8)
    with single_thread():
        gen = sample_digits(load_digits_model(), 48, np.random.default_rng(3), n_steps=500)

    def grid(imgs):
        rows = [np.concatenate([np.pad(im, 1, constant_values=1.0) for im in imgs[r * 8:(r + 1) * 8]], axis=1)
                for r in range(6)]
        return np.concatenate(rows, axis=0)

    fig = Figure(figsize=(9, 3.8))
    for i, (imgs, title) in enumerate(((real, "real"), (gen, "generated"))):
        ax = fig.add_subplot(1, 2, i + 1)
        ax.imshow(grid(imgs), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(title)
        ax.set_axis_off()
    fig.tight_layout()
    return fig
