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
    win = windows(xpad, k, s)[:, :, :oh, :ow]
    n, c = win.shape[0], win.shape[1]
    flat = xp.reshape(win, (n, c, oh, ow, k[0] * k[1]))
    idx = xp.argmax(flat, axis=-1)
    out = xp.max(flat, axis=-1)
    if not isinstance(x, Tensor):
        return out

    def vjp(g):
        onehot = xp.astype(idx[..., None] == xp.arange(k[0] * k[1], device=B.device(xd)), g.dtype)
        gwin = xp.reshape(onehot * g[..., None], (n, c, oh, ow, k[0], k[1]))
        gpad = _scatter_windows(gwin, tuple(xpad.shape), k, s, xp, xd.dtype, B.device(xd))
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
