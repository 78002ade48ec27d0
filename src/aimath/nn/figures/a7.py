"""A7 figures: training curves on digits; vanishing gradients by depth."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.nn.backprop import backprop
from aimath.nn.figures._util import single_thread, standardised_digits
from aimath.nn.layers import Dropout, Linear, ReLU
from aimath.nn.module import Sequential
from aimath.nn.network import Network
from aimath.nn.training import fit
from aimath.optim import AdamW


@figure("A7.training-curves", "Training an MLP on scikit-learn digits",
        caption="Loss and accuracy per epoch of the MLP 64-256-10 (ReLU, dropout 0.3, AdamW) trained by "
                "aimath.nn.fit on the 1347 training digits and evaluated on the 450 test digits.")
def training_curves():
    Xtr, Xte, ytr, yte = standardised_digits()
    with single_thread():
        net = Sequential(Linear(64, 256, rng=0), ReLU(), Dropout(0.3, rng=0), Linear(256, 10, rng=100))
        h = fit(net, Xtr, ytr, optimizer=AdamW(net.parameters(), lr=1e-3, weight_decay=1.0), epochs=30,
                batch_size=32, rng=0, validation=(Xte, yte), progress=False)
    fig = Figure(figsize=(9, 3.5))
    ax, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    ep = np.arange(1, h.epochs + 1)
    ax.semilogy(ep, h["loss"], label="train")
    ax.semilogy(ep, h["val_loss"], label="test")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cross-entropy")
    ax.legend()
    ax2.plot(ep, h["accuracy"], label="train")
    ax2.plot(ep, h["val_accuracy"], label="test")
    ax2.axhline(0.97, color="0.6", ls="--", lw=0.8)
    ax2.set_xlabel("epoch")
    ax2.set_ylabel("accuracy")
    ax2.legend()
    return fig


@figure("A7.vanishing-gradients", "Vanishing gradients by depth",
        caption="log‖∂ℓ/∂W₁‖ (mean over 10 random nets of width 32, weights N(0, 1/32)) against depth, by Book A's "
                "explicit backprop: linear decay for sigmoid (ρ′ ≤ 1/4), much slower for tanh and ReLU.")
def vanishing():
    rng = np.random.default_rng(0)
    depths = np.arange(2, 22, 2)
    fig = Figure(figsize=(5.5, 3.6))
    ax = fig.add_subplot()
    for act, c in (("sigmoid", "C3"), ("tanh", "C0"), ("relu", "C2")):
        means = []
        for L in depths:
            vals = []
            for _ in range(10):
                gain = np.sqrt(2.0) if act == "relu" else 1.0
                layers = [(gain * rng.standard_normal((32, 32)) / np.sqrt(32), np.zeros(32)) for _ in range(L - 1)]
                layers.append((rng.standard_normal((10, 32)) / np.sqrt(32), np.zeros(10)))
                X = rng.standard_normal((16, 32))
                _, grads = backprop(Network(tuple(layers), act), X, rng.integers(0, 10, 16))
                vals.append(np.log(np.sqrt(np.sum(grads[0][0] ** 2))))
            means.append(np.mean(vals))
        ax.plot(depths, means, "o-", color=c, label=act)
    ax.set_xlabel("depth L")
    ax.set_ylabel("log ‖∂ℓ/∂W₁‖")
    ax.legend()
    return fig
