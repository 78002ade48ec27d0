"""The continuous uniform distribution on an interval.

Curriculum: B13.
"""

from __future__ import annotations

from aimath.backend import uniform as _std_uniform
from aimath.errors import DomainError
from aimath.prob._common import params, value
from aimath.prob.distribution import Distribution

__all__ = ["Uniform"]


class Uniform(Distribution):
    r"""Uniform distribution on :math:`[a, b)`.

    .. math::
        p(x) = \frac{\mathbb 1[a \le x < b]}{b - a}, \qquad F(x) = \min(1, \max(0, (x-a)/(b-a)))

    with :math:`a` = ``low`` and :math:`b` = ``high``. ``log_prob`` is ``-inf`` outside
    :math:`[a, b)`; the score is 0 inside (the density is flat) and NaN outside.

    Parameters
    ----------
    low, high : float or array of shape batch_shape
        The end points, ``low < high``.

    Raises
    ------
    DomainError
        ``high <= low`` anywhere, or a parameter not finite.

    Curriculum: B13.

    Examples
    --------
    >>> d = Uniform(0.0, 4.0)
    >>> float(d.log_prob(1.0)), float(d.log_prob(5.0)), float(d.cdf(1.0))
    (-1.3862943611198906, -inf, 0.25)
    """

    _param_names = ("low", "high")

    def __init__(self, low=0.0, high=1.0):
        xp, (self.low, self.high) = params(low, high, names=("low", "high"))
        if not bool(xp.all(self.high > self.low)):
            gap = float(xp.min(self.high - self.low))
            raise DomainError(f"high must be greater than low, got min(high - low) = {gap:.6g}")

    def sample(self, rng=None, shape=()):
        u = _std_uniform(rng, self._shape(shape) + self.batch_shape, dtype=self.dtype, like=self.low)
        return self.low + (self.high - self.low) * u

    def _inside(self, x):
        return (x >= self.low) & (x < self.high)

    def log_prob(self, x):
        xp = self.xp
        x = value(x, self.low)
        lp = -xp.log(self.high - self.low) + xp.zeros_like(x)
        return xp.where(self._inside(x), lp, xp.full_like(lp, -float("inf")))

    def score(self, x):
        xp = self.xp
        x = value(x, self.low)
        z = xp.zeros_like(x + self.low)
        return xp.where(self._inside(x), z, xp.full_like(z, float("nan")))

    @property
    def mean(self):
        return 0.5 * (self.low + self.high)

    @property
    def variance(self):
        w = self.high - self.low
        return w * w / 12.0

    def entropy(self):
        r""":math:`\log(b - a)`."""
        return self.xp.log(self.high - self.low)

    def cdf(self, x):
        xp = self.xp
        x = value(x, self.low)
        return xp.clip((x - self.low) / (self.high - self.low), 0.0, 1.0)

    def icdf(self, p):
        p = value(p, self.low, "p")
        return self.low + (self.high - self.low) * p
