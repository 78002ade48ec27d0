"""B9 symmetric matrices: the spectral theorem, Rayleigh quotients and Courant–Fischer, Weyl,
positive-definiteness tests, PCA, the Lanczos reduction."""

from __future__ import annotations

import numpy as np

from aimath.linalg import (
    cholesky,
    det,
    eigh,
    eigvalsh,
    is_positive_definite,
    lanczos_tridiagonal,
    matrix_norm,
    rayleigh_quotient,
)
from aimath.linalg.theorems._make import EPS, fro, orthogonal, symmetric_with
from aimath.theorems import Evidence, theorem


@theorem("B9.spectral-theorem", "A = Aᵀ ⇒ A = VΛVᵀ with real Λ and ‖VᵀV − I‖ < 1e-13, also for clustered, "
         "repeated and ill-conditioned spectra")
def spectral(rng):
    n = 24
    spectra = [rng.standard_normal(n), np.r_[np.ones(8), 2 * np.ones(8), rng.standard_normal(8)],
               1 + 1e-10 * rng.standard_normal(n), np.logspace(0, -12, n) * rng.choice([-1, 1], n)]
    orth, rec = [], []
    for w in spectra:
        A = symmetric_with(rng, w)
        lam, V = eigh(A)
        orth.append(float(np.abs(V.T @ V - np.eye(n)).max()))
        rec.append(fro(A - (V * lam) @ V.T) / fro(A))
    return Evidence.all(
        orthonormal=Evidence.bound(np.array(orth), 1e-13),
        reconstruction=Evidence.bound(np.array(rec), 10 * n * EPS),
    )


@theorem("B9.courant-fischer", "λ_min ≤ xᵀAx/xᵀx ≤ λ_max, and λ_k = min over k-dim S of max_{x∈S} R(x), "
         "attained by the first k eigenvectors")
def courant_fischer(rng):
    n, k = 10, 4
    A = symmetric_with(rng, rng.standard_normal(n))
    lam, V = eigh(A)
    x = rng.standard_normal((20000, n))
    r = rayleigh_quotient(A, x)
    Qs = orthogonal(rng, n, (2000,))[..., :k]  # random k-dimensional subspaces
    maxes = eigvalsh(np.swapaxes(Qs, -1, -2) @ A @ Qs)[..., -1]
    best = eigvalsh(V[:, :k].T @ A @ V[:, :k])[-1]
    tol = 1e-13 * np.abs(lam).max()
    return Evidence.all(
        rayleigh_lower=Evidence.bound(float(r.min() - lam[0]), -tol, kind=">="),
        rayleigh_upper=Evidence.bound(float(r.max() - lam[-1]), tol),
        minmax_bound=Evidence.bound(float(maxes.min() - lam[k - 1]), -tol, kind=">=",
                                    note="min over 2000 random S of max R − λ_k"),
        minmax_attained=Evidence.close(best, lam[k - 1], rtol=1e-12),
    )


@theorem("B9.weyl", "Weyl: |λᵢ(A + E) − λᵢ(A)| ≤ ‖E‖₂ for symmetric A, E (500 random pairs, several scales)")
def weyl(rng):
    A = rng.standard_normal((500, 8, 8))
    A = A + np.swapaxes(A, -1, -2)
    E = rng.standard_normal((500, 8, 8)) * 10.0 ** rng.uniform(-6, 0, (500, 1, 1))
    E = E + np.swapaxes(E, -1, -2)
    shift = np.abs(eigvalsh(A + E) - eigvalsh(A)).max(-1)
    ratio = shift / matrix_norm(E, 2)
    return Evidence.bound(float(ratio.max()), 1 + 1e-6, note="max_i |Δλᵢ| / ‖E‖₂")


@theorem("B9.positive-definite-tests", "for symmetric A: Cholesky succeeds ⇔ all eigenvalues > 0 ⇔ all leading "
         "principal minors > 0 (Sylvester)")
def pd_tests(rng):
    n = 5
    lam = rng.uniform(0.01, 2.0, (600, n))
    flip = rng.random(600) < 0.5
    lam[flip, rng.integers(0, n, int(flip.sum()))] *= -1  # half of them get one negative eigenvalue
    Q = orthogonal(rng, n, (600,))
    S = (Q * lam[:, None, :]) @ np.swapaxes(Q, -1, -2)
    S = (S + np.swapaxes(S, -1, -2)) / 2
    by_chol = is_positive_definite(S)
    by_eig = eigvalsh(S)[:, 0] > 0
    by_minors = np.all(np.stack([det(S[:, :k, :k]) > 0 for k in range(1, n + 1)]), axis=0)
    L = cholesky(S[by_chol])
    return Evidence.all(
        cholesky_vs_eigen=Evidence.close(float(np.mean(by_chol == by_eig)), 1.0, atol=0),
        sylvester=Evidence.close(float(np.mean(by_minors == by_eig)), 1.0, atol=0),
        both_kinds_present=Evidence.bound(min(by_eig.mean(), 1 - by_eig.mean()), 0.1, kind=">"),
        factor_positive=Evidence.bound(float(np.diagonal(L, axis1=-2, axis2=-1).min()), 0.0, kind=">"),
    )


@theorem("B9.pca-explained-variance", "projecting centred data on the top-k eigenvectors of its covariance keeps "
         "variance Σ_{i≤k} λᵢ, more than any other k-dimensional projection")
def pca(rng):
    n, d, k = 2000, 6, 2
    X = rng.standard_normal((n, d)) @ (rng.standard_normal((d, d)) * np.linspace(3, 0.3, d))
    X = X - X.mean(0)
    C = X.T @ X / (n - 1)
    lam, V = eigh(C)
    top = V[:, ::-1][:, :k]
    kept = np.sum((X @ top) ** 2) / (n - 1)
    Qs = orthogonal(rng, d, (500,))[..., :k]
    others = np.sum((X @ Qs) ** 2, axis=(-2, -1)) / (n - 1)
    return Evidence.all(
        explained=Evidence.close(kept, lam[::-1][:k].sum(), rtol=1e-12),
        optimal=Evidence.bound(float(others.max() - kept), 1e-10, note="best of 500 random projections − PCA"),
    )


@theorem("B9.lanczos-reorthogonalisation", "Lanczos with full reorthogonalisation: QᵀAQ = T with ‖QᵀQ − I‖ ≤ 10nε "
         "and the spectrum of A; the bare three-term recurrence loses orthogonality once Ritz values converge "
         "and repeats converged eigenvalues in T (Paige's ghosts)")
def lanczos(rng):
    n = 80
    w = np.r_[[100.0, 50.0, 20.0, 10.0], rng.uniform(0, 1, n - 4)]  # four outliers converge early
    A = symmetric_with(rng, w)
    seed = int(rng.integers(2**31))
    out = {}
    for name, re in (("full", True), ("bare", False)):
        d, e, Q = lanczos_tridiagonal(A, seed=seed, reorthogonalize=re)
        lam = eigvalsh(np.diag(d) + np.diag(e, 1) + np.diag(e, -1))
        out[name] = (float(np.abs(Q.T @ Q - np.eye(n)).max()), float(np.abs(lam - np.sort(w)).max()),
                     int(np.sum(np.abs(lam - 100.0) < 1e-6)))
    return Evidence.all(
        full_orthogonality=Evidence.bound(out["full"][0], 10 * n * EPS),
        full_spectrum=Evidence.bound(out["full"][1] / 100.0, 10 * n * EPS, note="max |λ(T) − λ(A)| / ‖A‖₂"),
        full_one_copy=Evidence.close(out["full"][2], 1, note="eigenvalues of T at 100"),
        bare_orthogonality_lost=Evidence.bound(out["bare"][0], 0.1, kind=">=",
                                               note="‖QᵀQ − I‖ without reorthogonalisation"),
        bare_ghosts=Evidence.bound(out["bare"][2], 2, kind=">=", note="copies of the eigenvalue 100 in T"),
    )
