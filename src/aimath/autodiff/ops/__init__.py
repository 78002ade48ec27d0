"""Differentiable operations on Tensors, one module per family."""

from aimath.autodiff.ops.arithmetic import add, div, matmul, mul, negative, power, sub
from aimath.autodiff.ops.einsum import einsum
from aimath.autodiff.ops.elementwise import (
    abs,
    clip,
    cos,
    exp,
    log,
    log1p,
    maximum,
    minimum,
    relu,
    sigmoid,
    sin,
    softplus,
    sqrt,
    square,
    tanh,
    where,
)
from aimath.autodiff.ops.linalg_ops import det, inv, slogdet, solve
from aimath.autodiff.ops.reductions import log_softmax, logsumexp, max, mean, min, softmax, sum, var
from aimath.autodiff.ops.shape import (
    broadcast_to,
    concatenate,
    expand_dims,
    flatten,
    getitem,
    permute,
    reshape,
    squeeze,
    stack,
    transpose,
)

__all__ = [
    "add", "div", "matmul", "mul", "negative", "power", "sub",
    "einsum", "det", "inv", "slogdet", "solve", "abs", "clip", "cos", "exp", "log", "log1p", "maximum",
    "minimum", "relu", "sigmoid", "sin", "softplus", "sqrt", "square", "tanh", "where", "log_softmax",
    "logsumexp", "max", "mean", "min", "softmax", "sum", "var", "broadcast_to", "concatenate", "expand_dims",
    "flatten", "getitem", "permute", "reshape", "squeeze", "stack", "transpose",
]
