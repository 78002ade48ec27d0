"""A5 figures: the classification losses as functions of the margin, and cross-entropy as a KL divergence."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.nn.losses import cross_entropy, hinge_loss, logistic_loss


@figure("A5.losses-of-the-margin", "Classification losses as functions of the margin",
        caption="For a binary label y ∈ {−1, +1} and score s, the hinge loss max(0, 1 − ys), the logistic loss "
                "log(1 + e^{−ys}) (divided by log 2 so it passes through 1 at ys = 0), the squared loss (1 − ys)² and "
                "the 0–1 loss, each computed by aimath.nn on a grid of margins. Right: the cross-entropy of softmax(z) "
                "for a 3-class logit vector z = (t, 0, 0) with true class 0 equals KL(e₀ ‖ softmax(z)).")
def losses_of_the_margin():
    m = np.linspace(-2.5, 3.0, 401)
    ones = np.ones_like(m)
    fig = Figure(figsize=(9.0, 3.6))
    ax, bx = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    ax.plot(m, hinge_loss(m, ones, reduction="none"), label="hinge")
    ax.plot(m, logistic_loss(m, ones, reduction="none") / np.log(2), label="logistic / log 2")
    ax.plot(m, (1 - m) ** 2, label="squared")
    ax.step(m, (m <= 0).astype(float), where="post", color="k", lw=1, label="0–1")
    ax.set_ylim(-0.1, 4)
    ax.set_xlabel("margin y·s")
    ax.set_ylabel("loss")
    ax.legend(fontsize=8)
    t = np.linspace(-4, 6, 201)
    z = np.stack([t, np.zeros_like(t), np.zeros_like(t)], axis=1)
    ce = cross_entropy(z, np.zeros(t.size, dtype=np.int64), reduction="none")
    p0 = np.exp(t) / (np.exp(t) + 2)
    bx.plot(t, ce, lw=3, alpha=0.5, label="cross-entropy (aimath.nn)")
    bx.plot(t, -np.log(p0), "k--", lw=1, label="KL(e₀ ‖ p) = −log p₀")
    bx.set_xlabel("logit of the true class, t")
    bx.legend(fontsize=8)
    return fig
