"""B6 QR: backward stability of Householder QR, the algorithms agree, least squares by QR."""

from __future__ import annotations

import numpy as np

from aimath.linalg import lstsq, qr, solve
from aimath.linalg.qr import givens_qr, householder_qr_unblocked
from aimath.linalg.theorems._make import EPS, fro, with_singular_values
from aimath.theorems import Evidence, theorem


@theorem("B6.qr-backward-stability",
         "Householder QR: ‖A − QR‖/‖A‖ < 10nε and ‖QᵀQ − I‖ ≈ ε, independent of κ (κ = 1 … 1e12)")
def qr_stability(rng):
    m, n = 120, 80
    res, orth = [], []
    for logk in (0, 3, 6, 9, 12):
        A = with_singular_values(rng, m, n, np.logspace(0, -logk, n))
        Q, R = qr(A)
        res.append(fro(A - Q @ R) / fro(A))
        orth.append(fro(Q.T @ Q - np.eye(n)))
    return Evidence.all(
        backward=Evidence.bound(np.array(res), 10 * n * EPS, note="‖A − QR‖_F/‖A‖_F per κ"),
        orthogonality=Evidence.bound(np.array(orth), 10 * n * EPS, note="‖QᵀQ − I‖_F per κ"),
        kappa_free=Evidence.bound(max(orth) / min(orth), 10.0, note="spread of the orthogonality loss over κ"),
    )


@theorem("B6.qr-algorithms-agree", "blocked Householder, unblocked Householder and Givens give the same R up to signs")
def qr_agree(rng):
    A = rng.standard_normal((50, 30))
    _, R1 = qr(A, "complete")
    _, R2 = householder_qr_unblocked(A)
    _, R3 = givens_qr(A)
    return Evidence.all(
        blocked_vs_unblocked=Evidence.close(R1, R2, rtol=0, atol=1e-12),
        householder_vs_givens=Evidence.close(np.abs(R1), np.abs(R3), rtol=0, atol=1e-12),
    )


@theorem("B6.least-squares-by-qr",
         "Rx = Qᵀb solves min‖Ax − b‖: the residual is ⟂ R(A), and its error grows like κ, not κ² as the "
         "normal equations' does")
def least_squares(rng):
    m, n = 60, 12
    A = with_singular_values(rng, m, n, np.logspace(0, -7, n))
    x_true = rng.standard_normal(n)
    r_perp = rng.standard_normal(m)
    r_perp -= A @ lstsq(A, r_perp)[0]  # a residual orthogonal to R(A)
    b = A @ x_true + 1e-10 * r_perp / fro(r_perp)
    x_qr = lstsq(A, b, method="qr")[0]
    x_ne = solve(A.T @ A, A.T @ b)
    err_qr = fro(x_qr - x_true) / fro(x_true)
    err_ne = fro(x_ne - x_true) / fro(x_true)
    return Evidence.all(
        orthogonal_residual=Evidence.bound(float(np.abs(A.T @ (b - A @ x_qr)).max()), 1e-13),
        qr_accuracy=Evidence.bound(err_qr, 100 * 1e7 * EPS, note="‖x − x*‖/‖x*‖ by QR ≤ 100κε (κ = 1e7)"),
        normal_equations_worse=Evidence.bound(err_ne, 100 * err_qr, kind=">", note="normal equations error"),
    )
