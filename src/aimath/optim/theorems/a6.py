"""A6 training by gradient descent: the O(1/k) and linear rates on a training loss, the step-size
stability threshold 2/λ_max, and the 1/B variance of mini-batch gradients."""

from __future__ import annotations

import math

import numpy as np

from aimath.errors import ConvergenceError
from aimath.optim.minibatch import batch_indices, minibatch_gradient
from aimath.optim.minimize import minimize
from aimath.optim.sgd import sgd_init, sgd_update
from aimath.optim.test_functions import random_least_squares
from aimath.theorems import Evidence, theorem


def _dist(path, w_star):
    return np.sqrt(np.sum((path - w_star) ** 2, axis=-1))


@theorem("A6.gd-convex-bound",
         "Training an over-parametrised linear model by gradient descent with η = 1/L: "
         "f(w_k) − f* ≤ ‖w₀ − w*‖²/(2ηk)")
def gd_convex_bound(rng):
    worst = []
    for _ in range(4):
        w0 = rng.standard_normal(60)
        p = random_least_squares(rng, 30, 60, 0.1, 2.0, w0=w0)  # 30 examples, 60 weights: f* = 0, not strongly convex
        K = 400
        r = minimize(p.f, w0, "gd", lr=1 / p.L, grad=p.grad, steps=K)
        k = np.arange(1, K + 1)
        bound = np.sum((w0 - p.w_star) ** 2) * p.L / (2 * k)
        worst.append(float(np.max((r.history[1:] - p.f_star) / bound)))
    return Evidence.bound(np.array(worst), 1.0, note="max_k (f_k − f*)/(‖w₀−w*‖²/(2ηk)) on 4 training problems")


@theorem("A6.gd-linear-rate",
         "Gradient descent with η = 1/L on a μ-strongly convex training loss (ridge regression) converges "
         "linearly: log‖w_k − w*‖ falls by log(1 − μ/L) per step (± 10 %)")
def gd_linear_rate(rng):
    out = {}
    for lam in (0.0, 0.02):
        p = random_least_squares(rng, 200, 20, 1.0, 4.0, lam=lam, noise=0.5)
        K = int(math.log(1e-10) / math.log(1 - p.mu / p.L))
        r = minimize(p.f, rng.standard_normal(20), "gd", lr=1 / p.L, grad=p.grad, steps=K, return_path=True)
        e = np.log(_dist(r.path, p.w_star))
        ks = np.arange(K // 2, K + 1)
        kc, ec = ks - ks.mean(), e[ks] - e[ks].mean()
        slope = float(kc @ ec / (kc @ kc))
        out[f"lambda={lam:g}"] = Evidence.close(slope, math.log(1 - p.mu / p.L), rtol=0.10,
                                                note=f"κ = {p.L / p.mu:.1f}: fitted slope vs log(1 − μ/L)")
    return Evidence.all(**out)


@theorem("A6.step-size-threshold",
         "Gradient descent on a quadratic training loss diverges iff η > 2/λ_max: the first diverging step size "
         "on a 0.1 % grid agrees with 2/λ_max within 1 %")
def step_size_threshold(rng):
    p = random_least_squares(rng, 50, 10, 0.5, 3.0)
    lam_max = p.L
    w0 = rng.standard_normal(10)
    f0 = p.f(w0)
    # 201 step sizes at once: the update rule broadcasts a column of learning rates over a batch of iterates
    etas = (2 / lam_max) * np.linspace(0.9, 1.1, 201)[:, None]
    W, state = np.tile(w0, (201, 1)), sgd_init(None)
    for _ in range(1500):
        W, state = sgd_update(W, (W @ p.X.T - p.y) @ p.X / p.X.shape[0], state, lr=etas)
    fK = 0.5 * np.sum((W @ p.X.T - p.y) ** 2, axis=1) / p.X.shape[0]
    grows = fK > f0
    first = int(np.argmax(grows))
    monotone = bool(grows[first:].all() and not grows[:first].any())
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            minimize(p.f, w0, "gd", lr=3 / lam_max, grad=p.grad, steps=5000)
            raised = 0.0
        except ConvergenceError as exc:
            raised = float(len(exc.history) > 1 and not np.isfinite(exc.history[-1]))
    below = minimize(p.f, w0, "gd", lr=0.98 * 2 / lam_max, grad=p.grad, steps=1000).fun - p.f_star
    return Evidence.all(
        threshold=Evidence.close(float(etas[first, 0]), 2 / lam_max, rtol=0.01,
                                 note="first step size whose loss grows vs 2/λ_max"),
        iff=Evidence.close(float(monotone), 1.0, note="the loss grows for every η beyond it and for none below"),
        below=Evidence.bound(below, 1e-8 * (f0 - p.f_star), note="η = 0.98·2/λ_max: f − f* after 1000 steps"),
        raises=Evidence.close(raised, 1.0, note="η = 3/λ_max raises ConvergenceError with an infinite last loss"),
    )


@theorem("A6.minibatch-variance",
         "The mini-batch gradient is unbiased with variance tr Σ / B (with replacement) and "
         "tr Σ (n − B)/(B(n − 1)) (without): B·Var ∝ const within 20 % and within 5 SE")
def minibatch_variance(rng):
    p = random_least_squares(rng, 200, 5, 1.0, 10.0, noise=1.0)
    w = p.w_star + rng.standard_normal(5)
    G = p.per_example_grads(w)
    n = G.shape[0]
    gbar = G.mean(0)
    tr_sigma = float(np.mean(np.sum((G - gbar) ** 2, axis=1)))
    Bs = np.array([1, 2, 4, 8, 16, 32])
    M = 4000
    parts, var_rep = {}, []
    for replace in (True, False):
        est, se, want = [], [], []
        for B in Bs:
            gh = minibatch_gradient(G, batch_indices(rng, n, int(B), M, replace=replace))
            d2 = np.sum((gh - gbar) ** 2, axis=1)
            est.append(d2.mean())
            se.append(d2.std(ddof=1) / math.sqrt(M))
            want.append(tr_sigma / B * (1.0 if replace else (n - B) / (n - 1)))
        est, se, want = map(np.asarray, (est, se, want))
        tag = "with" if replace else "without"
        parts[f"{tag}_stat"] = Evidence.stat(est, want, se, note=f"E‖ĝ_B − ḡ‖² {tag} replacement, B = 1…32")
        parts[f"{tag}_20pct"] = Evidence.close(est / want, 1.0, rtol=0.2, note="measured / predicted variance")
        if replace:
            var_rep = est
    parts["slope"] = Evidence.slope(Bs, var_rep, -1.0, 0.1, note="log Var against log B (with replacement)")
    return Evidence.all(**parts)
