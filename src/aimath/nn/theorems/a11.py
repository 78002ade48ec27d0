"""A11 random matrices and pruning: the Marchenko–Pastur law of XᵀX/n, SVD pruning below the bulk
edge recovering a planted low-rank signal, and pruning a trained digits network at ≤ 0.5 % cost."""

from __future__ import annotations

import contextlib

import numpy as np

from aimath.linalg import eigvalsh
from aimath.nn.random_matrix import ks_distance_mp, mp_singular_edge, svd_prune_matrix
from aimath.theorems import Evidence, theorem


def _single_thread():
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(1)


@theorem("A11.marchenko-pastur-ks",
         "the spectrum of XᵀX/n (X: n × p iid, variance σ², n = 2000) is within KS distance 0.05 of Marchenko–Pastur")
def mp_ks(rng):
    n = 2000
    out = {}
    for p, sigma, dist in ((300, 1.0, "normal"), (150, 0.5, "rademacher")):
        if dist == "normal":
            X = sigma * rng.standard_normal((n, p))
        else:
            X = sigma * rng.choice([-1.0, 1.0], size=(n, p))
        with _single_thread():
            ev = eigvalsh(X.T @ X / n)
        out[f"p={p}, σ={sigma}, {dist}"] = ks_distance_mp(ev, p / n, sigma)
        out[f"p={p}, wrong σ"] = -ks_distance_mp(ev, p / n, 1.3 * sigma)  # the wrong law is far (> 0.05)
    d = np.array([v for v in out.values()])
    return Evidence.all(
        close=Evidence.bound(d[d >= 0], 0.05, note=", ".join(f"{k}: {abs(v):.4f}" for k, v in out.items())),
        wrong_sigma_far=Evidence.bound(-d[d < 0], 0.05, kind=">"),
    )


@theorem("A11.svd-pruning-planted",
         "pruning singular values below the MP edge keeps exactly a planted rank-r signal and brings W closer to it")
def planted(rng):
    m, n, r, sigma = 150, 100, 3, 1.0
    U = _orthonormal(rng, m, r)
    V = _orthonormal(rng, n, r)
    edge = mp_singular_edge((m, n), sigma)
    s = edge * rng.uniform(2.0, 4.0, r)  # well above the bulk
    S = (U * s) @ V.T
    W = S + sigma * rng.standard_normal((m, n))
    with _single_thread():
        Wp, rank = svd_prune_matrix(W, "mp")
    before = np.sqrt(np.sum((W - S) ** 2))
    after = np.sqrt(np.sum((Wp - S) ** 2))
    return Evidence.all(rank=Evidence.close(rank, r, rtol=0),
                        closer=Evidence.bound(after / before, 0.5, note="‖W_pruned − S‖/‖W − S‖"))


def _orthonormal(rng, m, r):
    """Orthonormal columns by modified Gram–Schmidt (no library QR)."""
    A = rng.standard_normal((m, r))
    for j in range(r):
        for i in range(j):
            A[:, j] -= (A[:, i] @ A[:, j]) * A[:, i]
        A[:, j] /= np.sqrt(A[:, j] @ A[:, j])
    return A


@theorem("A11.pruning-trained-net",
         "SVD-pruning the trained digits MLP's 256 × 64 layer below the MP edge costs ≤ 0.5 % test accuracy",
         tags=("slow",))
def pruning_trained(rng):
    from aimath.data import digits
    from aimath.nn.layers import Dropout, Linear, ReLU
    from aimath.nn.module import Sequential
    from aimath.nn.pruning import prune_svd
    from aimath.nn.training import evaluate, fit
    from aimath.optim import AdamW

    Xtr, Xte, ytr, yte = digits()
    mu, sd = Xtr.mean(0), Xtr.std(0) + 0.1
    Xtr, Xte = (Xtr - mu) / sd, (Xte - mu) / sd
    seed = int(rng.integers(2**31))
    with _single_thread():
        net = Sequential(Linear(64, 256, rng=seed), ReLU(), Dropout(0.3, rng=seed), Linear(256, 10, rng=seed + 1))
        # decoupled weight decay shrinks the random part of W that training does not use
        fit(net, Xtr, ytr, optimizer=AdamW(net.parameters(), lr=1e-3, weight_decay=1.0), epochs=30, batch_size=32,
            rng=seed, progress=False)
        before = evaluate(net, Xte, yte)["accuracy"]
        pruned, ranks = prune_svd(net)
        after = evaluate(pruned, Xte, yte)["accuracy"]
    kept, full = ranks["0"]
    return Evidence.all(cost=Evidence.bound(before - after, 0.005, note=f"accuracy {before:.4f} → {after:.4f}"),
                        pruned=Evidence.bound(kept, full // 2, kind="<", note=f"rank {kept} of {full} kept"))
