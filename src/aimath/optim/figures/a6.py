"""A6 figures: the step-size stability threshold, mini-batch gradient variance, learning-rate schedules."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.optim.minibatch import batch_indices, minibatch_gradient
from aimath.optim.schedules import cosine_annealing_lr, exponential_lr, linear_lr, step_lr
from aimath.optim.sgd import sgd_init, sgd_update
from aimath.optim.test_functions import random_least_squares


@figure("A6.step-size-threshold", "The step-size stability threshold η = 2/λ_max",
        caption="Training loss after 50, 200 and 800 gradient-descent steps on a least-squares problem, against "
                "the step size in units of 2/λ_max (λ_max the largest Hessian eigenvalue). Below 1 every "
                "eigen-direction contracts by |1 − ηλ| < 1; above 1 the top direction grows by |1 − ηλ_max| > 1 "
                "per step and the loss explodes, more sharply the longer one trains. All step sizes run at once: "
                "the update rule broadcasts a column of learning rates.")
def step_size_threshold():
    rng = np.random.default_rng(0)
    p = random_least_squares(rng, 60, 12, 0.5, 3.0)
    w0 = rng.standard_normal(12)
    ratio = np.linspace(0.2, 1.2, 401)
    etas = (2 / p.L) * ratio[:, None]
    W, st = np.tile(w0, (ratio.size, 1)), sgd_init(None)
    fig = Figure(figsize=(6.4, 4.2))
    ax = fig.add_subplot()
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, 801):
            W, st = sgd_update(W, (W @ p.X.T - p.y) @ p.X / p.X.shape[0], st, lr=etas)
            if k in (50, 200, 800):
                loss = 0.5 * np.sum((W @ p.X.T - p.y) ** 2, axis=1) / p.X.shape[0] - p.f_star
                ax.semilogy(ratio, np.maximum(loss, 1e-30), label=f"after {k} steps")
    ax.axvline(1.0, color="k", lw=0.8, ls="--")
    ax.set_xlabel("η · λ_max / 2")
    ax.set_ylabel("f(w_k) − f*")
    ax.set_ylim(1e-30, 1e30)
    ax.set_title("Gradient descent diverges iff η > 2/λ_max")
    ax.legend(fontsize=8)
    return fig


@figure("A6.minibatch-variance", "Mini-batch gradient variance falls like 1/B",
        caption="Monte Carlo estimate (10 000 batches per size) of E‖ĝ_B − ∇f‖² for mini-batches of size B drawn "
                "from n = 100 examples, with and without replacement, against the predictions tr Σ/B and "
                "tr Σ (n − B)/(B(n − 1)) (Σ the covariance of per-example gradients).")
def minibatch_variance():
    rng = np.random.default_rng(1)
    p = random_least_squares(rng, 100, 5, 1.0, 8.0, noise=1.0)
    G = p.per_example_grads(p.w_star + rng.standard_normal(5))
    n, gbar = G.shape[0], G.mean(0)
    tr = float(np.mean(np.sum((G - gbar) ** 2, axis=1)))
    Bs = np.array([1, 2, 4, 8, 16, 32, 64, 100])
    fig = Figure(figsize=(6.0, 4.2))
    ax = fig.add_subplot()
    for replace, c in ((True, "C0"), (False, "C1")):
        est = [np.mean(np.sum((minibatch_gradient(G, batch_indices(rng, n, int(B), 10000, replace=replace))
                               - gbar) ** 2, axis=1)) for B in Bs]
        tag = "with" if replace else "without"
        ax.loglog(Bs, np.maximum(est, 1e-30), "o", color=c, label=f"measured, {tag} replacement")
    b = np.linspace(1, 100, 200)
    ax.loglog(b, tr / b, "-", color="C0", lw=0.9, label="tr Σ / B")
    ax.loglog(b[:-1], (tr / b * (n - b) / (n - 1))[:-1], "-", color="C1", lw=0.9, label="tr Σ (n − B)/(B(n − 1))")
    ax.set_xlabel("batch size B")
    ax.set_ylabel("E‖ĝ_B − ∇f‖²")
    ax.set_title("Variance of the mini-batch gradient")
    ax.legend(fontsize=8)
    return fig


@figure("A6.lr-schedules", "Learning-rate schedules",
        caption="The learning rate against the step for step decay (γ = 0.5 every 30 steps), exponential decay "
                "(γ = 0.98), cosine annealing (T = 100) and a linear warm-up over 20 steps, each from η₀ = 0.1; "
                "the same functions drive the PyTorch-like scheduler classes and minimize(lr=schedule).")
def lr_schedules():
    k = np.arange(0, 121)
    fig = Figure(figsize=(6.0, 4.0))
    ax = fig.add_subplot()
    ax.plot(k, [step_lr(i, 0.1, 30, 0.5) for i in k], label="StepLR")
    ax.plot(k, [exponential_lr(i, 0.1, 0.98) for i in k], label="ExponentialLR")
    ax.plot(k, [cosine_annealing_lr(i, 0.1, 100) if i <= 100 else math.nan for i in k], label="CosineAnnealingLR")
    ax.plot(k, [linear_lr(i, 0.1, 0.05, 1.0, 20) for i in k], label="LinearLR (warm-up)")
    ax.set_xlabel("step k")
    ax.set_ylabel("learning rate η_k")
    ax.legend(fontsize=8)
    ax.set_title("Learning-rate schedules")
    return fig


@figure("A6.sgd-batch-size", "Mini-batch SGD: batch size against the noise floor",
        caption="Training a linear least-squares model (512 examples, 20 weights, noisy targets) with SGD "
                "(η = 0.2, the stateful optimizer fed by one shuffled epoch of mini-batches after another) for "
                "batch sizes 1, 8, 64 and 512 (full batch), against the number of examples processed. Small "
                "batches make fast early progress per example but stall at a noise floor that falls with B, "
                "as the gradient variance tr Σ/B predicts; the full batch descends deterministically.")
def sgd_batch_size():
    from aimath.optim.minibatch import minibatches
    from aimath.optim.sgd import SGD

    rng = np.random.default_rng(2)
    p = random_least_squares(rng, 512, 20, 3.0, 15.0, noise=1.0)
    m = p.X.shape[0]

    class _W:
        def __init__(self, data):
            self.data, self.grad = data, None

    fig = Figure(figsize=(6.4, 4.2))
    ax = fig.add_subplot()
    for B in (1, 8, 64, 512):
        w = _W(np.zeros(20))
        opt = SGD([w], lr=0.2)
        seen, gaps, n_seen = [0], [p.f(w.data) - p.f_star], 0
        for _ in range(12):
            for k, idx in enumerate(minibatches(m, B, rng=rng)):
                Xb = p.X[idx]
                w.grad = Xb.T @ (Xb @ w.data - p.y[idx]) / len(idx)
                opt.step()
                n_seen += len(idx)
                if k % max(1, 16 // B) == 0:  # record the loss every 16 examples or so
                    seen.append(n_seen)
                    gaps.append(p.f(w.data) - p.f_star)
        ax.loglog(np.maximum(seen, 1), np.maximum(gaps, 1e-16), lw=1, label=f"B = {B}")
    ax.set_xlabel("examples processed")
    ax.set_ylabel("f(w) − f*")
    ax.set_title("SGD with mini-batches of size B")
    ax.legend(fontsize=8)
    return fig
