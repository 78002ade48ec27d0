"""The Bernoulli distribution.

Curriculum: B13.
"""

from __future__ import annotations

from aimath.backend import uniform as _std_uniform
from aimath.errors import DomainError
from aimath.prob._common import params, safe_log, softplus, value, xlogy
from aimath.prob.distribution import Distribution

__all__ = ["Bernoulli"]


class Bernoulli(Distribution):
    r"""Bernoulli distribution on :math:`\{0, 1\}` with success probability :math:`p`.

    .. math::
        \log p(x) = x \log p + (1 - x)\log(1 - p)
                  = -x\,\mathrm{softplus}(-\ell) - (1-x)\,\mathrm{softplus}(\ell)

    with :math:`p` = ``probs`` or :math:`\ell = \log\frac{p}{1-p}` = ``logits`` (exactly one
    must be given; the logit form is evaluated stably). ``log_prob`` is ``-inf`` off
    :math:`\{0, 1\}`. Samples are floating 0/1 values of the parameters' dtype.

    Parameters
    ----------
    probs : float or array of shape batch_shape, optional
        Success probabilities in [0, 1].
    logits : float or array of shape batch_shape, optional
        Log-odds.

    Raises
    ------
    DomainError
        ``probs`` outside [0, 1], or not exactly one of ``probs``/``logits`` given.

    Curriculum: B13.

    Examples
    --------
    >>> d = Bernoulli(probs=0.25)
    >>> float(d.mean), float(d.variance), round(float(d.entropy()), 6)
    (0.25, 0.1875, 0.562335)
    """

    def __init__(self, probs=None, logits=None):
        if (probs is None) == (logits is None):
            raise DomainError("Bernoulli needs exactly one of probs or logits")
        xp = None
        if probs is not None:
            xp, (p,) = params(probs, names=("probs",))
            lo, hi = float(xp.min(p)), float(xp.max(p))
            if lo < 0 or hi > 1:
                raise DomainError(f"probs must lie in [0, 1], got entries in [{lo:.6g}, {hi:.6g}]")
            self.probs = p
            self.logits = safe_log(p) - safe_log(1 - p)
            self._param_names = ("probs",)
        else:
            xp, (l_,) = params(logits, names=("logits",))
            self.logits = l_
            self.probs = 1.0 / (1.0 + xp.exp(-l_))
            self._param_names = ("logits",)

    def sample(self, rng=None, shape=()):
        u = _std_uniform(rng, self._shape(shape) + self.batch_shape, dtype=self.dtype, like=self.probs)
        return self.xp.astype(u < self.probs, self.dtype)

    def log_prob(self, x):
        xp = self.xp
        x = value(x, self.probs)
        if self._param_names == ("probs",):  # exact at p = 0 or 1
            lp = xlogy(x, self.probs + 0 * x) + xlogy(1 - x, 1 - self.probs + 0 * x)
        else:
            lp = -x * softplus(-self.logits) - (1 - x) * softplus(self.logits)
        ok = (x == 0) | (x == 1)
        return xp.where(ok, lp, xp.full_like(lp, -float("inf")))

    def score(self, x):
        raise NotImplementedError("Bernoulli is discrete: the score ∇ₓ log p(x) is not defined")

    @property
    def mean(self):
        return self.probs

    @property
    def variance(self):
        return self.probs * (1 - self.probs)

    def entropy(self):
        r""":math:`-p\log p - (1-p)\log(1-p)` with :math:`0 \log 0 = 0`."""
        p = self.probs
        return -xlogy(p, p) - xlogy(1 - p, 1 - p)

    def cdf(self, x):
        xp = self.xp
        x = value(x, self.probs)
        q = 1 - self.probs + 0 * x
        return xp.where(x < 0, xp.zeros_like(q), xp.where(x < 1, q, xp.ones_like(q)))
