"""Every op's value and gradient against torch.autograd (float64, 1e-10) and central differences,
on NumPy and torch data."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import aimath.autodiff as ad
from aimath.autodiff import Tensor

# name: (ours, torch reference, input shapes, domain)  -- domain "pos" draws inputs in (0.5, 2)
OPS = {
    "add": (lambda a, b: a + b, lambda a, b: a + b, [(3, 4), (4,)], None),
    "radd-const": (lambda a: 2.5 + a, lambda a: 2.5 + a, [(3,)], None),
    "sub": (lambda a, b: a - b, lambda a, b: a - b, [(2, 1, 3), (4, 1)], None),
    "rsub-const": (lambda a: 1.0 - a, lambda a: 1.0 - a, [(3,)], None),
    "mul": (lambda a, b: a * b, lambda a, b: a * b, [(3, 1), (1, 4)], None),
    "div": (lambda a, b: a / b, lambda a, b: a / b, [(3, 4), (4,)], "pos"),
    "rdiv-const": (lambda a: 2.0 / a, lambda a: 2.0 / a, [(3,)], "pos"),
    "pow-const": (lambda a: a**3, lambda a: a**3, [(5,)], None),
    "pow-half": (lambda a: a**0.5, lambda a: a**0.5, [(5,)], "pos"),
    "pow-tensor": (lambda a, b: a**b, lambda a, b: a**b, [(2, 3), (3,)], "pos"),
    "rpow": (lambda a: 2.0**a, lambda a: 2.0**a, [(4,)], None),
    "neg": (lambda a: -a, lambda a: -a, [(2, 2)], None),
    "matmul-2d": (lambda a, b: a @ b, lambda a, b: a @ b, [(3, 4), (4, 2)], None),
    "matmul-batched": (lambda a, b: a @ b, lambda a, b: a @ b, [(2, 3, 4), (4, 5)], None),
    "matmul-bcast": (lambda a, b: a @ b, lambda a, b: a @ b, [(2, 1, 3, 4), (5, 4, 2)], None),
    "matmul-vec-mat": (lambda a, b: a @ b, lambda a, b: a @ b, [(4,), (2, 4, 3)], None),
    "matmul-mat-vec": (lambda a, b: a @ b, lambda a, b: a @ b, [(2, 3, 4), (4,)], None),
    "matmul-vec-vec": (lambda a, b: a @ b, lambda a, b: a @ b, [(4,), (4,)], None),
    "exp": (ad.exp, torch.exp, [(3, 2)], None),
    "log": (ad.log, torch.log, [(3, 2)], "pos"),
    "log1p": (ad.log1p, torch.log1p, [(4,)], "pos"),
    "sqrt": (ad.sqrt, torch.sqrt, [(4,)], "pos"),
    "square": (ad.square, torch.square, [(4,)], None),
    "sin": (ad.sin, torch.sin, [(4,)], None),
    "cos": (ad.cos, torch.cos, [(4,)], None),
    "tanh": (ad.tanh, torch.tanh, [(4,)], None),
    "sigmoid": (ad.sigmoid, torch.sigmoid, [(6,)], None),
    "relu": (ad.relu, torch.relu, [(6,)], None),
    "softplus": (ad.softplus, torch.nn.functional.softplus, [(6,)], None),
    "abs": (ad.abs, torch.abs, [(6,)], None),
    "maximum": (ad.maximum, torch.maximum, [(3, 4), (4,)], None),
    "minimum": (ad.minimum, torch.minimum, [(3, 4), (3, 1)], None),
    "where": (lambda a, b: ad.where(a.data > 0, a, b), lambda a, b: torch.where(a > 0, a, b), [(3, 4), (4,)], None),
    "clip": (lambda a: ad.clip(a, -0.5, 0.7), lambda a: torch.clamp(a, -0.5, 0.7), [(8,)], None),
    "sum-all": (lambda a: a.sum(), lambda a: a.sum(), [(3, 4)], None),
    "sum-axis": (lambda a: a.sum(axis=1), lambda a: a.sum(dim=1), [(3, 4, 2)], None),
    "sum-axes-keep": (lambda a: a.sum(axis=(0, 2), keepdims=True), lambda a: a.sum(dim=(0, 2), keepdim=True),
                      [(3, 4, 2)], None),
    "mean": (lambda a: a.mean(axis=-1), lambda a: a.mean(dim=-1), [(3, 4)], None),
    "var": (lambda a: a.var(axis=0, ddof=1), lambda a: a.var(dim=0, correction=1), [(5, 3)], None),
    "max": (lambda a: a.max(axis=1), lambda a: a.amax(dim=1), [(3, 5)], None),
    "min-all": (lambda a: a.min(), lambda a: a.amin(), [(3, 5)], None),
    "logsumexp": (lambda a: ad.logsumexp(a, axis=1), lambda a: torch.logsumexp(a, dim=1), [(3, 5)], None),
    "logsumexp-all": (lambda a: ad.logsumexp(a * 300), lambda a: torch.logsumexp((a * 300).reshape(-1), 0),
                      [(2, 3)], None),
    "softmax": (lambda a: ad.softmax(a, axis=0), lambda a: torch.softmax(a, dim=0), [(4, 3)], None),
    "log_softmax": (ad.log_softmax, lambda a: torch.log_softmax(a, dim=-1), [(3, 5)], None),
    "reshape": (lambda a: a.reshape(6, 2), lambda a: a.reshape(6, 2), [(3, 4)], None),
    "transpose": (lambda a: a.transpose(2, 0, 1), lambda a: a.permute(2, 0, 1), [(2, 3, 4)], None),
    "T": (lambda a: a.T, lambda a: a.permute(1, 0), [(2, 3)], None),
    "mT": (lambda a: a.mT, lambda a: a.mT, [(2, 3, 4)], None),
    "broadcast_to": (lambda a: a.broadcast_to((2, 3, 4)), lambda a: a.broadcast_to((2, 3, 4)), [(3, 1)], None),
    "squeeze": (lambda a: a.squeeze(), lambda a: a.squeeze(), [(3, 1, 2)], None),
    "expand_dims": (lambda a: ad.expand_dims(a, 1), lambda a: a.unsqueeze(1), [(3, 2)], None),
    "getitem-slice": (lambda a: a[1:, ::2], lambda a: a[1:, ::2], [(3, 5)], None),
    "getitem-int": (lambda a: a[1], lambda a: a[1], [(3, 5)], None),
    "getitem-fancy-repeat": (lambda a: a[[0, 2, 0, 0]], lambda a: a[[0, 2, 0, 0]], [(3, 5)], None),
    "getitem-mixed": (lambda a: a[:, [1, 1, 3]], lambda a: a[:, [1, 1, 3]], [(3, 5)], None),
    "getitem-none-ellipsis": (lambda a: a[None, ..., 0], lambda a: a[None, ..., 0], [(3, 5)], None),
    "concatenate": (lambda a, b: ad.concatenate([a, b, a], axis=1), lambda a, b: torch.cat([a, b, a], dim=1),
                    [(2, 3), (2, 1)], None),
    "stack": (lambda a, b: ad.stack([a, b], axis=1), lambda a, b: torch.stack([a, b], dim=1), [(2, 3), (2, 3)], None),
}


def _inputs(shapes, domain, seed):
    g = np.random.default_rng(seed)
    if domain == "pos":
        return [g.uniform(0.5, 2.0, s) for s in shapes]
    return [g.standard_normal(s) for s in shapes]


def _ours(fn, arrays, lib, w):
    ts = [Tensor(lib.asarray(a), requires_grad=True) for a in arrays]
    y = fn(*ts)
    (y * lib.asarray(w)).sum().backward()
    return lib.to_numpy(y.data), [lib.to_numpy(t.grad) for t in ts]


def _torch(fn, arrays, w):
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    y = fn(*ts)
    (y * torch.tensor(w)).sum().backward()
    return y.detach().numpy(), [t.grad.numpy() for t in ts]


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_matches_torch_autograd(name, xp):
    ours, ref, shapes, domain = OPS[name]
    arrays = _inputs(shapes, domain, 0)
    y_ref, g_ref = _torch(ref, arrays, np.zeros(()))
    w = np.random.default_rng(1).standard_normal(y_ref.shape)
    y_ref, g_ref = _torch(ref, arrays, w)
    y, g = _ours(ours, arrays, xp, w)
    np.testing.assert_allclose(y, y_ref, rtol=1e-12, atol=1e-12)
    for a, b in zip(g, g_ref, strict=False):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_matches_central_differences(name):
    ours, _, shapes, domain = OPS[name]
    arrays = _inputs(shapes, domain, 2)
    w = None

    def scalar(*arrs):
        nonlocal w
        y = ours(*[Tensor(a) for a in arrs]).data
        if w is None:
            w = np.random.default_rng(3).standard_normal(np.shape(y))
        return float(np.sum(np.asarray(y) * w))

    scalar(*arrays)
    _, grads = _ours(ours, arrays, _NP, w)
    h = 1e-6
    for i, a in enumerate(arrays):
        fd = np.zeros_like(a)
        for j in range(a.size):
            e = np.zeros(a.size)
            e[j] = h
            e = e.reshape(a.shape)
            args_p = [x + e if k == i else x for k, x in enumerate(arrays)]
            args_m = [x - e if k == i else x for k, x in enumerate(arrays)]
            fd.flat[j] = (scalar(*args_p) - scalar(*args_m)) / (2 * h)
        np.testing.assert_allclose(grads[i], fd, rtol=1e-6, atol=1e-6)


class _Np:
    name = "numpy"

    @staticmethod
    def asarray(a):
        return np.asarray(a)

    @staticmethod
    def to_numpy(a):
        return np.asarray(a)


_NP = _Np()


def test_float32_is_kept(xp):
    a = Tensor(xp.asarray(np.ones((2, 3)), dtype=np.float32), requires_grad=True)
    y = (ad.tanh(a * 2.0) @ xp.asarray(np.ones((3, 1)), dtype=np.float32)).mean() + ad.logsumexp(a)
    y.backward()
    assert str(y.dtype).endswith("float32")
    assert str(a.grad.dtype).endswith("float32")


def test_sigmoid_and_softplus_stable_at_extremes():
    x = Tensor(np.array([-800.0, -40.0, 0.0, 40.0, 800.0]), requires_grad=True)
    s = ad.sigmoid(x)
    ref = torch.sigmoid(torch.tensor(x.data)).numpy()
    np.testing.assert_allclose(s.data, ref, rtol=1e-14, atol=0)
    sp = ad.softplus(x)
    assert np.all(np.isfinite(sp.data))
    np.testing.assert_allclose(sp.data, torch.nn.functional.softplus(torch.tensor(x.data)).numpy(), rtol=1e-14)
    sp.sum().backward()
    np.testing.assert_allclose(x.grad, ref, rtol=1e-14)


def test_max_ties_share_gradient():
    x = Tensor(np.array([1.0, 3.0, 3.0, 2.0]), requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad, [0, 0.5, 0.5, 0])
