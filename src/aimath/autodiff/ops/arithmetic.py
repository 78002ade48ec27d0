"""Arithmetic of Tensors: + − * / ** @ and negation, with broadcasting-aware pullbacks.

A binary op on broadcast operands produces an output of the broadcast shape; each pullback first
forms the cotangent of the broadcast operand and then sums it over the axes that broadcasting added
or stretched (:func:`~aimath.autodiff.tensor.unbroadcast`):

.. math::

    y = a \\odot b:\\quad \\bar a = \\operatorname{unbroadcast}(\\bar y \\odot b),
    \\qquad Y = AB:\\quad \\bar A = \\bar Y B^{\\top},\\ \\bar B = A^{\\top}\\bar Y .

Curriculum: B11, A7.
"""

from __future__ import annotations

import math

from aimath.autodiff._arrays import ns_of2
from aimath.autodiff.tensor import Tensor, _result, unbroadcast
from aimath.errors import ShapeError

__all__ = ["add", "sub", "mul", "div", "power", "negative", "matmul"]


def _check_broadcast(a, b, opname):
    sa, sb = tuple(a.shape), tuple(b.shape)
    for x, y in zip(reversed(sa), reversed(sb), strict=False):
        if x != y and x != 1 and y != 1:
            raise ShapeError(f"{opname}: operands could not be broadcast together, got shapes {sa} and {sb}")


def _binary(a, b, opname):
    """Normalise operands: returns (ta, tb, da, db) where ta/tb are Tensor or None for constants."""
    ta = a if isinstance(a, Tensor) else None
    tb = b if isinstance(b, Tensor) else None
    return ta, tb, (a.data if ta is not None else a), (b.data if tb is not None else b)


def add(a, b) -> Tensor:
    r"""Elementwise sum with broadcasting.

    .. math:: y = a + b, \qquad \bar a = \textstyle\sum_{\text{broadcast axes}} \bar y,\quad \bar b = \text{same}

    Raises
    ------
    ShapeError
        The shapes do not broadcast (the message names both).

    Curriculum: B11.
    """
    ta, tb, da, db = _binary(a, b, "add")
    try:
        out = da + db
    except (ValueError, RuntimeError):
        _check_broadcast(da, db, "add")
        raise
    sa = getattr(da, "shape", ())
    sb = getattr(db, "shape", ())
    if tb is None:
        return _result(out, (ta,), lambda g: (unbroadcast(g, sa),), "add")
    if ta is None:
        return _result(out, (tb,), lambda g: (unbroadcast(g, sb),), "add")
    return _result(out, (ta, tb), lambda g: (unbroadcast(g, sa), unbroadcast(g, sb)), "add")


def sub(a, b) -> Tensor:
    r"""Elementwise difference with broadcasting.

    .. math:: y = a - b, \qquad \bar a = \bar y,\quad \bar b = -\bar y \ \text{(summed over broadcast axes)}

    Raises
    ------
    ShapeError
        The shapes do not broadcast (the message names both).

    Curriculum: B11.
    """
    ta, tb, da, db = _binary(a, b, "sub")
    try:
        out = da - db
    except (ValueError, RuntimeError):
        _check_broadcast(da, db, "sub")
        raise
    sa = getattr(da, "shape", ())
    sb = getattr(db, "shape", ())
    if tb is None:
        return _result(out, (ta,), lambda g: (unbroadcast(g, sa),), "sub")
    if ta is None:
        return _result(out, (tb,), lambda g: (unbroadcast(-g, sb),), "sub")
    return _result(out, (ta, tb), lambda g: (unbroadcast(g, sa), unbroadcast(-g, sb)), "sub")


def mul(a, b) -> Tensor:
    r"""Elementwise product with broadcasting.

    .. math:: y = a \odot b, \qquad \bar a = \bar y \odot b,\quad \bar b = \bar y \odot a

    Raises
    ------
    ShapeError
        The shapes do not broadcast (the message names both).

    Curriculum: B11.
    """
    ta, tb, da, db = _binary(a, b, "mul")
    try:
        out = da * db
    except (ValueError, RuntimeError):
        _check_broadcast(da, db, "mul")
        raise
    sa = getattr(da, "shape", ())
    sb = getattr(db, "shape", ())
    if tb is None:
        return _result(out, (ta,), lambda g: (unbroadcast(g * db, sa),), "mul")
    if ta is None:
        return _result(out, (tb,), lambda g: (unbroadcast(g * da, sb),), "mul")

    def vjp(g):
        return (unbroadcast(g * db, sa) if ta.requires_grad else None,
                unbroadcast(g * da, sb) if tb.requires_grad else None)

    return _result(out, (ta, tb), vjp, "mul")


def div(a, b) -> Tensor:
    r"""Elementwise quotient with broadcasting.

    .. math:: y = a / b, \qquad \bar a = \bar y / b,\quad \bar b = -\bar y\, y / b

    Raises
    ------
    ShapeError
        The shapes do not broadcast (the message names both).

    Curriculum: B11.
    """
    ta, tb, da, db = _binary(a, b, "div")
    try:
        out = da / db
    except (ValueError, RuntimeError):
        _check_broadcast(da, db, "div")
        raise
    sa = getattr(da, "shape", ())
    sb = getattr(db, "shape", ())
    if tb is None:
        return _result(out, (ta,), lambda g: (unbroadcast(g / db, sa),), "div")

    def vjp(g):
        gb = unbroadcast(-(g * out) / db, sb) if tb.requires_grad else None
        if ta is None:
            return (gb,)
        return (unbroadcast(g / db, sa) if ta.requires_grad else None, gb)

    return _result(out, (tb,) if ta is None else (ta, tb), vjp, "div")


def negative(a) -> Tensor:
    r"""Elementwise negation.

    .. math:: y = -a, \qquad \bar a = -\bar y

    Curriculum: B11.
    """
    return _result(-a.data, (a,), lambda g: (-g,), "neg")


def power(a, b) -> Tensor:
    r"""Elementwise power with broadcasting; ``b`` may be a constant or a Tensor.

    .. math:: y = a^b, \qquad \bar a = \bar y\, b\, a^{b-1},\quad \bar b = \bar y\, a^b \log a

    The exponent's gradient is taken as 0 where :math:`a \le 0` (as PyTorch).

    Raises
    ------
    ShapeError
        The shapes do not broadcast (the message names both).

    Curriculum: B11.
    """
    ta, tb, da, db = _binary(a, b, "pow")
    try:
        out = da**db
    except (ValueError, RuntimeError):
        _check_broadcast(da, db, "pow")
        raise
    sa = getattr(da, "shape", ())
    sb = getattr(db, "shape", ())
    if tb is None:
        if isinstance(db, int | float) and db == 2:
            return _result(out, (ta,), lambda g: (unbroadcast(g * (2 * da), sa),), "pow")
        return _result(out, (ta,), lambda g: (unbroadcast(g * (db * da ** (db - 1)), sa),), "pow")

    def vjp(g):
        gb = None
        if tb.requires_grad:  # d(a^b)/db = a^b log a, taken as 0 where a <= 0
            if hasattr(da, "shape"):
                ns = ns_of2(out, da)
                logs = ns.log(ns.where(da > 0, da, 1.0))
            else:
                logs = math.log(da) if da > 0 else 0.0
            gb = unbroadcast(g * out * logs, sb)
        if ta is None:
            return (gb,)
        ga = unbroadcast(g * db * da ** (db - 1), sa) if ta.requires_grad else None
        return (ga, gb)

    return _result(out, (tb,) if ta is None else (ta, tb), vjp, "pow")


def matmul(a, b) -> Tensor:
    """Matrix product ``a @ b`` with NumPy's rules (1-D operands, batched leading axes).

    .. math::

        Y = AB, \\qquad \\bar A = \\bar Y B^{\\top}, \\qquad \\bar B = A^{\\top} \\bar Y .

    Parameters
    ----------
    a : Tensor or array of shape (..., m, n) or (n,)
    b : Tensor or array of shape (..., n, p) or (n,)

    Returns
    -------
    Tensor of shape (..., m, p) (axes of 1-D operands dropped, as NumPy)

    Raises
    ------
    ShapeError
        A 0-d operand, or inner dimensions that differ (the message names both shapes).

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import Tensor
    >>> W = Tensor(np.eye(2), requires_grad=True)
    >>> (W @ np.array([1.0, 2.0])).sum().backward()
    >>> W.grad
    array([[1., 2.],
           [1., 2.]])

    Curriculum: B11, A7.
    """
    ta, tb, da, db = _binary(a, b, "matmul")
    sa, sb = tuple(da.shape), tuple(db.shape)
    if len(sa) == 0 or len(sb) == 0:
        raise ShapeError(f"matmul needs operands with at least one dimension, got shapes {sa} and {sb}")
    ka = sa[-1]
    kb = sb[-2] if len(sb) >= 2 else sb[0]
    if ka != kb:
        raise ShapeError(f"matmul: inner dimensions differ, got shapes {sa} and {sb} ({ka} != {kb})")
    out = da @ db
    if len(sa) == 2 and len(sb) == 2:

        def vjp2(g):
            return (g @ db.mT if ta is not None and ta.requires_grad else None,
                    da.mT @ g if tb is not None and tb.requires_grad else None)

        return _result(out, tuple(t for t in (ta, tb) if t is not None), _drop_const(vjp2, ta, tb), "matmul")

    a1, b1 = len(sa) == 1, len(sb) == 1

    def vjp(g):
        A = da.reshape((1, ka)) if a1 else da
        B = db.reshape((kb, 1)) if b1 else db
        if a1 and b1:
            g = g.reshape((1, 1))
        elif a1:
            g = g.reshape(tuple(g.shape[:-1]) + (1, g.shape[-1]))
        elif b1:
            g = g.reshape(tuple(g.shape) + (1,))
        ga = gb = None
        if ta is not None and ta.requires_grad:
            ga = unbroadcast(g @ B.mT, tuple(A.shape)).reshape(sa)
        if tb is not None and tb.requires_grad:
            gb = unbroadcast(A.mT @ g, tuple(B.shape)).reshape(sb)
        return ga, gb

    return _result(out, tuple(t for t in (ta, tb) if t is not None), _drop_const(vjp, ta, tb), "matmul")


def _drop_const(vjp, ta, tb):
    """Adapt a two-output pullback to the parents actually recorded (constants dropped)."""
    if ta is not None and tb is not None:
        return vjp
    if ta is None:
        return lambda g: (vjp(g)[1],)
    return lambda g: (vjp(g)[0],)


Tensor.__add__ = lambda self, other: add(self, other)
Tensor.__radd__ = lambda self, other: add(other, self)
Tensor.__sub__ = lambda self, other: sub(self, other)
Tensor.__rsub__ = lambda self, other: sub(other, self)
Tensor.__mul__ = lambda self, other: mul(self, other)
Tensor.__rmul__ = lambda self, other: mul(other, self)
Tensor.__truediv__ = lambda self, other: div(self, other)
Tensor.__rtruediv__ = lambda self, other: div(other, self)
Tensor.__pow__ = lambda self, other: power(self, other)
Tensor.__rpow__ = lambda self, other: power(other, self)
Tensor.__matmul__ = lambda self, other: matmul(self, other)
Tensor.__rmatmul__ = lambda self, other: matmul(other, self)
Tensor.__neg__ = negative
Tensor.__pos__ = lambda self: self
