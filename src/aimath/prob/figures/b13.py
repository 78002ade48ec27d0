"""B13 figures: densities against samples, the central limit theorem, Gaussian conditioning."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.prob import (
    Beta,
    ExpTransform,
    Gamma,
    Mixture,
    MultivariateNormal,
    Normal,
    TransformedDistribution,
    inverse_cdf_sample,
)


@figure("B13.densities-samples", "Densities and samples",
        caption="Histograms of 20 000 draws from each aimath.prob sampler (location–scale normal, "
                "Marsaglia–Tsang gamma, gamma-ratio beta, two-stage mixture, exp of a normal) under the "
                "closed-form density from log_prob; the change-of-variables density of the log-normal is the "
                "normal density divided by |dy/dx| = y.")
def densities_samples():
    cases = [
        ("Normal(1, 0.7²)", Normal(1.0, 0.7), (-2, 4)),
        ("Gamma(2.5, 1.5)", Gamma(2.5, 1.5), (0, 6)),
        ("Beta(2, 5)", Beta(2.0, 5.0), (0, 1)),
        ("Beta(0.6, 0.6)", Beta(0.6, 0.6), (0, 1)),
        ("Mixture of normals", Mixture([Normal(-2.0, 0.5), Normal(1.0, 1.0)], np.array([0.3, 0.7])), (-4, 4.5)),
        ("LogNormal = exp N(0, 0.5²)", TransformedDistribution(Normal(0.0, 0.5), ExpTransform()), (0, 5)),
    ]
    fig = Figure(figsize=(10, 5.6))
    axes = fig.subplots(2, 3)
    for ax, (title, d, (lo, hi)) in zip(axes.ravel(), cases, strict=True):
        s = d.sample(0, 20_000)
        ax.hist(s[(s >= lo) & (s <= hi)], bins=60, range=(lo, hi), density=True, color="C0", alpha=0.45,
                label="samples")
        x = np.linspace(lo + 1e-3, hi - 1e-3, 400)
        ax.plot(x, np.exp(d.log_prob(x)), color="C3", lw=1.6, label="exp(log_prob)")
        ax.set_title(title, fontsize=10)
    axes[0, 0].legend(fontsize=8)
    fig.tight_layout()
    return fig


@figure("B13.central-limit", "The central limit theorem",
        caption="Standardised means √n(X̄ₙ − 1) of n exponential draws (inverse-CDF sampling, 40 000 replicates) "
                "for n = 1, 4, 16, 64: the exact law (n·X̄ₙ is Gamma(n, 1)) in orange, N(0, 1) dashed. The skew "
                "fades like n^(-1/2), the Berry–Esseen rate.")
def central_limit():
    fig = Figure(figsize=(10, 2.8))
    axes = fig.subplots(1, 4, sharey=True)
    t = np.linspace(-3.5, 4.5, 400)
    phi = np.exp(Normal(0.0, 1.0).log_prob(t))
    rng = np.random.default_rng(1)
    for ax, n in zip(axes, [1, 4, 16, 64], strict=True):
        x = inverse_cdf_sample(lambda u: -np.log1p(-u), rng, (n, 40_000))
        z = math.sqrt(n) * (x.mean(axis=0) - 1.0)
        ax.hist(z, bins=70, range=(-3.5, 4.5), density=True, color="C0", alpha=0.45)
        exact = np.exp(Gamma(float(n), 1.0).log_prob(n + math.sqrt(n) * t)) * math.sqrt(n)
        ax.plot(t, exact, color="C1", lw=1.5)
        ax.plot(t, phi, "k--", lw=1)
        ax.set_title(f"n = {n}")
        ax.set_ylim(0, 0.75)
    fig.tight_layout()
    return fig


@figure("B13.gaussian-conditioning", "Gaussian conditioning is linear regression",
        caption="Samples of a correlated 2-D Gaussian; the conditional mean E[x₁ | x₂] from "
                "MultivariateNormal.condition (red) lies on the least-squares line fitted to the samples "
                "(dashed), and the conditional densities at three values of x₂ all have the same width "
                "Σ₁|₂ whatever the value.")
def gaussian_conditioning():
    S = np.array([[1.0, 0.8], [0.8, 1.5]])
    mu = np.array([0.5, -0.3])
    d = MultivariateNormal(mu, covariance=S)
    x = d.sample(2, 3000)
    fig = Figure(figsize=(5.4, 4.6))
    ax = fig.add_subplot()
    ax.scatter(x[:, 1], x[:, 0], s=3, alpha=0.25, color="C0")
    v = np.linspace(-4, 3.5, 50)
    cond = d.condition([1], v[:, None])
    ax.plot(v, cond.mean[:, 0], color="C3", lw=2, label="E[x₁ | x₂] (condition)")
    A = np.stack([np.ones(len(x)), x[:, 1]], axis=1)
    coef = np.sum(A * x[:, :1], axis=0) @ _inv2(A.T @ A)  # least squares on the 2×2 normal equations
    ax.plot(v, coef[0] + coef[1] * v, "k--", lw=1, label="least-squares fit")
    sd = math.sqrt(cond.covariance[0, 0])
    y = np.linspace(-3.5, 3.5, 200)
    for vb in (-2.0, 0.0, 2.0):
        c = d.condition([1], np.array([vb]))
        dens = np.exp(Normal(c.mean[0], sd).log_prob(y))
        ax.plot(vb + 0.8 * dens, y, color="C2", lw=1.2)
    ax.set_xlabel("x₂ (observed)")
    ax.set_ylabel("x₁")
    ax.legend(fontsize=8, loc="upper left")
    return fig


def _inv2(M):
    """Inverse of a symmetric 2×2 matrix by the adjugate formula."""
    det = M[0, 0] * M[1, 1] - M[0, 1] * M[1, 0]
    return np.array([[M[1, 1], -M[0, 1]], [-M[1, 0], M[0, 0]]]) / det
