"""B8 eigendecomposition: vector iterations, the QR algorithm, diagonalisation, Markov chains and
PageRank, the matrix exponential."""

from __future__ import annotations

import numpy as np

from aimath.linalg import (
    det,
    eig,
    eigvals,
    expm,
    hessenberg,
    inv,
    pagerank,
    power_iteration,
    rayleigh_quotient_iteration,
    stationary_distribution,
)
from aimath.linalg.theorems._make import fro, orthogonal, symmetric_with
from aimath.theorems import Evidence, fit_line, theorem


@theorem("B8.power-iteration-rate", "power iteration converges linearly at rate |λ₂/λ₁|: fitted log-rate within 5 %")
def power_rate(rng):
    rhos = (0.5, 0.8, 0.9)
    measured, expected = [], []
    for rho in rhos:
        w = np.r_[1.0, rho, rho * rng.uniform(0.1, 0.9, 6)] * rng.choice([-1, 1], 8)
        A = symmetric_with(rng, w)
        r = power_iteration(A, rng=rng, tol=1e-13)
        res = np.array(r.residuals)
        k = np.flatnonzero((res < 1e-3) & (res > 1e-11))
        slope = fit_line(k, np.log(res[k]))[0]
        measured.append(slope)
        expected.append(np.log(rho))
    return Evidence.close(np.array(measured), np.array(expected), rtol=0.05,
                          note="slope of log‖Ax − λx‖ per step vs log|λ₂/λ₁| for ρ = 0.5, 0.8, 0.9")


@theorem("B8.rayleigh-quotient-cubic", "Rayleigh-quotient iteration on a symmetric matrix converges cubically: "
         "one step maps a residual r to O(r³) (fitted exponent 3 ± 0.3)")
def rqi_cubic(rng):
    n = 12
    w = np.sort(rng.uniform(-1, 1, n))
    Q = orthogonal(rng, n)
    A = (Q * w) @ Q.T
    A = (A + A.T) / 2
    v, u = Q[:, 5], Q[:, 9]  # target eigenvector and an error direction
    before, after = [], []
    for delta in np.logspace(-1.5, -3.5, 5):
        r = rayleigh_quotient_iteration(A, v + delta * u, tol=1e-14)
        before.append(r.residuals[0])
        after.append(r.residuals[1])
    return Evidence.slope(before, after, 3.0, 0.3, note="log r₁ against log r₀ for starts at distance δ")


@theorem("B8.qr-algorithm-eigenvalues",
         "Hessenberg + shifted QR finds the eigenvalues of A = VΛV⁻¹, complex pairs included (1e-9)")
def qr_eigenvalues(rng):
    worst = 0.0
    for _ in range(5):
        n_pairs, n_real = 3, 6
        re, im = rng.uniform(-2, 2, n_pairs), rng.uniform(0.2, 2, n_pairs)
        lam_r = rng.uniform(-3, 3, n_real)
        D = np.zeros((12, 12))
        D[np.arange(n_real), np.arange(n_real)] = lam_r
        for j in range(n_pairs):
            i = n_real + 2 * j
            D[i : i + 2, i : i + 2] = [[re[j], im[j]], [-im[j], re[j]]]
        V = np.eye(12) + 0.3 * rng.standard_normal((12, 12)) / np.sqrt(12)
        A = V @ D @ inv(V)
        w = np.sort_complex(eigvals(A))
        ref = np.sort_complex(np.r_[lam_r, re + 1j * im, re - 1j * im])
        worst = max(worst, float(np.max(np.abs(w - ref))))
    return Evidence.bound(worst, 1e-9, note="max |λ − λ_true| over 5 matrices with 3 complex pairs")


@theorem("B8.diagonalisation", "A = V diag(λ) V⁻¹ from eig, and the Hessenberg form H = QᵀAQ keeps the spectrum")
def diagonalisation(rng):
    A = rng.standard_normal((10, 10))
    w, V = eig(A)
    rec = V @ np.diag(w) @ inv_c(V)
    H, Q = hessenberg(A, calc_q=True)
    return Evidence.all(
        diagonalisation=Evidence.bound(float(np.abs(rec - A).max()), 1e-10),
        hessenberg_similarity=Evidence.bound(fro(Q @ H @ Q.T - A) / fro(A), 1e-14),
        hessenberg_spectrum=Evidence.close(np.sort_complex(eigvals(H)), np.sort_complex(w), rtol=0, atol=1e-10),
    )


def inv_c(V):
    """Inverse of a complex matrix through the real 2n×2n embedding (our LU is real)."""
    n = V.shape[0]
    M = np.block([[V.real, -V.imag], [V.imag, V.real]])
    Mi = inv(M)
    return Mi[:n, :n] + 1j * Mi[n:, :n]


@theorem("B8.markov-stationary", "the stationary distribution satisfies πᵀP = πᵀ (1e-10); PageRank is the "
         "stationary distribution of the Google matrix")
def markov(rng):
    P = rng.random((50, 8, 8)) ** 3
    P /= P.sum(-1, keepdims=True)
    pi = stationary_distribution(P)
    bal = np.abs(np.einsum("bi,bij->bj", pi, P) - pi).max()
    adj = (rng.random((15, 15)) < 0.2).astype(float)
    adj[4] = 0.0  # a dangling page
    pr = pagerank(adj, 0.85)
    out = adj.sum(1)
    G = 0.85 * np.where(out[:, None] > 0, adj / np.maximum(out, 1)[:, None], 1 / 15) + 0.15 / 15
    return Evidence.all(
        balance=Evidence.bound(float(bal), 1e-10),
        normalised=Evidence.close(pi.sum(-1), 1.0, rtol=1e-12),
        pagerank=Evidence.close(pr, stationary_distribution(G), rtol=0, atol=1e-10),
    )


@theorem("B8.matrix-exponential", "e^{A+B} = e^A e^B when AB = BA, det e^A = e^{tr A}, e^{VΛV⁻¹} = V e^Λ V⁻¹")
def exponential(rng):
    A = rng.standard_normal((6, 6))
    B = 0.3 * A @ A - 0.5 * A + np.eye(6)  # commutes with A
    w = rng.uniform(-2, 2, 6)
    V = np.eye(6) + 0.3 * rng.standard_normal((6, 6))
    M = V @ np.diag(w) @ inv(V)
    E = expm(A)
    return Evidence.all(
        commuting=Evidence.close(expm(A + B), expm(A) @ expm(B), rtol=1e-10, atol=1e-12),
        det_trace=Evidence.close(det(E), np.exp(np.trace(A)), rtol=1e-12),
        diagonal=Evidence.close(expm(M), V @ np.diag(np.exp(w)) @ inv(V), rtol=1e-10, atol=1e-12),
    )


