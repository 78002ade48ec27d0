"""B9 figures: Weyl's perturbation bound for eigenvalues."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.linalg import eigvalsh, matrix_norm
from aimath.linalg.theorems._make import symmetric_with


@figure("B9.weyl-perturbation", "Weyl: eigenvalues move by at most ‖E‖₂",
        caption="Eigenvalues of A + tE for a symmetric 6×6 A and a symmetric E with ‖E‖₂ = 1, as t grows from 0 "
                "to 1 (aimath.linalg.eigvalsh); each stays inside its Weyl band λᵢ(A) ± t‖E‖₂ (shaded).")
def weyl_perturbation():
    rng = np.random.default_rng(3)
    A = symmetric_with(rng, [-2.0, -1.2, -0.3, 0.4, 1.5, 2.2])
    E = rng.standard_normal((6, 6))
    E = E + E.T
    E /= matrix_norm(E, 2)
    t = np.linspace(0, 1, 101)
    lam = eigvalsh(A[None] + t[:, None, None] * E[None])
    fig = Figure(figsize=(5.6, 4.2))
    ax = fig.add_subplot()
    for i in range(6):
        ax.fill_between(t, lam[0, i] - t, lam[0, i] + t, alpha=0.12, color=f"C{i}")
        ax.plot(t, lam[:, i], color=f"C{i}")
    ax.set_xlabel("t  (perturbation tE, ‖E‖₂ = 1)")
    ax.set_ylabel("λᵢ(A + tE)")
    ax.set_title("Weyl's inequality |λᵢ(A + tE) − λᵢ(A)| ≤ t‖E‖₂")
    return fig
