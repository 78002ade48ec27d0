"""Forward mode: Jacobian–vector products by evaluating on dual numbers.

.. math::

    \\operatorname{jvp}(f, x, v) = \\big(f(x),\\ J_f(x)\\, v\\big)

computed in one forward pass, with no graph and no finite differences: each input Tensor holds a
:class:`~aimath.autodiff.dual.Dual` whose tangent is ``v``, and every op carries the tangent along.

Curriculum: B11.
"""

from __future__ import annotations

from aimath.autodiff._arrays import ns_of
from aimath.autodiff.dual import Dual
from aimath.autodiff.tensor import Tensor, no_grad
from aimath.errors import ShapeError

__all__ = ["jvp", "push_forward"]


def _plain(x):
    return x.data if isinstance(x, Tensor) else x


def push_forward(f, primals, tangents):
    """Evaluate ``f`` on duals with ``k`` tangents per input (each of shape ``(k,) + x.shape``).

    Returns ``(value, tangent)`` with ``tangent`` of shape ``(k,) + value.shape`` (zeros when the
    output does not depend on the inputs).
    """
    if len(primals) != len(tangents):
        raise ValueError(f"need one tangent per primal, got {len(primals)} primals and {len(tangents)} tangents")
    ins = []
    k = None
    for i, (p, t) in enumerate(zip(primals, tangents, strict=True)):
        p, t = _plain(p), _plain(t)
        if tuple(t.shape[1:]) != tuple(p.shape):
            raise ShapeError(f"tangent {i} must have shape (k,) + {tuple(p.shape)}, got {tuple(t.shape)}")
        if k is not None and t.shape[0] != k:
            raise ShapeError(f"all tangents need the same number of directions, got {k} and {t.shape[0]}")
        k = t.shape[0]
        ins.append(Tensor(Dual(p, t)))
    with no_grad():
        y = f(*ins)
    if not isinstance(y, Tensor):
        raise TypeError(f"jvp: the function must return a Tensor, got {type(y).__name__}")
    d = y.data
    if isinstance(d, Dual):
        return d.primal, d.tangent
    ns = ns_of(d)
    return d, ns.broadcast_to(ns.zeros_like(d), (k,) + tuple(d.shape))


def jvp(f, primals, tangents):
    """Value and Jacobian–vector product of ``f`` by forward mode (dual numbers).

    .. math:: (y, \\dot y) = \\big(f(x),\\ \\textstyle\\sum_i \\partial_i f(x)\\, \\dot x_i\\big)

    Parameters
    ----------
    f : callable
        Function of Tensors returning a Tensor.
    primals : tuple of arrays
        The point ``x`` (one array per argument of ``f``).
    tangents : tuple of arrays
        The direction, one array of the same shape per primal.

    Returns
    -------
    y : array
        ``f(*primals)``.
    y_dot : array
        :math:`J_f(x)\\,\\dot x`, of ``y``'s shape.

    Raises
    ------
    ShapeError
        A tangent's shape differs from its primal's.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import jvp, sin
    >>> y, t = jvp(lambda x: sin(x), (np.array([0.0, np.pi]),), (np.array([1.0, 1.0]),))
    >>> t
    array([ 1., -1.])

    Curriculum: B11.
    """
    primals, tangents = tuple(primals), tuple(tangents)
    for i, (p, t) in enumerate(zip(primals, tangents, strict=True)):
        if tuple(_plain(t).shape) != tuple(_plain(p).shape):
            raise ShapeError(f"tangent {i} must have the primal's shape {tuple(_plain(p).shape)}, "
                             f"got {tuple(_plain(t).shape)}")
    ts = [_plain(t).reshape((1,) + tuple(_plain(t).shape)) for t in tangents]
    y, ty = push_forward(f, primals, ts)
    return y, ty[0]
