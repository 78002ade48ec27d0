"""A3 support vector machines: the perceptron's mistake bound, hard and soft margins, KKT
conditions, strong duality, and SMO's two forms agreeing."""

from __future__ import annotations

import numpy as np

from aimath.learn.duality import kkt_residuals, primal_dual_gap
from aimath.learn.kernels import rbf_kernel
from aimath.learn.perceptron import novikoff_bound, perceptron_train
from aimath.learn.smo import KernelRowCache, smo, smo_batch
from aimath.learn.svc import SVC
from aimath.linalg import norm
from aimath.theorems import Evidence, theorem


def _separable(rng, n, d, margin):
    """Points on both sides of a random hyperplane, none closer to it than ``margin``."""
    u = rng.standard_normal(d)
    u /= norm(u)
    b = float(rng.uniform(-0.5, 0.5))
    X = rng.standard_normal((4 * n, d)) * rng.uniform(0.5, 3.0)
    s = X @ u + b
    X = X[np.abs(s) > margin][:n]
    return X, np.where(X @ u + b > 0, 1.0, -1.0)


@theorem("A3.novikoff", "the perceptron makes at most (R/γ)² updates on linearly separable data, in any order")
def novikoff(rng):
    ratios, updates = [], []
    for _ in range(12):
        d = int(rng.integers(2, 8))
        X, y = _separable(rng, 200, d, float(rng.uniform(0.05, 0.5)))
        order = np.stack([rng.permutation(len(y)) for _ in range(500)])
        _, _, k, _ = perceptron_train(X, y, max_iter=500, order=order)
        bound = novikoff_bound(X, y)[0]
        ratios.append(k / bound)
        updates.append(k)
    return Evidence.bound(np.asarray(ratios), 1.0, note=f"updates/(R/γ)² over 12 data sets (updates {min(updates)}–"
                                                     f"{max(updates)})")


@theorem("A3.hard-margin", "hard-margin SVM: every margin y f(x) ≥ 1, = 1 on the support vectors, and the "
                           "gap between the classes along w equals 2/‖w‖")
def hard_margin(rng):
    mins, sv_dev, gaps = [], [], []
    for _ in range(6):
        X, y = _separable(rng, 80, int(rng.integers(2, 6)), 0.3)
        svm = SVC(kernel="linear", C=np.inf, tol=1e-10).fit(X, y)
        w, b = svm.coef_[0], svm.intercept_[0]
        m = y * (X @ w + b)
        mins.append(m.min())
        sv_dev.append(np.max(np.abs(m[svm.support_] - 1.0)))
        proj = X @ w / norm(w)
        gap = proj[y > 0].min() - proj[y < 0].max()
        gaps.append(gap * norm(w) / 2.0)
    return Evidence.all(
        margins=Evidence.bound(min(mins), 1.0 - 1e-8, kind=">=", note="min_i y_i f(x_i)"),
        support=Evidence.bound(max(sv_dev), 1e-8, note="max |y f(x) − 1| on support vectors"),
        geometric=Evidence.close(np.asarray(gaps), 1.0, rtol=1e-8, note="gap·‖w‖/2"),
    )


def _soft_problem(rng, n=150):
    X = rng.standard_normal((n, 2))
    y = np.where(X[:, 0] ** 2 + 0.5 * X[:, 1] - 0.5 + 0.4 * rng.standard_normal(n) > 0, 1.0, -1.0)
    return X, y


@theorem("A3.kkt", "soft-margin kernel SVM solved by SMO (tol 1e-9) satisfies the KKT conditions to < 1e-6")
def kkt(rng):
    worst, eq = [], []
    for C in (0.1, 1.0, 10.0):
        X, y = _soft_problem(rng)
        svm = SVC(C=C, gamma=0.5, tol=1e-9).fit(X, y)
        r, e = kkt_residuals(svm, X, y)
        worst.append(r.max())
        eq.append(e)
    return Evidence.all(
        complementary=Evidence.bound(max(worst), 1e-6, note="max KKT residual over C ∈ {0.1, 1, 10}"),
        equality=Evidence.bound(max(eq), 1e-10, note="|Σ y_t α_t|"),
    )


@theorem("A3.duality-gap", "the primal–dual gap P − D ≥ 0 shrinks to 0 as SMO's tolerance goes to 0")
def duality_gap(rng):
    X, y = _soft_problem(rng, 200)
    tols = [1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8]
    gaps, duals = [], []
    for t in tols:
        svm = SVC(C=1.0, gamma=0.5, tol=t).fit(X, y)
        gaps.append(primal_dual_gap(svm, X, y))
        duals.append(svm.dual_objective_[0])
    gaps = np.asarray(gaps)
    return Evidence.all(
        weak=Evidence.bound(gaps.min(), -1e-9 * abs(duals[-1]), kind=">=", note="P − D ≥ 0 (weak duality)"),
        strong=Evidence.bound(gaps[-1] / abs(duals[-1]), 1e-7, note="(P − D)/|D| at tol 1e-8"),
        shrinks=Evidence.bound(gaps[-1] / gaps[0], 1e-4, note="gap(1e-8)/gap(1e-1)"),
    )


@theorem("A3.smo-forms-agree", "SMO's textbook loop and its batched one-vs-one form reach the same dual solution")
def smo_forms(rng):
    errs = []
    for _ in range(4):
        X, y = _soft_problem(rng, 120)
        K = rbf_kernel(X, gamma=0.7)
        C = float(10.0 ** rng.uniform(-1, 1))
        a = smo(K, y, C, tol=1e-10)
        cache = KernelRowCache(X, lambda A, B: rbf_kernel(A, B, gamma=0.7))
        b = smo_batch(cache, np.arange(len(y))[None], y[None], np.full((1, len(y)), C), tol=1e-10)
        errs.append(max(np.max(np.abs(a.alpha - b.alpha[0])) / C, abs(float(a.rho) - float(b.rho[0]))))
    return Evidence.bound(max(errs), 1e-8, note="max |α_textbook − α_batched|/C and |Δρ| over 4 problems, tol 1e-10")
