"""2-D cross-correlation (a convolutional layer) as one engine op with its own pullback.

The forward pass is im2col: a strided *view* of the (padded) input holds every k_h × k_w window,
its copy as a matrix of patches is multiplied by the flattened kernels, so no Python loop runs
over pixels or samples. The pullback scatters the patch gradients back with one strided add per
kernel offset (k_h·k_w of them).

Curriculum: A8.
"""

from __future__ import annotations

import math

import numpy as np

from aimath import backend as B
from aimath.autodiff import Tensor
from aimath.autodiff.tensor import _result
from aimath.errors import AimathError, DomainError, ShapeError, check_finite
from aimath.nn.init import INITIALIZERS
from aimath.nn.module import Module, Parameter

__all__ = ["conv2d", "conv2d_output_size", "Conv2d", "pad2d", "windows"]


def _pair(v, name):
    t = (v, v) if isinstance(v, int | np.integer) else tuple(v)
    if len(t) != 2 or any(int(a) != a for a in t):
        raise DomainError(f"{name} must be an int or a pair of ints, got {v!r}")
    return int(t[0]), int(t[1])


def conv2d_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Output length of a correlation along one axis.

    .. math:: \\text{out} = \\left\\lfloor \\frac{\\text{size} + 2\\,\\text{padding}
              - \\text{dilation}(\\text{kernel} - 1) - 1}{\\text{stride}} \\right\\rfloor + 1

    Examples
    --------
    >>> conv2d_output_size(28, 5), conv2d_output_size(28, 3, stride=2, padding=1)
    (24, 14)
    """
    return (size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1


def pad2d(x, padding, mode: str = "zeros", value: float = 0.0):
    """Pad the last two axes of an array by (p_h, p_w) on each side: zeros/constant or circular."""
    ph, pw = padding
    if ph == 0 and pw == 0:
        return x
    xp = B.namespace(x)
    n, c, h, w = x.shape
    if mode == "circular":
        if ph > h or pw > w:
            raise DomainError(f"circular padding {padding} larger than the input {h}×{w}")
        rows = xp.concat([x[:, :, h - ph:, :], x, x[:, :, :ph, :]], axis=2) if ph else x
        return xp.concat([rows[:, :, :, w - pw:], rows, rows[:, :, :, :pw]], axis=3) if pw else rows
    out = xp.full((n, c, h + 2 * ph, w + 2 * pw), value, dtype=x.dtype, device=B.device(x))
    out[:, :, ph:ph + h, pw:pw + w] = x
    return out


def _unpad_circular_grad(gp, padding, shape):
    """Pullback of circular padding: fold the wrapped borders back onto the input."""
    ph, pw = padding
    h, w = shape[2], shape[3]
    g = gp[:, :, :, pw:pw + w] * 1
    if pw:
        g[:, :, :, w - pw:] += gp[:, :, :, :pw]
        g[:, :, :, :pw] += gp[:, :, :, pw + w:]
    out = g[:, :, ph:ph + h, :] * 1
    if ph:
        out[:, :, h - ph:, :] += g[:, :, :ph, :]
        out[:, :, :ph, :] += g[:, :, ph + h:, :]
    return out


def windows(x, kernel, stride):
    """Strided view of every window: (n, c, H, W) → (n, c, out_h, out_w, k_h, k_w), no copy."""
    kh, kw = kernel
    sh, sw = stride
    if B.is_torch(x):
        return x.unfold(2, kh, sh).unfold(3, kw, sw)
    v = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(2, 3))
    return v[:, :, ::sh, ::sw]


def _scatter_windows(gwin, shape, kernel, stride, xp, dtype, dev):
    """Adjoint of :func:`windows`: add each window's gradient back into an array of ``shape``."""
    kh, kw = kernel
    sh, sw = stride
    oh, ow = gwin.shape[2], gwin.shape[3]
    out = xp.zeros(shape, dtype=dtype, device=dev)
    for p in range(kh):  # one strided add per kernel offset, not per pixel
        for q in range(kw):
            out[:, :, p:p + sh * (oh - 1) + 1:sh, q:q + sw * (ow - 1) + 1:sw] += gwin[:, :, :, :, p, q]
    return out


def _check_conv_input(x, weight, name):
    s = tuple(int(v) for v in x.shape)
    if len(s) != 4:
        raise ShapeError(f"{name}: expected input of shape (N, C, H, W), got {s}")
    if s[1] != weight.shape[1]:
        raise ShapeError(f"{name}: expected {weight.shape[1]} input channels, got input of shape {s}")
    if s[0] == 0:
        raise ShapeError(f"{name}: got an empty batch, shape {s}")


def conv2d(x, weight, bias=None, stride=1, padding=0, padding_mode: str = "zeros"):
    """2-D cross-correlation of a batch of images with a bank of kernels (PyTorch's ``conv2d``).

    .. math:: y_{n,o,i,j} = b_o + \\sum_{c=0}^{C-1} \\sum_{p=0}^{k_h-1} \\sum_{q=0}^{k_w-1}
              W_{o,c,p,q}\\, \\tilde x_{n,c,\\, s_h i + p,\\, s_w j + q}

    where x̃ is x padded by (p_h, p_w) (zeros or circular wrap). Output spatial size:
    ⌊(H + 2p_h − k_h)/s_h⌋ + 1 by ⌊(W + 2p_w − k_w)/s_w⌋ + 1 (:func:`conv2d_output_size`).

    Parameters
    ----------
    x : Tensor or array of shape (N, C, H, W)
    weight : Tensor or array of shape (O, C, k_h, k_w)
    bias : Tensor or array of shape (O,) or None
    stride, padding : int or (int, int)
    padding_mode : {'zeros', 'circular'}

    Returns
    -------
    Tensor (or array if no input is a Tensor) of shape (N, O, out_h, out_w).

    Raises
    ------
    ShapeError
        Wrong ranks, channel mismatch, empty batch, or a kernel larger than the padded input.
    DomainError
        Bad stride/padding, NaN input.

    Curriculum: A8.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> conv2d(x, np.ones((1, 1, 2, 2)), stride=2)[0, 0]
    array([[10., 18.],
           [42., 50.]])
    """
    xd = x.data if isinstance(x, Tensor) else x
    Wd = weight.data if isinstance(weight, Tensor) else weight
    bd = bias.data if isinstance(bias, Tensor) else bias
    stride, padding = _pair(stride, "stride"), _pair(padding, "padding")
    if min(stride) < 1 or min(padding) < 0:
        raise DomainError(f"conv2d needs stride ≥ 1 and padding ≥ 0, got stride={stride}, padding={padding}")
    if padding_mode not in ("zeros", "circular"):
        raise DomainError(f"padding_mode must be 'zeros' or 'circular', got {padding_mode!r}")
    if len(Wd.shape) != 4:
        raise ShapeError(f"conv2d: weight must have shape (O, C, kh, kw), got {tuple(Wd.shape)}")
    _check_conv_input(xd, Wd, "conv2d")
    n, c, h, w = (int(v) for v in xd.shape)
    o, _, kh, kw = (int(v) for v in Wd.shape)
    oh = conv2d_output_size(h, kh, stride[0], padding[0])
    ow = conv2d_output_size(w, kw, stride[1], padding[1])
    if oh < 1 or ow < 1:
        raise ShapeError(f"conv2d: kernel {kh}×{kw} larger than the padded input {h + 2 * padding[0]}×"
                         f"{w + 2 * padding[1]}")
    xp = B.namespace(xd)
    xpad = pad2d(xd, padding, padding_mode)
    win = windows(xpad, (kh, kw), stride)[:, :, :oh, :ow]  # (n, c, oh, ow, kh, kw), a view
    L, K = oh * ow, c * kh * kw
    # im2col, one copy: column (i, a, b) of cols holds the patch of sample i at output pixel (a, b),
    # so the whole batch is one matrix product with the flattened kernels
    cols = xp.reshape(xp.permute_dims(win, (1, 4, 5, 0, 2, 3)), (K, n * L))
    Wm = xp.reshape(Wd, (o, K))
    out = Wm @ cols  # (o, n·oh·ow)
    if bd is not None:
        out = out + xp.reshape(bd, (o, 1))
    out = xp.permute_dims(xp.reshape(out, (o, n, oh, ow)), (1, 0, 2, 3))
    parents = tuple(t for t in (x, weight, bias) if isinstance(t, Tensor))
    if not parents:
        return out

    def vjp(g):
        gm = xp.reshape(xp.permute_dims(g, (1, 0, 2, 3)), (o, n * L))
        res = []
        if isinstance(x, Tensor):
            if x.requires_grad:
                gcols = xp.reshape(Wm.T @ gm, (c, kh, kw, n, oh, ow))  # col2im: Wᵀ ḡ, then scatter-add
                gwin = xp.permute_dims(gcols, (3, 0, 4, 5, 1, 2))
                gpad = _scatter_windows(gwin, tuple(xpad.shape), (kh, kw), stride, xp, xd.dtype, B.device(xd))
                ph, pw = padding
                if padding_mode == "circular":
                    res.append(_unpad_circular_grad(gpad, padding, (n, c, h, w)))
                else:
                    res.append(gpad[:, :, ph:ph + h, pw:pw + w])
            else:
                res.append(None)
        if isinstance(weight, Tensor):
            res.append(xp.reshape(gm @ cols.T, tuple(Wd.shape)) if weight.requires_grad else None)
        if isinstance(bias, Tensor):
            res.append(xp.sum(gm, axis=1) if bias.requires_grad else None)
        return tuple(res)

    return _result(out, parents, vjp, "conv2d")


class Conv2d(Module):
    """Convolutional layer (cross-correlation) with PyTorch's names: ``weight`` (out_ch, in_ch, k_h, k_w),
    ``bias`` (out_ch,).

    Output size per axis: ⌊(size + 2·padding − kernel)/stride⌋ + 1. Parameters:
    out_ch·in_ch·k_h·k_w + out_ch, independent of the image size (weight sharing).

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size, stride, padding : int or (int, int)
    bias : bool
    padding_mode : {'zeros', 'circular'}
    init : str
        As :class:`~aimath.nn.Linear` (default ``"torch"``).
    rng, dtype

    Raises
    ------
    ShapeError
        Wrong input rank or channel count; the message names the layer and both shapes.

    Curriculum: A8.

    Examples
    --------
    >>> import numpy as np
    >>> conv = Conv2d(1, 6, 5, rng=0)
    >>> conv(np.zeros((2, 1, 28, 28))).shape
    (2, 6, 24, 24)
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0, bias: bool = True, *,
                 padding_mode: str = "zeros", init: str = "torch", rng=None, dtype=np.float64):
        super().__init__()
        if init not in INITIALIZERS:
            raise AimathError(f"init must be one of {sorted(INITIALIZERS)}, got {init!r}")
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride, self.padding = _pair(stride, "stride"), _pair(padding, "padding")
        self.padding_mode = padding_mode
        g = B.as_generator(rng)
        shape = (self.out_channels, self.in_channels) + self.kernel_size
        self.weight = Parameter(INITIALIZERS[init](shape, rng=g, dtype=dtype))
        if bias:
            a = 1.0 / math.sqrt(self.in_channels * self.kernel_size[0] * self.kernel_size[1])
            b = B.uniform(g, (self.out_channels,), low=-a, high=a, dtype=dtype) if init == "torch" else np.zeros(
                self.out_channels, dtype=dtype)
            self.bias = Parameter(b)
        else:
            self.bias = None

    def extra_repr(self) -> str:
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding}")

    def forward(self, x):
        d = x.data if isinstance(x, Tensor) else x
        s = tuple(int(v) for v in d.shape)
        if len(s) != 4 or s[1] != self.in_channels:
            raise ShapeError(f"Conv2d({self.extra_repr()}): expected input of shape (N, {self.in_channels}, H, W), "
                             f"got {s}")
        check_finite(d, f"Conv2d({self.extra_repr()}) input")
        return conv2d(x, self.weight, self.bias, self.stride, self.padding, self.padding_mode)
