"""The NTK-parameterised MLP: gradients and NTK against aimath.autodiff and central differences,
the infinite-width ReLU NTK (arc-cosine kernel) in closed form, and lazy training."""

from __future__ import annotations

import numpy as np
import pytest

from aimath import autodiff as ad
from aimath.errors import ShapeError
from aimath.learn.ntk_mlp import NTKMLP, lazy_training


def _tensor_forward(net, params, X):
    """The same network written with aimath.autodiff Tensors (the textbook forward pass)."""
    a = ad.Tensor(X)
    L = len(params) // 2
    for k in range(L):
        W, b = params[2 * k], params[2 * k + 1]
        z = (a @ W.T) * (1.0 / np.sqrt(net.sizes[k])) + b * net.beta
        a = (ad.tanh(z) if net.activation == "tanh" else ad.relu(z)) if k < L - 1 else z
    return a


def _flat(params):
    return [p for Wb in params for p in Wb]


@pytest.mark.parametrize(("sizes", "act", "beta"), [([3, 7, 1], "tanh", 1.0), ([2, 5, 4, 1], "tanh", 0.5),
                                                    ([3, 6, 5, 1], "relu", 1.0)])
def test_loss_gradient_equals_autodiff_and_central_differences(rng, sizes, act, beta):
    net = NTKMLP(sizes, act, beta=beta, rng=3)
    X, y = rng.standard_normal((6, sizes[0])), rng.standard_normal(6)

    def loss(*ps):
        r = _tensor_forward(net, ps, X)[:, 0] - ad.Tensor(y)
        return (r * r).sum() * (0.5 / len(y))

    value, grads = net.loss_and_grad(X, y)
    flat = _flat(net.params)
    ref = ad.grad(loss, argnums=tuple(range(len(flat))))(*flat)
    for g, r in zip(_flat(grads), ref, strict=True):
        np.testing.assert_allclose(g, r, rtol=1e-12, atol=1e-14)
    assert value == pytest.approx(float(loss(*[ad.Tensor(p) for p in flat]).data), rel=1e-14)
    if act == "tanh":  # central differences only where the loss is smooth
        assert ad.grad_check(loss, *flat, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("act", ["tanh", "relu"])
def test_ntk_equals_per_sample_autodiff_gradients(rng, act):
    net = NTKMLP([3, 9, 6, 1], act, beta=0.7, rng=4)
    X, Y = rng.standard_normal((5, 3)), rng.standard_normal((4, 3))
    flat = _flat(net.params)

    def jac(Z):
        rows = []
        for i in range(Z.shape[0]):
            g = ad.grad(lambda *ps, i=i: _tensor_forward(net, ps, Z[i : i + 1]).sum(),
                        argnums=tuple(range(len(flat))))(*flat)
            rows.append(np.concatenate([np.ravel(gi) for gi in g]))
        return np.asarray(rows)

    JX, JY = jac(X), jac(Y)
    np.testing.assert_allclose(net.ntk(X), JX @ JX.T, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(net.ntk(X, Y), JX @ JY.T, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(net(X), _tensor_forward(net, flat, X).data[:, 0], rtol=1e-14)


def test_wide_relu_ntk_is_the_arccosine_kernel(rng):
    """At width m the empirical NTK is a mean over m units; its limit is the arc-cosine kernel."""
    d, beta, m = 3, 1.0, 40000
    X = rng.standard_normal((4, d))
    S = X @ X.T / d + beta**2  # covariance of the first pre-activations
    s = np.sqrt(np.diag(S))
    cos = np.clip(S / np.outer(s, s), -1.0, 1.0)
    th = np.arccos(cos)
    e_rho = np.outer(s, s) * (np.sin(th) + (np.pi - th) * cos) / (2 * np.pi)  # E relu(u) relu(u')
    e_drho = (np.pi - th) / (2 * np.pi)  # E 1[u > 0] 1[u' > 0]
    limit = e_rho + beta**2 + S * e_drho  # output layer (weights + bias) + first layer
    emp = NTKMLP([d, m, 1], "relu", beta=beta, rng=5).ntk(X)
    # each entry is a mean of m i.i.d. unit terms; their sd is at most 3.6 here, so the standard
    # error is at most 0.018 and 5 SE = 0.09 (dropping either β² term would be off by 1.0)
    np.testing.assert_allclose(emp, limit, atol=0.09)
    assert np.max(np.abs(emp - limit)) > 0  # a finite network is not the limit


def test_lazy_training_weights_move_like_one_over_root_width(rng):
    d = 4
    X = rng.standard_normal((12, d))
    X *= np.sqrt(d / np.sum(X * X, axis=1, keepdims=True))
    y = np.sin(2 * X[:, 0])
    small = [lazy_training(128, X, y, rng=s) for s in range(3)]
    big = [lazy_training(2048, X, y, rng=s) for s in range(3)]
    for r in small + big:
        assert r["loss"] < 0.5 * r["loss0"]  # training did happen
    ratio_w = np.mean([r["weight_change"] for r in big]) / np.mean([r["weight_change"] for r in small])
    ratio_k = np.mean([r["ntk_change"] for r in big]) / np.mean([r["ntk_change"] for r in small])
    assert ratio_w == pytest.approx(0.25, rel=0.25)  # (2048/128)^(-1/2)
    assert ratio_k < 0.25  # the kernel moves faster than the O(m^-1/2) bound allows (≈ 1/16)


def test_bad_input():
    with pytest.raises(ShapeError, match="scalar output"):
        NTKMLP([2, 4, 3])
    net = NTKMLP([2, 4, 1], rng=0)
    with pytest.raises(ShapeError, match="2 columns"):
        net(np.ones((3, 5)))
    with pytest.raises(ShapeError, match="one per row"):
        net.loss_and_grad(np.ones((3, 2)), np.ones(4))
