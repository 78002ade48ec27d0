"""B2 inner products and norms: Cauchy–Schwarz, the triangle inequality, norm equivalence,
the axioms of a weighted inner product, and the angle metric."""

from __future__ import annotations

import math

import numpy as np

from aimath.linalg.norms import angle, inner, matrix_norm, norm
from aimath.theorems import Evidence, theorem

_EPS = np.finfo(np.float64).eps


def _pairs(rng, trials, n):
    """Random pairs mixing generic, nearly parallel and wildly scaled vectors."""
    x = rng.standard_normal((trials, n))
    y = rng.standard_normal((trials, n))
    third = trials // 3
    y[:third] = x[:third] * rng.uniform(-3, 3, (third, 1)) + 1e-9 * y[:third]  # nearly parallel
    scale = 10.0 ** rng.uniform(-8, 8, (trials, 1))
    return x * scale, y


@theorem("B2.cauchy-schwarz", "|⟨x, y⟩| ≤ ‖x‖₂‖y‖₂, with equality iff x ∥ y (10⁵ random pairs)")
def cauchy_schwarz(rng):
    x, y = _pairs(rng, 100_000, 7)
    lhs = np.abs(inner(x, y))
    rhs = norm(x) * norm(y)
    ratio = lhs / rhs  # ≤ 1, up to rounding of a few ulps in both sides
    z = rng.standard_normal(7)
    c = rng.uniform(0.5, 2.0)
    eq = abs(inner(z, c * z)) / (norm(z) * norm(c * z))
    return Evidence.all(
        inequality=Evidence.bound(float(ratio.max()), 1 + 8 * _EPS, note="max |⟨x,y⟩|/(‖x‖‖y‖)"),
        equality=Evidence.close(eq, 1.0, rtol=1e-14, note="parallel vectors"),
    )


@theorem("B2.triangle-inequality", "‖x + y‖ ≤ ‖x‖ + ‖y‖ for ℓ₁, ℓ₂, ℓ₃, ℓ∞ and the Frobenius/spectral norms")
def triangle(rng):
    x, y = _pairs(rng, 30_000, 6)
    worst = {}
    for p in (1, 2, 3, np.inf):
        r = norm(x + y, p) / (norm(x, p) + norm(y, p))
        worst[f"l{p}"] = float(r.max())
    A = rng.standard_normal((200, 5, 4))
    B = rng.standard_normal((200, 5, 4))
    for p in ("fro", 2, "nuc"):
        r = matrix_norm(A + B, p) / (matrix_norm(A, p) + matrix_norm(B, p))
        worst[str(p)] = float(r.max())
    return Evidence.bound(np.array(list(worst.values())), 1 + 16 * _EPS,
                          note="max ‖x+y‖/(‖x‖+‖y‖) per norm: " + ", ".join(f"{k}={v:.6f}" for k, v in worst.items()))


@theorem("B2.vector-norm-equivalence", "‖x‖∞ ≤ ‖x‖₂ ≤ √n‖x‖∞ and ‖x‖₂ ≤ ‖x‖₁ ≤ √n‖x‖₂, constants attained")
def vector_equivalence(rng):
    n = 9
    x = rng.standard_normal((50_000, n)) * 10.0 ** rng.uniform(-5, 5, (50_000, 1))
    l1, l2, li = norm(x, 1), norm(x, 2), norm(x, np.inf)
    tol = 1 + 8 * _EPS
    lower = np.maximum((li / l2).max(), (l2 / l1).max())
    upper = np.maximum((l2 / (math.sqrt(n) * li)).max(), (l1 / (math.sqrt(n) * l2)).max())
    e1, ones = np.eye(n)[0], np.ones(n)
    attained = np.array([norm(e1, np.inf) / norm(e1, 2), norm(ones, 2) / (math.sqrt(n) * norm(ones, np.inf)),
                         norm(e1, 2) / norm(e1, 1), norm(ones, 1) / (math.sqrt(n) * norm(ones, 2))])
    return Evidence.all(
        lower=Evidence.bound(lower, tol, note="max of ‖x‖∞/‖x‖₂ and ‖x‖₂/‖x‖₁"),
        upper=Evidence.bound(upper, tol, note="max of ‖x‖₂/(√n‖x‖∞) and ‖x‖₁/(√n‖x‖₂)"),
        sharp=Evidence.close(attained, 1.0, rtol=1e-14, note="e₁ and 𝟙 attain the constants"),
    )


@theorem("B2.matrix-norm-equivalence",
         "‖A‖₂ ≤ ‖A‖_F ≤ √r‖A‖₂, ‖A‖_F ≤ ‖A‖_* ≤ √r‖A‖_F, ‖A‖∞/√n ≤ ‖A‖₂ ≤ √m‖A‖∞ (r = rank)")
def matrix_equivalence(rng):
    m, n, r = 7, 5, 3
    A = rng.standard_normal((2000, m, r)) @ rng.standard_normal((2000, r, n))  # rank r
    two, fro, nuc, inf_ = (matrix_norm(A, p) for p in (2, "fro", "nuc", np.inf))
    tol = 1 + 64 * _EPS
    ratios = np.stack([two / fro, fro / (math.sqrt(r) * two), fro / nuc, nuc / (math.sqrt(r) * fro),
                       inf_ / (math.sqrt(n) * two), two / (math.sqrt(m) * inf_)])
    return Evidence.bound(ratios.max(axis=1), tol, note="each ratio's max over 2000 rank-3 7×5 matrices")


@theorem("B2.weighted-inner-product",
         "⟨x,y⟩_W = xᵀWy is symmetric, bilinear and positive iff W is SPD; an indefinite W breaks positivity")
def weighted_axioms(rng):
    n, trials = 6, 5000
    M = rng.standard_normal((n, n))
    W = M @ M.T + 0.1 * np.eye(n)
    x, y, z = (rng.standard_normal((trials, n)) for _ in range(3))
    a, b = rng.standard_normal((2, trials))
    scale = np.abs(inner(x, y, W)) + 1
    sym = np.abs(inner(x, y, W) - inner(y, x, W)) / scale
    lin = np.abs(inner(x, a[:, None] * y + b[:, None] * z, W) - a * inner(x, y, W) - b * inner(x, z, W))
    pos = inner(x, x, W)
    V = np.diag(np.r_[np.ones(n - 1), -0.5])  # symmetric, indefinite
    Q = _rotation(rng, n)
    Vq = Q @ V @ Q.T
    neg = float(np.min(np.sum(x * (x @ Vq.T), axis=1)))  # raw xᵀVx, bypassing the SPD check
    return Evidence.all(
        symmetric=Evidence.bound(float(sym.max()), 1e-13),
        linear=Evidence.bound(float(lin.max() / (np.abs(pos).max() + 1)), 1e-12),
        positive=Evidence.bound(float(pos.min()), 0.0, kind=">"),
        indefinite_fails=Evidence.bound(neg, 0.0, kind="<", note="min xᵀVx for an indefinite V"),
    )


def _rotation(rng, n):
    """A random orthogonal matrix from products of Householder reflections (no library QR)."""
    Q = np.eye(n)
    for _ in range(n):
        v = rng.standard_normal(n)
        v /= norm(v)
        Q = Q - 2 * np.outer(Q @ v, v)
    return Q


@theorem("B2.angle-metric", "the angle θ(x, y) is a metric on directions: θ(x,z) ≤ θ(x,y) + θ(y,z), θ(x,−x) = π")
def angle_metric(rng):
    x, y, z = (rng.standard_normal((20_000, 4)) for _ in range(3))
    excess = angle(x, z) - angle(x, y) - angle(y, z)
    tiny = angle(np.array([1.0, 0.0]), np.array([1.0, 1e-12]))
    return Evidence.all(
        triangle=Evidence.bound(float(excess.max()), 1e-13),
        opposite=Evidence.close(angle(x[:100], -3 * x[:100]), math.pi, rtol=1e-14),
        small_angle=Evidence.close(tiny, 1e-12, rtol=1e-10, note="Kahan's formula keeps tiny angles"),
    )
