"""A9 stability of training: the confidence bound and a path where loss and accuracy both fall."""

from __future__ import annotations

import math

import numpy as np

from aimath.nn.confidence import confidence_bound, loss_accuracy_path, low_confidence_fraction, true_class_probability
from aimath.nn.losses import accuracy, cross_entropy
from aimath.theorems import Evidence, theorem


@theorem("A9.confidence-bound",
         "#{i : p_{i,y_i} ≤ δ}/n ≤ mean CE / (−log δ): never violated in 10⁴ random tables")
def confidence(rng):
    excess, checked = [], 0
    for _ in range(20):  # 20 table shapes × 500 tables, each table (n, C) with its own scale and δ
        n, C, T = int(rng.integers(1, 30)), int(rng.integers(2, 8)), 500
        z = rng.standard_normal((T, n, C)) * rng.uniform(0.1, 5.0, (T, 1, 1))
        y = rng.integers(0, C, (T, n))
        delta = rng.uniform(0.01, 0.99, T)
        p = true_class_probability(z.reshape(-1, C), y.reshape(-1)).reshape(T, n)
        ce = cross_entropy(z.reshape(-1, C), y.reshape(-1), reduction="none").reshape(T, n).mean(axis=1)
        excess.append(np.mean(p <= delta[:, None], axis=1) - ce / -np.log(delta))
        # the library's per-table functions agree with the batched computation
        checked += low_confidence_fraction(z[0], y[0], delta[0]) == np.mean(p[0] <= delta[0])
        checked += abs(confidence_bound(z[0], y[0], delta[0]) - ce[0] / -np.log(delta[0])) < 1e-12
    return Evidence.all(bound=Evidence.bound(np.concatenate(excess), 0.0, note="fraction − bound over 10⁴ tables"),
                        api=Evidence.close(checked, 40, rtol=0))


@theorem("A9.loss-down-accuracy-down",
         "along a constructed path the mean CE strictly decreases while the accuracy decreases")
def loss_accuracy(rng):
    n = int(rng.integers(3, 10))
    margin = float(rng.uniform(0.01, 0.1))
    ts, Z, y = loss_accuracy_path(41, n_samples=n, margin=margin)
    losses = np.array([float(cross_entropy(z, y)) for z in Z])
    accs = np.array([accuracy(z, y) for z in Z])
    bound = math.log(2) * n  # summed CE < log 2 would force 100 % accuracy (A5); here it stays above
    return Evidence.all(
        loss_falls=Evidence.bound(np.diff(losses).max(), 0.0, kind="<", note="max Δloss along the path"),
        accuracy_falls=Evidence.bound(accs[-1] - accs[0], 0.0, kind="<", note=f"{accs[0]:.2f} → {accs[-1]:.2f}"),
        accuracy_monotone=Evidence.bound(np.diff(accs).max(), 0.0, note="accuracy never rises"),
        consistent_with_A5=Evidence.bound(losses[-1] * n, math.log(2), kind=">=",
                                          note=f"summed CE vs log 2 ({bound:.2f})"),
    )
