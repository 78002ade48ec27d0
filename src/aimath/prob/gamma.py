"""The gamma distribution and the Marsaglia–Tsang sampler (also used by Beta and Dirichlet).

Curriculum: B13.
"""

from __future__ import annotations

from aimath.backend import namespace
from aimath.backend import normal as _std_normal
from aimath.backend import uniform as _std_uniform
from aimath.errors import ConvergenceError
from aimath.prob._common import (
    check_positive_param,
    dev,
    digamma,
    gammainc,
    gammaincinv,
    gammaln,
    params,
    value,
    xlogy,
)
from aimath.prob.distribution import Distribution

__all__ = ["Gamma", "standard_gamma"]


def standard_gamma(rng, concentration, shape=(), *, max_rounds: int = 200):
    r"""Draws from :math:`\mathrm{Gamma}(\alpha, 1)` by Marsaglia and Tsang's squeeze method.

    For :math:`\alpha \ge 1`, with :math:`d = \alpha - 1/3`, :math:`c = 1/\sqrt{9d}`: draw
    :math:`Z \sim \mathcal N(0,1)`, :math:`U \sim \mathcal U(0,1)`, :math:`V = (1 + cZ)^3`, and
    accept :math:`dV` when

    .. math::
        V > 0 \quad\text{and}\quad \log U < \tfrac12 Z^2 + d - dV + d\log V.

    For :math:`\alpha < 1` a draw for :math:`\alpha + 1` is multiplied by :math:`U^{1/\alpha}`.
    All entries are proposed together; only rejected ones are redrawn (acceptance ≥ 95 %).

    Parameters
    ----------
    rng : int, Generator or None
    concentration : array of shape batch_shape
        :math:`\alpha > 0`.
    shape : tuple of int
        Sample shape prepended to the batch shape.

    Returns
    -------
    array of shape ``shape + batch_shape``

    Curriculum: B13.
    """
    from aimath.backend import as_generator

    xp = namespace(concentration)
    alpha = concentration
    g = as_generator(rng, like=alpha)
    full = tuple(shape) + tuple(alpha.shape)
    alpha = xp.reshape(alpha + xp.zeros(full, dtype=alpha.dtype, **dev(alpha)), (-1,))
    small = alpha < 1
    d = xp.where(small, alpha + 1, alpha) - 1.0 / 3.0
    c = 1.0 / xp.sqrt(9.0 * d)
    out = xp.zeros_like(alpha)
    todo = xp.arange(alpha.shape[0], **dev(alpha))  # flat indices still to draw
    for _ in range(max_rounds):
        dt, ct = d[todo], c[todo]
        m = (int(todo.shape[0]),)
        z = _std_normal(g, m, dtype=alpha.dtype, like=alpha)
        u = _std_uniform(g, m, dtype=alpha.dtype, like=alpha)
        w = 1 + ct * z
        v = w * w * w
        vpos = v > 0
        vs = xp.where(vpos, v, xp.ones_like(v))
        ok = vpos & (xp.log(u) < 0.5 * z * z + dt - dt * vs + dt * xp.log(vs))
        out[todo[ok]] = (dt * vs)[ok]
        todo = todo[~ok]
        if todo.shape[0] == 0:
            break
    else:  # pragma: no cover - probability (0.05)^200
        raise ConvergenceError("standard_gamma: rejection sampler did not finish", iterate=out)
    u = _std_uniform(g, (int(alpha.shape[0]),), dtype=alpha.dtype, like=alpha)
    boost = xp.exp(xp.log(u) / alpha)
    return xp.reshape(xp.where(small, out * boost, out), full)




class Gamma(Distribution):
    r"""Gamma distribution with shape :math:`\alpha` and rate :math:`\beta`.

    .. math::
        \log p(x) = \alpha\log\beta + (\alpha-1)\log x - \beta x - \log\Gamma(\alpha), \quad x > 0,
        \qquad \nabla_x \log p(x) = \frac{\alpha - 1}{x} - \beta

    with :math:`\alpha` = ``concentration`` and :math:`\beta` = ``rate`` (SciPy's
    ``gamma(a=α, scale=1/β)``). ``log_prob`` is ``-inf`` for :math:`x < 0`.

    Parameters
    ----------
    concentration, rate : float or array of shape batch_shape
        Both positive.

    Raises
    ------
    DomainError
        A non-positive or non-finite parameter.

    Curriculum: B13.

    Examples
    --------
    >>> d = Gamma(2.0, 0.5)
    >>> float(d.mean), float(d.variance)
    (4.0, 8.0)
    >>> round(float(d.cdf(4.0)), 6)
    0.593994
    """

    _param_names = ("concentration", "rate")

    def __init__(self, concentration, rate=1.0):
        _, (self.concentration, self.rate) = params(concentration, rate, names=("concentration", "rate"))
        check_positive_param(self.concentration, "concentration")
        check_positive_param(self.rate, "rate")

    def sample(self, rng=None, shape=()):
        return standard_gamma(rng, self.concentration, self._shape(shape)) / self.rate

    def log_prob(self, x):
        xp = self.xp
        x = value(x, self.rate)
        a, b = self.concentration, self.rate
        xs = xp.where(x >= 0, x, xp.ones_like(x))
        lp = a * xp.log(b) + xlogy(a - 1 + 0 * xs, xs) - b * xs - gammaln(a)
        return xp.where(x >= 0, lp, xp.full_like(lp, -float("inf")))

    def score(self, x):
        x = value(x, self.rate)
        return (self.concentration - 1) / x - self.rate

    @property
    def mean(self):
        return self.concentration / self.rate

    @property
    def variance(self):
        return self.concentration / (self.rate * self.rate)

    def entropy(self):
        r""":math:`\alpha - \log\beta + \log\Gamma(\alpha) + (1-\alpha)\psi(\alpha)`."""
        a = self.concentration
        return a - self.xp.log(self.rate) + gammaln(a) + (1 - a) * digamma(a)

    def cdf(self, x):
        r"""The regularised lower incomplete gamma function :math:`P(\alpha, \beta x)`."""
        xp = self.xp
        x = value(x, self.rate)
        return gammainc(self.concentration + 0 * x, xp.clip(self.rate * x, 0.0, None))

    def icdf(self, p):
        p = value(p, self.rate, "p")
        return gammaincinv(self.concentration + 0 * p, p) / self.rate
