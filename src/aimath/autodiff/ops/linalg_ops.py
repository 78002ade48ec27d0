"""Differentiable linear algebra through :mod:`aimath.linalg` (LU): solve, inv, det, slogdet.

The pullbacks are the classic matrix-calculus identities (solve, never invert):

.. math::

    X = A^{-1}B:\\ \\bar B = A^{-\\top}\\bar X,\\ \\bar A = -\\bar B X^{\\top};\\qquad
    Y = A^{-1}:\\ \\bar A = -Y^{\\top}\\bar Y Y^{\\top};\\qquad
    \\nabla_A \\log|\\det A| = A^{-\\top},\\quad \\nabla_A \\det A = \\det A \\; A^{-\\top}.

Their forward-mode rules (for dual numbers) are :math:`\\dot X = A^{-1}(\\dot B - \\dot A X)`,
:math:`\\dot Y = -Y\\dot A Y` and :math:`\\dot{\\log|\\det A|} = \\operatorname{tr}(A^{-1}\\dot A)`.

Curriculum: B11 (identities), B7 (the LU kernels).
"""

from __future__ import annotations

from aimath import linalg as _la
from aimath.autodiff.dual import Dual, _lift
from aimath.autodiff.tensor import Tensor, _result, as_tensor, unbroadcast
from aimath.errors import ShapeError

__all__ = ["solve", "inv", "det", "slogdet"]


def _mT(x):
    return x.mT


# ------------------------------------------------------------------ array-level kernels (plain or Dual)
def _solve(a, b):
    """``solve(a, b)`` for plain arrays or duals (NumPy 2 conventions for ``b``)."""
    if not isinstance(a, Dual) and not isinstance(b, Dual):
        return _la.solve(a, b)
    ap = a.primal if isinstance(a, Dual) else a
    bp = b.primal if isinstance(b, Dual) else b
    x = _la.solve(ap, bp)
    vec = bp.ndim == 1
    xm = x[..., None] if vec else x
    rhs = None
    if isinstance(b, Dual):
        rhs = b.tangent[..., None] if vec else b.tangent
    if isinstance(a, Dual):
        ta = a.tangent
        u = -(_lift(ta, xm.ndim) @ xm)
        rhs = u if rhs is None else _lift(rhs, u.ndim - 1) + u
    t = _la.solve(ap, rhs)
    if vec:
        t = t[..., 0]
    return Dual(x, t.reshape((t.shape[0],) + tuple(x.shape)))


def _inv(a):
    if not isinstance(a, Dual):
        return _la.inv(a)
    y = _la.inv(a.primal)
    return Dual(y, -(y @ a.tangent @ y))


def _det(a):
    if not isinstance(a, Dual):
        return _la.det(a)
    d = _la.det(a.primal)
    return Dual(d, d * _trace_inv_dot(a))


def _trace_inv_dot(a):
    ia = _la.inv(a.primal).mT
    prod = ia * a.tangent
    s = prod.sum(-1).sum(-1)
    return s


def _slogdet(a):
    if not isinstance(a, Dual):
        return _la.slogdet(a)
    sign, logabs = _la.slogdet(a.primal)
    return sign, Dual(logabs, _trace_inv_dot(a))


def _check_square(d, name):
    s = tuple(d.shape)
    if len(s) < 2 or s[-1] != s[-2]:
        raise ShapeError(f"{name} must be a square matrix (or a stack of them) of shape (..., n, n), got shape {s}")


# ------------------------------------------------------------------ Tensor ops
def solve(a, b) -> Tensor:
    """Solve :math:`A X = B` (NumPy 2 conventions: ``b`` of shape (n,) or (..., n, k)).

    Parameters
    ----------
    a : Tensor of shape (..., n, n)
    b : Tensor of shape (n,) or (..., n, k)

    Returns
    -------
    Tensor
        ``X``, shape of the broadcast ``b``.

    Raises
    ------
    ShapeError, DomainError
        As :func:`aimath.linalg.solve` (non-square ``a``, mismatched ``b``, singular ``a``).

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import Tensor, solve
    >>> A = Tensor(np.array([[3.0, 1.0], [1.0, 2.0]]), requires_grad=True)
    >>> solve(A, np.array([9.0, 8.0])).sum().backward()
    >>> A.grad.shape
    (2, 2)

    Curriculum: B11.
    """
    ta, tb = as_tensor(a), as_tensor(b)
    da, db = ta.data, tb.data
    _check_square(da, "a")
    x = _solve(da, db)
    sa, sb = tuple(da.shape), tuple(db.shape)
    vec = len(sb) == 1

    def vjp(g):
        gb = _solve(_mT(da), g)  # A^{-T} g (same conventions as the forward solve)
        ga = None
        if ta.requires_grad:
            if vec:
                ga = -(gb[..., :, None] * x[..., None, :])
            else:
                ga = -(gb @ _mT(x))
            ga = unbroadcast(ga, sa)
        return ga, (unbroadcast(gb, sb) if tb.requires_grad else None)

    return _result(x, (ta, tb), vjp, "solve")


def inv(a) -> Tensor:
    """Matrix inverse :math:`Y = A^{-1}`; pullback :math:`-Y^{\\top}\\bar Y Y^{\\top}`.

    Prefer :func:`solve` where a product with the inverse is what is needed.

    Curriculum: B11.
    """
    ta = as_tensor(a)
    _check_square(ta.data, "a")
    y = _inv(ta.data)
    return _result(y, (ta,), lambda g: (-(_mT(y) @ g @ _mT(y)),), "inv")


def det(a) -> Tensor:
    """Determinant; pullback :math:`\\bar d\\, \\det(A)\\, A^{-\\top}` (A must be invertible).

    Curriculum: B11.
    """
    ta = as_tensor(a)
    da = ta.data
    _check_square(da, "a")
    d = _det(da)

    def vjp(g):
        gd = g * d
        return (_mT(_inv(da)) * gd[..., None, None],)

    return _result(d, (ta,), vjp, "det")


def slogdet(a):
    """Sign and :math:`\\log|\\det A|` (a Tensor); the log's gradient is :math:`A^{-\\top}`.

    Returns
    -------
    sign : array
        ±1 (not differentiated).
    logabsdet : Tensor

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import Tensor, slogdet
    >>> X = Tensor(np.array([[2.0, 0.0], [0.0, 3.0]]), requires_grad=True)
    >>> slogdet(X)[1].backward()
    >>> X.grad
    array([[0.5       , 0.        ],
           [0.        , 0.33333333]])

    Curriculum: B11.
    """
    ta = as_tensor(a)
    da = ta.data
    _check_square(da, "a")
    sign, logabs = _slogdet(da)

    def vjp(g):
        return (_mT(_inv(da)) * g[..., None, None],)

    return sign, _result(logabs, (ta,), vjp, "slogdet")
