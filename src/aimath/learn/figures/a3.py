"""A3 figure: SVM margins and support vectors, hard and soft."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.learn.svc import SVC


def _panel(ax, X, y, C, title):
    svm = SVC(kernel="linear", C=C, tol=1e-8).fit(X, y)
    w, b = svm.coef_[0], svm.intercept_[0]
    ax.scatter(X[:, 0], X[:, 1], c=np.where(y > 0, "C1", "C0"), s=14)
    sv = svm.support_vectors_
    ax.scatter(sv[:, 0], sv[:, 1], s=70, facecolors="none", edgecolors="k", linewidths=0.8)
    g = np.linspace(-3.5, 3.5, 200)
    G = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    F = (G @ w + b).reshape(200, 200)
    ax.contour(g, g, F, levels=[-1, 0, 1], colors="k", linestyles=["--", "-", "--"], linewidths=0.8)
    ax.set_title(f"{title}\n2/‖w‖ = {2 / np.sqrt(w @ w):.2f}, {len(sv)} SVs", fontsize=9)
    ax.set_xlim(-3.5, 3.5)
    ax.set_ylim(-3.5, 3.5)
    ax.set_aspect("equal")


@figure("A3.svm-margins", "SVM margins and support vectors, hard and soft",
        caption="Linear SVMs fitted by SMO. Left: hard margin (C = ∞) on separable data; the support "
                "vectors (circled) lie on the dashed lines f(x) = ±1 and the margin width is 2/‖w‖. "
                "Right: soft margins on overlapping data; smaller C buys a wider margin with more "
                "support vectors inside it.")
def svm_margins():
    rng = np.random.default_rng(3)
    Xs = np.vstack([rng.standard_normal((30, 2)) * 0.6 + [1.4, 1.0], rng.standard_normal((30, 2)) * 0.6 - [1.4, 1.0]])
    ys = np.r_[np.ones(30), -np.ones(30)]
    Xo = np.vstack([rng.standard_normal((40, 2)) * 0.9 + [0.8, 0.6], rng.standard_normal((40, 2)) * 0.9 - [0.8, 0.6]])
    yo = np.r_[np.ones(40), -np.ones(40)]
    fig = Figure(figsize=(12, 3.6))
    axes = fig.subplots(1, 4)
    _panel(axes[0], Xs, ys, np.inf, "hard margin (C = ∞)")
    for ax, C in zip(axes[1:], (0.01, 0.1, 10.0), strict=True):
        _panel(ax, Xo, yo, C, f"soft margin, C = {C:g}")
    fig.tight_layout()
    return fig
