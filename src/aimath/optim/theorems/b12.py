"""B12 optimization: the O(1/k) and linear rates of gradient descent, the heavy-ball rate, Nesterov's
O(1/k²) bound, Newton's quadratic convergence, Armijo steps, adaptive methods on Rosenbrock,
decoupled weight decay, and the KKT conditions of constrained problems."""

from __future__ import annotations

import math

import numpy as np

from aimath.linalg import eigvalsh, lstsq, solve
from aimath.optim.adam import adam_init, adam_update
from aimath.optim.constrained import kkt_solve, projected_gradient
from aimath.optim.line_search import armijo
from aimath.optim.minimize import minimize
from aimath.optim.schedules import schedule
from aimath.optim.test_functions import (
    logcosh_loss,
    logistic_ridge,
    random_orthogonal,
    random_quadratic,
    rosenbrock,
    rosenbrock_grad,
)
from aimath.theorems import Evidence, theorem


def _dist(path, x_star):
    """Euclidean distance of every iterate (rows of path) to x_star."""
    return np.sqrt(np.sum((path - x_star) ** 2, axis=-1))


def _logcosh_problem(rng, m=20, n=40):
    """A convex, not strongly convex problem with f* = 0: log-cosh regression with fewer equations than unknowns.

    A = U diag(s) V^T has known singular values, so L = s_max² and the minimiser closest to x0 is explicit.
    """
    s = np.concatenate([[0.05, 1.0], rng.uniform(0.05, 1.0, m - 2)])
    U, V = random_orthogonal(rng, m), random_orthogonal(rng, n)[:, :m]
    A = (U * s) @ V.T
    b = A @ rng.standard_normal(n)
    x0 = 3 * rng.standard_normal(n)
    x_star = x0 - V @ ((U.T @ (A @ x0 - b)) / s)  # projection of x0 onto {Ax = b}
    f, g = logcosh_loss(A, b)
    return f, g, x0, x_star, float(s.max() ** 2)


@theorem("B12.gd-convex-rate", "Gradient descent, η = 1/L, convex L-smooth f: f(x_k) − f* ≤ ‖x₀ − x*‖²/(2ηk)")
def gd_convex(rng):
    worst, ratios = [], []
    for _ in range(4):
        f, g, x0, x_star, L = _logcosh_problem(rng)
        K = 400
        r = minimize(f, x0, "gd", lr=1 / L, grad=g, steps=K)
        k = np.arange(1, K + 1)
        gap = r.history[1:]  # f* = 0
        bound = np.sum((x0 - x_star) ** 2) * L / (2 * k)
        worst.append(float(np.max(gap / bound)))
        ratios.append(float(gap[-1] / gap[K // 4]))
    return Evidence.all(
        bound=Evidence.bound(np.array(worst), 1.0, note="max_k (f_k − f*)/(‖x₀−x*‖²/(2ηk)) over 4 problems"),
        progress=Evidence.bound(np.array(ratios), 1.0, kind="<", note="the gap keeps shrinking"),
    )


@theorem("B12.gd-strongly-convex-rate",
         "Gradient descent, η = 1/L, μ-strongly convex f: f(x_k) − f* ≤ (1 − μ/L)^k (f(x₀) − f*), "
         "and on a quadratic ‖x_k − x*‖ decays at exactly the rate 1 − 1/κ")
def gd_strong(rng):
    # regularised logistic regression: mu >= lam, L <= lam_max(X^T X)/(4m) + lam; f* from Newton
    m, d, lam = 200, 10, 0.05
    X = rng.standard_normal((m, d))
    y = np.sign(X @ rng.standard_normal(d) + 0.5 * rng.standard_normal(m))
    f, g, h = logistic_ridge(X, y, lam)
    L = float(eigvalsh(X.T @ X)[-1]) / (4 * m) + lam
    f_star = minimize(f, np.zeros(d), "newton", grad=g, hess=h, steps=30, tol=1e-13).fun
    x0 = rng.standard_normal(d)
    gap0 = f(x0) - f_star
    K = int(math.log(1e-9 / gap0) / math.log(1 - lam / L))  # stop while the bound is far above round-off in f
    r = minimize(f, x0, "gd", lr=1 / L, grad=g, steps=K)
    k = np.arange(K + 1)
    ratio = (r.history - f_star) / ((1 - lam / L) ** k * gap0)
    # quadratic with kappa = 50: fitted per-step rate of the error
    q = random_quadratic(rng, 30, 1.0, 50.0)
    K2 = 600
    rq = minimize(q.f, rng.standard_normal(30), "gd", lr=1 / q.L, grad=q.grad, steps=K2, return_path=True)
    err = _dist(rq.path, q.x_star)
    ks = np.arange(K2 // 2, K2 + 1)
    kc, lc = ks - ks.mean(), np.log(err[ks]) - np.log(err[ks]).mean()
    slope = float(kc @ lc / (kc @ kc))  # least-squares slope of log error against k
    return Evidence.all(
        bound=Evidence.bound(float(ratio[1:].max()), 1.0 + 1e-9, note="max_k (f_k − f*)/((1−μ/L)^k (f₀ − f*))"),
        rate=Evidence.close(slope, math.log(1 - q.mu / q.L), rtol=0.10, note="fitted log-rate vs log(1 − 1/κ), κ=50"),
    )


@theorem("B12.heavy-ball-rate",
         "Heavy ball with α = 4/(√L+√μ)², β = ((√κ−1)/(√κ+1))² converges at the rate (√κ−1)/(√κ+1) (± 5 %)")
def heavy_ball(rng):
    out = {}
    for kappa in (25.0, 100.0, 400.0):
        mu, L = 1.0, kappa
        q = random_quadratic(rng, 40, mu, L)
        rho = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
        alpha = 4 / (math.sqrt(L) + math.sqrt(mu)) ** 2
        K = int(math.log(1e-11) / math.log(rho))
        r = minimize(q.f, rng.standard_normal(40), "heavy_ball", lr=alpha, momentum=rho**2, grad=q.grad,
                     steps=K, return_path=True)
        e = _dist(r.path, q.x_star)
        # the extreme eigenvalues give double roots: e_k ~ (a + b k) rho^k, so fit log e = c0 + c1 log k + k log rate
        ks = np.arange(K // 4, K + 1)
        design = np.stack([np.ones(ks.size), np.log(ks), ks], axis=1)
        coef = lstsq(design, np.log(e[ks]))[0]
        out[f"kappa={kappa:g}"] = Evidence.close(math.exp(coef[2]), rho, rtol=0.05,
                                                 note=f"fitted rate vs (√κ−1)/(√κ+1) = {rho:.4f}")
    return Evidence.all(**out)


@theorem("B12.nesterov-bound", "Nesterov's accelerated gradient, η = 1/L: f(x_k) − f* ≤ 2L‖x₀ − x*‖²/(k+1)²")
def nesterov(rng):
    worst, beats = [], []
    for _ in range(4):
        f, g, x0, x_star, L = _logcosh_problem(rng)
        K = 400
        r = minimize(f, x0, "nesterov", lr=1 / L, grad=g, steps=K)
        k = np.arange(1, K + 1)
        R2 = np.sum((x0 - x_star) ** 2)
        worst.append(float(np.max(r.history[1:] / (2 * L * R2 / (k + 1) ** 2))))
        gd = minimize(f, x0, "gd", lr=1 / L, grad=g, steps=K)
        beats.append(r.history[-1] / gd.history[-1])
    return Evidence.all(
        bound=Evidence.bound(np.array(worst), 1.0, note="max_k (f_k − f*)/(2L‖x₀−x*‖²/(k+1)²) over 4 problems"),
        faster=Evidence.bound(np.array(beats), 1.0, kind="<", note="f − f* after 400 steps: Nesterov / GD"),
    )


@theorem("B12.newton-quadratic",
         "Newton's method converges quadratically: log‖x_{k+1} − x*‖ against log‖x_k − x*‖ has slope 2")
def newton_quadratic(rng):
    xs, ys = [], []
    for _ in range(6):
        m, d = 100, 8
        X = rng.standard_normal((m, d))
        y = np.sign(X @ rng.standard_normal(d) + rng.standard_normal(m))
        f, g, h = logistic_ridge(X, y, 0.01)
        x_star = minimize(f, np.zeros(d), "newton", grad=g, hess=h, steps=40, tol=1e-14).x
        r = minimize(f, 0.5 * rng.standard_normal(d), "newton", grad=g, hess=h, steps=12, return_path=True,
                     line_search="armijo")
        e = _dist(r.path, x_star)
        for a, b in zip(e[:-1], e[1:], strict=True):
            if 1e-6 < a < 0.3 and b > 1e-14:
                xs.append(a)
                ys.append(b)
    return Evidence.slope(xs, ys, 2.0, 0.25, note=f"{len(xs)} Newton steps from 6 logistic-regression problems")


@theorem("B12.armijo", "Armijo backtracking on an L-smooth f along −∇f: sufficient decrease holds and "
         "the accepted step t ≥ min(t₀, 2ρ(1 − c)/L)")
def armijo_steps(rng):
    dec, low = [], []
    c, rho = 0.3, 0.5
    for _ in range(200):
        q = random_quadratic(rng, 6, 0.1, 10 ** rng.uniform(0, 3))
        x = rng.standard_normal(6) * 10
        gx = q.grad(x)
        t0 = 10 ** rng.uniform(-3, 1)
        res = armijo(q.f, x, -gx, gx, t0=t0, c=c, shrink=rho)
        dec.append(res.fun - (q.f(x) - c * res.t * gx @ gx))
        low.append(min(t0, 2 * rho * (1 - c) / q.L) - res.t)
    return Evidence.all(
        decrease=Evidence.bound(np.array(dec), 1e-9, note="f(x − t∇f) − (f(x) − c t‖∇f‖²)"),
        step=Evidence.bound(np.array(low), 1e-15, note="min(t₀, 2ρ(1−c)/L) − t"),
    )


@theorem("B12.adaptive-rosenbrock",
         "Adam and RMSProp (from (−1.2, 1) and random starts in [−2, 2]²) and AdaGrad (from (−1.2, 1)) "
         "reach the Rosenbrock minimum (1, 1) within 1e-3")
def adaptive_rosenbrock(rng):
    X0 = np.concatenate([[[-1.2, 1.0]], rng.uniform(-2, 2, (7, 2))])  # eight independent 2-D problems at once

    def f(x):
        return float(np.sum(rosenbrock(x)))

    S = 3000
    runs = {
        "adam": minimize(f, X0, "adam", lr=schedule("cosine", 0.02, T_max=S, eta_min=1e-5), betas=(0.9, 0.99),
                         grad=rosenbrock_grad, steps=S),
        "rmsprop": minimize(f, X0, "rmsprop", lr=schedule("cosine", 0.005, T_max=S, eta_min=1e-6), momentum=0.9,
                            grad=rosenbrock_grad, steps=S),
        "adagrad": minimize(f, X0[:1], "adagrad", lr=0.5, grad=rosenbrock_grad, steps=10000),
    }
    return Evidence.all(**{k: Evidence.bound(np.abs(r.x - 1).max(-1), 1e-3, note=f"‖x − (1,1)‖∞ after {r.nit} steps")
                           for k, r in runs.items()})


@theorem("B12.adamw-decoupled",
         "AdamW decouples weight decay: with a zero loss gradient x_k = (1 − ηλ)^k x₀ exactly, "
         "while Adam's L2 penalty is rescaled by the moment estimates")
def adamw(rng):
    x0 = rng.standard_normal(50) * 10 ** rng.uniform(-2, 2, 50)
    lr, lam, K = 1e-2, 0.1, 200
    xw, sw = x0, adam_init(x0)
    xa, sa = x0, adam_init(x0)
    zero = np.zeros_like(x0)
    for _ in range(K):
        xw, sw = adam_update(xw, zero, sw, lr=lr, weight_decay=lam, decoupled_weight_decay=True)
        xa, sa = adam_update(xa, zero, sa, lr=lr, weight_decay=lam)
    expected = (1 - lr * lam) ** K * x0
    dev = np.abs(xa / expected - 1)
    return Evidence.all(
        adamw=Evidence.close(xw, expected, rtol=1e-12),
        adam_differs=Evidence.bound(float(dev.max()), 0.1, kind=">", note="Adam+L2: max relative departure"),
    )


@theorem("B12.kkt-residuals",
         "Equality-constrained QPs: the KKT solution has stationarity and feasibility residuals < 1e-8, "
         "is optimal along the constraint set, and −λ is the sensitivity ∂f*/∂b")
def kkt(rng):
    stat, feas, opt, sens = [], [], [], []
    for _ in range(10):
        n, m = 25, 8
        M = rng.standard_normal((n, n))
        Q = M @ M.T / n + 0.1 * np.eye(n)
        c, A, b = rng.standard_normal(n), rng.standard_normal((m, n)), rng.standard_normal(m)
        r = kkt_solve(Q, c, A, b)
        scale = 1 + np.abs(Q).max() * np.abs(r.x).max() + np.abs(c).max()
        stat.append(r.stationarity / scale)
        feas.append(r.feasibility / (1 + np.abs(b).max()))

        def fq(x, Q=Q, c=c):
            return 0.5 * x @ Q @ x + c @ x

        D = rng.standard_normal((20, n))
        D = D - (A.T @ solve(A @ A.T, A @ D.T)).T  # directions inside the constraint set
        opt.append(min(fq(r.x + 0.1 * dd) for dd in D) - fq(r.x))
        j, h = rng.integers(m), 1e-6
        bp = b.copy()
        bp[j] += h
        bm = b.copy()
        bm[j] -= h
        fd = (fq(kkt_solve(Q, c, A, bp).x) - fq(kkt_solve(Q, c, A, bm).x)) / (2 * h)
        sens.append(abs(fd + r.multipliers[j]) / (1 + abs(r.multipliers[j])))
    return Evidence.all(
        stationarity=Evidence.bound(np.array(stat), 1e-8, note="‖Qx + c + Aᵀλ‖∞ (relative)"),
        feasibility=Evidence.bound(np.array(feas), 1e-8, note="‖Ax − b‖∞ (relative)"),
        optimal=Evidence.bound(np.array(opt), 0.0, kind=">", note="f(x + d) − f(x) along feasible d"),
        sensitivity=Evidence.bound(np.array(sens), 1e-6, note="|∂f*/∂b_j + λ_j| by central differences"),
    )


@theorem("B12.projected-gradient",
         "Projected gradient on a box reaches the constrained minimiser: for a diagonal quadratic it is the "
         "clipped unconstrained minimiser; the projected-gradient residual vanishes")
def projected(rng):
    errs = []
    for _ in range(5):
        n = 30
        dgn = rng.uniform(0.5, 5.0, n)
        t = 2 * rng.standard_normal(n)
        lo, hi = -rng.uniform(0, 1, n), rng.uniform(0, 1, n)

        def f(x, dgn=dgn, t=t):
            return float(0.5 * np.sum(dgn * (x - t) ** 2))

        def g(x, dgn=dgn, t=t):
            return dgn * (x - t)

        r = projected_gradient(f, rng.standard_normal(n), lo, hi, lr=1 / dgn.max(), grad=g, steps=2000, tol=1e-12)
        errs.append(float(np.abs(r.x - np.clip(t, lo, hi)).max()) if r.success else np.inf)
    return Evidence.bound(np.array(errs), 1e-10, note="‖x_PG − clip(x_unc, l, u)‖∞")
