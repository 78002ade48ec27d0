"""A2 regression: least squares as a projection, ridge and the minimum-norm limit, logistic
regression by gradient descent."""

from __future__ import annotations

import warnings

import numpy as np

from aimath.learn.linear_model import LinearRegression, Ridge, least_squares, ridge_solve
from aimath.learn.logistic import LogisticRegression
from aimath.linalg import norm
from aimath.theorems import Evidence, theorem


@theorem("A2.least-squares",
         "normal equations, QR and SVD recover a planted solution (1e-10) and leave a residual "
         "orthogonal to the column space")
def least_squares_projection(rng):
    errs, orth, agree = [], [], []
    for _ in range(10):
        n, d = rng.integers(30, 80), rng.integers(2, 12)
        X = rng.standard_normal((n, d)) * 10.0 ** rng.uniform(-1, 1, d)
        w_true = rng.standard_normal(d)
        b_true = float(rng.standard_normal())
        y_exact = X @ w_true + b_true
        y_noisy = y_exact + rng.standard_normal(n)
        sols = []
        for solver in ("qr", "normal", "svd"):
            m = LinearRegression(solver=solver).fit(X, y_exact)
            errs.append(np.max(np.abs(np.append(m.coef_, m.intercept_) - np.append(w_true, b_true))))
            m = LinearRegression(solver=solver).fit(X, y_noisy)
            r = y_noisy - m.predict(X)
            Xt = np.column_stack([X, np.ones(n)])
            orth.append(np.max(np.abs(Xt.T @ r)) / (norm(Xt, axis=0).max() * norm(y_noisy)))
            sols.append(np.append(m.coef_, m.intercept_))
        agree.append(max(np.max(np.abs(s - sols[0])) / np.max(np.abs(sols[0])) for s in sols))
    return Evidence.all(
        planted=Evidence.bound(max(errs), 1e-10, note="max |ŵ − w*| with y = Xw* + b* exactly"),
        orthogonal=Evidence.bound(max(orth), 1e-12, note="max |X̃ᵀr| / (‖X̃‖‖y‖), noisy y"),
        solvers_agree=Evidence.bound(max(agree), 1e-8, note="QR vs normal equations vs SVD"),
    )


@theorem("A2.ridge-min-norm",
         "ridge → the minimum-norm least-squares solution as λ → 0 and ‖w_λ‖ decreases in λ")
def ridge_min_norm(rng):
    n, d = 15, 40  # more unknowns than equations: infinitely many exact fits
    X = rng.standard_normal((n, d))
    y = rng.standard_normal(n)
    w_plus = least_squares(X, y, "svd")[0]  # minimum-norm solution X⁺y
    lams = 10.0 ** np.arange(-10, 4.5, 0.5)
    W = np.stack([ridge_solve(X, y, lam, "cholesky") for lam in lams])
    norms = norm(W, axis=-1)
    gaps = norm(W - w_plus, axis=-1) / norm(w_plus)
    m = Ridge(alpha=1e-10, fit_intercept=False).fit(X, y)
    residual = norm(X @ w_plus - y)
    return Evidence.all(
        limit=Evidence.bound(gaps[0], 1e-7, note="‖w_λ − X⁺y‖/‖X⁺y‖ at λ = 1e-10"),
        estimator=Evidence.close(m.coef_, w_plus, rtol=1e-6, atol=1e-8, note="Ridge(alpha=1e-10)"),
        decreasing=Evidence.bound(np.diff(norms), 0.0, kind="<", note="‖w_λ‖ over 29 values of λ"),
        exact_fit=Evidence.bound(residual, 1e-10, note="X X⁺y = y"),
    )


@theorem("A2.logistic-gd-monotone",
         "gradient descent with step 1/L never increases the regularised logistic loss (binary and softmax)")
def logistic_monotone(rng):
    worst, drops = [], []
    for k in (2, 2, 3, 4):
        n, d = 120, 5
        centers = rng.standard_normal((k, d)) * 1.5
        y = rng.integers(0, k, n)
        X = centers[y] + rng.standard_normal((n, d)) * rng.uniform(0.5, 3.0)
        X *= 10.0 ** rng.uniform(-1, 1, d)
        m = LogisticRegression(solver="gd", C=float(10.0 ** rng.uniform(-1, 2)), max_iter=300, tol=1e-14)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m.fit(X, y)
        h = np.asarray(m.loss_curve_)
        worst.append(float(np.max(np.diff(h) / np.abs(h[:-1]))))
        drops.append(h[-1] < h[0])
    return Evidence.all(
        monotone=Evidence.bound(max(worst), 1e-15, note="largest relative increase f_{k+1} − f_k over 4×300 steps"),
        decreases=Evidence.bound(float(np.mean(drops)), 1.0, kind=">=", note="loss went down overall"),
    )
