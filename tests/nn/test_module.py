import numpy as np
import pytest
import torch

from aimath.autodiff import Tensor
from aimath.errors import AimathError, ShapeError
from aimath.nn import (
    MLP,
    AvgPool2d,
    Conv2d,
    Dropout,
    Flatten,
    Linear,
    MaxPool2d,
    ReLU,
    Sequential,
    Tanh,
    backprop,
    cross_entropy,
    fans,
    he_normal,
    he_uniform,
    xavier_normal,
    xavier_uniform,
)


def lenet(rng=0, dtype=np.float64):
    return Sequential(Conv2d(1, 6, 5, padding=2, rng=rng, dtype=dtype), ReLU(), MaxPool2d(2),
                      Conv2d(6, 16, 5, rng=rng, dtype=dtype), Tanh(), AvgPool2d(2), Flatten(),
                      Linear(16 * 5 * 5, 32, rng=rng, dtype=dtype), ReLU(), Linear(32, 10, rng=rng, dtype=dtype))


def torch_lenet():
    tn = torch.nn
    return tn.Sequential(tn.Conv2d(1, 6, 5, padding=2), tn.ReLU(), tn.MaxPool2d(2), tn.Conv2d(6, 16, 5), tn.Tanh(),
                         tn.AvgPool2d(2), tn.Flatten(), tn.Linear(400, 32), tn.ReLU(), tn.Linear(32, 10)).double()


def test_same_weights_same_logits_and_gradients_as_the_pytorch_twin():
    net, twin = lenet(), torch_lenet()
    sd = net.state_dict()
    assert list(sd) == list(twin.state_dict())  # names map one to one
    assert all(tuple(sd[k].shape) == tuple(v.shape) for k, v in twin.state_dict().items())
    twin.load_state_dict({k: torch.tensor(v) for k, v in sd.items()})
    rng = np.random.default_rng(0)
    x, y = rng.random((7, 1, 28, 28)), rng.integers(0, 10, 7)
    out = net(x)
    loss = cross_entropy(out, y)
    loss.backward()
    out_t = twin(torch.tensor(x))
    torch.nn.functional.cross_entropy(out_t, torch.tensor(y)).backward()
    np.testing.assert_allclose(out.data, out_t.detach().numpy(), rtol=1e-12, atol=1e-13)
    for (name, p), (tname, tp) in zip(net.named_parameters(), twin.named_parameters(), strict=True):
        assert name == tname
        np.testing.assert_allclose(p.grad, tp.grad.numpy(), rtol=1e-10, atol=1e-13, err_msg=name)


@pytest.mark.parametrize("act", ["relu", "tanh", "sigmoid", "gelu", "softplus", "leaky_relu", "abs"])
def test_explicit_backprop_equals_engine_equals_central_differences(act):
    rng = np.random.default_rng(5)
    net = MLP([4, 6, 5, 3], act, rng=1)
    X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
    value, grads = backprop(net, X, y)
    loss = cross_entropy(net(X), y)
    loss.backward()
    assert abs(float(loss.data) - value) < 1e-14
    for lin, (dW, db) in zip(net.linears(), grads, strict=True):
        np.testing.assert_allclose(lin.weight.grad, dW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(lin.bias.grad, db, rtol=1e-10, atol=1e-14)
    # central differences on the first weight matrix
    W = net[0].weight.data
    fd = np.zeros_like(W)
    h = 1e-6
    for idx in np.ndindex(W.shape):
        old = W[idx]
        W[idx] = old + h
        up = float(cross_entropy(net(X).data, y))
        W[idx] = old - h
        down = float(cross_entropy(net(X).data, y))
        W[idx] = old
        fd[idx] = (up - down) / (2 * h)
    tol = 1e-6 if act not in ("relu", "leaky_relu", "abs") else 1e-5
    np.testing.assert_allclose(grads[0][0], fd, atol=tol)


def test_state_dict_save_load_roundtrip(tmp_path):
    a, b = MLP([3, 5, 2], rng=0), MLP([3, 5, 2], rng=1)
    assert not np.allclose(a[0].weight.data, b[0].weight.data)
    a.save(tmp_path / "m.npz")
    b.load(tmp_path / "m.npz")
    x = np.random.default_rng(0).standard_normal((4, 3))
    np.testing.assert_array_equal(a(x).data, b(x).data)
    sd = a.state_dict()
    sd["0.weight"][...] = 0  # a copy, not a view
    assert np.any(a[0].weight.data != 0)
    with pytest.raises(ShapeError, match=r"0.weight must have shape \(5, 3\), got \(5, 4\)"):
        a.load_state_dict({**a.state_dict(), "0.weight": np.zeros((5, 4))})
    with pytest.raises(AimathError, match="missing keys"):
        a.load_state_dict({"0.weight": np.zeros((5, 3))})


def test_repr_children_train_eval_and_dtype():
    net = MLP([4, 8, 3], rng=0, dtype=np.float32)
    r = repr(net)
    assert "Linear(in_features=4, out_features=8, bias=True)" in r and "67 parameters" in r
    assert len(list(net.children())) == 3 and net.num_parameters() == 67
    assert net(np.zeros((2, 4), dtype=np.float32)).dtype == np.float32
    seq = Sequential(Linear(2, 2, rng=0), Dropout(0.5, rng=0))
    seq.eval()
    assert not seq[1].training
    x = np.ones((3, 2))
    np.testing.assert_array_equal(seq(x).data, seq(x).data)
    seq.train()
    assert seq[1].training
    with pytest.raises(TypeError, match="Sequential takes Modules"):
        Sequential(Linear(2, 2), "relu")


def test_linear_input_errors_name_the_layer():
    lin = Linear(64, 10, rng=0)
    with pytest.raises(ShapeError, match=r"Linear\(in_features=64, out_features=10, bias=True\): expected input of "
                                         r"shape \(\.\.\., 64\), got \(32, 63\)"):
        lin(np.zeros((32, 63)))


def test_dropout_statistics():
    d = Dropout(0.25, rng=0)
    out = d(Tensor(np.ones((200, 500)), requires_grad=True))
    frac = np.mean(out.data == 0)
    assert abs(frac - 0.25) < 5 * np.sqrt(0.25 * 0.75 / 1e5)
    assert set(np.unique(out.data)) <= {0.0, 1 / 0.75}


@pytest.mark.parametrize("init,var", [(xavier_uniform, lambda fi, fo: 2 / (fi + fo)),
                                      (xavier_normal, lambda fi, fo: 2 / (fi + fo)),
                                      (he_uniform, lambda fi, fo: 2 / fi), (he_normal, lambda fi, fo: 2 / fi)])
def test_initialisers_have_the_textbook_variance(init, var):
    shape = (64, 32, 3, 3)
    W = init(shape, rng=0)
    fi, fo = fans(shape)
    assert (fi, fo) == (32 * 9, 64 * 9)
    n = W.size
    # sample variance of n iid draws: relative SE ≈ sqrt(2/n) (normal) or smaller (uniform)
    assert abs(W.var() / var(fi, fo) - 1) < 5 * np.sqrt(2 / n)
    np.testing.assert_array_equal(W, init(shape, rng=0))
    if init is he_uniform:  # same support as PyTorch's kaiming_uniform_ (gain √2, fan-in mode)
        ref = torch.nn.init.kaiming_uniform_(torch.empty(shape, dtype=torch.float64))
        assert abs(np.abs(W).max() - ref.abs().max().item()) < 0.01
