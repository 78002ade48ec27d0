"""Every layer's gradient through aimath.autodiff.grad_check (central differences)."""

import numpy as np
import pytest

from aimath.autodiff import grad_check
from aimath.nn import (
    AvgPool2d,
    Flatten,
    MaxPool2d,
    avg_pool2d,
    conv2d,
    cross_entropy,
    functional,
    hinge_loss,
    linear,
    logistic_loss,
    max_pool2d,
    mse_loss,
)

rng = np.random.default_rng(0)
G4 = rng.standard_normal((2, 3, 3, 3))


def _weighted(y, G):
    return (y * G).sum()


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "abs_", "sigmoid", "tanh", "softplus", "gelu"])
def test_activation_layers(name):
    x = rng.standard_normal((4, 5))
    x = np.where(np.abs(x) < 1e-2, 0.5, x)  # away from the kinks
    G = rng.standard_normal((4, 5))
    f = getattr(functional, name)
    assert grad_check(lambda t: _weighted(f(t), G), x)


def test_softmax_layers():
    x, G = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    assert grad_check(lambda t: _weighted(functional.softmax(t), G), x)
    assert grad_check(lambda t: _weighted(functional.log_softmax(t), G), x)


def test_linear_and_conv_layers():
    x, W, b, G = rng.standard_normal((3, 4)), rng.standard_normal((2, 4)), rng.standard_normal(2), rng.standard_normal(
        (3, 2))
    assert grad_check(lambda a, w, c: _weighted(linear(a, w, c), G), x, W, b)
    x4, K, bk = rng.standard_normal((2, 2, 6, 6)), rng.standard_normal((3, 2, 3, 3)), rng.standard_normal(3)
    assert grad_check(lambda a, w, c: _weighted(conv2d(a, w, c, 2, 1), G4), x4, K, bk)
    assert grad_check(lambda a, w: _weighted(conv2d(a, w, None, 1, 1, "circular"),
                                             np.ones((2, 3, 6, 6))), x4, K)


def test_pooling_and_flatten_layers():
    x = rng.permutation(2 * 3 * 6 * 6).reshape(2, 3, 6, 6) / 10.0  # distinct entries: max is differentiable
    assert grad_check(lambda t: _weighted(max_pool2d(t, 2), G4), x)
    assert grad_check(lambda t: _weighted(avg_pool2d(t, 3, 2, 1), G4), x)
    assert grad_check(lambda t: _weighted(MaxPool2d(3, 2, 1)(t), G4), x)
    assert grad_check(lambda t: _weighted(AvgPool2d(2)(t), G4), x)
    assert grad_check(lambda t: _weighted(Flatten()(t), np.ones((2, 108))), x)


def test_losses():
    z, y = rng.standard_normal((5, 3)), rng.integers(0, 3, 5)
    t = rng.standard_normal((5, 3))
    s, yb = rng.standard_normal(5) * 3, np.array([1, -1, 1, 1, -1])
    s = np.where(np.abs(1 - yb * s) < 0.05, s + 0.3, s)
    assert grad_check(lambda a: cross_entropy(a, y), z)
    assert grad_check(lambda a: cross_entropy(a, y, reduction="sum"), z)
    assert grad_check(lambda a: mse_loss(a, t), z)
    assert grad_check(lambda a: hinge_loss(a, yb), s)
    assert grad_check(lambda a: logistic_loss(a, yb), s)
    assert grad_check(lambda a: functional.nll_loss(functional.log_softmax(a), y), z)
