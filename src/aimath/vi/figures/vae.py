"""B15 figure: a VAE's 2-D latent space on digits, its samples, reconstructions and the ELBO curve."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.data import digits
from aimath.figures import figure
from aimath.vi import VAE


def _tile(images, rows, cols, side=8):
    """Images (rows·cols, side²) as one (rows·(side+1), cols·(side+1)) mosaic with white gutters."""
    out = np.ones((rows * (side + 1) - 1, cols * (side + 1) - 1))
    for k, im in enumerate(images[: rows * cols]):
        r, c = divmod(k, cols)
        out[r * (side + 1):r * (side + 1) + side, c * (side + 1):c * (side + 1) + side] = 1.0 - im.reshape(side, side)
    return out


@figure("B15.vae", "A variational autoencoder on digits",
        caption="A VAE with a 2-D latent space (encoder 64 → 64 → 2·2, decoder 2 → 64 → 64, Bernoulli pixels) "
                "trained by aimath.vi.VAE.fit on 75 % of scikit-learn's digits (2 000 Adam steps). Left: the "
                "encoder means μ(x) of the held-out digits, coloured by class (the labels were never used). "
                "Middle: held-out digits and their reconstructions; decoded samples z ~ N(0, I). Right: the "
                "held-out ELBO (± 2 SE) during training.")
def vae_figure():
    Xtr, Xte, _, yte = digits(seed=0)
    vae = VAE.mlp(64, hidden=(64,), latent_dim=2, rng=0)
    g = np.random.default_rng(1)
    steps, curve = [0], [vae.elbo(Xte, rng=2, n_samples=2)]
    for s in (100, 200, 400, 800, 2000):
        vae.fit(Xtr, steps=s - steps[-1], batch_size=64, lr=2e-3, rng=g)
        steps.append(s)
        curve.append(vae.elbo(Xte, rng=2, n_samples=2))
    mu = vae.encode(Xte).mean
    fig = Figure(figsize=(13, 4.2))
    gs = fig.add_gridspec(2, 3, width_ratios=[1.0, 1.35, 0.8])
    ax = fig.add_subplot(gs[:, 0])
    ax.scatter(mu[:, 0], mu[:, 1], c=yte, cmap="tab10", s=8, alpha=0.85)
    for k in range(10):
        c = np.median(mu[yte == k], axis=0)
        ax.text(c[0], c[1], str(k), fontsize=13, weight="bold", ha="center", va="center",
                bbox=dict(boxstyle="round,pad=0.15", fc="white", alpha=0.7, lw=0))
    ax.set_xlabel("μ₁(x)")
    ax.set_ylabel("μ₂(x)")
    ax.set_title("latent means of held-out digits", fontsize=10)
    real = Xte[:24]
    ax = fig.add_subplot(gs[0, 1])
    ax.imshow(np.vstack([_tile(real, 2, 12), np.ones((1, 12 * 9 - 1)), _tile(vae.reconstruct(real), 2, 12)]),
              cmap="gray", vmin=0, vmax=1)
    ax.set_title("held-out digits (top) and reconstructions (bottom)", fontsize=10)
    ax.axis("off")
    ax = fig.add_subplot(gs[1, 1])
    ax.imshow(_tile(vae.sample(36, rng=3), 3, 12), cmap="gray", vmin=0, vmax=1)
    ax.set_title("samples: decoder mean at z ~ N(0, I)", fontsize=10)
    ax.axis("off")
    ax = fig.add_subplot(gs[:, 2])
    est = np.array([c.estimate for c in curve])
    se = np.array([c.se for c in curve])
    ax.errorbar(steps, est, yerr=2 * se, marker="o", color="C0", capsize=3)
    ax.set_xscale("symlog", linthresh=100)
    ax.set_xlabel("Adam steps")
    ax.set_ylabel("held-out ELBO (nats per image)")
    ax.set_title("held-out ELBO rises", fontsize=10)
    fig.tight_layout()
    return fig
