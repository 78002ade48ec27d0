"""A4 deep neural networks, defined: parameter count, linear collapse, exact ReLU interpolation,
the constructive universal-approximation rate, the sawtooth's 2^k pieces, XOR."""

from __future__ import annotations

import numpy as np

from aimath.nn.constructions import (
    collapse_linear,
    count_linear_pieces,
    relu_interpolant,
    sawtooth_network,
    universal_approximant,
    xor_network,
)
from aimath.nn.network import Network, parameter_count
from aimath.theorems import Evidence, theorem


def _random_net(rng, widths, activation="relu", scale=1.0):
    layers = tuple((scale * rng.standard_normal((b, a)) / np.sqrt(a), rng.standard_normal(b))
                   for a, b in zip(widths[:-1], widths[1:], strict=False))
    return Network(layers, activation)


@theorem("A4.parameter-count", "a dense net with widths d₀,…,d_L has Σ_k (d_{k−1}+1)d_k parameters")
def param_count(rng):
    counted, formula = [], []
    for _ in range(50):
        widths = rng.integers(1, 40, rng.integers(2, 7)).tolist()
        net = _random_net(rng, widths)
        counted.append(sum(W.size + b.size for W, b in net.layers))
        formula.append(sum((a + 1) * b for a, b in zip(widths[:-1], widths[1:], strict=False)))
        assert net.n_params() == parameter_count(widths)
    return Evidence.close(np.array(counted), np.array(formula), rtol=0, note="50 random architectures")


@theorem("A4.linear-collapse", "without activation a deep net equals one affine map W_L⋯W_1 x + b (1e-12)")
def linear_collapse(rng):
    errs = []
    for _ in range(20):
        widths = rng.integers(1, 30, rng.integers(3, 8)).tolist()
        net = _random_net(rng, widths, "identity")
        one = collapse_linear(net)
        x = rng.standard_normal((64, widths[0]))
        y = net(x)
        errs.append(np.abs(one(x) - y).max() / (np.abs(y).max() + 1))
    return Evidence.bound(max(errs), 1e-12, note="max relative |deep(x) − collapsed(x)| over 20 nets")


@theorem("A4.relu-interpolation",
         "a one-hidden-layer ReLU net through m knots is exact at the knots and linear between them (1e-12)")
def relu_interpolation(rng):
    knot_err, mid_err, pieces = [], [], []
    for _ in range(30):
        m = int(rng.integers(2, 60))
        xs = -3 + np.cumsum(rng.uniform(0.02, 0.3, m))  # knots 0.02 to 0.3 apart
        ys = rng.standard_normal(xs.size)
        net = relu_interpolant(xs, ys)
        knot_err.append(np.abs(net(xs[:, None])[:, 0] - ys).max())
        mids = 0.5 * (xs[1:] + xs[:-1])
        mid_err.append(np.abs(net(mids[:, None])[:, 0] - 0.5 * (ys[1:] + ys[:-1])).max() if xs.size > 1 else 0.0)
        pieces.append(count_linear_pieces(net, (xs[0], xs[-1])) <= xs.size - 1)
    return Evidence.all(
        knots=Evidence.bound(max(knot_err), 1e-12, note="max |f(x_i) − y_i|"),
        linear_between=Evidence.bound(max(mid_err), 1e-12, note="f at midpoints = mean of neighbours"),
        pieces=Evidence.close(float(np.mean(pieces)), 1.0, rtol=0, note="≤ m−1 linear pieces"),
    )


@theorem("A4.universal-approximation-slope",
         "sup-error of the constructive ReLU approximant with n pieces falls like n⁻² (slope −2 ± 0.1); steps like n⁻¹")
def universal_slope(rng):
    a, w, phase = rng.uniform(0.5, 1.5), rng.uniform(2, 6), rng.uniform(0, np.pi)

    def f(x):
        return a * np.sin(w * x + phase) + 0.3 * np.cos(2.3 * x)

    ns = np.array([8, 16, 32, 64, 128])  # linear pieces (ReLU: n + 1 knots) and sigmoid steps
    grid = np.linspace(0.0, 1.0, 5001)
    errs = [np.abs(universal_approximant(f, int(n) + 1, "relu")(grid[:, None])[:, 0] - f(grid)).max() for n in ns]
    sig = [np.abs(universal_approximant(f, int(n), "sigmoid")(grid[:, None])[:, 0] - f(grid)).max() for n in ns]
    return Evidence.all(relu=Evidence.slope(ns, errs, -2.0, 0.1),
                        sigmoid_staircase=Evidence.slope(ns, sig, -1.0, 0.1))


@theorem("A4.sawtooth-pieces",
         "the depth-k sawtooth net (2k hidden units) has exactly 2^k linear pieces on [0, 1], k = 1…10")
def sawtooth(rng):
    ks = np.arange(1, 11)
    counted = np.array([count_linear_pieces(sawtooth_network(int(k))) for k in ks])
    units = np.array([sum(W.shape[0] for W, _ in sawtooth_network(int(k)).layers[:-1]) for k in ks])
    # a random one-hidden-layer ReLU net with m units has at most m + 1 pieces
    shallow = []
    for m in (3, 10, 40):
        net = _random_net(rng, [1, m, 1])
        shallow.append(count_linear_pieces(net, (-3, 3)) <= m + 1)
    return Evidence.all(pieces=Evidence.close(counted, 2.0**ks, rtol=0),
                        units=Evidence.close(units, 2 * ks, rtol=0),
                        shallow_bound=Evidence.close(float(np.mean(shallow)), 1.0, rtol=0))


@theorem("A4.xor", "a 2-unit ReLU net computes XOR; every affine map has f(0,0)+f(1,1) = f(0,1)+f(1,0), XOR does not")
def xor(rng):
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    out = xor_network()(X)[:, 0]
    W, b = rng.standard_normal((1000, 2)), rng.standard_normal(1000)
    vals = X @ W.T + b  # (4, 1000)
    affine_gap = np.abs(vals[0] + vals[3] - vals[1] - vals[2]).max()
    return Evidence.all(xor=Evidence.close(out, [0.0, 1.0, 1.0, 0.0], rtol=0, atol=0),
                        affine_identity=Evidence.bound(affine_gap, 1e-12),
                        xor_violates=Evidence.close(out[0] + out[3] - out[1] - out[2], -2.0, rtol=0))
