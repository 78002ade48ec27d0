"""Tensor versions of the activations, losses and the affine layer, as engine ops.

Each op computes its value with the plain-array function of :mod:`aimath.nn.activations` /
:mod:`aimath.nn.losses` and records a pullback built from the matching derivative, so the engine
and Book A's explicit backpropagation share one definition of ρ, ρ′ and ∂ℓ/∂z. On plain arrays
the functions simply return the array result.

Curriculum: A4, A5, A7.
"""

from __future__ import annotations

import numpy as np

from aimath import backend as B
from aimath.autodiff import Tensor
from aimath.autodiff import log_softmax as _log_softmax
from aimath.autodiff import softmax as _softmax
from aimath.autodiff.tensor import _result
from aimath.errors import DomainError, ShapeError, check_finite
from aimath.nn import activations as A
from aimath.nn import losses as L

__all__ = [
    "apply_activation", "relu", "leaky_relu", "abs_", "sigmoid", "tanh", "softplus", "gelu", "softmax", "log_softmax",
    "linear", "cross_entropy", "nll_loss", "mse_loss", "hinge_loss", "logistic_loss", "dropout",
]


def apply_activation(x, name: str | None, **kwargs):
    """ρ(x) for the elementwise activation ``name``; on a Tensor, an engine op with pullback ḡ ⊙ ρ′(x)."""
    f, df = A.activation(name), A.derivative(name)
    if not isinstance(x, Tensor):
        return f(x, **kwargs)
    z = x.data
    return _result(f(z, **kwargs), (x,), lambda g: (g * df(z, **kwargs),), name or "identity")


def relu(x):
    """ReLU, max(x, 0)."""
    return apply_activation(x, "relu")


def leaky_relu(x, negative_slope: float = 0.01):
    """Leaky ReLU with slope ``negative_slope`` for x < 0."""
    return apply_activation(x, "leaky_relu", negative_slope=negative_slope)


def abs_(x):
    """|x| as an activation."""
    return apply_activation(x, "abs")


def sigmoid(x):
    """Logistic sigmoid."""
    return apply_activation(x, "sigmoid")


def tanh(x):
    """Hyperbolic tangent."""
    return apply_activation(x, "tanh")


def softplus(x):
    """log(1 + eˣ)."""
    return apply_activation(x, "softplus")


def gelu(x):
    """x Φ(x)."""
    return apply_activation(x, "gelu")


def softmax(x, axis: int = -1):
    """Softmax along ``axis`` (engine op on Tensors)."""
    return _softmax(x, axis=axis) if isinstance(x, Tensor) else A.softmax(x, axis=axis)


def log_softmax(x, axis: int = -1):
    """Log-softmax along ``axis`` (engine op on Tensors)."""
    return _log_softmax(x, axis=axis) if isinstance(x, Tensor) else A.log_softmax(x, axis=axis)


def _data(x):
    return x.data if isinstance(x, Tensor) else x


def linear(x, weight, bias=None):
    """The affine map of a layer, one fused engine op.

    .. math:: y = x W^\\top + b, \\qquad \\bar x = \\bar y W, \\quad \\bar W = \\bar y^\\top x, \\quad
              \\bar b = \\mathbf 1^\\top \\bar y

    Parameters
    ----------
    x : Tensor or array of shape (..., in)
    weight : Tensor of shape (out, in)
    bias : Tensor of shape (out,) or None
    """
    xd, Wd = _data(x), _data(weight)
    bd = _data(bias) if bias is not None else None
    lead = tuple(xd.shape[:-1])
    x2 = xd.reshape((-1, xd.shape[-1])) if len(lead) != 1 else xd
    out = x2 @ Wd.T
    if bd is not None:
        out = out + bd
    if len(lead) != 1:
        out = out.reshape(lead + (Wd.shape[0],))
    parents = [t for t in (x, weight, bias) if isinstance(t, Tensor)]
    if not parents:
        return out

    def vjp(g):
        g2 = g.reshape((-1, g.shape[-1])) if len(lead) != 1 else g
        res = []
        if isinstance(x, Tensor):
            res.append((g2 @ Wd).reshape(tuple(xd.shape)) if x.requires_grad else None)
        if isinstance(weight, Tensor):
            res.append(g2.T @ x2 if weight.requires_grad else None)
        if isinstance(bias, Tensor):
            res.append(B.namespace(g2).sum(g2, axis=0) if bias.requires_grad else None)
        return tuple(res)

    return _result(out, tuple(parents), vjp, "linear")


def _loss_op(name, fn, out, target, reduction, **kw):
    """A loss of the network output as one engine op: value by the array loss, pullback by its
    gradient (:func:`aimath.nn.losses.loss_grad`)."""
    if isinstance(target, Tensor):
        target = target.data
    if not isinstance(out, Tensor):
        return fn(out, target, reduction=reduction)
    if reduction not in ("mean", "sum"):
        raise DomainError(f"reduction on Tensors must be 'mean' or 'sum', got {reduction!r}")
    z = out.data
    value = fn(z, target, reduction=reduction)
    value = B.namespace(z).asarray(value)  # a 0-d array, not a NumPy scalar
    return _result(value, (out,), lambda g: (g * L.loss_grad(name, z, target, reduction=reduction),), name)


def cross_entropy(logits, y, *, reduction: str = "mean"):
    """Cross-entropy of integer labels from logits; on a Tensor its pullback is (softmax(z) − e_y)/n.

    Raises
    ------
    ShapeError, DomainError
        As :func:`aimath.nn.losses.cross_entropy` (labels out of range, NaN logits, empty batch).
    """
    return _loss_op("cross_entropy", L.cross_entropy, logits, y, reduction)


def nll_loss(log_probs, y, *, reduction: str = "mean"):
    """Negative log-likelihood of labels given log-probabilities (engine ops)."""
    if not isinstance(log_probs, Tensor):
        return L.nll_loss(log_probs, y, reduction=reduction)
    L.check_labels(_data(y), log_probs.shape[0], log_probs.shape[1])
    yd = _data(y)
    mask = L.one_hot(yd, log_probs.shape[1], like=log_probs.data)
    total = -(log_probs * mask).sum()
    if reduction == "mean":
        return total / float(log_probs.shape[0])
    if reduction == "sum":
        return total
    raise DomainError(f"reduction on Tensors must be 'mean' or 'sum', got {reduction!r}")


def mse_loss(pred, target, *, reduction: str = "mean"):
    """Mean squared error; pullback 2(ŷ − y)/N."""
    if isinstance(pred, Tensor) and tuple(pred.shape) != tuple(_data(target).shape):
        raise ShapeError(f"pred and target must have the same shape, got {pred.shape} and {tuple(_data(target).shape)}")
    return _loss_op("mse", L.mse_loss, pred, target, reduction)


def hinge_loss(scores, y, *, reduction: str = "mean"):
    """Hinge loss of labels in {−1, +1}."""
    return _loss_op("hinge", L.hinge_loss, scores, y, reduction)


def logistic_loss(scores, y, *, reduction: str = "mean"):
    """Logistic loss of labels in {−1, +1}."""
    return _loss_op("logistic", L.logistic_loss, scores, y, reduction)


def dropout(x, p: float, rng, training: bool = True):
    """Inverted dropout: zero each entry with probability p and scale the rest by 1/(1 − p).

    .. math:: y = x \\odot m / (1 - p), \\qquad m_i \\sim \\mathrm{Bernoulli}(1 - p)
    """
    if not 0 <= p < 1:
        raise DomainError(f"dropout probability p must lie in [0, 1), got {p}")
    if not training or p == 0:
        return x
    d = _data(x)
    if isinstance(rng, np.random.Generator) and B.is_numpy(d):
        u = rng.random(tuple(d.shape), dtype=d.dtype if d.dtype in (np.float32, np.float64) else np.float64)
    else:
        u = B.uniform(rng, tuple(d.shape), like=d)
    xp = B.namespace(d)
    mask = xp.astype(u >= p, d.dtype) * xp.asarray(1 / (1 - p), dtype=d.dtype)
    return x * mask


def check_input(x, name: str):
    """Raise DomainError if the data of ``x`` holds NaN/inf (names the layer)."""
    check_finite(_data(x), name)
