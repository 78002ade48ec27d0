"""Every op's value and gradient against torch.autograd (float64, 1e-10) and central differences,
on NumPy and torch data."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from autodiff_cases import OPS, _inputs

import aimath.autodiff as ad
from aimath.autodiff import Tensor


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


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_keeps_float32(name):
    ours, _, shapes, domain = OPS[name]
    arrays = _inputs(shapes, domain, 6)
    w = None
    results = {}
    for dt in (np.float32, np.float64):
        ts = [Tensor(a.astype(dt), requires_grad=True) for a in arrays]
        y = ours(*ts)
        if w is None:
            w = np.random.default_rng(7).standard_normal(y.shape)
        (y * w.astype(dt)).sum().backward()
        results[dt] = (y, ts)
    y32, t32 = results[np.float32]
    y64, t64 = results[np.float64]
    assert y32.dtype == np.float32
    np.testing.assert_allclose(y32.data, y64.data, rtol=1e-4, atol=1e-4)
    for a, b in zip(t32, t64, strict=True):
        assert a.grad.dtype == np.float32
        np.testing.assert_allclose(a.grad, b.grad, rtol=1e-3, atol=1e-3)
