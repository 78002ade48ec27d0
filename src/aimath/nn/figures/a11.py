"""A11 figures: the Marchenko–Pastur law over random and trained weight spectra."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.linalg import eigvalsh
from aimath.nn.figures._util import single_thread, standardised_digits
from aimath.nn.layers import Dropout, Linear, ReLU
from aimath.nn.module import Sequential
from aimath.nn.random_matrix import estimate_noise_sigma, marchenko_pastur_pdf, marchenko_pastur_support
from aimath.nn.training import fit
from aimath.optim import AdamW


@figure("A11.marchenko-pastur", "The Marchenko–Pastur law and a trained weight spectrum",
        caption="Left: eigenvalues of XᵀX/n for a 2000 × 500 Gaussian X against the MP density (λ = 1/4). Right: "
                "eigenvalues of WWᵀ/256 for the first layer of the digits MLP after training, against the MP law of "
                "its estimated noise level: a bulk plus a few spikes above the edge, which prune_svd keeps.")
def marchenko_pastur():
    rng = np.random.default_rng(0)
    n, p = 2000, 500
    X = rng.standard_normal((n, p))
    with single_thread():
        ev = eigvalsh(X.T @ X / n)
        Xtr, _, ytr, _ = standardised_digits()
        net = Sequential(Linear(64, 256, rng=0), ReLU(), Dropout(0.3, rng=0), Linear(256, 10, rng=100))
        fit(net, Xtr, ytr, optimizer=AdamW(net.parameters(), lr=1e-3, weight_decay=1.0), epochs=30, batch_size=32,
            rng=0, progress=False)
        W = net[0].weight.data  # (256, 64)
        evw = eigvalsh(W.T @ W / 256)
    fig = Figure(figsize=(9, 3.6))
    ax = fig.add_subplot(1, 2, 1)
    ax.hist(ev, bins=60, density=True, color="C0", alpha=0.6, label="eigenvalues")
    a, b = marchenko_pastur_support(p / n)
    x = np.linspace(a, b, 400)
    ax.plot(x, marchenko_pastur_pdf(x, p / n), color="k", label="MP density")
    ax.legend(fontsize=8)
    ax.set_xlabel("λ")
    ax2 = fig.add_subplot(1, 2, 2)
    s = np.sqrt(np.maximum(evw, 0) * 256)
    sigma = estimate_noise_sigma(s, W.shape)
    ax2.hist(evw, bins=40, density=True, color="C1", alpha=0.6, label="trained W (64 eigenvalues)")
    a, b = marchenko_pastur_support(64 / 256, sigma)
    x = np.linspace(a, b, 400)
    ax2.plot(x, marchenko_pastur_pdf(x, 64 / 256, sigma), color="k", label=f"MP, σ̂ = {sigma:.3f}")
    ax2.axvline(b, color="C3", ls="--", lw=1, label="bulk edge")
    ax2.legend(fontsize=8)
    ax2.set_xlabel("λ")
    return fig
