"""A9 figures: loss and accuracy can move in opposite directions; the confidence bound."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.nn.confidence import confidence_bound, loss_accuracy_path, low_confidence_fraction
from aimath.nn.losses import accuracy, cross_entropy


@figure("A9.loss-vs-accuracy", "Loss falls while accuracy falls",
        caption="Left: along a constructed training path of four samples, the mean cross-entropy decreases strictly "
                "while the accuracy drops from 100 % to 75 % when one sample crosses the decision boundary. Right: on "
                "2 000 random logit tables, the fraction of samples whose true-class probability is at most δ against "
                "its bound mean CE / (−log δ): every point lies below the diagonal.")
def loss_vs_accuracy():
    ts, Z, y = loss_accuracy_path(81)
    ce = [float(cross_entropy(z, y)) for z in Z]
    acc = [accuracy(z, y) for z in Z]
    fig = Figure(figsize=(9.0, 3.6))
    ax, bx = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    ax.plot(ts, ce, color="C0", label="mean cross-entropy")
    ax.set_xlabel("path parameter t")
    ax.set_ylabel("cross-entropy", color="C0")
    ax2 = ax.twinx()
    ax2.plot(ts, acc, color="C3", label="accuracy")
    ax2.set_ylabel("accuracy", color="C3")
    ax2.set_ylim(0.5, 1.05)
    rng = np.random.default_rng(0)
    frac, bound = [], []
    for _ in range(2000):
        n, c = rng.integers(5, 50), rng.integers(2, 10)
        logits = rng.standard_normal((n, c)) * rng.uniform(0.5, 4)
        labels = rng.integers(0, c, n)
        delta = rng.uniform(0.05, 0.6)
        frac.append(low_confidence_fraction(logits, labels, delta))
        bound.append(confidence_bound(logits, labels, delta))
    bx.scatter(bound, frac, s=4, alpha=0.4)
    lim = max(max(bound), 1.0)
    bx.plot([0, lim], [0, lim], "k--", lw=1)
    bx.set_xlim(0, min(lim, 3))
    bx.set_ylim(0, 1.02)
    bx.set_xlabel("mean CE / (−log δ)")
    bx.set_ylabel("fraction with p_true ≤ δ")
    fig.subplots_adjust(wspace=0.55)
    return fig
