"""Information measures of discrete distributions given as probability tables.

All measures are in nats by default (``base=2`` gives bits), use the convention
:math:`0 \\log 0 = 0`, batch over leading axes, and reject negative or non-normalised input with
:class:`~aimath.errors.DomainError`. Joint tables have the variables on their last axes:
``p[..., x, y]`` is :math:`P(X = x, Y = y)`.

Curriculum: B14.
"""

from __future__ import annotations

import math

from aimath.backend import asarray, namespace
from aimath.errors import DomainError, ShapeError, check_array, shape_of
from aimath.prob._common import xlogy

__all__ = [
    "entropy",
    "cross_entropy",
    "kl",
    "js_divergence",
    "joint_entropy",
    "conditional_entropy",
    "mutual_information",
]


def _table(p, name, axes):
    """Validate a probability table that sums to 1 over ``axes``; returns it as floats."""
    p = asarray(p, dtype="float")
    xp = namespace(p)
    check_array(p, name, min_ndim=len(axes), finite=True)
    s = shape_of(p)
    if any(s[a] == 0 for a in axes):
        raise ShapeError(f"{name} must have at least one outcome per variable, got shape {s}")
    if 0 in s:
        return p, xp
    lo = float(xp.min(p))
    if lo < 0:
        raise DomainError(f"{name} must be non-negative, got minimum entry {lo:.6g}")
    tot = xp.sum(p, axis=axes)
    dev = float(xp.max(xp.abs(tot - 1)))
    tol = 1e-5 if p.dtype == xp.float32 else 1e-8
    if dev > tol:
        raise DomainError(f"{name} must sum to 1, got sums off by up to {dev:.3g} (tolerance {tol:g})")
    return p, xp


def _unit(base):
    if base is None:
        return 1.0
    b = float(base)
    if not (b > 0 and b != 1 and math.isfinite(b)):
        raise DomainError(f"base must be positive, finite and not 1, got {base}")
    return math.log(b)


def _pair(p, q, names=("p", "q")):
    p, xp = _table(p, names[0], (-1,))
    q, _ = _table(asarray(q, dtype=p.dtype, like=p), names[1], (-1,))
    if shape_of(p)[-1] != shape_of(q)[-1]:
        raise ShapeError(f"{names[0]} and {names[1]} must have the same number of outcomes, "
                         f"got shapes {shape_of(p)} and {shape_of(q)}")
    return p, q, xp


def entropy(p, *, base=None):
    r"""Shannon entropy :math:`H(p) = -\sum_i p_i \log p_i` over the last axis.

    .. math::
        H(p) = -\sum_i p_i \log p_i, \qquad 0 \log 0 = 0

    Parameters
    ----------
    p : array of shape (..., n)
        Probabilities (non-negative, summing to 1 along the last axis).
    base : float, optional
        Logarithm base (default e, nats).

    Returns
    -------
    array of shape (...)

    Raises
    ------
    DomainError
        Negative, non-finite or non-normalised ``p``; invalid ``base``.
    ShapeError
        No outcomes.

    Curriculum: B14.

    Examples
    --------
    >>> entropy([0.5, 0.5], base=2)
    np.float64(1.0)
    """
    p, xp = _table(p, "p", (-1,))
    return -xp.sum(xlogy(p, p), axis=-1) / _unit(base)


def cross_entropy(p, q, *, base=None):
    r"""Cross-entropy :math:`H(p, q) = -\sum_i p_i \log q_i` (``inf`` where :math:`q_i = 0 < p_i`).

    .. math::
        H(p, q) = -\sum_i p_i \log q_i = H(p) + \mathrm{KL}(p\,\|\,q)

    Parameters
    ----------
    p, q : array of shape (..., n)
        Probability vectors (broadcast against each other).
    base : float, optional

    Returns
    -------
    array of shape (...)

    Raises
    ------
    DomainError, ShapeError

    Curriculum: B14.

    Examples
    --------
    >>> float(cross_entropy([1.0, 0.0], [0.5, 0.5]))
    0.6931471805599453
    """
    p, q, xp = _pair(p, q)
    return -xp.sum(xlogy(p, q + 0 * p), axis=-1) / _unit(base)


def kl(p, q, *, base=None):
    r"""Kullback–Leibler divergence :math:`\mathrm{KL}(p\,\|\,q) = \sum_i p_i \log(p_i / q_i)`.

    .. math::
        \mathrm{KL}(p\,\|\,q) = \sum_{i : p_i > 0} p_i \log\frac{p_i}{q_i} \;\ge\; 0

    Terms with :math:`p_i = 0` contribute 0; a :math:`q_i = 0 < p_i` gives ``inf``.

    Parameters
    ----------
    p, q : array of shape (..., n)
    base : float, optional

    Returns
    -------
    array of shape (...)

    Raises
    ------
    DomainError, ShapeError

    Curriculum: B14.

    Examples
    --------
    >>> round(float(kl([0.5, 0.5], [0.9, 0.1])), 6)
    0.510826
    """
    p, q, xp = _pair(p, q)
    q = q + 0 * p
    return xp.sum(xlogy(p, p) - xlogy(p, q), axis=-1) / _unit(base)


def js_divergence(p, q, *, base=None):
    r"""Jensen–Shannon divergence :math:`\tfrac12\mathrm{KL}(p\|m) + \tfrac12\mathrm{KL}(q\|m)`, :math:`m = (p+q)/2`.

    .. math::
        \mathrm{JS}(p, q) = H(m) - \tfrac12 H(p) - \tfrac12 H(q) \in [0, \log 2]

    Parameters
    ----------
    p, q : array of shape (..., n)
    base : float, optional

    Returns
    -------
    array of shape (...)

    Raises
    ------
    DomainError, ShapeError

    Curriculum: B14.

    Examples
    --------
    >>> float(js_divergence([1.0, 0.0], [0.0, 1.0], base=2))
    1.0
    """
    p, q, xp = _pair(p, q)
    m = 0.5 * (p + q)
    return 0.5 * (xp.sum(xlogy(p, p) - xlogy(p, m), axis=-1) + xp.sum(xlogy(q, q) - xlogy(q, m), axis=-1)) / _unit(base)


def joint_entropy(pxy, *, base=None):
    r"""Joint entropy :math:`H(X, Y) = -\sum_{x,y} p(x,y)\log p(x,y)` of a table on the last two axes.

    .. math::
        H(X, Y) = -\sum_{x, y} p(x, y) \log p(x, y)

    Parameters
    ----------
    pxy : array of shape (..., nx, ny)
        Joint probabilities summing to 1 over the last two axes.
    base : float, optional

    Returns
    -------
    array of shape (...)

    Raises
    ------
    DomainError, ShapeError

    Curriculum: B14.

    Examples
    --------
    >>> import numpy as np
    >>> float(joint_entropy(np.full((2, 2), 0.25), base=2))
    2.0
    """
    p, xp = _table(pxy, "pxy", (-2, -1))
    return -xp.sum(xlogy(p, p), axis=(-2, -1)) / _unit(base)


def conditional_entropy(pxy, *, base=None):
    r"""Conditional entropy :math:`H(Y \mid X) = -\sum_{x,y} p(x,y)\log p(y \mid x)` (X on axis −2).

    .. math::
        H(Y \mid X) = -\sum_{x, y} p(x, y) \log\frac{p(x, y)}{p(x)}, \qquad p(x) = \sum_y p(x, y)

    Evaluated directly from the conditional :math:`p(y\mid x)`, not as :math:`H(X,Y) - H(X)`, so
    the chain rule :math:`H(X,Y) = H(X) + H(Y\mid X)` is a check rather than a definition.

    Parameters
    ----------
    pxy : array of shape (..., nx, ny)
    base : float, optional

    Returns
    -------
    array of shape (...)

    Raises
    ------
    DomainError, ShapeError

    Curriculum: B14.

    Examples
    --------
    >>> import numpy as np
    >>> abs(float(conditional_entropy(np.array([[0.5, 0.0], [0.0, 0.5]]))))  # Y = X
    0.0
    """
    p, xp = _table(pxy, "pxy", (-2, -1))
    px = xp.sum(p, axis=-1, keepdims=True)
    cond = p / xp.where(px > 0, px, xp.ones_like(px))
    return -xp.sum(xlogy(p, cond), axis=(-2, -1)) / _unit(base)


def mutual_information(pxy, *, base=None):
    r"""Mutual information :math:`I(X; Y) = \sum_{x,y} p(x,y)\log\frac{p(x,y)}{p(x)p(y)}`.

    .. math::
        I(X; Y) = \mathrm{KL}\big(p(x, y)\,\|\,p(x)\,p(y)\big) \;\ge\; 0,
        \quad = 0 \iff X \perp Y

    Parameters
    ----------
    pxy : array of shape (..., nx, ny)
        Joint probabilities (X on axis −2, Y on axis −1).
    base : float, optional

    Returns
    -------
    array of shape (...)

    Raises
    ------
    DomainError, ShapeError

    Curriculum: B14.

    Examples
    --------
    >>> import numpy as np
    >>> float(mutual_information(np.array([[0.5, 0.0], [0.0, 0.5]]), base=2))  # one bit
    1.0
    """
    p, xp = _table(pxy, "pxy", (-2, -1))
    px = xp.sum(p, axis=-1, keepdims=True)
    py = xp.sum(p, axis=-2, keepdims=True)
    return xp.sum(xlogy(p, p) - xlogy(p, px * py), axis=(-2, -1)) / _unit(base)
