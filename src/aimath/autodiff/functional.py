"""Function transforms built on the engine: ``grad``, ``value_and_grad``, ``vjp``.

They take a function of Tensors and give a function of plain arrays, returning plain arrays:

.. math::

    \\operatorname{grad}(f)(x) = \\nabla f(x), \\qquad
    \\operatorname{vjp}(f, x) = \\big(f(x),\\ \\bar y \\mapsto J_f(x)^{\\top} \\bar y\\big).

Curriculum: B11.
"""

from __future__ import annotations

from aimath.autodiff._arrays import ns_of
from aimath.autodiff.tensor import Tensor, enable_grad
from aimath.errors import ShapeError

__all__ = ["grad", "value_and_grad", "vjp"]


def _argnums(argnums, nargs):
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)
    for a in nums:
        if not -nargs <= a < nargs:
            raise ValueError(f"argnums {a} is out of range for a function called with {nargs} argument(s)")
    return single, tuple(a % nargs for a in nums)


def _leaf(x):
    d = x.data if isinstance(x, Tensor) else x
    return Tensor(d, requires_grad=True)


def _prepare(args, nums):
    args = list(args)
    leaves = []
    for a in nums:
        t = _leaf(args[a])
        args[a] = t
        leaves.append(t)
    return args, leaves


def _grads_of(leaves):
    out = []
    for t in leaves:
        g = t.grad
        out.append(ns_of(t.data).zeros_like(t.data) if g is None else g)
    return out


def _scalar_output(y, name):
    if not isinstance(y, Tensor):
        raise TypeError(f"{name}: the function must return a Tensor, got {type(y).__name__}")
    if y.size != 1:
        raise ShapeError(f"{name}: the function must return a scalar (one element), got shape {y.shape}")


def value_and_grad(f, argnums=0):
    """``f`` and its gradient in one pass: returns ``g(*args) -> (value, gradient)``.

    Parameters
    ----------
    f : callable
        A function of Tensors returning a one-element Tensor.
    argnums : int or tuple of int
        Which positional arguments to differentiate; a tuple gives a tuple of gradients.

    Returns
    -------
    callable
        ``(*args) -> (value, grad)`` with ``value`` an array (shape of f's output) and ``grad``
        an array of the argument's shape (a tuple of them for tuple ``argnums``).

    Raises
    ------
    ShapeError
        ``f`` returns more than one element.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import value_and_grad
    >>> v, g = value_and_grad(lambda x: (x * x).sum())(np.array([1.0, 2.0]))
    >>> float(v), g
    (5.0, array([2., 4.]))

    Curriculum: B11.
    """

    def wrapped(*args, **kwargs):
        single, nums = _argnums(argnums, len(args))
        args, leaves = _prepare(args, nums)
        with enable_grad():
            y = f(*args, **kwargs)
        _scalar_output(y, "value_and_grad")
        if y.requires_grad:
            y.backward()
        gs = _grads_of(leaves)
        return y.data, (gs[0] if single else tuple(gs))

    return wrapped


def grad(f, argnums=0):
    """The gradient of a scalar function of Tensors, as a function of arrays.

    .. math:: \\operatorname{grad}(f)(x) = \\nabla_x f(x)

    Parameters
    ----------
    f : callable
        Function of Tensors returning a one-element Tensor.
    argnums : int or tuple of int
        Argument(s) to differentiate.

    Returns
    -------
    callable
        ``(*args) -> array`` of the differentiated argument's shape (a tuple for tuple argnums).

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import grad, sin
    >>> grad(lambda x: sin(x).sum())(np.array([0.0]))
    array([1.])

    Curriculum: B11.
    """
    vg = value_and_grad(f, argnums)

    def wrapped(*args, **kwargs):
        return vg(*args, **kwargs)[1]

    return wrapped


def vjp(f, *primals):
    """Evaluate ``f(*primals)`` and return its pullback.

    .. math:: \\bar y \\mapsto \\big(J_{f,1}^{\\top}\\bar y, \\dots, J_{f,k}^{\\top}\\bar y\\big)

    Parameters
    ----------
    f : callable
        Function of Tensors returning a Tensor.
    *primals : arrays
        Where to linearise.

    Returns
    -------
    y : array
        ``f(*primals)``.
    pullback : callable
        ``pullback(cotangent) -> tuple`` of arrays, one per primal; may be called many times.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import vjp
    >>> y, pb = vjp(lambda x: x * 3.0, np.array([1.0, 2.0]))
    >>> pb(np.array([1.0, 1.0]))
    (array([3., 3.]),)

    Curriculum: B11.
    """
    leaves = [_leaf(p) for p in primals]
    with enable_grad():
        y = f(*leaves)
    if not isinstance(y, Tensor):
        raise TypeError(f"vjp: the function must return a Tensor, got {type(y).__name__}")

    def pullback(cotangent):
        for t in leaves:
            t.grad = None
        if y.requires_grad:
            y.backward(cotangent, retain_graph=True)
        return tuple(_grads_of(leaves))

    return y.data, pullback
