"""The Dirichlet distribution on the probability simplex.

Curriculum: B13.
"""

from __future__ import annotations

from aimath.errors import ShapeError, shape_of
from aimath.prob._common import check_positive_param, dev, digamma, gammaln, params, value, xlogy
from aimath.prob.distribution import Distribution
from aimath.prob.gamma import standard_gamma

__all__ = ["Dirichlet"]


class Dirichlet(Distribution):
    r"""Dirichlet distribution on the simplex :math:`\{x \in [0,1]^k : \sum_j x_j = 1\}`.

    .. math::
        \log p(x) = \sum_j (\alpha_j - 1)\log x_j - \log B(\alpha), \qquad
        \log B(\alpha) = \sum_j \log\Gamma(\alpha_j) - \log\Gamma\big(\textstyle\sum_j \alpha_j\big)

    with :math:`\alpha` = ``concentration`` (last axis). ``log_prob`` is ``-inf`` off the simplex
    (negative entries or sums off 1 by more than 1e-6 relative). ``score`` is the ambient
    gradient :math:`(\alpha_j - 1)/x_j`. Sampling normalises independent gamma draws.

    Parameters
    ----------
    concentration : array of shape (..., k)
        Positive, ``k ≥ 2``.

    Raises
    ------
    DomainError
        A non-positive or non-finite concentration.
    ShapeError
        Fewer than two categories.

    Curriculum: B13.

    Examples
    --------
    >>> import numpy as np
    >>> d = Dirichlet(np.array([1.0, 2.0, 3.0]))
    >>> d.mean
    array([0.16666667, 0.33333333, 0.5       ])
    """

    event_ndim = 1
    _param_names = ("concentration",)

    def __init__(self, concentration):
        _, (self.concentration,) = params(concentration, names=("concentration",))
        s = shape_of(self.concentration)
        if len(s) < 1 or s[-1] < 2:
            raise ShapeError(f"concentration must have shape (..., k) with k >= 2, got shape {s}")
        check_positive_param(self.concentration, "concentration")

    def _log_norm(self):
        a = self.concentration
        return self.xp.sum(gammaln(a), axis=-1) - gammaln(self.xp.sum(a, axis=-1))

    def sample(self, rng=None, shape=()):
        g = standard_gamma(rng, self.concentration, self._shape(shape))
        return g / self.xp.sum(g, axis=-1, keepdims=True)

    def log_prob(self, x):
        xp = self.xp
        x = value(x, self.concentration)
        tol = 1e-4 if x.dtype == xp.float32 else 1e-6
        ok = xp.all(x >= 0, axis=-1) & (xp.abs(xp.sum(x, axis=-1) - 1) <= tol)
        xs = xp.where(x >= 0, x, xp.ones_like(x))
        lp = xp.sum(xlogy(self.concentration - 1 + 0 * xs, xs), axis=-1) - self._log_norm()
        return xp.where(ok, lp, xp.full_like(lp, -float("inf")))

    def score(self, x):
        x = value(x, self.concentration)
        return (self.concentration - 1) / x

    @property
    def mean(self):
        a = self.concentration
        return a / self.xp.sum(a, axis=-1, keepdims=True)

    @property
    def variance(self):
        a = self.concentration
        a0 = self.xp.sum(a, axis=-1, keepdims=True)
        return a * (a0 - a) / (a0 * a0 * (a0 + 1))

    @property
    def covariance(self):
        r""":math:`\mathrm{Cov}(x_i, x_j) = (\delta_{ij}\tilde\alpha_i - \tilde\alpha_i\tilde\alpha_j)/(\alpha_0+1)`."""
        xp = self.xp
        m = self.mean
        a0 = xp.sum(self.concentration, axis=-1)[..., None, None]
        k = shape_of(m)[-1]
        eye = xp.eye(k, dtype=m.dtype, **dev(m))
        return (eye * m[..., None, :] - m[..., :, None] * m[..., None, :]) / (a0 + 1)

    def entropy(self):
        r""":math:`\log B(\alpha) + (\alpha_0 - k)\psi(\alpha_0) - \sum_j(\alpha_j - 1)\psi(\alpha_j)`."""
        xp = self.xp
        a = self.concentration
        a0 = xp.sum(a, axis=-1)
        k = shape_of(a)[-1]
        return self._log_norm() + (a0 - k) * digamma(a0) - xp.sum((a - 1) * digamma(a), axis=-1)
