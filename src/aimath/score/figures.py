"""B17 figures: the score field of a noisy 2-D mixture with Tweedie denoising, and an energy-based
model trained by contrastive divergence with its Langevin samples."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.prob import Mixture, MultivariateNormal
from aimath.score import EnergyModel, contrastive_divergence, tweedie_denoise

_MEANS = np.array([[-2.0, -1.0], [2.0, -1.0], [0.0, 2.0]])
_W = np.array([0.3, 0.3, 0.4])


def _mixture(var):
    return Mixture([MultivariateNormal(m, covariance=var * np.eye(2)) for m in _MEANS], _W)


@figure("B17.score-field-tweedie", "The score of a noisy mixture and Tweedie denoising",
        caption="Left: the score ∇log p_σ of a three-component Gaussian mixture blurred by N(0, σ²I), σ = 0.6, "
                "over its density; arrows point uphill towards the modes. Right: noisy samples x̃ (grey) and their "
                "Tweedie denoisings x̃ + σ²∇log p_σ(x̃) (red), the posterior means E[x | x̃], pulled back to the "
                "components.")
def score_field():
    clean, sigma = _mixture(0.16), 0.6
    noisy = _mixture(0.16 + sigma**2)
    g1, g2 = np.linspace(-4, 4, 160), np.linspace(-3.5, 4, 160)
    X, Y = np.meshgrid(g1, g2)
    P = np.stack([X.ravel(), Y.ravel()], axis=1)
    dens = np.exp(noisy.log_prob(P)).reshape(X.shape)
    q1, q2 = np.meshgrid(np.linspace(-4, 4, 17), np.linspace(-3.5, 4, 16))
    Q = np.stack([q1.ravel(), q2.ravel()], axis=1)
    S = noisy.score(Q)
    S = S / (1 + np.linalg.norm(S, axis=1, keepdims=True))  # compress long arrows for display
    fig = Figure(figsize=(9.5, 4.2))
    ax, bx = fig.subplots(1, 2)
    ax.contourf(X, Y, dens, levels=12, cmap="Blues")
    ax.quiver(Q[:, 0], Q[:, 1], S[:, 0], S[:, 1], color="k", width=0.003)
    ax.set(title="score field ∇log p_σ (σ = 0.6)", aspect="equal")
    rng = np.random.default_rng(0)
    x = clean.sample(rng, (600,))
    xt = x + sigma * rng.standard_normal(x.shape)
    den = tweedie_denoise(xt, noisy.score, sigma)
    bx.scatter(xt[:, 0], xt[:, 1], s=4, color="0.6", label="noisy x̃")
    bx.scatter(den[:, 0], den[:, 1], s=4, color="C3", label="Tweedie E[x | x̃]")
    bx.scatter(_MEANS[:, 0], _MEANS[:, 1], marker="x", s=60, color="k", label="component means")
    bx.set(title="Tweedie denoising", aspect="equal", xlim=(-4, 4), ylim=(-3.5, 4))
    bx.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return fig


def _gaussian_energy():
    from aimath import autodiff as ad
    from aimath.nn.module import Module, Parameter

    class DiagonalGaussianEnergy(Module):
        def __init__(self):
            super().__init__()
            self.m = Parameter(np.zeros(2))
            self.rho = Parameter(np.zeros(2))

        def forward(self, x):
            return 0.5 * (ad.exp(self.rho) * (x - self.m) ** 2).sum(axis=-1)

    return EnergyModel(DiagonalGaussianEnergy())


@figure("B17.ebm-contrastive-divergence", "An energy-based model trained by contrastive divergence",
        caption="A Gaussian energy E_θ(x) = ½Σ e^{ρ_i}(x_i − m_i)² trained by CD-10 with Langevin negatives on "
                "2000 data points (black). Left: energy contours at initialisation and after 150 updates. Right: "
                "Langevin samples from the trained model (red) against the data: the model has moved onto the data.")
def ebm_cd():
    rng = np.random.default_rng(0)
    mu, sd = np.array([1.5, -1.0]), np.array([0.6, 0.9])
    data = mu + sd * rng.standard_normal((2000, 2))
    model = _gaussian_energy()
    g1, g2 = np.linspace(-3, 4, 120), np.linspace(-4, 3, 120)
    X, Y = np.meshgrid(g1, g2)
    P = np.stack([X.ravel(), Y.ravel()], axis=1)
    E0 = model.energy(P).reshape(X.shape)
    contrastive_divergence(model, data, n_iter=150, k=10, step_size=0.02, lr=0.3, batch_size=500, rng=rng)
    E1 = model.energy(P).reshape(X.shape)
    y = rng.standard_normal((1000, 2))
    for _ in range(400):  # Langevin samples from the trained model
        y = y + 0.02 * model.score(y) + np.sqrt(0.04) * rng.standard_normal(y.shape)
    fig = Figure(figsize=(9.5, 4.2))
    ax, bx = fig.subplots(1, 2)
    ax.scatter(data[:, 0], data[:, 1], s=2, color="k", alpha=0.3)
    ax.contour(X, Y, E0, levels=[0.5, 2, 4.5], colors="C0", linestyles="--")
    ax.contour(X, Y, E1, levels=[0.5, 2, 4.5], colors="C3")
    ax.plot([], [], "C0--", label="E at init")
    ax.plot([], [], "C3", label="E after CD")
    ax.set(title="energy contours", aspect="equal")
    ax.legend(fontsize=8)
    bx.scatter(data[:, 0], data[:, 1], s=2, color="k", alpha=0.3, label="data")
    bx.scatter(y[:, 0], y[:, 1], s=2, color="C3", alpha=0.4, label="Langevin samples of p_θ")
    bx.set(title="samples", aspect="equal", xlim=(-3, 4), ylim=(-4, 3))
    bx.legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure("B17.learned-score-field", "Learned vs true score on a 2-D mixture (denoising score matching)",
        caption="A 2-32-32-2 softplus MLP trained by denoising score matching (σ = 0.5, Adam, 600 minibatch steps) "
                "on 5000 draws of a three-component mixture. Left: the learned field (red) against the exact score "
                "of the noisy mixture (black) over its density. Right: the error ‖s_θ − ∇log p_σ‖, small where the "
                "data are, large on the empty ridges between components where the true score turns sharply and "
                "the loss sees almost no samples.")
def learned_score_field():
    from aimath.nn import MLP
    from aimath.optim import Adam
    from aimath.score import denoising_score_matching_loss

    clean, sigma = _mixture(0.16), 0.5
    noisy = _mixture(0.16 + sigma**2)
    rng = np.random.default_rng(0)
    x = clean.sample(rng, (5000,))
    net = MLP([2, 32, 32, 2], activation="softplus", rng=0)
    opt = Adam(net.parameters(), lr=1e-2)
    for _ in range(600):
        opt.zero_grad()
        loss = denoising_score_matching_loss(net, x[rng.integers(0, len(x), 128)], sigma, rng)
        loss.backward()
        opt.step()
    q1, q2 = np.meshgrid(np.linspace(-4, 4, 17), np.linspace(-3.5, 4, 16))
    Q = np.stack([q1.ravel(), q2.ravel()], axis=1)
    s_true, s_hat = noisy.score(Q), np.asarray(net(Q).data)
    g1, g2 = np.linspace(-4, 4, 120), np.linspace(-3.5, 4, 120)
    X, Y = np.meshgrid(g1, g2)
    P = np.stack([X.ravel(), Y.ravel()], axis=1)
    err = np.linalg.norm(np.asarray(net(P).data) - noisy.score(P), axis=1).reshape(X.shape)
    scale = float(np.median(np.linalg.norm(noisy.score(x), axis=1)))  # typical |score| on the data
    fig = Figure(figsize=(9.5, 4.2))
    ax, bx = fig.subplots(1, 2)
    ax.contourf(X, Y, np.exp(noisy.log_prob(P)).reshape(X.shape), levels=12, cmap="Blues")
    for S, c, lab in ((s_true, "k", "true ∇log p_σ"), (s_hat, "C3", "learned s_θ")):
        S = S / (1 + np.linalg.norm(S, axis=1, keepdims=True))
        ax.quiver(Q[:, 0], Q[:, 1], S[:, 0], S[:, 1], color=c, width=0.003, label=lab)
    ax.set(title="score fields", aspect="equal")
    ax.legend(fontsize=8, loc="upper right")
    im = bx.pcolormesh(X, Y, np.clip(err, 0, 2 * scale), cmap="magma_r", shading="auto")
    fig.colorbar(im, ax=bx, label=f"‖s_θ − ∇log p_σ‖ (clipped; typical |score| on data {scale:.2f})")
    bx.scatter(x[:400, 0], x[:400, 1], s=1, color="w", alpha=0.6)
    on_data = noisy.log_prob(P).reshape(X.shape) > -4
    bx.set(title=f"error (median where p_σ is high: {np.median(err[on_data]):.2f})", aspect="equal")
    fig.tight_layout()
    return fig
