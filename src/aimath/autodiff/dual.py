"""Dual numbers for forward-mode differentiation.

A dual number carries a value and a batch of directional derivatives,

.. math::

    x + \\varepsilon\\, \\dot x, \\qquad \\varepsilon^2 = 0, \\qquad
    f(x + \\varepsilon \\dot x) = f(x) + \\varepsilon\\, f'(x)\\,\\dot x ,

so evaluating a function on duals pushes tangents forward (a Jacobian–vector product) in the same
pass as the value. :class:`Dual` stores ``primal`` of shape ``s`` and ``tangent`` of shape
``(k,) + s``: ``k`` directions at once (``k = n`` basis directions give a whole Jacobian).

A Dual behaves like an array: it supports the arithmetic operators and registers the namespace
:class:`DualOps` with the engine, so a :class:`~aimath.autodiff.tensor.Tensor` whose data is a
Dual runs forward mode through every op, and a backward pass run on Dual data differentiates the
gradient itself (forward-over-reverse, used by :func:`~aimath.autodiff.hessian`).

Curriculum: B11.
"""

from __future__ import annotations

from aimath.autodiff._arrays import is_basic_index, ns_of, register

__all__ = ["Dual", "DualOps"]


class Dual:
    """A value with ``k`` tangents: ``primal`` of shape ``s``, ``tangent`` of shape ``(k,) + s``.

    Parameters
    ----------
    primal : array
        The value (NumPy array or torch tensor).
    tangent : array
        The directional derivatives, shape ``(k,) + primal.shape``.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff.dual import Dual
    >>> x = Dual(np.array(2.0), np.array([1.0]))
    >>> y = x * x * x
    >>> float(y.primal), y.tangent
    (8.0, array([12.]))

    Curriculum: B11.
    """

    __slots__ = ("primal", "tangent")
    __array_ufunc__ = None
    __array_priority__ = 2000.0

    def __init__(self, primal, tangent):
        self.primal = primal
        self.tangent = tangent

    @property
    def shape(self):
        return tuple(self.primal.shape)

    @property
    def ndim(self) -> int:
        return self.primal.ndim

    @property
    def dtype(self):
        return self.primal.dtype

    @property
    def device(self):
        return getattr(self.primal, "device", "cpu")

    @property
    def k(self) -> int:
        return int(self.tangent.shape[0])

    @property
    def mT(self):
        return Dual(self.primal.mT, self.tangent.mT)

    @property
    def T(self):
        nd = self.ndim
        return DualOps.transpose(self, tuple(range(nd - 1, -1, -1)))

    def __repr__(self) -> str:
        return f"Dual(primal={self.primal!r}, tangent shape {tuple(self.tangent.shape)})"

    def __float__(self) -> float:
        return float(self.primal)

    def __bool__(self) -> bool:
        return bool(self.primal)

    def __len__(self) -> int:
        return len(self.primal)

    def item(self):
        return self.primal.item()

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], tuple | list):
            shape = tuple(shape[0])
        p = self.primal.reshape(tuple(shape))
        return Dual(p, self.tangent.reshape((self.k,) + tuple(p.shape)))

    def __getitem__(self, idx):
        p = self.primal[idx]
        if is_basic_index(idx):
            t = self.tangent[(slice(None),) + (idx if isinstance(idx, tuple) else (idx,))]
        else:
            flat = ns_of(p).reshape(_arange_like(self.primal), tuple(self.primal.shape))[idx].reshape(-1)
            t = self.tangent.reshape((self.k, -1))[:, flat].reshape((self.k,) + tuple(p.shape))
        return Dual(p, t)

    # arithmetic -------------------------------------------------------------------------
    def __neg__(self):
        return Dual(-self.primal, -self.tangent)

    def __pos__(self):
        return self

    def __add__(self, o):
        p = self.primal + _p(o)
        return Dual(p, _sum_tangents(p, self.tangent, _t(o)))

    __radd__ = __add__

    def __sub__(self, o):
        p = self.primal - _p(o)
        to = _t(o)
        return Dual(p, _sum_tangents(p, self.tangent, None if to is None else -to))

    def __rsub__(self, o):
        p = _p(o) - self.primal
        return Dual(p, _sum_tangents(p, -self.tangent, _t(o)))

    def __mul__(self, o):
        op = _p(o)
        p = self.primal * op
        to = _t(o)
        nd = p.ndim
        a = _lift(self.tangent, nd) * op
        b = None if to is None else _lift(to, nd) * self.primal
        return Dual(p, _sum_tangents(p, a, b))

    __rmul__ = __mul__

    def __truediv__(self, o):
        op = _p(o)
        p = self.primal / op
        to = _t(o)
        nd = p.ndim
        a = _lift(self.tangent, nd) / op
        b = None if to is None else -(_lift(to, nd) * (p / op))
        return Dual(p, _sum_tangents(p, a, b))

    def __rtruediv__(self, o):
        p = _p(o) / self.primal
        nd = p.ndim
        a = -(_lift(self.tangent, nd) * (p / self.primal))
        to = _t(o)
        b = None if to is None else _lift(to, nd) / self.primal
        return Dual(p, _sum_tangents(p, a, b))

    def __pow__(self, o):
        op = _p(o)
        p = self.primal**op
        nd = p.ndim
        a = _lift(self.tangent, nd) * (op * self.primal ** (op - 1))
        to = _t(o)
        b = None
        if to is not None:
            ns = ns_of(self.primal)
            b = _lift(to, nd) * (p * ns.log(ns.where(self.primal > 0, self.primal, 1.0)))
        return Dual(p, _sum_tangents(p, a, b))

    def __rpow__(self, o):
        import math

        p = o**self.primal
        return Dual(p, _lift(self.tangent, p.ndim) * (p * math.log(o)))

    def __matmul__(self, o):
        return _matmul(self, o)

    def __rmatmul__(self, o):
        return _matmul(o, self)

    # comparisons act on the value
    def __lt__(self, o):
        return self.primal < _p(o)

    def __le__(self, o):
        return self.primal <= _p(o)

    def __gt__(self, o):
        return self.primal > _p(o)

    def __ge__(self, o):
        return self.primal >= _p(o)

    def __eq__(self, o):
        return self.primal == _p(o)

    def __ne__(self, o):
        return self.primal != _p(o)

    __hash__ = None


def _p(x):
    return x.primal if isinstance(x, Dual) else x


def _t(x):
    return x.tangent if isinstance(x, Dual) else None


def _arange_like(p):
    ns = ns_of(p)
    size = 1
    for s in p.shape:
        size *= int(s)
    if ns.name == "torch":
        return ns.torch.arange(size, device=p.device)
    import numpy as np

    return np.arange(size)


def _lift(t, nd):
    """Insert length-1 axes after the batch axis so that ``t`` has ``nd + 1`` dimensions."""
    extra = nd + 1 - t.ndim
    if extra <= 0:
        return t
    return t.reshape((t.shape[0],) + (1,) * extra + tuple(t.shape[1:]))


def _fit(t, p):
    """``t`` broadcast to shape ``(k,) + p.shape``."""
    t = _lift(t, p.ndim)
    full = (t.shape[0],) + tuple(p.shape)
    if tuple(t.shape) != full:
        t = ns_of(t).broadcast_to(t, full)
    return t


def _sum_tangents(p, a, b):
    if b is None:
        return _fit(a, p)
    if a is None:
        return _fit(b, p)
    return _fit(_lift(a, p.ndim) + _lift(b, p.ndim), p)


def _matmul(a, b):
    ap, bp = _p(a), _p(b)
    p = ap @ bp
    a1, b1 = ap.ndim == 1, bp.ndim == 1
    A = ap.reshape((1, ap.shape[0])) if a1 else ap
    B = bp.reshape((bp.shape[0], 1)) if b1 else bp
    nd = max(A.ndim, B.ndim)
    t = None
    ta, tb = _t(a), _t(b)
    if ta is not None:
        k = ta.shape[0]
        At = ta.reshape((k, 1, ap.shape[0])) if a1 else ta
        t = _lift(At, nd) @ B
    if tb is not None:
        k = tb.shape[0]
        Bt = tb.reshape((k, bp.shape[0], 1)) if b1 else tb
        u = A @ _lift(Bt, nd)
        t = u if t is None else t + u
    return Dual(p, t.reshape((t.shape[0],) + tuple(p.shape)))


def _tan_axes(axis, nd):
    if axis is None:
        return tuple(range(1, nd + 1))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple((a % nd) + 1 for a in axes) if nd else ()


def _unary(name, deriv):
    def f(x):
        if not isinstance(x, Dual):
            return getattr(ns_of(x), name)(x)
        ns = ns_of(x.primal)
        p = getattr(ns, name)(x.primal)
        return Dual(p, x.tangent * deriv(ns, x.primal, p))

    f.__name__ = name
    return staticmethod(f)


class DualOps:
    """The primitive namespace for :class:`Dual` arrays (NumPy signatures), with tangent rules."""

    name = "dual"
    exp = _unary("exp", lambda ns, x, y: y)
    log = _unary("log", lambda ns, x, y: 1 / x)
    log1p = _unary("log1p", lambda ns, x, y: 1 / (1 + x))
    expm1 = _unary("expm1", lambda ns, x, y: y + 1)
    sqrt = _unary("sqrt", lambda ns, x, y: 1 / (2 * y))
    sin = _unary("sin", lambda ns, x, y: ns.cos(x))
    cos = _unary("cos", lambda ns, x, y: -ns.sin(x))
    tanh = _unary("tanh", lambda ns, x, y: 1 - y * y)
    abs = _unary("abs", lambda ns, x, y: ns.sign(x))

    @staticmethod
    def sign(x):
        return ns_of(_p(x)).sign(_p(x))

    @staticmethod
    def isfinite(x):
        return ns_of(_p(x)).isfinite(_p(x))

    @staticmethod
    def where(c, a, b):
        c = _p(c)
        ns = ns_of(_p(a)) if hasattr(_p(a), "shape") else ns_of(_p(b))
        p = ns.where(c, _p(a), _p(b))
        ta, tb = _t(a), _t(b)
        if ta is None and tb is None:
            return p
        k = (ta if ta is not None else tb).shape[0]
        z = ns.zeros_like(p)
        ta = _fit(ta, p) if ta is not None else None
        tb = _fit(tb, p) if tb is not None else None
        if ta is None:
            ta = ns.broadcast_to(z, (k,) + tuple(p.shape))
        if tb is None:
            tb = ns.broadcast_to(z, (k,) + tuple(p.shape))
        return Dual(p, ns.where(c, ta, tb))

    @staticmethod
    def maximum(a, b):
        return DualOps.where(_p(a) >= _p(b), a, b)

    @staticmethod
    def minimum(a, b):
        return DualOps.where(_p(a) <= _p(b), a, b)

    @staticmethod
    def clip(x, lo, hi):
        ns = ns_of(x.primal)
        p = ns.clip(x.primal, lo, hi)
        inside = True
        if lo is not None:
            inside = x.primal >= lo
        if hi is not None:
            inside = (x.primal <= hi) if lo is None else inside & (x.primal <= hi)
        return Dual(p, x.tangent * inside)

    @staticmethod
    def sum(x, axis=None, keepdims=False):
        if not isinstance(x, Dual):
            return ns_of(x).sum(x, axis=axis, keepdims=keepdims)
        ns = ns_of(x.primal)
        p = ns.sum(x.primal, axis=axis, keepdims=keepdims)
        t = ns.sum(x.tangent, axis=_tan_axes(axis, x.ndim), keepdims=keepdims)
        return Dual(p, t)

    @staticmethod
    def _extreme(x, axis, keepdims, larger):
        ns = ns_of(x.primal)
        red = ns.max if larger else ns.min
        kept = red(x.primal, axis=axis, keepdims=True)
        hit = x.primal == kept
        w = hit / ns.asarray(ns.sum(hit, axis=axis, keepdims=True), x.primal)  # keeps float32
        p = kept if keepdims else red(x.primal, axis=axis, keepdims=False)
        t = ns.sum(x.tangent * w, axis=_tan_axes(axis, x.ndim), keepdims=keepdims)
        return Dual(p, t)

    @staticmethod
    def max(x, axis=None, keepdims=False):
        if not isinstance(x, Dual):
            return ns_of(x).max(x, axis=axis, keepdims=keepdims)
        return DualOps._extreme(x, axis, keepdims, True)

    @staticmethod
    def min(x, axis=None, keepdims=False):
        if not isinstance(x, Dual):
            return ns_of(x).min(x, axis=axis, keepdims=keepdims)
        return DualOps._extreme(x, axis, keepdims, False)

    @staticmethod
    def reshape(x, shape):
        return x.reshape(shape)

    @staticmethod
    def transpose(x, axes=None):
        if not isinstance(x, Dual):
            return ns_of(x).transpose(x, axes)
        nd = x.ndim
        axes = tuple(range(nd - 1, -1, -1)) if axes is None else tuple(axes)
        ns = ns_of(x.primal)
        return Dual(ns.transpose(x.primal, axes), ns.transpose(x.tangent, (0,) + tuple(a + 1 for a in axes)))

    @staticmethod
    def broadcast_to(x, shape):
        if not isinstance(x, Dual):
            return ns_of(x).broadcast_to(x, shape)
        ns = ns_of(x.primal)
        p = ns.broadcast_to(x.primal, tuple(shape))
        return Dual(p, _fit(x.tangent, p))

    @staticmethod
    def _join(xs, axis, stack):
        xs = list(xs)
        duals = [x for x in xs if isinstance(x, Dual)]
        ps = [_p(x) for x in xs]
        ns = ns_of(ps[0])
        p = ns.stack(ps, axis=axis) if stack else ns.concatenate(ps, axis=axis)
        if not duals:
            return p
        k = duals[0].k
        ts = [x.tangent if isinstance(x, Dual) else ns.broadcast_to(ns.zeros_like(x), (k,) + tuple(x.shape))
              for x in xs]
        nd = p.ndim
        ax = (axis % nd) + 1
        t = ns.stack(ts, axis=ax) if stack else ns.concatenate(ts, axis=ax)
        return Dual(p, t)

    @staticmethod
    def concatenate(xs, axis=0):
        return DualOps._join(xs, axis, False)

    @staticmethod
    def stack(xs, axis=0):
        return DualOps._join(xs, axis, True)

    @staticmethod
    def einsum(subscripts, *ops):
        ins, out = subscripts.replace(" ", "").split("->")
        terms = ins.split(",")
        ps = [_p(o) for o in ops]
        ns = ns_of(next(p for p in ps if hasattr(p, "shape")))
        p = ns.einsum(subscripts, *ps)
        free = next(c for c in "ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqponmlkjihgfedcba" if c not in subscripts)
        t = None
        for i, o in enumerate(ops):
            if not isinstance(o, Dual):
                continue
            spec = ",".join(free + s if j == i else s for j, s in enumerate(terms)) + "->" + free + out
            args = [o.tangent if j == i else ps[j] for j in range(len(ops))]
            u = ns.einsum(spec, *args)
            t = u if t is None else t + u
        return p if t is None else Dual(p, t)

    @staticmethod
    def zeros_like(x):
        return ns_of(_p(x)).zeros_like(_p(x))

    @staticmethod
    def ones_like(x):
        return ns_of(_p(x)).ones_like(_p(x))

    @staticmethod
    def asarray(x, like):
        return ns_of(_p(like)).asarray(x, _p(like))

    @staticmethod
    def scatter_add(shape, idx, g, like):
        like = _p(like)
        ns = ns_of(like)
        if not isinstance(g, Dual):
            return ns.scatter_add(shape, idx, g, like)
        p = ns.scatter_add(shape, idx, g.primal, like)
        tidx = (slice(None),) + (idx if isinstance(idx, tuple) else (idx,))
        t = ns.scatter_add((g.k,) + tuple(shape), tidx, g.tangent, like)
        return Dual(p, t)


register(Dual, DualOps, priority=2)
