"""Elementwise functions of Tensors and their derivatives.

For an elementwise :math:`y = f(x)` the Jacobian is diagonal, so the pullback is a product:

.. math::

    \\bar x = f'(x) \\odot \\bar y .

Each function accepts a :class:`~aimath.autodiff.tensor.Tensor` (or an array, treated as a
constant) and returns a Tensor. Sigmoid and softplus are evaluated in overflow-free forms.

Curriculum: B11, A7.
"""

from __future__ import annotations

from aimath.autodiff._arrays import ns_of, ns_of2
from aimath.autodiff.tensor import Tensor, _result, as_tensor, unbroadcast
from aimath.errors import ShapeError

__all__ = ["exp", "log", "log1p", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "softplus", "abs",
           "maximum", "minimum", "where", "clip", "square"]


def exp(x) -> Tensor:
    r"""Exponential, elementwise.

    .. math:: y = e^{x}, \qquad \bar x = \bar y \odot y

    Parameters
    ----------
    x : Tensor or array

    Returns
    -------
    Tensor of ``x``'s shape

    Curriculum: B11.
    """
    x = as_tensor(x)
    y = ns_of(x.data).exp(x.data)
    return _result(y, (x,), lambda g: (g * y,), "exp")


def log(x) -> Tensor:
    r"""Natural logarithm, elementwise (``x > 0``; otherwise NaN/-inf propagate as in the array library).

    .. math:: y = \log x, \qquad \bar x = \bar y / x

    Parameters
    ----------
    x : Tensor or array

    Returns
    -------
    Tensor of ``x``'s shape

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    return _result(ns_of(d).log(d), (x,), lambda g: (g / d,), "log")


def log1p(x) -> Tensor:
    r"""``log(1 + x)``, accurate for small ``x``.

    .. math:: y = \log(1 + x), \qquad \bar x = \bar y / (1 + x)

    Parameters
    ----------
    x : Tensor or array

    Returns
    -------
    Tensor of ``x``'s shape

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    return _result(ns_of(d).log1p(d), (x,), lambda g: (g / (1 + d),), "log1p")


def sqrt(x) -> Tensor:
    r"""Square root, elementwise.

    .. math:: y = \sqrt{x}, \qquad \bar x = \bar y / (2 y)

    Parameters
    ----------
    x : Tensor or array

    Returns
    -------
    Tensor of ``x``'s shape

    Curriculum: B11.
    """
    x = as_tensor(x)
    y = ns_of(x.data).sqrt(x.data)
    return _result(y, (x,), lambda g: (g / (2 * y),), "sqrt")


def square(x) -> Tensor:
    r"""Square, elementwise.

    .. math:: y = x^2, \qquad \bar x = 2 x \bar y

    Parameters
    ----------
    x : Tensor or array

    Returns
    -------
    Tensor of ``x``'s shape

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    return _result(d * d, (x,), lambda g: (g * (2 * d),), "square")


def sin(x) -> Tensor:
    r"""Sine, elementwise.

    .. math:: y = \sin x, \qquad \bar x = \bar y \cos x

    Parameters
    ----------
    x : Tensor or array

    Returns
    -------
    Tensor of ``x``'s shape

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    ns = ns_of(d)
    return _result(ns.sin(d), (x,), lambda g: (g * ns.cos(d),), "sin")


def cos(x) -> Tensor:
    r"""Cosine, elementwise.

    .. math:: y = \cos x, \qquad \bar x = -\bar y \sin x

    Parameters
    ----------
    x : Tensor or array

    Returns
    -------
    Tensor of ``x``'s shape

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    ns = ns_of(d)
    return _result(ns.cos(d), (x,), lambda g: (-(g * ns.sin(d)),), "cos")


def tanh(x) -> Tensor:
    r"""Hyperbolic tangent, elementwise.

    .. math:: y = \tanh x, \qquad \bar x = \bar y\, (1 - y^2)

    Parameters
    ----------
    x : Tensor or array

    Returns
    -------
    Tensor of ``x``'s shape

    Curriculum: B11.
    """
    x = as_tensor(x)
    y = ns_of(x.data).tanh(x.data)
    return _result(y, (x,), lambda g: (g * (1 - y * y),), "tanh")


def _sigmoid_data(d):
    ns = ns_of(d)
    e = ns.exp(-ns.abs(d))  # in (0, 1], never overflows
    r = 1 / (1 + e)
    return ns.where(d >= 0, r, e * r)


def sigmoid(x) -> Tensor:
    r"""Logistic function, evaluated without overflow for any ``x``.

    .. math:: y = \sigma(x) = \frac{1}{1 + e^{-x}}, \qquad \bar x = \bar y\, y (1 - y)

    Parameters
    ----------
    x : Tensor or array

    Returns
    -------
    Tensor of ``x``'s shape

    Curriculum: B11.
    """
    x = as_tensor(x)
    y = _sigmoid_data(x.data)
    return _result(y, (x,), lambda g: (g * (y * (1 - y)),), "sigmoid")


def relu(x) -> Tensor:
    r"""Rectified linear unit; the derivative at 0 is taken as 0 (as PyTorch).

    .. math:: y = \max(x, 0), \qquad \bar x = \bar y\, [x > 0]

    Parameters
    ----------
    x : Tensor or array

    Returns
    -------
    Tensor of ``x``'s shape

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    mask = d > 0
    return _result(d * mask, (x,), lambda g: (g * mask,), "relu")


def softplus(x) -> Tensor:
    r"""Softplus, computed as ``max(x, 0) + log1p(exp(-|x|))`` (no overflow).

    .. math:: y = \log(1 + e^{x}), \qquad \bar x = \bar y\, \sigma(x)

    Parameters
    ----------
    x : Tensor or array

    Returns
    -------
    Tensor of ``x``'s shape

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    ns = ns_of(d)
    y = d * (d > 0) + ns.log1p(ns.exp(-ns.abs(d)))
    return _result(y, (x,), lambda g: (g * _sigmoid_data(d),), "softplus")


def abs(x) -> Tensor:  # noqa: A001 - NumPy's name
    r"""Absolute value; the derivative at 0 is taken as 0.

    .. math:: y = |x|, \qquad \bar x = \bar y \operatorname{sign} x

    Parameters
    ----------
    x : Tensor or array

    Returns
    -------
    Tensor of ``x``'s shape

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    ns = ns_of(d)
    return _result(ns.abs(d), (x,), lambda g: (g * ns.sign(d),), "abs")


def _extremum(a, b, larger: bool) -> Tensor:
    ta = a if isinstance(a, Tensor) else None
    tb = b if isinstance(b, Tensor) else None
    da = ta.data if ta is not None else a
    db = tb.data if tb is not None else b
    ns = ns_of2(da, db)
    try:
        out = ns.maximum(da, db) if larger else ns.minimum(da, db)
    except (ValueError, RuntimeError) as exc:
        raise ShapeError(f"{'maximum' if larger else 'minimum'}: operands could not be broadcast together, "
                         f"got shapes {tuple(getattr(da, 'shape', ()))} and {tuple(getattr(db, 'shape', ()))}") from exc
    sa, sb = tuple(getattr(da, "shape", ())), tuple(getattr(db, "shape", ()))

    def vjp(g):
        win = (da > db) if larger else (da < db)
        ga = g * win + 0.5 * (g * (da == db))  # ties split the gradient evenly, as PyTorch (dtype of g kept)
        res = []
        if ta is not None:
            res.append(unbroadcast(ga, sa) if ta.requires_grad else None)
        if tb is not None:
            res.append(unbroadcast(g - ga, sb) if tb.requires_grad else None)
        return tuple(res)

    return _result(out, tuple(t for t in (ta, tb) if t is not None), vjp, "maximum" if larger else "minimum")


def maximum(a, b) -> Tensor:
    r"""Elementwise maximum with broadcasting; at ties each operand gets half the gradient.

    .. math:: y = \max(a, b), \qquad \bar a = \bar y\,([a > b] + \tfrac12 [a = b])

    Raises
    ------
    ShapeError
        The shapes do not broadcast.

    Curriculum: B11.
    """
    return _extremum(a, b, True)


def minimum(a, b) -> Tensor:
    r"""Elementwise minimum with broadcasting; at ties each operand gets half the gradient.

    .. math:: y = \min(a, b), \qquad \bar a = \bar y\,([a < b] + \tfrac12 [a = b])

    Raises
    ------
    ShapeError
        The shapes do not broadcast.

    Curriculum: B11.
    """
    return _extremum(a, b, False)


def where(condition, a, b) -> Tensor:
    r"""``a`` where ``condition`` holds, else ``b`` (broadcast); the gradient follows the choice.

    .. math:: y = c \odot a + (1 - c) \odot b, \qquad \bar a = c \odot \bar y,\quad \bar b = (1 - c) \odot \bar y

    ``condition`` is a boolean array or Tensor and is not differentiated.

    Raises
    ------
    ShapeError
        ``condition``, ``a`` and ``b`` do not broadcast together.

    Curriculum: B11.
    """
    cond = condition.data if isinstance(condition, Tensor) else condition
    ta = a if isinstance(a, Tensor) else None
    tb = b if isinstance(b, Tensor) else None
    da = ta.data if ta is not None else a
    db = tb.data if tb is not None else b
    ns = ns_of2(da, db)
    try:
        out = ns.where(cond, da, db)
    except (ValueError, RuntimeError) as exc:
        shapes = [tuple(getattr(v, "shape", ())) for v in (cond, da, db)]
        raise ShapeError(f"where: condition, a and b could not be broadcast together, got shapes "
                         f"{shapes[0]}, {shapes[1]} and {shapes[2]}") from exc
    sa, sb = tuple(getattr(da, "shape", ())), tuple(getattr(db, "shape", ()))

    def vjp(g):
        zero = 0 * g
        res = []
        if ta is not None:
            res.append(unbroadcast(ns_of2(g, da).where(cond, g, zero), sa) if ta.requires_grad else None)
        if tb is not None:
            res.append(unbroadcast(ns_of2(g, db).where(cond, zero, g), sb) if tb.requires_grad else None)
        return tuple(res)

    return _result(out, tuple(t for t in (ta, tb) if t is not None), vjp, "where")


def clip(x, a_min=None, a_max=None) -> Tensor:
    r"""Clamp to ``[a_min, a_max]`` (constants; either may be None).

    .. math:: y = \min(\max(x, a_{\min}), a_{\max}), \qquad \bar x = \bar y\, [a_{\min} \le x \le a_{\max}]

    Curriculum: B11.
    """
    x = as_tensor(x)
    d = x.data
    ns = ns_of(d)
    out = ns.clip(d, a_min, a_max)
    inside = True
    if a_min is not None:
        inside = d >= a_min
    if a_max is not None:
        inside = (d <= a_max) if a_min is None else inside & (d <= a_max)
    return _result(out, (x,), lambda g: (g * inside,), "clip")


for _name in ("exp", "log", "log1p", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "softplus", "abs",
              "clip", "square"):
    setattr(Tensor, _name, globals()[_name])
Tensor.__abs__ = abs
