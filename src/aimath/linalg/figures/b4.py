"""B4 figures: the four fundamental subspaces of a rank-one map of the plane."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.linalg.subspaces import fundamental_subspaces


@figure("B4.four-subspaces", "The four fundamental subspaces",
        caption="For the rank-one matrix A = [[1, 2], [0.5, 1]], the row space R(Aᵀ) and null space N(A) split the "
                "input plane at a right angle (left); the column space R(A) and left null space N(Aᵀ) split the output "
                "plane (right). A sends the unit circle (grey) to a segment of R(A), and sends N(A) to 0. The bases "
                "come from aimath.linalg.fundamental_subspaces.")
def four_subspaces():
    A = np.array([[1.0, 2.0], [0.5, 1.0]])
    fs = fundamental_subspaces(A)
    th = np.linspace(0, 2 * np.pi, 200)
    circle = np.stack([np.cos(th), np.sin(th)])
    image = A @ circle
    fig = Figure(figsize=(8.4, 4.0))
    ax, bx = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for a, lim in ((ax, 1.6), (bx, 2.6)):
        a.axhline(0, color="0.9")
        a.axvline(0, color="0.9")
        a.set_xlim(-lim, lim)
        a.set_ylim(-lim, lim)
        a.set_aspect("equal")

    def line(a, v, color, label):
        v = np.asarray(v).ravel()
        a.plot([-3 * v[0], 3 * v[0]], [-3 * v[1], 3 * v[1]], color=color, lw=2, label=label)

    ax.plot(*circle, color="0.7")
    line(ax, fs.row[:, 0], "C0", "row space R(Aᵀ)")
    line(ax, fs.null[:, 0], "C3", "null space N(A)")
    ax.set_title(f"input ℝ² (rank {fs.rank})", fontsize=9)
    ax.legend(fontsize=8, loc="lower right")
    bx.plot(*image, color="0.5", lw=3, label="A·(unit circle)")
    line(bx, fs.column[:, 0], "C2", "column space R(A)")
    line(bx, fs.left_null[:, 0], "C1", "left null space N(Aᵀ)")
    bx.set_title("output ℝ²", fontsize=9)
    bx.legend(fontsize=8, loc="lower right")
    return fig
