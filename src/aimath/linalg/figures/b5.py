"""B5 figures: Gram–Schmidt orthogonality loss against κ; the geometry of a projection."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.linalg import gram_schmidt, matrix_norm, project
from aimath.linalg.theorems._make import EPS, with_singular_values


@figure("B5.gram-schmidt-loss", "Gram–Schmidt: loss of orthogonality against the condition number",
        caption="‖QᵀQ − I‖₂ for classical (CGS) and modified (MGS) Gram–Schmidt and for classical with one "
                "re-orthogonalisation (CGS2), on 40×16 matrices with κ from 1 to 1e12. CGS follows κ²ε until it "
                "saturates, MGS follows κε, CGS2 stays at ε.")
def gs_loss():
    rng = np.random.default_rng(0)
    kappas = np.logspace(0, 12, 9)
    curves = {"CGS": ("classical", False), "MGS": ("modified", False), "CGS2": ("classical", True)}
    out = {k: [] for k in curves}
    for kappa in kappas:
        A = with_singular_values(rng, 40, 16, np.logspace(0, -np.log10(kappa), 16))
        for name, (method, re) in curves.items():
            Q, _ = gram_schmidt(A, method=method, reorthogonalize=re)
            out[name].append(max(matrix_norm(Q.T @ Q - np.eye(16), 2), 1e-17))
    fig = Figure(figsize=(5.6, 4.2))
    ax = fig.add_subplot()
    for name, marker in zip(curves, "osd", strict=True):
        ax.loglog(kappas, out[name], marker=marker, label=name)
    ax.loglog(kappas, np.minimum(kappas**2 * EPS, 1), "k--", lw=0.8, label="κ²ε")
    ax.loglog(kappas, kappas * EPS, "k:", lw=0.8, label="κε")
    ax.set_xlabel("condition number κ(A)")
    ax.set_ylabel("‖QᵀQ − I‖₂")
    ax.legend(fontsize=8)
    ax.set_title("Orthogonality lost by Gram–Schmidt")
    return fig


@figure("B5.projection-geometry", "The orthogonal projection onto a plane",
        caption="b ∈ ℝ³ and its projection p = Pb onto the plane spanned by the columns of A (aimath.linalg."
                "project): the residual b − p is perpendicular to the plane, and p is the closest point of it.")
def projection_geometry():
    A = np.array([[1.0, 0.2], [0.1, 1.0], [0.3, -0.2]])
    b = np.array([0.4, 0.9, 1.3])
    p = project(b, A)
    fig = Figure(figsize=(5.2, 4.6))
    ax = fig.add_subplot(projection="3d")
    s, t = np.meshgrid(np.linspace(-0.6, 1.2, 10), np.linspace(-0.6, 1.3, 10))
    plane = A[:, :1, None] * s + A[:, 1:, None] * t
    ax.plot_surface(*plane, alpha=0.25, color="C0")
    for v, c, lab in ((b, "C3", "b"), (p, "C2", "p = Pb")):
        ax.quiver(0, 0, 0, *v, color=c, arrow_length_ratio=0.08)
        ax.text(*(1.05 * v), lab, color=c)
    ax.plot(*np.stack([p, b]).T, "k--", lw=1)
    ax.text(*((p + b) / 2), " b − p ⊥ plane", fontsize=8)
    ax.set_title("Projection onto R(A)")
    return fig
