"""Automatic differentiation: a reverse-mode Tensor engine, forward-mode dual numbers, and the
function transforms (grad, jacobian, hessian, jvp, vjp) built on them.

Two faces:

* the engine, PyTorch-like: ``Tensor(data, requires_grad=True)``, ops that record the graph,
  ``loss.backward()`` filling ``.grad`` of the leaves, ``no_grad()``, ``detach()``;
* the transforms, JAX-like, on plain arrays: ``grad(f)(x)``, ``value_and_grad``, ``vjp``,
  ``jvp`` (dual numbers), ``jacobian(f, mode="rev"|"fwd")``, ``hessian`` and ``hvp``
  (forward-over-reverse), and ``grad_check`` by central differences.

.. math::

    \\text{reverse: } \\bar x = J^{\\top} \\bar y \\qquad \\text{forward: } \\dot y = J \\dot x

>>> import numpy as np
>>> from aimath.autodiff import Tensor, grad, tanh
>>> w = Tensor(np.array([0.5, -1.0]), requires_grad=True)
>>> loss = (tanh(w) ** 2).sum()
>>> loss.backward()
>>> np.allclose(w.grad, grad(lambda v: (tanh(v) ** 2).sum())(w.data))
True

Data may be NumPy arrays (default) or torch tensors; the engine does its own differentiation.

Curriculum: B11, A7.
"""

from aimath.autodiff.check import GradCheckResult, grad_check
from aimath.autodiff.dual import Dual
from aimath.autodiff.forward import jvp
from aimath.autodiff.functional import grad, hessian, hvp, jacobian, value_and_grad, vjp
from aimath.autodiff.ops import (
    abs,
    add,
    broadcast_to,
    clip,
    concatenate,
    cos,
    det,
    div,
    einsum,
    exp,
    expand_dims,
    flatten,
    getitem,
    inv,
    log,
    log1p,
    log_softmax,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mul,
    negative,
    permute,
    power,
    relu,
    reshape,
    sigmoid,
    sin,
    slogdet,
    softmax,
    softplus,
    solve,
    sqrt,
    square,
    squeeze,
    stack,
    sub,
    sum,
    tanh,
    transpose,
    var,
    where,
)
from aimath.autodiff.tensor import Tensor, as_tensor, enable_grad, is_grad_enabled, no_grad

__all__ = [
    "add", "div", "matmul", "mul", "negative", "power", "sub",
    "GradCheckResult", "grad_check",
    "det", "einsum", "inv", "slogdet", "solve", "Tensor", "Dual", "jvp", "hessian", "hvp", "jacobian",
    "as_tensor", "enable_grad", "is_grad_enabled", "no_grad", "grad", "value_and_grad", "vjp", "abs",
    "broadcast_to", "clip", "concatenate", "cos", "exp", "expand_dims", "flatten", "getitem", "log", "log1p",
    "log_softmax", "logsumexp", "max", "maximum", "mean", "min", "minimum", "permute", "relu", "reshape",
    "sigmoid", "sin", "softmax", "softplus", "sqrt", "square", "squeeze", "stack", "sum", "tanh", "transpose",
    "var", "where",
]
