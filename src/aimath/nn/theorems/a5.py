"""A5 loss functions: CE = KL(one-hot ‖ p), the softmax+CE gradient p − e_y, loss gradients against
central differences, and summed CE < log 2 ⇒ 100 % training accuracy."""

from __future__ import annotations

import math

import numpy as np

from aimath.nn.activations import softmax
from aimath.nn.losses import cross_entropy, hinge_loss, logistic_loss, loss_grad, mse_loss, one_hot
from aimath.theorems import Evidence, theorem


def _central(f, z, h):
    g = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        e = np.zeros_like(z)
        e[idx] = h
        g[idx] = (f(z + e) - f(z - e)) / (2 * h)
    return g


@theorem("A5.ce-equals-kl", "cross-entropy of a label equals KL(e_y ‖ softmax(z)) (1e-12), for logits up to ±30")
def ce_kl(rng):
    n, C = 2000, 7
    z = rng.standard_normal((n, C)) * 10.0 ** rng.uniform(-2, 1.5, (n, 1))
    y = rng.integers(0, C, n)
    ce = cross_entropy(z, y, reduction="none")
    p = softmax(z)
    e = one_hot(y, C)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl = np.sum(np.where(e > 0, e * np.log(np.where(e > 0, e, 1.0) / p), 0.0), axis=1)  # 0·log 0 = 0
    return Evidence.close(ce, kl, rtol=1e-12, atol=1e-12, note=f"{n} random (logits, label) pairs")


@theorem("A5.softmax-ce-gradient", "∂/∂z [−log softmax(z)_y] = softmax(z) − e_y, against central differences (1e-7)")
def softmax_ce_gradient(rng):
    errs = []
    for _ in range(30):
        C = int(rng.integers(2, 10))
        z = rng.standard_normal((1, C)) * 3
        y = np.array([rng.integers(0, C)])
        analytic = softmax(z) - one_hot(y, C)
        via_loss = loss_grad("cross_entropy", z, y)
        fd = _central(lambda v, y=y: float(cross_entropy(v, y)), z, 1e-5)
        errs.append(max(np.abs(analytic - fd).max(), np.abs(via_loss - analytic).max()))
    return Evidence.bound(max(errs), 1e-7, note="max |p − e_y − central difference| over 30 cases")


@theorem("A5.loss-gradients", "gradients of MSE, CE, hinge and logistic losses match central differences (1e-7)")
def loss_gradients(rng):
    worst = {}
    n, C = 6, 4
    z = rng.standard_normal((n, C))
    t = rng.standard_normal((n, C))
    y = rng.integers(0, C, n)
    s = rng.standard_normal(n) * 2
    ys = np.where(rng.random(n) < 0.5, -1, 1)
    s = np.where(np.abs(1 - ys * s) < 0.05, s + 0.2 * ys, s)  # keep the hinge away from its kink
    h = 1e-5
    worst["mse"] = np.abs(loss_grad("mse", z, t) - _central(lambda v: float(mse_loss(v, t)), z, h)).max()
    worst["ce"] = np.abs(loss_grad("cross_entropy", z, y) - _central(lambda v: float(cross_entropy(v, y)), z, h)).max()
    worst["hinge"] = np.abs(loss_grad("hinge", s, ys) - _central(lambda v: float(hinge_loss(v, ys)), s, h)).max()
    worst["logistic"] = np.abs(loss_grad("logistic", s, ys)
                               - _central(lambda v: float(logistic_loss(v, ys)), s, h)).max()
    return Evidence.bound(np.array(list(worst.values())), 1e-7,
                          note=", ".join(f"{k}: {v:.1e}" for k, v in worst.items()))


@theorem("A5.ce-below-log2-perfect-accuracy",
         "summed CE < log 2 ⇒ 100 % training accuracy: no violation in 10⁴ random tables")
def ce_log2(rng):
    trials, n, C = 10_000, 8, 5
    y = rng.integers(0, C, (trials, n))
    z = rng.standard_normal((trials, n, C))
    # push the true logit up by a random margin so that about half the tables have summed CE < log 2
    z[np.arange(trials)[:, None], np.arange(n)[None, :], y] += rng.uniform(2.0, 12.0, (trials, 1))
    flat_z, flat_y = z.reshape(-1, C), y.reshape(-1)
    summed = cross_entropy(flat_z, flat_y, reduction="none").reshape(trials, n).sum(axis=1)
    correct = (np.argmax(z, axis=2) == y).all(axis=1)
    premise = summed < math.log(2)
    violations = int(np.sum(premise & ~correct))
    return Evidence.all(
        no_violation=Evidence.close(violations, 0, rtol=0, note=f"{int(premise.sum())} tables meet the premise"),
        premise_tested=Evidence.bound(int(premise.sum()), 1000, kind=">="),
        sharp=Evidence.bound(int(np.sum(~correct)), 1, kind=">=", note="imperfect tables exist (CE ≥ log 2 there)"),
    )
