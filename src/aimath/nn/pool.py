"""Max and average pooling over k_h × k_w windows, as engine ops with their own pullbacks.

Curriculum: A8.
"""

from __future__ import annotations

from aimath import backend as B
from aimath.autodiff import Tensor
from aimath.autodiff.tensor import _result
from aimath.errors import DomainError, ShapeError
from aimath.nn.conv import _pair, _scatter_windows, conv2d_output_size, pad2d, windows
from aimath.nn.module import Module

__all__ = ["max_pool2d", "avg_pool2d", "MaxPool2d", "AvgPool2d"]


def _setup(x, kernel_size, stride, padding, name):
    xd = x.data if isinstance(x, Tensor) else x
    k = _pair(kernel_size, "kernel_size")
    s = k if stride is None else _pair(stride, "stride")
    p = _pair(padding, "padding")
    shape = tuple(int(v) for v in xd.shape)
    if len(shape) != 4:
        raise ShapeError(f"{name}: expected input of shape (N, C, H, W), got {shape}")
    if shape[0] == 0:
        raise ShapeError(f"{name}: got an empty batch, shape {shape}")
    if min(k) < 1 or min(s) < 1 or min(p) < 0 or p[0] > k[0] // 2 or p[1] > k[1] // 2:
        raise DomainError(f"{name} needs kernel ≥ 1, stride ≥ 1 and 0 ≤ padding ≤ kernel/2, got kernel={k}, "
                          f"stride={s}, padding={p}")
    oh = conv2d_output_size(shape[2], k[0], s[0], p[0])
    ow = conv2d_output_size(shape[3], k[1], s[1], p[1])
    if oh < 1 or ow < 1:
        raise ShapeError(f"{name}: kernel {k} larger than the padded input of shape {shape}")
    return xd, k, s, p, oh, ow


def max_pool2d(x, kernel_size, stride=None, padding=0):
    """Max over each window (stride defaults to the kernel size; padding is −∞).

    .. math:: y_{n,c,i,j} = \\max_{0 \\le p < k_h,\\, 0 \\le q < k_w} \\tilde x_{n,c,\\, s_h i + p,\\, s_w j + q}

    The pullback sends each output's gradient to the (first) arg-max of its window.

    Curriculum: A8.

    Examples
    --------
    >>> import numpy as np
    >>> max_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2)[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    xd, k, s, p, oh, ow = _setup(x, kernel_size, stride, padding, "max_pool2d")
    xp = B.namespace(xd)
    xpad = pad2d(xd, p, value=-float("inf"))

    def offset(a, i, j):  # the (i, j) entry of every window: a strided view of shape (n, c, oh, ow)
        return a[:, :, i:i + s[0] * (oh - 1) + 1:s[0], j:j + s[1] * (ow - 1) + 1:s[1]]

    # running max over the k_h·k_w offsets (no copy of the windows); a strict '>' keeps the first
    # arg-max, as PyTorch does
    out = offset(xpad, 0, 0) * 1
    idx = xp.zeros(tuple(out.shape), dtype=xp.int64, device=B.device(xd)) if isinstance(x, Tensor) else None
    for i in range(k[0]):
        for j in range(k[1]):
            if i == 0 and j == 0:
                continue
            v = offset(xpad, i, j)
            greater = v > out
            out = xp.where(greater, v, out)
            if idx is not None:
                idx = xp.where(greater, i * k[1] + j, idx)
    if not isinstance(x, Tensor):
        return out

    def vjp(g):
        gpad = xp.zeros(tuple(xpad.shape), dtype=xd.dtype, device=B.device(xd))
        zero = xp.zeros((), dtype=g.dtype, device=B.device(g))
        for i in range(k[0]):
            for j in range(k[1]):
                view = offset(gpad, i, j)
                view += xp.where(idx == i * k[1] + j, g, zero)
        return (gpad[:, :, p[0]:p[0] + xd.shape[2], p[1]:p[1] + xd.shape[3]],)

    return _result(out, (x,), vjp, "max_pool2d")


def avg_pool2d(x, kernel_size, stride=None, padding=0):
    """Mean over each window (zero padding counted, PyTorch's ``count_include_pad=True``).

    .. math:: y_{n,c,i,j} = \\frac{1}{k_h k_w} \\sum_{p, q} \\tilde x_{n,c,\\, s_h i + p,\\, s_w j + q}

    Curriculum: A8.
    """
    xd, k, s, p, oh, ow = _setup(x, kernel_size, stride, padding, "avg_pool2d")
    xp = B.namespace(xd)
    xpad = pad2d(xd, p)
    win = windows(xpad, k, s)[:, :, :oh, :ow]
    out = xp.mean(win, axis=(-2, -1))
    if not isinstance(x, Tensor):
        return out

    def vjp(g):
        gwin = xp.broadcast_to(g[..., None, None] / (k[0] * k[1]), tuple(win.shape))
        gpad = _scatter_windows(gwin, tuple(xpad.shape), k, s, xp, xd.dtype, B.device(xd))
        return (gpad[:, :, p[0]:p[0] + xd.shape[2], p[1]:p[1] + xd.shape[3]],)

    return _result(out, (x,), vjp, "avg_pool2d")


class _Pool(Module):
    def __init__(self, kernel_size, stride=None, padding=0):
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride or self.kernel_size}, padding={self.padding}"


class MaxPool2d(_Pool):
    """Max pooling layer (see :func:`max_pool2d`); no parameters.

    Curriculum: A8.
    """

    def forward(self, x):
        return max_pool2d(x, self.kernel_size, self.stride, self.padding)


class AvgPool2d(_Pool):
    """Average pooling layer (see :func:`avg_pool2d`); no parameters.

    Curriculum: A8.
    """

    def forward(self, x):
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding)
