import numpy as np
import pytest
import torch

from aimath.errors import AimathError
from aimath.nn import activation, derivative, gelu, leaky_relu, log_softmax, sigmoid, softmax, softplus

NAMES = ["relu", "leaky_relu", "abs", "sigmoid", "tanh", "softplus", "gelu", "identity"]
TORCH = {
    "relu": torch.relu, "leaky_relu": torch.nn.functional.leaky_relu, "abs": torch.abs, "sigmoid": torch.sigmoid,
    "tanh": torch.tanh, "softplus": torch.nn.functional.softplus, "gelu": torch.nn.functional.gelu,
    "identity": lambda t: t * 1.0,
}


@pytest.mark.parametrize("name", NAMES)
def test_activation_and_derivative_match_torch(name, xp):
    z = np.random.default_rng(0).standard_normal(200) * 5
    z[:3] = [40.0, -40.0, 0.3]
    f, df = activation(name), derivative(name)
    out = xp.to_numpy(f(xp.asarray(z)))
    t = torch.tensor(z, requires_grad=True)
    ref = TORCH[name](t)
    ref.sum().backward()
    np.testing.assert_allclose(out, ref.detach().numpy(), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(xp.to_numpy(df(xp.asarray(z))), t.grad.numpy(), rtol=1e-12, atol=1e-15)


def test_float32_kept_and_no_overflow():
    z = np.array([-1000.0, 0.0, 1000.0], dtype=np.float32)
    for f in (sigmoid, softplus, gelu, leaky_relu, softmax, log_softmax):
        out = f(z)
        assert out.dtype == np.float32 and np.all(np.isfinite(out))
    np.testing.assert_array_equal(sigmoid(z), [0.0, 0.5, 1.0])


def test_softmax_is_on_the_simplex_and_log_softmax_consistent(xp):
    z = np.random.default_rng(1).standard_normal((50, 7)) * 100
    p = xp.to_numpy(softmax(xp.asarray(z)))
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.exp(xp.to_numpy(log_softmax(xp.asarray(z)))), p, atol=1e-15)
    np.testing.assert_allclose(p, torch.softmax(torch.tensor(z), 1).numpy(), atol=1e-15)


def test_unknown_activation():
    with pytest.raises(AimathError, match="activation must be one of"):
        activation("swish2")
