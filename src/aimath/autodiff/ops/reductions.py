"""Reductions of Tensors (sum, mean, var, max, min) and the log-sum-exp family.

A sum copies its cotangent back to every summed entry; a max sends it to the entries that attain
the max (split evenly between ties). Log-sum-exp, softmax and log-softmax are computed after
subtracting the max, so they never overflow:

.. math::

    \\operatorname{lse}(x) = m + \\log \\sum_i e^{x_i - m},\\qquad
    \\nabla \\operatorname{lse}(x) = \\operatorname{softmax}(x),\\qquad
    J_{\\operatorname{softmax}} = \\operatorname{diag}(s) - s s^{\\top}.

Curriculum: B11, A7.
"""

from __future__ import annotations

import builtins

from aimath.autodiff._arrays import ns_of
from aimath.autodiff.tensor import Tensor, _result, as_tensor
from aimath.errors import ShapeError

__all__ = ["sum", "mean", "var", "max", "min", "logsumexp", "softmax", "log_softmax"]


def _norm_axes(axis, ndim: int, name: str = "axis") -> tuple:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    out = []
    for a in axes:
        if not -builtins.max(ndim, 1) <= a < builtins.max(ndim, 1):
            raise ShapeError(f"{name} {a} is out of range for a tensor with {ndim} dimension(s)")
        out.append(a % ndim if ndim else 0)
    if len(set(out)) != len(out):
        raise ShapeError(f"{name} repeats an axis, got {axis}")
    return tuple(sorted(out)) if ndim else ()


def _kept_shape(shape, axes):
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


def sum(x, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001 - NumPy's name
    """Sum over ``axis`` (int, tuple or None for all).

    .. math:: \\bar x = \\bar y \\text{ broadcast back over the summed axes}

    Raises
    ------
    ShapeError
        ``axis`` out of range or repeated.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import Tensor
    >>> x = Tensor(np.ones((2, 3)), requires_grad=True)
    >>> x.sum(axis=1).sum().backward()
    >>> x.grad
    array([[1., 1., 1.],
           [1., 1., 1.]])

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    shape = tuple(d.shape)
    axes = _norm_axes(axis, len(shape))
    ns = ns_of(d)
    out = ns.sum(d, axis=axes, keepdims=keepdims)
    kshape = _kept_shape(shape, axes)

    def vjp(g):
        return (ns_of(g).broadcast_to(g.reshape(kshape), shape),)

    return _result(out, (x,), vjp, "sum")


def mean(x, axis=None, keepdims: bool = False) -> Tensor:
    """Arithmetic mean over ``axis``.

    Raises
    ------
    ShapeError
        Averaging over an empty axis.

    Curriculum: B11.
    """
    x = as_tensor(x)
    shape = tuple(x.data.shape)
    axes = _norm_axes(axis, len(shape))
    n = 1
    for a in axes:
        n *= shape[a]
    if n == 0:
        raise ShapeError(f"mean over an empty axis of a tensor of shape {shape}")
    return sum(x, axes, keepdims) * (1.0 / n)


def var(x, axis=None, ddof: int = 0, keepdims: bool = False) -> Tensor:
    """Variance :math:`\\frac{1}{n - \\text{ddof}} \\sum (x - \\bar x)^2` over ``axis``.

    Raises
    ------
    ShapeError
        No more than ``ddof`` entries along the axes.

    Curriculum: B11.
    """
    x = as_tensor(x)
    shape = tuple(x.data.shape)
    axes = _norm_axes(axis, len(shape))
    n = 1
    for a in axes:
        n *= shape[a]
    if n - ddof <= 0:
        raise ShapeError(f"var needs more than ddof={ddof} entries along the axis, got {n} (shape {shape})")
    c = x - mean(x, axes, keepdims=True)
    return sum(c * c, axes, keepdims) * (1.0 / (n - ddof))


def _extreme(x, axis, keepdims, larger: bool) -> Tensor:
    x = as_tensor(x)
    d = x.data
    shape = tuple(d.shape)
    if 0 in shape:
        raise ShapeError(f"{'max' if larger else 'min'} of an empty tensor of shape {shape}")
    axes = _norm_axes(axis, len(shape))
    ns = ns_of(d)
    kept = ns.max(d, axis=axes, keepdims=True) if larger else ns.min(d, axis=axes, keepdims=True)
    kshape = _kept_shape(shape, axes)
    out = kept if keepdims else kept.reshape(tuple(s for i, s in enumerate(shape) if i not in axes))

    def vjp(g):
        hit = d == kept
        nsg = ns_of(g)
        count = nsg.asarray(ns.sum(hit, axis=axes, keepdims=True), g)  # in g's dtype: float32 stays float32
        return ((g.reshape(kshape) / count) * hit,)

    return _result(out, (x,), vjp, "max" if larger else "min")


def max(x, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001 - NumPy's name
    """Maximum over ``axis``; the gradient is shared evenly by the entries attaining it.

    Raises
    ------
    ShapeError
        An empty tensor, or ``axis`` out of range.

    Curriculum: B11.
    """
    return _extreme(x, axis, keepdims, True)


def min(x, axis=None, keepdims: bool = False) -> Tensor:  # noqa: A001 - NumPy's name
    """Minimum over ``axis``; the gradient is shared evenly by the entries attaining it.

    Raises
    ------
    ShapeError
        An empty tensor, or ``axis`` out of range.

    Curriculum: B11.
    """
    return _extreme(x, axis, keepdims, False)


def _shift(d, axes, ns):
    """The max over ``axes`` (kept dims), with non-finite maxima replaced by 0."""
    m = ns.max(d, axis=axes, keepdims=True)
    return ns.where(ns.isfinite(m), m, 0 * m)


def logsumexp(x, axis=None, keepdims: bool = False) -> Tensor:
    """:math:`\\log \\sum e^{x}` over ``axis``, stable for large |x|; its gradient is the softmax.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import logsumexp
    >>> float(logsumexp(np.array([1000.0, 1000.0])).data)  # 1000 + log 2, no overflow
    1000.6931471805599

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    shape = tuple(d.shape)
    if 0 in shape:
        raise ShapeError(f"logsumexp of an empty tensor of shape {shape}")
    axes = _norm_axes(axis, len(shape))
    ns = ns_of(d)
    m = _shift(d, axes, ns)
    e = ns.exp(d - m)
    s = ns.sum(e, axis=axes, keepdims=True)
    kept = m + ns.log(s)
    out = kept if keepdims else kept.reshape(tuple(v for i, v in enumerate(shape) if i not in axes))
    kshape = _kept_shape(shape, axes)
    return _result(out, (x,), lambda g: (g.reshape(kshape) * (e / s),), "logsumexp")


def softmax(x, axis: int = -1) -> Tensor:
    """:math:`s_i = e^{x_i} / \\sum_j e^{x_j}` along ``axis``.

    The pullback is :math:`s \\odot (\\bar s - \\langle \\bar s, s\\rangle)`.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import softmax
    >>> softmax(np.array([0.0, np.log(3.0)])).data
    array([0.25, 0.75])

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    axes = _norm_axes(axis, d.ndim)
    ns = ns_of(d)
    e = ns.exp(d - _shift(d, axes, ns))
    s = e / ns.sum(e, axis=axes, keepdims=True)

    def vjp(g):
        gs = g * s
        return (gs - s * ns_of(gs).sum(gs, axis=axes, keepdims=True),)

    return _result(s, (x,), vjp, "softmax")


def log_softmax(x, axis: int = -1) -> Tensor:
    """:math:`x_i - \\operatorname{lse}(x)` along ``axis``; pullback :math:`\\bar y - s \\sum \\bar y`.

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    axes = _norm_axes(axis, d.ndim)
    ns = ns_of(d)
    z = d - _shift(d, axes, ns)
    e = ns.exp(z)
    se = ns.sum(e, axis=axes, keepdims=True)
    out = z - ns.log(se)

    def vjp(g):
        return (g - (e / se) * ns_of(g).sum(g, axis=axes, keepdims=True),)

    return _result(out, (x,), vjp, "log_softmax")


Tensor.sum = sum
Tensor.mean = mean
Tensor.var = var
Tensor.max = max
Tensor.min = min
Tensor.logsumexp = logsumexp
Tensor.softmax = softmax
Tensor.log_softmax = log_softmax
