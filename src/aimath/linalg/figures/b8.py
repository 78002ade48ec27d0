"""B8 figures: the convergence of power iteration."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.linalg import power_iteration
from aimath.linalg.theorems._make import symmetric_with


@figure("B8.power-iteration", "Power iteration converges at rate |λ₂/λ₁|",
        caption="Residual ‖Ax − λx‖ of power iteration on symmetric 8×8 matrices with λ₁ = 1 and "
                "λ₂ = ρ ∈ {0.5, 0.7, 0.9}; the dashed lines are ρᵏ: the closer the second eigenvalue, the "
                "slower the convergence.")
def power_convergence():
    rng = np.random.default_rng(0)
    fig = Figure(figsize=(5.6, 4.2))
    ax = fig.add_subplot()
    for rho, c in ((0.5, "C0"), (0.7, "C1"), (0.9, "C2")):
        A = symmetric_with(rng, np.r_[1.0, rho, rho * np.linspace(0.1, 0.9, 6)])
        r = power_iteration(A, rng=1, tol=1e-12)
        k = np.arange(1, r.n_iter + 1)
        ax.semilogy(k, r.residuals, color=c, label=f"ρ = {rho}")
        ax.semilogy(k, r.residuals[0] * rho ** (k - 1.0), "--", color=c, lw=0.8)
    ax.set_xlabel("iteration k")
    ax.set_ylabel("‖Ax_k − λ_k x_k‖")
    ax.legend(fontsize=8)
    ax.set_title("Power iteration: linear convergence at rate ρ = |λ₂/λ₁|")
    return fig
