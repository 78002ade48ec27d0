"""B9 figures: Weyl's perturbation bound for eigenvalues; Lanczos with and without
reorthogonalisation."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.linalg import eigvalsh, lanczos_tridiagonal, matrix_norm
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


@figure("B9.lanczos-ghosts", "Lanczos: orthogonality lost, eigenvalues repeated",
        caption="Lanczos on a symmetric 80×80 matrix with eigenvalues 100, 50 and 78 in [0, 1] "
                "(aimath.linalg.lanczos_tridiagonal). Left: the largest |q_iᵀq_j − δ_ij| among the first k Lanczos "
                "vectors; the bare three-term recurrence loses orthogonality as soon as the Ritz value 100 has "
                "converged, full reorthogonalisation keeps it at the rounding level. Right: how many eigenvalues "
                "of the leading k×k block of T lie within 1e-8 of 100 and of 50; without reorthogonalisation "
                "these converged eigenvalues come back again and again as spurious copies ('ghosts').")
def lanczos_ghosts():
    rng = np.random.default_rng(0)
    n = 80
    A = symmetric_with(rng, np.r_[[100.0, 50.0], rng.uniform(0, 1, n - 2)])
    fig = Figure(figsize=(9.6, 4.0))
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    ks = np.arange(2, n + 1)
    for style, re, label in (("-", False, "three-term recurrence"), ("--", True, "full reorthogonalisation")):
        d, e, Q = lanczos_tridiagonal(A, seed=1, reorthogonalize=re)
        G = np.abs(Q.T @ Q - np.eye(n))
        ax1.semilogy(ks, [max(G[:k, :k].max(), 1e-17) for k in ks], style, label=label)
        lam = [eigvalsh(np.diag(d[:k]) + np.diag(e[: k - 1], 1) + np.diag(e[: k - 1], -1)) for k in ks]
        for c, target in (("C0", 100.0), ("C1", 50.0)):
            copies = [int(np.sum(np.abs(x - target) < 1e-8)) for x in lam]
            ax2.step(ks, copies, style, color=c, where="post",
                     label=f"λ = {target:g}, {'full' if re else 'three-term'}")
    ax1.set_xlabel("Lanczos step k")
    ax1.set_ylabel("max |q_iᵀ q_j − δ_ij|,  i, j ≤ k")
    ax1.set_title("loss of orthogonality")
    ax1.legend()
    ax2.set_xlabel("Lanczos step k")
    ax2.set_ylabel("copies in the eigenvalues of T_k")
    ax2.set_title("converged eigenvalues come back")
    ax2.legend()
    return fig
