"""A10 figures: kernel SVM decision regions; kernel PCA of a non-linear data set; lazy training
(the NTK's relative change against the width)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.data import circles, moons
from aimath.figures import figure
from aimath.learn.kernel_pca import KernelPCA
from aimath.learn.pca import PCA
from aimath.learn.svc import SVC


@figure("A10.kernel-svm-regions", "Kernel SVM decision regions on circles and moons",
        caption="Decision regions of SVMs fitted by SMO: the linear kernel cannot separate concentric "
                "circles or interleaved moons; the RBF and polynomial kernels bend the boundary. "
                "Circled points are support vectors; titles give the training accuracy.")
def kernel_svm_regions():
    data = {"circles": circles(300, noise=0.08, rng=0, factor=0.5), "moons": moons(300, noise=0.15, rng=1)}
    kernels = [("linear", {}), ("poly", {"degree": 3, "coef0": 1.0}), ("rbf", {"gamma": 2.0})]
    fig = Figure(figsize=(10, 6.4))
    axes = fig.subplots(2, 3)
    for row, (name, (X, y)) in enumerate(data.items()):
        X, y = np.asarray(X), np.asarray(y)
        lo, hi = X.min(0) - 0.4, X.max(0) + 0.4
        gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], 150), np.linspace(lo[1], hi[1], 150))
        G = np.column_stack([gx.ravel(), gy.ravel()])
        for col, (k, kw) in enumerate(kernels):
            svm = SVC(kernel=k, C=1.0, **kw).fit(X, y)
            F = svm.decision_function(G).reshape(gx.shape)
            ax = axes[row, col]
            ax.contourf(gx, gy, F > 0, levels=[-0.5, 0.5, 1.5], colors=["#cfe0f3", "#f8d9c4"])
            ax.contour(gx, gy, F, levels=[0], colors="k", linewidths=0.8)
            ax.scatter(X[:, 0], X[:, 1], c=np.where(y > 0, "C1", "C0"), s=8)
            sv = svm.support_vectors_
            ax.scatter(sv[:, 0], sv[:, 1], s=30, facecolors="none", edgecolors="k", linewidths=0.4)
            ax.set_title(f"{name}, {k} kernel: acc {svm.score(X, y):.2f}", fontsize=9)
            ax.set_xticks([])
            ax.set_yticks([])
    fig.tight_layout()
    return fig


@figure("A10.kernel-pca", "Kernel PCA of concentric circles",
        caption="Left: two concentric circles. Middle: linear PCA only rotates them. Right: RBF kernel "
                "PCA (γ = 2): the first principal component alone separates the circles.")
def kernel_pca():
    X, y = circles(240, noise=0.05, rng=2, factor=0.3)
    X, y = np.asarray(X), np.asarray(y)
    Z_lin = PCA(2).fit_transform(X)
    Z_k = KernelPCA(2, kernel="rbf", gamma=2.0).fit_transform(X)
    fig = Figure(figsize=(11, 3.6))
    axes = fig.subplots(1, 3)
    for ax, Z, title in zip(axes, (X, Z_lin, Z_k), ("data", "linear PCA", "RBF kernel PCA"), strict=True):
        ax.scatter(Z[:, 0], Z[:, 1], c=np.where(y > 0, "C1", "C0"), s=8)
        ax.set_title(title)
        ax.set_xlabel("component 1")
        ax.set_ylabel("component 2")
    fig.tight_layout()
    return fig


@figure("A10.ntk-width", "Lazy training: the NTK barely moves in wide networks",
        caption="One-hidden-layer networks in the NTK parameterisation trained by full-batch gradient "
                "descent (step 0.5, 100 steps, the same at every width) on 16 points: the relative change "
                "of the first-layer weights (squares) falls like m^-1/2, and the relative change of the "
                "empirical NTK (circles) falls at least as fast — like m^-1 for tanh (the sharp rate of "
                "Dyer & Gur-Ari), about m^-3/4 for ReLU, whose units switch on or off as pre-activations "
                "cross zero. Dashed: m^-1/2 and m^-1 reference lines. Means over 3 instances.")
def ntk_width():
    from aimath.learn.theorems.a10 import NTK_WIDTHS, ntk_width_sweep
    from aimath.theorems import fit_line

    w = np.asarray(NTK_WIDTHS, dtype=np.float64)
    fig = Figure(figsize=(6.4, 4.6))
    ax = fig.subplots()
    for act, colour in (("tanh", "C0"), ("relu", "C3")):
        ch, wc, _ = ntk_width_sweep(np.random.default_rng(0), activation=act, instances=3)
        k, wm = ch.mean(axis=0), wc.mean(axis=0)
        sk = fit_line(np.log(w), np.log(k))[0]
        sw = fit_line(np.log(w), np.log(wm))[0]
        ax.loglog(w, k, "o-", color=colour, label=f"{act}: NTK change (slope {sk:.2f})")
        ax.loglog(w, wm, "s:", color=colour, label=f"{act}: first-layer weight change (slope {sw:.2f})")
    for p, anchor in ((-0.5, 0.5), (-1.0, 0.02)):
        ax.loglog(w, anchor * (w / w[0]) ** p, "k--", lw=0.8)
        ax.text(w[-1] * 1.1, anchor * (w[-1] / w[0]) ** p, f"$m^{{{p:g}}}$", va="center", fontsize=9)
    ax.set_xlabel("width m")
    ax.set_ylabel("relative Frobenius change during training")
    ax.set_xlim(w[0] / 1.3, w[-1] * 2.2)
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
