"""The array primitives the engine is written against, one namespace per array library.

Every op of :mod:`aimath.autodiff` computes its value and its backward rule with the functions of
``ns_of(x)``: NumPy for NumPy arrays, torch for torch tensors, and :class:`~aimath.autodiff.dual.Dual`
numbers for forward mode. The namespaces share NumPy's signatures (``sum(x, axis, keepdims)``), so
one rule serves all three; lookup is a dict access by type, which keeps the per-op overhead small.
Arithmetic operators (``+ - * / ** @``) are used on the arrays directly.
"""

from __future__ import annotations

import numpy as np

__all__ = ["NumpyOps", "TorchOps", "ns_of", "ns_of2", "register", "is_basic_index"]


def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(a % ndim if ndim else 0 for a in axis)


def is_basic_index(idx) -> bool:
    """True for an index made only of ints, slices, None and Ellipsis (no repeated positions)."""
    if not isinstance(idx, tuple):
        idx = (idx,)
    return all(i is None or i is Ellipsis or isinstance(i, int | slice) for i in idx)


def _flat_index(shape, idx, arange):
    """Flat positions of ``arange(prod(shape)).reshape(shape)[idx]`` (any index: basic or advanced)."""
    return arange.reshape(shape)[idx].reshape(-1)


class NumpyOps:
    """NumPy primitives (used as a namespace, never instantiated)."""

    name = "numpy"
    exp = np.exp
    log = np.log
    log1p = np.log1p
    expm1 = np.expm1
    sqrt = np.sqrt
    sin = np.sin
    cos = np.cos
    tanh = np.tanh
    abs = np.abs
    sign = np.sign
    maximum = np.maximum
    minimum = np.minimum
    where = np.where
    clip = np.clip
    reshape = np.reshape
    transpose = np.transpose
    broadcast_to = np.broadcast_to
    concatenate = np.concatenate
    stack = np.stack
    einsum = staticmethod(lambda s, *ops: np.einsum(s, *ops, optimize=len(ops) > 2))
    zeros_like = np.zeros_like
    ones_like = np.ones_like
    isfinite = np.isfinite

    @staticmethod
    def sum(x, axis=None, keepdims=False):
        return np.asarray(np.sum(x, axis=axis, keepdims=keepdims))

    @staticmethod
    def max(x, axis=None, keepdims=False):
        return np.asarray(np.max(x, axis=axis, keepdims=keepdims))

    @staticmethod
    def min(x, axis=None, keepdims=False):
        return np.asarray(np.min(x, axis=axis, keepdims=keepdims))

    @staticmethod
    def asarray(x, like):
        return np.asarray(x, dtype=like.dtype)

    @staticmethod
    def scatter_add(shape, idx, g, like):
        """An array of ``shape`` (dtype of ``like``) that is zero except ``out[idx] += g`` (repeats add up)."""
        if is_basic_index(idx):
            out = np.zeros(shape, dtype=like.dtype)
            out[idx] = g
            return out
        size = int(np.prod(shape))
        flat = _flat_index(shape, idx, np.arange(size))
        out = np.bincount(flat, weights=np.ravel(g), minlength=size)
        return out.astype(like.dtype, copy=False).reshape(shape)


class TorchOps:
    """torch primitives with NumPy's signatures (used as a namespace, never instantiated)."""

    name = "torch"

    @staticmethod
    def _t():
        import torch

        return torch

    @classmethod
    def setup(cls):
        torch = cls._t()
        for n in ("exp", "log", "log1p", "expm1", "sqrt", "sin", "cos", "tanh", "abs", "sign", "einsum",
                  "zeros_like", "ones_like", "isfinite", "broadcast_to"):
            setattr(cls, n, staticmethod(getattr(torch, n)))
        cls.torch = torch

    @staticmethod
    def maximum(a, b):
        torch = TorchOps.torch
        return torch.maximum(a, b if isinstance(b, torch.Tensor) else torch.as_tensor(b, dtype=a.dtype))

    @staticmethod
    def minimum(a, b):
        torch = TorchOps.torch
        return torch.minimum(a, b if isinstance(b, torch.Tensor) else torch.as_tensor(b, dtype=a.dtype))

    @staticmethod
    def where(c, a, b):
        torch = TorchOps.torch
        if not isinstance(c, torch.Tensor):
            c = torch.as_tensor(c)
        return torch.where(c, a, b)

    @staticmethod
    def clip(x, lo, hi):
        return TorchOps.torch.clamp(x, lo, hi)

    # torch reads dim=() as "every axis"; NumPy's axis=() reduces nothing, which is what we mean
    @staticmethod
    def sum(x, axis=None, keepdims=False):
        if axis is None and not keepdims:
            return x.sum()
        dims = _axes(axis, x.ndim)
        return x.sum(dim=dims, keepdim=keepdims) if dims else x

    @staticmethod
    def max(x, axis=None, keepdims=False):
        dims = _axes(axis, x.ndim)
        return TorchOps.torch.amax(x, dim=dims, keepdim=keepdims) if dims else x

    @staticmethod
    def min(x, axis=None, keepdims=False):
        dims = _axes(axis, x.ndim)
        return TorchOps.torch.amin(x, dim=dims, keepdim=keepdims) if dims else x

    @staticmethod
    def reshape(x, shape):
        return x.reshape(shape)

    @staticmethod
    def transpose(x, axes=None):
        return x.permute(tuple(axes) if axes is not None else tuple(range(x.ndim - 1, -1, -1)))

    @staticmethod
    def concatenate(xs, axis=0):
        return TorchOps.torch.cat(list(xs), dim=axis)

    @staticmethod
    def stack(xs, axis=0):
        return TorchOps.torch.stack(list(xs), dim=axis)

    @staticmethod
    def asarray(x, like):
        return TorchOps.torch.as_tensor(x, dtype=like.dtype, device=like.device)

    @staticmethod
    def scatter_add(shape, idx, g, like):
        torch = TorchOps.torch
        if is_basic_index(idx):
            out = torch.zeros(tuple(shape), dtype=like.dtype, device=like.device)
            out[idx] = g
            return out
        size = 1
        for s in shape:
            size *= int(s)
        flat = _flat_index(tuple(shape), idx, torch.arange(size, device=like.device))
        g = torch.broadcast_to(g, flat.shape) if g.ndim == 0 else g
        out = torch.zeros(size, dtype=like.dtype, device=like.device)
        out.index_add_(0, flat, g.reshape(-1).to(like.dtype))
        return out.reshape(tuple(shape))


_TABLE: dict[type, type] = {np.ndarray: NumpyOps}
_PRIORITY = {NumpyOps: 0, TorchOps: 1}


def register(kind: type, ops, priority: int) -> None:
    """Make ``ns_of`` return ``ops`` for arrays of type ``kind`` (used by the Dual numbers)."""
    _TABLE[kind] = ops
    _PRIORITY[ops] = priority


def _lookup(x):
    t = type(x)
    if isinstance(x, np.ndarray | np.generic):
        ops = NumpyOps
    elif t.__module__.split(".")[0] == "torch":
        if not hasattr(TorchOps, "torch"):
            TorchOps.setup()
        ops = TorchOps
    else:
        for k, v in _TABLE.items():
            if isinstance(x, k):
                ops = v
                break
        else:
            return NumpyOps
    _TABLE[t] = ops
    return ops


def ns_of(x):
    """The primitive namespace for array ``x`` (NumPy for Python scalars)."""
    try:
        return _TABLE[type(x)]
    except KeyError:
        return _lookup(x)


def ns_of2(a, b):
    """The namespace for an operation mixing ``a`` and ``b``: Dual over torch over NumPy."""
    na, nb = ns_of(a), ns_of(b)
    if na is nb:
        return na
    return na if _PRIORITY.get(na, 0) >= _PRIORITY.get(nb, 0) else nb
