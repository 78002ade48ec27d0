"""Loss versus accuracy (A9): how small the cross-entropy must be to force confident, correct
predictions, and a path along which the loss falls while the accuracy falls too.

Curriculum: A9.
"""

from __future__ import annotations

import math

import numpy as np

from aimath import backend as B
from aimath.errors import DomainError, check_array, shape_of
from aimath.nn.activations import log_softmax
from aimath.nn.losses import check_labels, cross_entropy

__all__ = ["true_class_probability", "low_confidence_fraction", "confidence_bound", "loss_accuracy_path"]


def true_class_probability(logits, y):
    """p_{i, y_i}, the soft classifier's probability of the true class, from logits (n, C)."""
    check_array(logits, "logits", ndim=2, nonempty=True)
    check_labels(y, shape_of(logits)[0], shape_of(logits)[1])
    xp = B.namespace(logits)
    return xp.exp(xp.take_along_axis(log_softmax(logits), xp.reshape(y, (-1, 1)), axis=1)[:, 0])


def _check_delta(delta):
    if not 0 < delta < 1:
        raise DomainError(f"delta must lie in (0, 1), got {delta}")


def low_confidence_fraction(logits, y, delta: float) -> float:
    """Fraction of samples whose true-class probability is at most δ.

    .. math:: \\frac{1}{n} \\#\\{i : p_{i, y_i} \\le \\delta\\}

    Curriculum: A9.
    """
    _check_delta(delta)
    xp = B.namespace(logits)
    return float(xp.mean(xp.astype(true_class_probability(logits, y) <= delta, xp.float64)))


def confidence_bound(logits, y, delta: float) -> float:
    """Markov's bound on the low-confidence fraction by the mean cross-entropy.

    .. math:: \\frac{1}{n}\\#\\{i : p_{i,y_i} \\le \\delta\\} \\le \\frac{\\bar\\ell_{CE}}{-\\log \\delta},
              \\qquad \\bar\\ell_{CE} = -\\frac1n \\sum_i \\log p_{i, y_i}

    since each sample with p_{i,y_i} ≤ δ contributes at least −log δ to the sum.
    In particular a summed CE below log 2 forces every p_{i,y_i} > 1/2, hence
    100 % training accuracy.

    Parameters
    ----------
    logits : array of shape (n, C)
    y : int array of shape (n,)
    delta : float in (0, 1)

    Returns
    -------
    float
        The right-hand side (may exceed 1).

    Curriculum: A9.

    Examples
    --------
    >>> import numpy as np
    >>> z, y = np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([0, 0])
    >>> low_confidence_fraction(z, y, 0.3) <= confidence_bound(z, y, 0.3)
    True
    """
    _check_delta(delta)
    return float(cross_entropy(logits, y)) / -math.log(delta)


def loss_accuracy_path(n_points: int = 41, *, n_samples: int = 4, margin: float = 0.1, target: float = 3.0):
    """A constructed training path along which the mean cross-entropy strictly decreases while the
    accuracy decreases.

    Two classes, ``n_samples`` samples of class 0 with logit gaps (z_0 − z_1) that move linearly
    in t ∈ [0, 1]: sample 0 from +m to −m (it becomes misclassified), the others from +m to
    +G = ``target`` (they become confident). The mean CE, (1/n)Σ softplus(−gap_i), falls strictly:
    its t-derivative is at most 2m σ(m) − (n − 1)(G − m) σ(−G), negative for m ≤ 0.1, G = 3 and
    any n ≥ 2; accuracy drops from 1 to (n − 1)/n once sample 0 crosses the boundary at t = 1/2.

    Returns
    -------
    ts : array of shape (T,)
    logits : array of shape (T, n_samples, 2)
    y : int array of shape (n_samples,)

    Raises
    ------
    DomainError
        If ``n_samples < 2`` or ``margin`` is not in (0, target).

    Curriculum: A9.

    Examples
    --------
    >>> ts, Z, y = loss_accuracy_path(5)
    >>> Z.shape
    (5, 4, 2)
    """
    if n_samples < 2:
        raise DomainError(f"n_samples must be at least 2, got {n_samples}")
    if not 0 < margin < target:
        raise DomainError(f"margin must lie in (0, target), got margin={margin}, target={target}")
    ts = np.linspace(0.0, 1.0, int(n_points))
    end = np.full(n_samples, float(target))
    end[0] = -margin
    gaps = margin + ts[:, None] * (end - margin)[None, :]
    logits = np.stack([gaps / 2, -gaps / 2], axis=-1)
    return ts, logits, np.zeros(n_samples, dtype=np.int64)
