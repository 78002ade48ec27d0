"""B10 SVD: backward stability, Eckart–Young–Mirsky, the Penrose equations, condition numbers,
randomized SVD."""

from __future__ import annotations

import numpy as np

from aimath.linalg import cond, low_rank_approx, matrix_norm, pinv, randomized_svd, solve, svd, svdvals
from aimath.linalg.theorems._make import EPS, fro, with_singular_values
from aimath.theorems import Evidence, theorem


@theorem("B10.svd-backward-stability", "‖A − UΣVᵀ‖/‖A‖ ≤ 10nε, ‖UᵀU − I‖, ‖VᵀV − I‖ ≤ 10nε and σᵢ to ε‖A‖ for "
         "singular values spread over 1e-12 … 1, rank-deficient included")
def svd_stability(rng):
    m, n = 50, 30
    res, orth, sv = [], [], []
    for s in (np.logspace(0, -12, n), np.r_[np.ones(10), np.zeros(20)], rng.uniform(0.5, 1, n)):
        A = with_singular_values(rng, m, n, s)
        U, sig, Vh = svd(A, full_matrices=False)
        res.append(fro(A - (U * sig) @ Vh) / fro(A))
        orth.append(max(fro(U.T @ U - np.eye(n)), fro(Vh @ Vh.T - np.eye(n))))
        sv.append(float(np.abs(sig - np.sort(s)[::-1]).max()))
    return Evidence.all(
        backward=Evidence.bound(np.array(res), 10 * n * EPS),
        orthogonality=Evidence.bound(np.array(orth), 10 * n * EPS),
        singular_values=Evidence.bound(np.array(sv), 10 * n * EPS),
    )


@theorem("B10.eckart-young", "Eckart–Young–Mirsky: ‖A − A_k‖₂ = σ_{k+1}, ‖A − A_k‖_F = √Σ_{i>k}σᵢ² (1e-10), and no "
         "other rank-k matrix does better")
def eckart_young(rng):
    m, n = 20, 15
    A = rng.standard_normal((m, n))
    s = svdvals(A)
    two, frob = [], []
    for k in (0, 1, 4, 9, 14):
        Ak = low_rank_approx(A, k)
        two.append(matrix_norm(A - Ak, 2) - s[k])
        frob.append(matrix_norm(A - Ak) - np.sqrt(np.sum(s[k:] ** 2)))
    k = 5
    U, _, Vh = svd(A, full_matrices=False)
    G1, G2 = rng.standard_normal((2, 200, m, k)), rng.standard_normal((200, k, n))
    delta = 10.0 ** rng.uniform(-6, -1, (200, 1, 1))
    others = ((U[:, :k] + delta * G1[0]) * s[:k]) @ (Vh[:k] + delta * G2)  # rank-k matrices near A_k
    worst = min(np.min(matrix_norm(A - others, 2) - s[k]),
                np.min(matrix_norm(A - others) - np.sqrt(np.sum(s[k:] ** 2))))
    return Evidence.all(
        spectral=Evidence.close(np.array(two), 0.0, atol=1e-10),
        frobenius=Evidence.close(np.array(frob), 0.0, atol=1e-10),
        optimal=Evidence.bound(float(worst), -1e-12, kind=">=", note="min excess error, 200 rank-5 matrices near A₅"),
    )


@theorem("B10.penrose-equations", "X = A⁺ satisfies AXA = A, XAX = X, (AX)ᵀ = AX, (XA)ᵀ = XA (1e-10), also for "
         "rank-deficient A")
def penrose(rng):
    errs = []
    for m, n, r in ((8, 5, 5), (5, 8, 3), (10, 10, 4)):
        A = rng.standard_normal((m, r)) @ rng.standard_normal((r, n))
        X = pinv(A)
        errs += [np.abs(A @ X @ A - A).max(), np.abs(X @ A @ X - X).max(), np.abs(A @ X - (A @ X).T).max(),
                 np.abs(X @ A - (X @ A).T).max()]
    return Evidence.bound(np.array(errs), 1e-10)


@theorem("B10.condition-number", "κ₂ = σ₁/σₙ = ‖A‖₂‖A⁻¹‖₂ bounds the relative error amplification ‖δx‖/‖x‖ ≤ "
         "κ ‖δb‖/‖b‖, with equality for b ∥ u₁, δb ∥ uₙ")
def condition(rng):
    n = 8
    A = with_singular_values(rng, n, n, np.logspace(0, -4, n))
    U, s, Vh = svd(A)
    k = cond(A)
    b, db = rng.standard_normal((2, n, 300))
    db *= 1e-8
    x, dx = solve(A, b), solve(A, db)  # δx = A⁻¹δb by linearity
    nrm = lambda v: np.sqrt(np.sum(v * v, axis=0))  # noqa: E731
    amp = (nrm(dx) / nrm(x)) / (nrm(db) / nrm(b))
    b, db = U[:, 0], 1e-8 * U[:, -1]
    x, dx = solve(A, b), solve(A, db)
    worst = (fro(dx) / fro(x)) / (fro(db) / fro(b))
    return Evidence.all(
        definition=Evidence.close(k, matrix_norm(A, 2) * matrix_norm(pinv(A), 2), rtol=1e-8),
        bound=Evidence.bound(max(amp) / k, 1 + 1e-6),
        attained=Evidence.close(worst, k, rtol=1e-6),
    )


@theorem("B10.randomized-svd", "randomized SVD (p = 10, q = 2) has ‖A − UΣVᵀ‖₂ ≤ 1.1 σ_{k+1}")
def randomized(rng):
    m, n, k = 100, 60, 6
    s = 1.0 / np.arange(1, n + 1) ** 1.5
    ratios = []
    for _ in range(3):
        A = with_singular_values(rng, m, n, s)
        U, sig, Vh = randomized_svd(A, k, rng=rng)
        ratios.append(matrix_norm(A - (U * sig) @ Vh, 2) / s[k])
    return Evidence.bound(np.array(ratios), 1.1, note="‖A − Â_k‖₂ / σ_{k+1} over 3 matrices")


@theorem("B10.svd-geometry", "A maps the unit circle onto an ellipse with semi-axes σ₁ ≥ σ₂ along u₁, u₂")
def geometry(rng):
    A = rng.standard_normal((2, 2))
    U, s, Vh = svd(A)
    t = np.linspace(0, 2 * np.pi, 20001)
    img = A @ np.stack([np.cos(t), np.sin(t)])
    r = np.sqrt(np.sum(img**2, axis=0))
    at_v = np.sqrt(np.sum((A @ Vh.T) ** 2, axis=0))
    return Evidence.all(
        inside=Evidence.bound(float(r.max() / s[0]), 1 + 1e-14, note="max ‖Ax‖/σ₁ on the circle"),
        outside=Evidence.bound(float(r.min() / s[1]), 1 - 1e-14, kind=">=", note="min ‖Ax‖/σ₂ on the circle"),
        semi_axes=Evidence.close(at_v, s, rtol=1e-14, note="‖Avᵢ‖ = σᵢ"),
        axes=Evidence.close(A @ Vh.T, U * s, rtol=0, atol=1e-14),
    )
