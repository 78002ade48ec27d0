"""The beta distribution.

Curriculum: B13.
"""

from __future__ import annotations

from aimath.prob._common import betainc, betaincinv, betaln, check_positive_param, digamma, params, value, xlogy
from aimath.prob.distribution import Distribution
from aimath.prob.gamma import standard_gamma

__all__ = ["Beta"]


class Beta(Distribution):
    r"""Beta distribution on [0, 1].

    .. math::
        \log p(x) = (a-1)\log x + (b-1)\log(1-x) - \log B(a, b), \qquad
        \nabla_x \log p(x) = \frac{a-1}{x} - \frac{b-1}{1-x}

    with :math:`a` = ``a`` and :math:`b` = ``b`` (NumPy's and SciPy's names). ``log_prob`` is
    ``-inf`` outside [0, 1]. Sampling: :math:`X/(X+Y)` with independent
    :math:`X \sim \mathrm{Gamma}(a)`, :math:`Y \sim \mathrm{Gamma}(b)`.

    Parameters
    ----------
    a, b : float or array of shape batch_shape
        Positive concentrations.

    Raises
    ------
    DomainError
        A non-positive or non-finite parameter.

    Curriculum: B13.

    Examples
    --------
    >>> d = Beta(2.0, 3.0)
    >>> float(d.mean), round(float(d.variance), 6), round(float(d.cdf(0.5)), 6)
    (0.4, 0.04, 0.6875)
    """

    _param_names = ("a", "b")

    def __init__(self, a, b):
        _, (self.a, self.b) = params(a, b, names=("a", "b"))
        check_positive_param(self.a, "a")
        check_positive_param(self.b, "b")

    def sample(self, rng=None, shape=()):
        from aimath.backend import as_generator

        g = as_generator(rng, like=self.a)
        x = standard_gamma(g, self.a, self._shape(shape))
        y = standard_gamma(g, self.b, self._shape(shape))
        return x / (x + y)

    def log_prob(self, x):
        xp = self.xp
        x = value(x, self.a)
        inside = (x >= 0) & (x <= 1)
        xs = xp.where(inside, x, xp.full_like(x, 0.5))
        lp = xlogy(self.a - 1 + 0 * xs, xs) + xlogy(self.b - 1 + 0 * xs, 1 - xs) - betaln(self.a, self.b)
        return xp.where(inside, lp, xp.full_like(lp, -float("inf")))

    def score(self, x):
        x = value(x, self.a)
        return (self.a - 1) / x - (self.b - 1) / (1 - x)

    @property
    def mean(self):
        return self.a / (self.a + self.b)

    @property
    def variance(self):
        s = self.a + self.b
        return self.a * self.b / (s * s * (s + 1))

    def entropy(self):
        r""":math:`\log B(a,b) - (a-1)\psi(a) - (b-1)\psi(b) + (a+b-2)\psi(a+b)`."""
        a, b = self.a, self.b
        return betaln(a, b) - (a - 1) * digamma(a) - (b - 1) * digamma(b) + (a + b - 2) * digamma(a + b)

    def cdf(self, x):
        r"""The regularised incomplete beta function :math:`I_x(a, b)`."""
        xp = self.xp
        x = xp.clip(value(x, self.a), 0.0, 1.0)
        return betainc(self.a + 0 * x, self.b + 0 * x, x)

    def icdf(self, p):
        p = value(p, self.a, "p")
        return betaincinv(self.a + 0 * p, self.b + 0 * p, p)
