"""The univariate normal distribution.

Curriculum: B13.
"""

from __future__ import annotations

from aimath.backend import normal as _std_normal
from aimath.prob._common import LOG_2PI, check_positive_param, ndtr, ndtri, params, value
from aimath.prob.distribution import Distribution

__all__ = ["Normal"]


class Normal(Distribution):
    r"""Normal distribution :math:`\mathcal N(\mu, \sigma^2)`.

    .. math::
        \log p(x) = -\frac{(x-\mu)^2}{2\sigma^2} - \log\sigma - \tfrac12\log 2\pi, \qquad
        \nabla_x \log p(x) = -\frac{x-\mu}{\sigma^2}

    with :math:`\mu` = ``loc`` and :math:`\sigma` = ``scale``.

    Parameters
    ----------
    loc : float or array of shape batch_shape
        Mean :math:`\mu`.
    scale : float or array of shape batch_shape
        Standard deviation :math:`\sigma > 0`.

    Raises
    ------
    DomainError
        ``scale`` not positive, or a parameter not finite.

    Curriculum: B13.

    Examples
    --------
    >>> d = Normal(0.0, 2.0)
    >>> float(d.log_prob(0.0))  # -log(2) - log(2π)/2
    -1.612085713764618
    >>> float(d.cdf(0.0)), float(d.icdf(0.5))
    (0.5, 0.0)
    """

    _param_names = ("loc", "scale")

    def __init__(self, loc=0.0, scale=1.0):
        _, (self.loc, self.scale) = params(loc, scale, names=("loc", "scale"))
        check_positive_param(self.scale, "scale")

    def sample(self, rng=None, shape=()):
        z = _std_normal(rng, self._shape(shape) + self.batch_shape, dtype=self.dtype, like=self.loc)
        return self.loc + self.scale * z

    def log_prob(self, x):
        x = value(x, self.loc)
        z = (x - self.loc) / self.scale
        return -0.5 * z * z - self.xp.log(self.scale) - 0.5 * LOG_2PI

    def score(self, x):
        x = value(x, self.loc)
        return -(x - self.loc) / (self.scale * self.scale)

    @property
    def mean(self):
        return self.loc

    @property
    def variance(self):
        return self.scale * self.scale

    @property
    def stddev(self):
        return self.scale

    def entropy(self):
        r""":math:`\tfrac12 \log(2\pi e \sigma^2)`."""
        return self.xp.log(self.scale) + 0.5 * (LOG_2PI + 1.0)

    def cdf(self, x):
        r""":math:`\Phi((x-\mu)/\sigma)`."""
        x = value(x, self.loc)
        return ndtr((x - self.loc) / self.scale)

    def icdf(self, p):
        r""":math:`\mu + \sigma\,\Phi^{-1}(p)` (``±inf`` at 0 and 1, NaN outside [0, 1])."""
        p = value(p, self.loc, "p")
        return self.loc + self.scale * ndtri(p)

