"""B10 figures: the SVD as rotate–stretch–rotate; Eckart–Young low-rank image approximation."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.linalg import svd


@figure("B10.svd-rotate-stretch-rotate", "The SVD: rotate, stretch, rotate",
        caption="The unit circle and the right singular vectors v₁, v₂ under Vᵀ (a rotation/reflection), Σ (a "
                "stretch along the axes by σ₁, σ₂) and U (a rotation/reflection): the result is the ellipse A·circle "
                "with semi-axes σ₁u₁ and σ₂u₂.")
def rotate_stretch_rotate():
    A = np.array([[1.5, 0.9], [-0.4, 0.8]])
    U, s, Vh = svd(A)
    t = np.linspace(0, 2 * np.pi, 400)
    C = np.stack([np.cos(t), np.sin(t)])
    stages = [("x", np.eye(2)), ("Vᵀx", Vh), ("ΣVᵀx", np.diag(s) @ Vh), ("UΣVᵀx = Ax", U @ np.diag(s) @ Vh)]
    fig = Figure(figsize=(10, 2.9))
    lim = 1.1 * s[0]
    for i, (name, M) in enumerate(stages):
        ax = fig.add_subplot(1, 4, i + 1)
        ax.plot(*(M @ C), color="0.3")
        for j, c in enumerate(("C3", "C0")):
            ax.annotate("", xy=M @ Vh[j], xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": c, "lw": 1.5})
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_title(name, fontsize=10)
        ax.axhline(0, color="0.85", lw=0.5)
        ax.axvline(0, color="0.85", lw=0.5)
    fig.suptitle(f"A = UΣVᵀ with σ = ({s[0]:.2f}, {s[1]:.2f}); arrows: images of v₁ (red) and v₂ (blue)")
    return fig


def _image():
    """A grey-scale test image: scikit-learn's sample photo when available, else a synthetic one."""
    try:
        from sklearn.datasets import load_sample_image  # data shipped inside scikit-learn, not an algorithm

        img = load_sample_image("china.jpg").mean(axis=2)[::4, ::4] / 255.0
    except Exception:  # pragma: no cover - scikit-learn is optional at run time
        y, x = np.mgrid[0:107, 0:160] / 40.0
        img = 0.5 + 0.25 * np.sin(3 * x) * np.cos(2 * y) + 0.25 * (x + y > 3)
    return img


@figure("B10.eckart-young-image", "Eckart–Young: best low-rank approximations of an image",
        caption="A grey-scale photo (scikit-learn's sample image, 107×160) and its best rank-k approximations "
                "A_k = Σ_{i≤k} σᵢuᵢvᵢᵀ (from aimath.linalg.svd); the right panel shows the singular values "
                "and the relative error ‖A − A_k‖_F/‖A‖_F = (Σ_{i>k}σᵢ²)^{1/2}/‖A‖_F.")
def eckart_young_image():
    A = _image()
    U, s, Vh = svd(A, full_matrices=False)
    fig = Figure(figsize=(11, 2.9))
    ks = (5, 20, 50)
    ax = fig.add_subplot(1, 5, 1)
    ax.imshow(A, cmap="gray")
    ax.set_title(f"original (rank {min(A.shape)})", fontsize=9)
    ax.axis("off")
    for i, k in enumerate(ks):
        ax = fig.add_subplot(1, 5, i + 2)
        ax.imshow(np.clip((U[:, :k] * s[:k]) @ Vh[:k], 0, 1), cmap="gray")
        err = np.sqrt(np.sum(s[k:] ** 2) / np.sum(s**2))
        ax.set_title(f"rank {k}: rel. error {err:.3f}", fontsize=9)
        ax.axis("off")
    ax = fig.add_subplot(1, 5, 5)
    ax.semilogy(np.arange(1, s.size + 1), s / s[0], label="σ_k/σ₁")
    tail = np.sqrt(np.cumsum((s**2)[::-1])[::-1] / np.sum(s**2))
    ax.semilogy(np.arange(s.size), tail, label="‖A − A_k‖_F/‖A‖_F")
    ax.set_xlabel("k", fontsize=8)
    ax.legend(fontsize=7)
    ax.tick_params(labelsize=7)
    return fig
