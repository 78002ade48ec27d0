import numpy as np
import pytest
import torch

from aimath.errors import AimathError, ShapeError
from aimath.nn import Network, backprop


def _net(rng, widths, act, output=None):
    return Network(tuple((rng.standard_normal((b, a)) / np.sqrt(a), rng.standard_normal(b))
                         for a, b in zip(widths[:-1], widths[1:], strict=False)), act, output)


def _torch_grads(net, X, y, loss):
    params = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in net.layers]
    acts = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "gelu": torch.nn.functional.gelu,
            "softplus": torch.nn.functional.softplus, "leaky_relu": torch.nn.functional.leaky_relu,
            "abs": torch.abs, None: lambda t: t}
    a = torch.tensor(X)
    for k, (W, b) in enumerate(params):
        a = a @ W.T + b
        a = acts[net.activation](a) if k < len(params) - 1 else acts[net.output](a)
    if loss == "cross_entropy":
        ell = torch.nn.functional.cross_entropy(a, torch.tensor(y))
    elif loss == "mse":
        ell = torch.nn.functional.mse_loss(a, torch.tensor(y))
    else:
        s, yy = a[:, 0], torch.tensor(y, dtype=a.dtype)
        ell = torch.nn.functional.softplus(-yy * s).mean() if loss == "logistic" else torch.relu(1 - yy * s).mean()
    ell.backward()
    return float(ell.detach()), [(W.grad.numpy(), b.grad.numpy()) for W, b in params]


@pytest.mark.parametrize("act", ["relu", "tanh", "sigmoid", "gelu", "softplus", "leaky_relu", "abs"])
@pytest.mark.parametrize("loss", ["cross_entropy", "mse", "logistic", "hinge"])
def test_explicit_backprop_equals_torch_autograd(act, loss):
    rng = np.random.default_rng(3)
    scalar = loss in ("logistic", "hinge")
    widths = [5, 7, 6, 1 if scalar else 4]
    net = _net(rng, widths, act, output="sigmoid" if loss == "mse" else None)
    X = rng.standard_normal((11, 5))
    y = {"cross_entropy": rng.integers(0, 4, 11), "mse": rng.random((11, 4)),
         "logistic": np.where(rng.random(11) < 0.5, -1, 1), "hinge": np.where(rng.random(11) < 0.5, -1, 1)}[loss]
    value, grads = backprop(net, X, y, loss)
    ref_value, ref = _torch_grads(net, X, y, loss)
    assert abs(value - ref_value) <= 1e-12 * max(1, abs(ref_value))
    for (dW, db), (rW, rb) in zip(grads, ref, strict=True):
        np.testing.assert_allclose(dW, rW, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(db, rb, rtol=1e-10, atol=1e-12)


def test_explicit_backprop_on_torch_arrays():
    rng = np.random.default_rng(4)
    net = _net(rng, [3, 8, 3], "tanh")
    X, y = rng.standard_normal((6, 3)), rng.integers(0, 3, 6)
    tnet = Network(tuple((torch.tensor(W), torch.tensor(b)) for W, b in net.layers), "tanh")
    v1, g1 = backprop(net, X, y)
    v2, g2 = backprop(tnet, torch.tensor(X), torch.tensor(y))
    assert abs(v1 - v2) < 1e-14
    np.testing.assert_allclose(g2[0][0].numpy(), g1[0][0], rtol=1e-13)


def test_backprop_errors():
    rng = np.random.default_rng(0)
    net = _net(rng, [3, 4, 2], "relu")
    with pytest.raises(ShapeError, match="x must have 3 features"):
        backprop(net, np.zeros((5, 4)), np.zeros(5, dtype=int))
    with pytest.raises(AimathError, match="loss must be one of"):
        backprop(net, np.zeros((5, 3)), np.zeros(5, dtype=int), "l1")
    with pytest.raises(AimathError, match="one output"):
        backprop(net, np.zeros((5, 3)), np.ones(5, dtype=int), "hinge")
    with pytest.raises(TypeError, match="Network or an MLP"):
        backprop([1, 2], np.zeros((5, 3)), np.zeros(5, dtype=int))
