"""B7 figures: why Gaussian elimination pivots."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.linalg.lu import lu
from aimath.linalg.triangular import solve_triangular


@figure("B7.pivoting", "Gaussian elimination with and without pivoting",
        caption="Solving Ax = b for A = [[ε, 1], [1, 1]] and x = (1, 1) through aimath.linalg.lu and two triangular "
                "solves. Without pivoting the multiplier 1/ε swamps the second row and the computed x is wrong by "
                "about machine-ε/ε, completely so once ε < machine ε; with partial pivoting the error stays at "
                "round-off.")
def pivoting():
    eps_values = np.logspace(-1, -18, 35)
    x_true = np.array([1.0, 1.0])
    errs = {"no pivoting": [], "partial pivoting": []}
    for e in eps_values:
        A = np.array([[e, 1.0], [1.0, 1.0]])
        b = np.array([e + 1.0, 2.0])
        for name, piv in (("no pivoting", False), ("partial pivoting", True)):
            P, L, U = lu(A, pivoting=piv)
            with np.errstate(all="ignore"):
                y = solve_triangular(L, P.T @ b, lower=True, unit_diagonal=True)
                x = solve_triangular(U, y)
            err = np.abs(x - x_true).max() if np.all(np.isfinite(x)) else 1.0
            errs[name].append(max(err, 1e-17))
    fig = Figure(figsize=(5.6, 3.8))
    ax = fig.add_subplot()
    for name, v in errs.items():
        ax.loglog(eps_values, v, "o-", ms=3, label=name)
    bound = np.minimum(np.finfo(float).eps / eps_values, 1.0)
    ax.loglog(eps_values, bound, "k:", lw=0.8, label="min(1, machine ε / ε)")
    ax.invert_xaxis()
    ax.set_xlabel("ε (the unpivoted pivot a₁₁)")
    ax.set_ylabel("‖x̂ − x‖∞")
    ax.set_ylim(1e-17, 10)
    ax.legend(fontsize=8)
    return fig
