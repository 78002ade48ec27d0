"""A8 convolutional networks: correlation against its definition, the output-size formula, the
Toeplitz matrix of a convolution, shift equivariance, gradients of conv and pooling against
central differences, and the parameter count of weight sharing."""

from __future__ import annotations

import numpy as np

from aimath.autodiff import Tensor
from aimath.nn.conv import Conv2d, conv2d, conv2d_output_size
from aimath.nn.layers import Linear
from aimath.nn.pool import avg_pool2d, max_pool2d
from aimath.theorems import Evidence, theorem


def _reference_correlation(x, W, b, stride, padding):
    """The definition, entry by entry over output positions (slow, obviously right)."""
    n, c, h, w = x.shape
    o, _, kh, kw = W.shape
    xp = np.zeros((n, c, h + 2 * padding, w + 2 * padding))
    xp[:, :, padding:padding + h, padding:padding + w] = x
    oh = (h + 2 * padding - kh) // stride + 1
    ow = (w + 2 * padding - kw) // stride + 1
    out = np.empty((n, o, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]  # (n, c, kh, kw)
            out[:, :, i, j] = np.tensordot(patch, W, axes=([1, 2, 3], [1, 2, 3])) + b
    return out


@theorem("A8.conv-equals-correlation",
         "conv2d (im2col) equals the cross-correlation y = b + Σ_{c,p,q} W_{o,c,p,q} x_{c,si+p,sj+q} (1e-12), with "
         "output size ⌊(H + 2p − k)/s⌋ + 1")
def conv_reference(rng):
    errs, sizes, expected = [], [], []
    for _ in range(20):
        n, c, o = (int(v) for v in rng.integers(1, 4, 3))
        k, s = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        p = int(rng.integers(0, k))
        h, w = (int(v) for v in rng.integers(max(k - 2 * p, 1), 12, 2))
        x, W, b = rng.standard_normal((n, c, h, w)), rng.standard_normal((o, c, k, k)), rng.standard_normal(o)
        y = conv2d(x, W, b, s, p)
        ref = _reference_correlation(x, W, b, s, p)
        errs.append(np.abs(y - ref).max() / (np.abs(ref).max() + 1))
        sizes.append(y.shape[2:])
        # count the window positions that fit, by brute force
        fits = [sum(1 for i in range(L + 2 * p) if i % s == 0 and i + k <= L + 2 * p) for L in (h, w)]
        expected.append(tuple(fits))
        assert conv2d_output_size(h, k, s, p) == fits[0]
    return Evidence.all(values=Evidence.bound(max(errs), 1e-12),
                        output_size=Evidence.close(np.array(sizes), np.array(expected), rtol=0))


@theorem("A8.toeplitz", "a convolution is multiplication by a (doubly block) Toeplitz matrix T, T_{(i,j),(i',j')} = "
                        "w_{i'−i, j'−j} (1e-12)")
def toeplitz(rng):
    h, w, k = 9, 8, 3
    K = rng.standard_normal((k, k))
    oh, ow = h - k + 1, w - k + 1
    T = np.zeros((oh * ow, h * w))
    for i in range(oh):
        for j in range(ow):
            for p in range(k):
                T[i * ow + j, (i + p) * w + j:(i + p) * w + j + k] = K[p]
    x = rng.standard_normal((5, 1, h, w))
    y = conv2d(x, K[None, None])
    Ty = (x.reshape(5, -1) @ T.T).reshape(5, 1, oh, ow)
    # Toeplitz structure: entries depend on the offsets only
    diag_const = all(np.allclose(T[r, c], T[r + ow + 1, c + w + 1]) for r in range(oh * ow - ow - 1)
                     for c in range(h * w - w - 1) if (r % ow) < ow - 1 and (c % w) < w - 1)
    return Evidence.all(product=Evidence.close(y, Ty, rtol=0, atol=1e-12),
                        toeplitz=Evidence.close(float(diag_const), 1.0, rtol=0))


@theorem("A8.shift-equivariance", "circular convolution commutes with circular shifts: conv(shift x) = shift conv(x) "
                                  "(1e-12)")
def shift_equivariance(rng):
    errs = []
    for _ in range(10):
        c, o, k = int(rng.integers(1, 4)), int(rng.integers(1, 4)), 2 * int(rng.integers(0, 3)) + 1
        x = rng.standard_normal((2, c, 12, 10))
        conv = Conv2d(c, o, k, padding=k // 2, padding_mode="circular", rng=int(rng.integers(2**31)))
        dy, dx = (int(v) for v in rng.integers(-5, 6, 2))
        a = conv(np.roll(x, (dy, dx), axis=(2, 3))).data
        b = np.roll(conv(x).data, (dy, dx), axis=(2, 3))
        errs.append(np.abs(a - b).max())
    return Evidence.bound(max(errs), 1e-12, note="max |conv(shift x) − shift conv(x)| over 10 random layers")


def _central(f, x, h=1e-6):
    g = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        idx = it.multi_index
        old = x[idx]
        x[idx] = old + h
        up = f(x)
        x[idx] = old - h
        down = f(x)
        x[idx] = old
        g[idx] = (up - down) / (2 * h)
    return g


@theorem("A8.conv-pool-gradients", "gradients of conv2d (input, kernel, bias) and of max/avg pooling match central "
                                   "differences (1e-7)")
def conv_gradients(rng):
    x = rng.standard_normal((2, 2, 6, 5))
    W, b = rng.standard_normal((3, 2, 3, 2)), rng.standard_normal(3)
    G = rng.standard_normal(conv2d(x, W, b, 2, 1).shape)
    X, WT, BT = Tensor(x, requires_grad=True), Tensor(W, requires_grad=True), Tensor(b, requires_grad=True)
    conv2d(X, WT, BT, 2, 1).backward(G)
    errs = {
        "conv dx": np.abs(X.grad - _central(lambda v: float(np.sum(conv2d(v, W, b, 2, 1) * G)), x.copy())).max(),
        "conv dW": np.abs(WT.grad - _central(lambda v: float(np.sum(conv2d(x, v, b, 2, 1) * G)), W.copy())).max(),
        "conv db": np.abs(BT.grad - _central(lambda v: float(np.sum(conv2d(x, W, v, 2, 1) * G)), b.copy())).max(),
    }
    xs = rng.permutation(144).reshape(2, 2, 6, 6) / 7.0  # distinct values: max-pool is differentiable there
    for name, pool in (("max pool", max_pool2d), ("avg pool", avg_pool2d)):
        Gp = rng.standard_normal(pool(xs, 3, 2, 1).shape)
        XS = Tensor(xs, requires_grad=True)
        pool(XS, 3, 2, 1).backward(Gp)
        errs[name] = np.abs(XS.grad - _central(lambda v, pool=pool, Gp=Gp: float(np.sum(pool(v, 3, 2, 1) * Gp)),
                                               xs.copy())).max()
    return Evidence.bound(np.array(list(errs.values())), 1e-7,
                          note=", ".join(f"{k}: {v:.1e}" for k, v in errs.items()))


@theorem("A8.weight-sharing", "a conv layer has O·C·k² + O parameters whatever the image size; the dense layer with "
                              "the same input and output sizes has (CHW + 1)·O·H′W′")
def weight_sharing(rng):
    counted, formula, dense, dense_formula = [], [], [], []
    for _ in range(5):
        c, o, k = int(rng.integers(1, 6)), int(rng.integers(1, 9)), int(rng.integers(1, 6))
        h = int(rng.integers(k, 12))
        conv = Conv2d(c, o, k, rng=0)
        counted.append(conv.num_parameters())
        formula.append(o * c * k * k + o)
        oh = h - k + 1
        lin = Linear(c * h * h, o * oh * oh, rng=0)
        dense.append(lin.num_parameters())
        dense_formula.append((c * h * h + 1) * o * oh * oh)
    return Evidence.all(conv=Evidence.close(np.array(counted), np.array(formula), rtol=0),
                        dense=Evidence.close(np.array(dense), np.array(dense_formula), rtol=0))
