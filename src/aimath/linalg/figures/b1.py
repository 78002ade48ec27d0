"""B1 figures: one vector, two bases."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.linalg.spaces import change_of_basis, coordinates


@figure("B1.change-of-basis", "One vector, two coordinate systems",
        caption="The vector v = (1, 2) drawn with the standard grid (grey) and with the grid of the basis "
                "b₁ = (1, 0.5), b₂ = (−0.5, 1) (blue). aimath.linalg.coordinates gives its coordinates in the new "
                "basis, and change_of_basis maps standard coordinates to them; following c₁b₁ then c₂b₂ lands on v.")
def change_of_basis_figure():
    Bn = np.array([[1.0, -0.5], [0.5, 1.0]])  # columns b1, b2
    v = np.array([1.0, 2.0])
    c = coordinates(v, Bn)
    C = change_of_basis(np.eye(2), Bn)
    assert np.allclose(C @ v, c)
    fig = Figure(figsize=(5.0, 4.6))
    ax = fig.add_subplot()
    for k in range(-3, 5):
        ax.plot([k, k], [-2, 3], color="0.9", lw=0.8)
        ax.plot([-2, 4], [k, k], color="0.9", lw=0.8)
        for j, b in enumerate(Bn.T):
            other = Bn[:, 1 - j]
            p0, p1 = k * other - 4 * b, k * other + 4 * b
            ax.plot([p0[0], p1[0]], [p0[1], p1[1]], color="C0", lw=0.5, alpha=0.35)
    ax.annotate("", xy=v, xytext=(0, 0), arrowprops={"arrowstyle": "->", "lw": 2, "color": "k"})
    ax.annotate("", xy=c[0] * Bn[:, 0], xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": "C0"})
    ax.annotate("", xy=v, xytext=c[0] * Bn[:, 0], arrowprops={"arrowstyle": "->", "color": "C1"})
    ax.text(v[0] + 0.05, v[1] + 0.1, f"v = (1, 2) = {c[0]:.2f}·b₁ + {c[1]:.2f}·b₂", fontsize=9)
    for j, b in enumerate(Bn.T):
        ax.annotate("", xy=b, xytext=(0, 0), arrowprops={"arrowstyle": "->", "color": "C3", "lw": 1.5})
        ax.text(b[0] * 1.05, b[1] * 1.05 + 0.05, f"b{'₁₂'[j]}", color="C3")
    ax.set_xlim(-1.5, 3.5)
    ax.set_ylim(-1.5, 2.8)
    ax.set_aspect("equal")
    return fig
