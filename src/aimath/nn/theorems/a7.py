"""A7 backpropagation: the explicit layer recursion equals the engine and central differences;
the cost of reverse mode stays a bounded multiple of the forward pass; sigmoid nets' first-layer
gradients vanish exponentially with depth."""

from __future__ import annotations

import contextlib
import time

import numpy as np

from aimath.nn.backprop import backprop
from aimath.nn.functional import cross_entropy
from aimath.nn.layers import MLP
from aimath.nn.losses import cross_entropy as ce_array
from aimath.nn.network import Network
from aimath.theorems import Evidence, fit_line, theorem


def _fd_first_weight(net: Network, X, y, h=1e-6):
    W = net.layers[0][0]
    g = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        old = W[idx]
        W[idx] = old + h
        up = float(ce_array(net(X), y))
        W[idx] = old - h
        down = float(ce_array(net(X), y))
        W[idx] = old
        g[idx] = (up - down) / (2 * h)
    return g


@theorem("A7.backprop-explicit-engine-fd",
         "Book A's recursion δ_k = (W_{k+1}ᵀδ_{k+1}) ⊙ ρ′(z_k) equals the reverse-mode engine (1e-10) and central "
         "differences (1e-6)")
def backprop_equal(rng):
    eng, fd = [], []
    for act in ("tanh", "sigmoid", "softplus", "gelu"):
        widths = [int(w) for w in rng.integers(2, 9, int(rng.integers(3, 6)))]
        widths[-1] = max(widths[-1], 2)
        net = MLP(widths, act, rng=int(rng.integers(2**31)))
        X = rng.standard_normal((10, widths[0]))
        y = rng.integers(0, widths[-1], 10)
        value, grads = backprop(net, X, y)
        loss = cross_entropy(net(X), y)
        loss.backward()
        for lin, (dW, db) in zip(net.linears(), grads, strict=True):
            scale = max(1.0, float(np.abs(dW).max()))
            eng.append(max(np.abs(lin.weight.grad - dW).max(), np.abs(lin.bias.grad - db).max()) / scale)
        eng.append(abs(float(loss.data) - value))
        fd.append(np.abs(_fd_first_weight(net.to_network(), X, y) - grads[0][0]).max())
    return Evidence.all(engine=Evidence.bound(max(eng), 1e-10, note="max relative |explicit − engine|"),
                        central_differences=Evidence.bound(max(fd), 1e-6, note="max |explicit − central difference|"))


def single_thread():
    """Limit BLAS to one thread while timing (a shared machine makes threaded BLAS spin)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(1)


@theorem("A7.reverse-mode-cost",
         "the backward pass costs a bounded multiple of the forward pass (time ratio < 5) as the width grows")
def reverse_cost(rng):
    ratios = []
    widths = (64, 128, 256, 512)
    with single_thread():
        for w in widths:
            net = MLP([w, w, w, w, 10], "tanh", rng=int(rng.integers(2**31)))
            X = rng.standard_normal((64, w))
            y = rng.integers(0, 10, 64)
            pairs = []
            for _ in range(15):  # each backward timed right after its forward: the median of the
                t0 = time.perf_counter()  # per-pair ratios is robust to other processes' load
                loss = cross_entropy(net(X), y)
                t1 = time.perf_counter()
                loss.backward()
                t2 = time.perf_counter()
                pairs.append((t2 - t1) / (t1 - t0))
                net.zero_grad()
            ratios.append(float(np.median(pairs)))
    return Evidence.bound(np.array(ratios), 5.0,
                          note="backward/forward time at widths " + ", ".join(f"{w}: {r:.2f}" for w, r in
                                                                              zip(widths, ratios, strict=True)))


@theorem("A7.vanishing-gradients",
         "in sigmoid nets log‖∂ℓ/∂W₁‖ falls linearly with depth (negative slope, linear fit R² > 0.95)")
def vanishing(rng):
    depths = np.arange(2, 22, 2)
    width, trials = 32, 10
    logs = []
    for L in depths:
        vals = []
        for _ in range(trials):
            layers = [(rng.standard_normal((width, width)) / np.sqrt(width), np.zeros(width)) for _ in range(L - 1)]
            layers.append((rng.standard_normal((10, width)) / np.sqrt(width), np.zeros(10)))
            net = Network(tuple(layers), "sigmoid")
            X = rng.standard_normal((16, width))
            y = rng.integers(0, 10, 16)
            _, grads = backprop(net, X, y)
            vals.append(np.log(np.sqrt(np.sum(grads[0][0] ** 2))))  # log of the Frobenius norm
        logs.append(np.mean(vals))
    logs = np.array(logs)
    slope, intercept, _ = fit_line(depths, logs)
    resid = logs - (slope * depths + intercept)
    r2 = 1 - np.sum(resid**2) / np.sum((logs - logs.mean()) ** 2)
    return Evidence.all(
        decreasing=Evidence.bound(float(slope), 0.0, kind="<", note=f"slope {slope:.3f} per layer"),
        linear=Evidence.bound(float(r2), 0.95, kind=">", note="R² of the linear fit"),
        per_layer_factor=Evidence.bound(float(np.exp(slope)), 0.25 * 2.5, kind="<",
                                        note="gradient shrink factor per layer (σ′ ≤ 1/4)"),
    )

