"""B7 LU and Cholesky: backward stability, the role of pivoting, the cubic cost."""

from __future__ import annotations

import numpy as np

from aimath.linalg import cholesky, det, eigvalsh, inv, is_positive_definite, lu, solve
from aimath.linalg.lu import lu_unblocked
from aimath.linalg.theorems._make import EPS, fro, symmetric_with, with_singular_values
from aimath.theorems import Evidence, theorem


@theorem("B7.lu-backward-stability",
         "partial pivoting: ‖PLU − A‖/‖A‖ ≈ ε and solve's backward error ‖Ax̂ − b‖/(‖A‖‖x̂‖) ≈ ε for κ up to 1e12")
def lu_stability(rng):
    n = 100
    fact, back = [], []
    for logk in (0, 4, 8, 12):
        A = with_singular_values(rng, n, n, np.logspace(0, -logk, n))
        P, L, U = lu(A)
        fact.append(fro(P @ L @ U - A) / fro(A))
        b = rng.standard_normal(n)
        x = solve(A, b)
        back.append(fro(A @ x - b) / (fro(A) * fro(x)))
    return Evidence.all(
        factorisation=Evidence.bound(np.array(fact), 10 * n * EPS, note="‖PLU − A‖_F/‖A‖_F per κ"),
        solve=Evidence.bound(np.array(back), 10 * n * EPS, note="normwise backward error per κ"),
    )


@theorem("B7.pivoting-example", "A = [[ε, 1], [1, 1]]: elimination without pivoting loses the (2,2) entry, "
         "partial pivoting does not")
def pivoting(rng):
    eps_ = 10.0 ** -rng.uniform(17, 20)
    A = np.array([[eps_, 1.0], [1.0, 1.0]])
    _, L0, U0 = lu(A, pivoting=False)
    P, L, U = lu(A)
    b = np.array([1.0, 2.0])
    x_true = np.array([1.0, 1.0]) / (1 - eps_) * np.array([1.0, 1 - 2 * eps_])
    y = np.array([b[0], b[1] - L0[1, 0] * b[0]])  # forward, then back substitution without pivoting
    x2 = y[1] / U0[1, 1]
    x_nopiv = np.array([(y[0] - U0[0, 1] * x2) / U0[0, 0], x2])
    return Evidence.all(
        no_pivoting_factor=Evidence.bound(fro(L0 @ U0 - A), 0.5, kind=">", note="‖LU − A‖ without pivoting"),
        no_pivoting_solution=Evidence.bound(fro(x_nopiv - x_true), 0.5, kind=">", note="solution error"),
        pivoting_factor=Evidence.bound(fro(P @ L @ U - A), 4 * EPS),
        pivoting_solution=Evidence.close(solve(A, b), x_true, rtol=4 * EPS),
    )


@theorem("B7.lu-cost-exponent", "Gaussian elimination costs ⅔n³ + O(n²) flops: fitted exponent 3 ± 0.3")
def cost(rng):
    ns = np.array([32, 48, 64, 96, 128])
    flops = [lu_unblocked(rng.standard_normal((n, n)), count_flops=True)[3] for n in ns]
    return Evidence.all(
        exponent=Evidence.slope(ns, flops, 3.0, 0.3),
        leading_constant=Evidence.close(flops[-1] / ns[-1] ** 3, 2 / 3, rtol=0.05),
    )


@theorem("B7.cholesky", "A ≻ 0 ⇔ Cholesky succeeds ⇔ λ_min > 0; ‖LLᵀ − A‖/‖A‖ ≤ 10nε for κ up to 1e12")
def cholesky_thm(rng):
    n = 60
    res = []
    for logk in (0, 6, 12):
        A = symmetric_with(rng, np.logspace(0, -logk, n))
        L = cholesky(A)
        res.append(fro(L @ L.T - A) / fro(A))
    S = rng.standard_normal((400, 5, 5))
    S = S @ np.swapaxes(S, -1, -2) - rng.uniform(0, 4, (400, 1, 1)) * np.eye(5)
    agree = np.mean(is_positive_definite(S) == (eigvalsh(S)[..., 0] > 0))
    return Evidence.all(
        backward=Evidence.bound(np.array(res), 10 * n * EPS),
        pd_test=Evidence.close(float(agree), 1.0, atol=0, note="Cholesky test vs eigenvalue test, 400 matrices"),
    )


@theorem("B7.determinant-and-inverse",
         "det A = ∏λᵢ via LU; ‖A·inv(A) − I‖ ≤ c·κ(A)·ε while solve's residual stays ≈ ε")
def det_inv(rng):
    n = 8
    w = rng.uniform(0.5, 2.0, n) * rng.choice([-1, 1], n)
    V = orthogonal_like(rng, n)
    A = V @ np.diag(w) @ inv(V)
    B = with_singular_values(rng, 50, 50, np.logspace(0, -10, 50))
    R = fro(B @ inv(B) - np.eye(50))
    b = rng.standard_normal(50)
    x = solve(B, b)
    return Evidence.all(
        determinant=Evidence.close(det(A), np.prod(w), rtol=1e-10),
        inverse=Evidence.bound(R, 10 * 50 * 1e10 * EPS, note="‖A A⁻¹ − I‖_F ≤ 10nκε, κ = 1e10"),
        solve_residual=Evidence.bound(fro(B @ x - b) / (fro(B) * fro(x)), 10 * 50 * EPS, note="κ = 1e10"),
    )


def orthogonal_like(rng, n):
    """A well-conditioned non-orthogonal basis."""
    return np.eye(n) + 0.3 * rng.standard_normal((n, n)) / np.sqrt(n)
