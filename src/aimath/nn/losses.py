"""Loss functions of network outputs (logits) as plain array functions, with their gradients.

Each loss takes the network output first and the target second, averages over samples by
default (``reduction="mean"``; also ``"sum"`` and ``"none"``), and has a companion ``*_grad``
giving ∂ℓ/∂(output), the starting point δ_L of backpropagation. Classification losses take
logits (never probabilities), so they are computed stably by log-sum-exp.

Curriculum: A5, A9.
"""

from __future__ import annotations

from aimath import backend as B
from aimath.errors import AimathError, DomainError, ShapeError, check_array, shape_of
from aimath.nn.activations import log_softmax, sigmoid, softmax, softplus

__all__ = [
    "check_labels", "one_hot", "mse_loss", "cross_entropy", "nll_loss", "hinge_loss", "logistic_loss", "accuracy",
    "loss_grad", "LOSSES",
]


def _reduce(v, reduction):
    xp = B.namespace(v)
    if reduction == "mean":
        return xp.mean(v)
    if reduction == "sum":
        return xp.sum(v)
    if reduction == "none":
        return v
    raise AimathError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")


def check_labels(y, n: int, n_classes: int | None, name: str = "y"):
    """Validate integer class labels: shape (n,), values in [0, n_classes).

    Raises
    ------
    ShapeError, DomainError
    """
    xp = B.namespace(y)
    check_array(y, name, ndim=1)
    if shape_of(y)[0] != n:
        raise ShapeError(f"{name} must have one label per sample ({n}), got shape {shape_of(y)}")
    if not xp.isdtype(y.dtype, "integral"):
        raise DomainError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    if n == 0:
        raise ShapeError(f"{name} must be non-empty, got an empty batch")
    lo, hi = int(xp.min(y)), int(xp.max(y))
    if lo < 0 or (n_classes is not None and hi >= n_classes):
        raise DomainError(f"{name} must hold labels in [0, {n_classes}), got labels in [{lo}, {hi}]")


def _check_logits(z, name="logits"):
    check_array(z, name, ndim=2, nonempty=True)


def one_hot(y, n_classes: int, *, dtype=None, like=None):
    """One-hot rows e_y of shape (n, n_classes)."""
    xp = B.namespace(y)
    dtype = dtype if dtype is not None else (like.dtype if like is not None else xp.float64)
    return xp.astype(y[:, None] == xp.arange(n_classes, device=B.device(y))[None, :], dtype)


def mse_loss(pred, target, *, reduction: str = "mean"):
    """Mean squared error over all entries (PyTorch's convention).

    .. math:: \\ell = \\frac{1}{N} \\sum_{i} (\\hat y_i - y_i)^2

    Raises
    ------
    ShapeError
        If ``pred`` and ``target`` differ in shape.
    """
    check_array(pred, "pred", nonempty=True)
    check_array(target, "target")
    if shape_of(pred) != shape_of(target):
        raise ShapeError(f"pred and target must have the same shape, got {shape_of(pred)} and {shape_of(target)}")
    d = pred - target
    return _reduce(d * d, reduction)


def nll_loss(log_probs, y, *, reduction: str = "mean"):
    """Negative log-likelihood of integer labels given log-probabilities.

    .. math:: \\ell_i = -\\log p_{i, y_i}
    """
    _check_logits(log_probs, "log_probs")
    check_labels(y, shape_of(log_probs)[0], shape_of(log_probs)[1])
    xp = B.namespace(log_probs)
    picked = xp.take_along_axis(log_probs, xp.reshape(y, (-1, 1)), axis=1)[:, 0]
    return _reduce(-picked, reduction)


def cross_entropy(logits, y, *, reduction: str = "mean"):
    """Cross-entropy of integer labels under the softmax of the logits.

    .. math:: \\ell_i = -\\log \\operatorname{softmax}(z_i)_{y_i}
              = \\log\\sum_j e^{z_{ij}} - z_{i y_i} = \\mathrm{KL}(e_{y_i} \\,\\|\\, p_i)

    Parameters
    ----------
    logits : array of shape (n, C)
    y : int array of shape (n,), values in [0, C)

    Raises
    ------
    ShapeError, DomainError
        Wrong shapes, NaN logits, labels outside [0, C) or an empty batch.

    Curriculum: A5.

    Examples
    --------
    >>> import numpy as np
    >>> round(float(cross_entropy(np.zeros((1, 4)), np.array([2]))), 6)  # log 4
    1.386294
    """
    _check_logits(logits)
    return nll_loss(log_softmax(logits), y, reduction=reduction)


def _check_binary(scores, y):
    check_array(scores, "scores", ndim=1, nonempty=True)
    check_array(y, "y", ndim=1)
    if shape_of(y) != shape_of(scores):
        raise ShapeError(f"y must have shape {shape_of(scores)} like scores, got {shape_of(y)}")
    xp = B.namespace(y)
    if not bool(xp.all((y == 1) | (y == -1))):
        raise DomainError("y must hold binary labels in {-1, +1}")


def hinge_loss(scores, y, *, reduction: str = "mean"):
    """Hinge loss of binary labels y ∈ {−1, +1}.

    .. math:: \\ell_i = \\max(0, 1 - y_i s_i)
    """
    _check_binary(scores, y)
    xp = B.namespace(scores)
    m = 1 - xp.astype(y, scores.dtype) * scores
    return _reduce(xp.where(m > 0, m, xp.zeros_like(m)), reduction)


def logistic_loss(scores, y, *, reduction: str = "mean"):
    """Logistic loss of binary labels y ∈ {−1, +1}, computed as a softplus.

    .. math:: \\ell_i = \\log(1 + e^{-y_i s_i})
    """
    _check_binary(scores, y)
    xp = B.namespace(scores)
    return _reduce(softplus(-xp.astype(y, scores.dtype) * scores), reduction)


def accuracy(outputs, y) -> float:
    """Fraction of correct predictions: argmax of (n, C) logits/probabilities, or the sign of (n,)
    binary scores against labels in {−1, +1}.

    Examples
    --------
    >>> import numpy as np
    >>> accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([0, 0]))
    0.5
    """
    xp = B.namespace(outputs)
    if len(shape_of(outputs)) == 1:
        _check_binary(outputs, y)
        pred = xp.where(outputs > 0, 1, -1)
        return float(xp.mean(xp.astype(pred == y, xp.float64)))
    _check_logits(outputs, "outputs")
    check_labels(y, shape_of(outputs)[0], shape_of(outputs)[1])
    return float(xp.mean(xp.astype(xp.argmax(outputs, axis=1) == y, xp.float64)))


# ----------------------------------------------------------------- gradients of the losses


def _scale(n, reduction):
    return 1.0 / n if reduction == "mean" else 1.0


def loss_grad(name: str, out, y, *, reduction: str = "mean"):
    """∂ℓ/∂(output) for the loss called ``name``: the δ_L of backpropagation.

    .. math:: \\frac{\\partial \\ell_{CE}}{\\partial z} = \\frac{1}{n}(\\operatorname{softmax}(z) - e_y),
              \\qquad \\frac{\\partial \\ell_{MSE}}{\\partial \\hat y} = \\frac{2}{N}(\\hat y - y)

    Parameters
    ----------
    name : {'cross_entropy', 'mse', 'hinge', 'logistic'}
    out : array
        The network output (logits, predictions or scores).
    y : array
        Labels or targets.
    reduction : {'mean', 'sum'}

    Curriculum: A5, A7.
    """
    xp = B.namespace(out)
    if name == "cross_entropy":
        _check_logits(out)
        check_labels(y, shape_of(out)[0], shape_of(out)[1])
        return (softmax(out) - one_hot(y, shape_of(out)[1], like=out)) * _scale(shape_of(out)[0], reduction)
    if name == "mse":
        mse_loss(out, target=y)
        n = 1
        for s in shape_of(out):
            n *= s
        return 2 * (out - y) * _scale(n, reduction)
    if name in ("hinge", "logistic"):
        _check_binary(out, y)
        yf = xp.astype(y, out.dtype)
        if name == "hinge":
            g = xp.where(1 - yf * out > 0, -yf, xp.zeros_like(yf))
        else:
            g = -yf * sigmoid(-yf * out)
        return g * _scale(shape_of(out)[0], reduction)
    raise AimathError(f"loss must be one of {sorted(LOSSES)}, got {name!r}")


LOSSES = {"cross_entropy": cross_entropy, "mse": mse_loss, "hinge": hinge_loss, "logistic": logistic_loss}
"""Array losses by name."""
