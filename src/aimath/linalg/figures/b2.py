"""B2 figures: unit balls of the ℓ_p norms."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.linalg.norms import norm


@figure("B2.unit-balls", "Unit balls of ℓ₁, ℓ₂, ℓ₃ and ℓ∞",
        caption="The sets {x ∈ ℝ² : ‖x‖_p ≤ 1} for p = 1, 2, 3, ∞, traced as the level set ‖x‖_p = 1 of "
                "aimath.linalg.norm on a grid; they are nested, ℓ₁ ⊂ ℓ₂ ⊂ ℓ₃ ⊂ ℓ∞, as norm equivalence says.")
def unit_balls():
    g = np.linspace(-1.3, 1.3, 401)
    X, Y = np.meshgrid(g, g)
    P = np.stack([X, Y], axis=-1)
    fig = Figure(figsize=(4.8, 4.6))
    ax = fig.add_subplot()
    colors = {1: "C0", 2: "C1", 3: "C2", np.inf: "C3"}
    for p, c in colors.items():
        ax.contour(X, Y, norm(P, p), levels=[1.0], colors=c)
        ax.plot([], [], color=c, label=f"‖x‖_{'∞' if p == np.inf else p} = 1")
    ax.set_aspect("equal")
    ax.axhline(0, color="0.8", lw=0.6)
    ax.axvline(0, color="0.8", lw=0.6)
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title("Unit balls of ℓ_p norms in ℝ²")
    return fig
