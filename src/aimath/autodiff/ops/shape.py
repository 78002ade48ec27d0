"""Shape operations: reshape, transpose, broadcasting, indexing, concatenation and stacking.

These ops move entries without changing them, so each pullback moves the cotangent back: reshape
it, apply the inverse permutation, sum over broadcast axes, scatter-add it into the indexed
positions (repeated indices add up), or split it along the joined axis.

Curriculum: B11, A7.
"""

from __future__ import annotations

from aimath.autodiff._arrays import ns_of, ns_of2
from aimath.autodiff.tensor import Tensor, _result, as_tensor, unbroadcast
from aimath.errors import ShapeError

__all__ = ["reshape", "transpose", "permute", "broadcast_to", "expand_dims", "squeeze", "flatten",
           "getitem", "concatenate", "stack"]


def reshape(x, *shape) -> Tensor:
    """The entries of ``x`` in a new shape (one entry may be -1).

    Raises
    ------
    ShapeError
        The sizes differ (the message names both shapes).

    Curriculum: B11.
    """
    x = as_tensor(x)
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        shape = tuple(shape[0])
    d = x.data
    old = tuple(d.shape)
    try:
        out = d.reshape(tuple(int(s) for s in shape))
    except (ValueError, RuntimeError) as exc:
        raise ShapeError(f"cannot reshape a tensor of shape {old} into shape {tuple(shape)}") from exc
    return _result(out, (x,), lambda g: (g.reshape(old),), "reshape")


def flatten(x) -> Tensor:
    """The entries of ``x`` as a 1-D tensor.

    Curriculum: B11.
    """
    return reshape(x, -1)


def transpose(x, axes=None) -> Tensor:
    """Permute the axes (reverse them when ``axes`` is None), as ``numpy.transpose``.

    Raises
    ------
    ShapeError
        ``axes`` is not a permutation of the axes.

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    nd = d.ndim
    axes = tuple(range(nd - 1, -1, -1)) if axes is None else tuple(int(a) % max(nd, 1) for a in axes)
    if sorted(axes) != list(range(nd)):
        raise ShapeError(f"axes must be a permutation of range({nd}), got {axes} for shape {tuple(d.shape)}")
    inv = tuple(sorted(range(nd), key=axes.__getitem__))
    ns = ns_of(d)
    return _result(ns.transpose(d, axes), (x,), lambda g: (ns_of(g).transpose(g, inv),), "transpose")


def permute(x, *axes) -> Tensor:
    """PyTorch's name for :func:`transpose` with explicit axes.

    Curriculum: B11.
    """
    if len(axes) == 1 and isinstance(axes[0], tuple | list):
        axes = tuple(axes[0])
    return transpose(x, axes)


def _mT(x) -> Tensor:
    d = x.data
    if d.ndim < 2:
        raise ShapeError(f"mT needs at least 2 dimensions, got shape {tuple(d.shape)}")
    return _result(d.mT, (x,), lambda g: (g.mT,), "mT")


def broadcast_to(x, shape) -> Tensor:
    """``x`` broadcast to ``shape``; the pullback sums over the broadcast axes.

    Raises
    ------
    ShapeError
        The shapes are not compatible.

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    old = tuple(d.shape)
    shape = tuple(int(s) for s in shape)
    try:
        out = ns_of(d).broadcast_to(d, shape)
    except (ValueError, RuntimeError) as exc:
        raise ShapeError(f"cannot broadcast a tensor of shape {old} to shape {shape}") from exc
    return _result(out, (x,), lambda g: (unbroadcast(g, old),), "broadcast_to")


def expand_dims(x, axis: int) -> Tensor:
    """Insert a length-1 axis at ``axis``.

    Curriculum: B11.
    """
    x = as_tensor(x)
    shape = list(x.shape)
    nd = len(shape) + 1
    if not -nd <= axis < nd:
        raise ShapeError(f"axis {axis} is out of range for expand_dims of shape {tuple(shape)}")
    shape.insert(axis % nd, 1)
    return reshape(x, tuple(shape))


def squeeze(x, axis=None) -> Tensor:
    """Remove length-1 axes (all of them, or those in ``axis``).

    Curriculum: B11.
    """
    x = as_tensor(x)
    shape = x.shape
    if axis is None:
        keep = [s for s in shape if s != 1]
    else:
        axes = {a % len(shape) for a in ((axis,) if isinstance(axis, int) else axis)}
        bad = [a for a in axes if shape[a] != 1]
        if bad:
            raise ShapeError(f"cannot squeeze axis {bad[0]} of size {shape[bad[0]]} (shape {shape})")
        keep = [s for i, s in enumerate(shape) if i not in axes]
    return reshape(x, tuple(keep))


def _plain_index(idx):
    if isinstance(idx, Tensor):
        return idx.data
    if isinstance(idx, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in idx)
    return idx


def getitem(x, idx) -> Tensor:
    """``x[idx]`` with NumPy indexing (ints, slices, None, Ellipsis, integer or boolean arrays).

    The pullback scatters the cotangent into a zero array of ``x``'s shape; entries selected
    more than once receive the sum of their cotangents.

    Raises
    ------
    ShapeError
        The index does not fit the shape.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import Tensor
    >>> x = Tensor(np.zeros(3), requires_grad=True)
    >>> x[np.array([0, 0, 2])].sum().backward()
    >>> x.grad
    array([2., 0., 1.])

    Curriculum: B11.
    """
    x = as_tensor(x)
    idx = _plain_index(idx)
    d = x.data
    try:
        out = d[idx]
    except IndexError as exc:
        raise ShapeError(f"index {idx!r} is invalid for a tensor of shape {tuple(d.shape)}: {exc}") from exc
    shape = tuple(d.shape)
    return _result(out, (x,), lambda g: (ns_of(g).scatter_add(shape, idx, g, d),), "getitem")


def _check_join(datas, axis, name, new_axis):
    shapes = [tuple(v.shape) for v in datas]
    if not shapes:
        raise ShapeError(f"{name} needs at least one tensor")
    nd = len(shapes[0]) + (1 if new_axis else 0)
    if not -nd <= axis < max(nd, 1):
        raise ShapeError(f"{name}: axis {axis} is out of range for {nd}-dimensional result")
    ax = axis % nd
    for s in shapes[1:]:
        if new_axis:
            ok = s == shapes[0]
        else:
            ok = len(s) == len(shapes[0]) and all(
                a == b for i, (a, b) in enumerate(zip(s, shapes[0], strict=True)) if i != ax)
        if not ok:
            raise ShapeError(f"{name} along axis {axis}: shapes differ, got {shapes[0]} and {s}")
    return ax, shapes


def concatenate(tensors, axis: int = 0) -> Tensor:
    """Join tensors along an existing axis; the pullback splits the cotangent back into pieces.

    Raises
    ------
    ShapeError
        Shapes differ off the joined axis, or ``axis`` out of range.

    Curriculum: B11.
    """
    ts = [as_tensor(t) for t in tensors]
    datas = [t.data for t in ts]
    ax, shapes = _check_join(datas, axis, "concatenate", False)
    ns = ns_of(datas[0])
    for v in datas[1:]:
        ns = ns_of2(v, datas[0]) if ns_of(v) is not ns else ns
    out = ns.concatenate(datas, axis=ax)
    bounds = []
    start = 0
    for s in shapes:
        bounds.append((start, start + s[ax]))
        start += s[ax]

    def vjp(g):
        pre = (slice(None),) * ax
        return tuple(g[pre + (slice(a, b),)] if t.requires_grad else None
                     for t, (a, b) in zip(ts, bounds, strict=True))

    return _result(out, tuple(ts), vjp, "concatenate")


def stack(tensors, axis: int = 0) -> Tensor:
    """Join same-shape tensors along a new axis; the pullback takes the slices back out.

    Raises
    ------
    ShapeError
        Shapes differ, or ``axis`` out of range.

    Curriculum: B11.
    """
    ts = [as_tensor(t) for t in tensors]
    datas = [t.data for t in ts]
    ax, _ = _check_join(datas, axis, "stack", True)
    ns = ns_of(datas[0])
    for v in datas[1:]:
        ns = ns_of2(v, datas[0]) if ns_of(v) is not ns else ns
    out = ns.stack(datas, axis=ax)

    def vjp(g):
        pre = (slice(None),) * ax
        return tuple(g[pre + (i,)] if t.requires_grad else None for i, t in enumerate(ts))

    return _result(out, tuple(ts), vjp, "stack")


def _reshape_method(self, *shape):
    return reshape(self, *shape)


def _transpose_method(self, *axes):
    if len(axes) == 1 and isinstance(axes[0], tuple | list):
        axes = tuple(axes[0])
    return transpose(self, axes if axes else None)


Tensor.reshape = _reshape_method
Tensor.transpose = _transpose_method
Tensor.permute = permute
Tensor.flatten = flatten
Tensor.squeeze = squeeze
Tensor.expand_dims = expand_dims
Tensor.unsqueeze = expand_dims
Tensor.broadcast_to = broadcast_to


def _expand_method(self, *shape):
    return broadcast_to(self, shape[0] if len(shape) == 1 and isinstance(shape[0], tuple | list) else shape)


Tensor.expand = _expand_method
Tensor.__getitem__ = getitem
Tensor.T = property(lambda self: transpose(self))
Tensor.mT = property(_mT)
