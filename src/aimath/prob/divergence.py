"""Kullback–Leibler divergence between distributions: closed forms and a Monte Carlo fallback.

Curriculum: B14.
"""

from __future__ import annotations

import math

from aimath.backend import namespace
from aimath.errors import ShapeError
from aimath.prob._common import betaln, digamma, gammaln, xlogy
from aimath.prob.bernoulli import Bernoulli
from aimath.prob.beta import Beta
from aimath.prob.categorical import Categorical
from aimath.prob.dirichlet import Dirichlet
from aimath.prob.distribution import Distribution
from aimath.prob.gamma import Gamma
from aimath.prob.mvn import MultivariateNormal
from aimath.prob.normal import Normal
from aimath.prob.sampling import MCEstimate
from aimath.prob.uniform import Uniform

__all__ = ["kl_divergence", "kl_monte_carlo", "register_kl"]

_KL: dict[tuple[type, type], object] = {}


def register_kl(type_p: type, type_q: type):
    """Decorator registering ``f(p, q)`` as the closed-form KL between two distribution types."""

    def deco(f):
        _KL[(type_p, type_q)] = f
        return f

    return deco


def _lookup(p, q):
    for tp in type(p).__mro__:
        for tq in type(q).__mro__:
            f = _KL.get((tp, tq))
            if f is not None:
                return f
    return None


def kl_monte_carlo(p: Distribution, q: Distribution, n_samples: int = 10_000, rng=None) -> MCEstimate:
    r"""Monte Carlo estimate of :math:`\mathrm{KL}(p\|q) = \mathbb E_p[\log p(X) - \log q(X)]`.

    .. math::
        \widehat{\mathrm{KL}} = \frac1n \sum_{i=1}^n \big(\log p(x_i) - \log q(x_i)\big),
        \quad x_i \sim p, \qquad \mathrm{se} = \hat s / \sqrt n

    Parameters
    ----------
    p, q : Distribution
        Same event shape; batch shapes broadcast.
    n_samples : int
        Number of draws :math:`n \ge 2`.
    rng : int, Generator or None

    Returns
    -------
    MCEstimate
        ``(estimate, se)``, each of the broadcast batch shape.

    Raises
    ------
    ShapeError
        Different event shapes.

    Curriculum: B14.

    Examples
    --------
    >>> est, se = kl_monte_carlo(Normal(0.0, 1.0), Normal(1.0, 1.0), 20_000, rng=0)
    >>> abs(float(est) - 0.5) < 5 * float(se)
    True
    """
    if p.event_shape != q.event_shape:
        raise ShapeError(f"p and q must have the same event shape, got {p.event_shape} and {q.event_shape}")
    n = int(n_samples)
    if n < 2:
        raise ValueError(f"n_samples must be at least 2, got {n_samples}")
    x = p.sample(rng, (n,))
    f = p.log_prob(x) - q.log_prob(x)
    xp = namespace(f)
    finite = xp.isfinite(f)
    fs = xp.where(finite, f, xp.zeros_like(f))
    est = xp.mean(fs, axis=0)
    se = xp.std(fs, axis=0, correction=1) / math.sqrt(n)
    inf = xp.any(f == float("inf"), axis=0)  # a draw where q vanishes: KL(p||q) = inf
    est = xp.where(inf, xp.full_like(est, float("inf")), est)
    se = xp.where(inf, xp.full_like(se, float("inf")), se)
    return MCEstimate(est, se)


def kl_divergence(p: Distribution, q: Distribution, *, method: str = "auto", n_samples: int = 10_000, rng=None):
    r"""Kullback–Leibler divergence :math:`\mathrm{KL}(p\,\|\,q) = \mathbb E_p\left[\log\frac{p(X)}{q(X)}\right]`.

    .. math::
        \mathrm{KL}(\mathcal N(\mu_1,\sigma_1^2)\|\mathcal N(\mu_2,\sigma_2^2))
        = \log\frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1-\mu_2)^2}{2\sigma_2^2} - \frac12

    Closed forms exist for Normal, MultivariateNormal, Categorical, Bernoulli, Gamma, Beta,
    Dirichlet and Uniform pairs of the same family. Other pairs fall back to
    :func:`kl_monte_carlo` with ``method="auto"`` (and always with ``method="mc"``).

    Parameters
    ----------
    p, q : Distribution
    method : {"auto", "exact", "mc"}
        ``"exact"`` raises :class:`NotImplementedError` when no closed form is known.
    n_samples : int
        Draws for the Monte Carlo estimate.
    rng : int, Generator or None
        Randomness for the Monte Carlo estimate.

    Returns
    -------
    array of shape batch_shape, or MCEstimate
        The exact divergence, or ``(estimate, se)`` when Monte Carlo was used.

    Raises
    ------
    ShapeError
        Different event shapes.
    NotImplementedError
        ``method="exact"`` without a closed form.

    Curriculum: B14.

    Examples
    --------
    >>> float(kl_divergence(Normal(0.0, 1.0), Normal(1.0, 1.0)))
    0.5
    """
    if method not in ("auto", "exact", "mc"):
        raise ValueError(f"method must be 'auto', 'exact' or 'mc', got {method!r}")
    if not isinstance(p, Distribution) or not isinstance(q, Distribution):
        raise TypeError(f"p and q must be Distribution objects, got {type(p).__name__} and {type(q).__name__}")
    if p.event_shape != q.event_shape:
        raise ShapeError(f"p and q must have the same event shape, got {p.event_shape} and {q.event_shape}")
    f = _lookup(p, q) if method != "mc" else None
    if f is not None:
        return f(p, q)
    if method == "exact":
        raise NotImplementedError(f"no closed-form KL between {type(p).__name__} and {type(q).__name__}; "
                                  "use method='mc'")
    return kl_monte_carlo(p, q, n_samples, rng)


@register_kl(Normal, Normal)
def _kl_normal(p, q):
    xp = p.xp
    r = p.scale / q.scale
    d = (p.loc - q.loc) / q.scale
    return -xp.log(r) + 0.5 * (r * r + d * d) - 0.5


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli(p, q):
    a, b = p.probs, q.probs
    a_ = a + 0 * b
    return xlogy(a_, a_) - xlogy(a_, b + 0 * a) + xlogy(1 - a_, 1 - a_) - xlogy(1 - a_, 1 - b + 0 * a)


@register_kl(Categorical, Categorical)
def _kl_categorical(p, q):
    if p.num_categories != q.num_categories:
        raise ShapeError(f"p and q must have the same number of categories, got {p.num_categories} and "
                         f"{q.num_categories}")
    a, b = p.probs, q.probs
    a_ = a + 0 * b
    return p.xp.sum(xlogy(a_, a_) - xlogy(a_, b + 0 * a), axis=-1)


@register_kl(Gamma, Gamma)
def _kl_gamma(p, q):
    xp = p.xp
    ap, bp, aq, bq = p.concentration, p.rate, q.concentration, q.rate
    return ((ap - aq) * digamma(ap) - gammaln(ap) + gammaln(aq) + aq * (xp.log(bp) - xp.log(bq))
            + ap * (bq - bp) / bp)


@register_kl(Beta, Beta)
def _kl_beta(p, q):
    ap, bp, aq, bq = p.a, p.b, q.a, q.b
    return (betaln(aq, bq) - betaln(ap, bp) + (ap - aq) * digamma(ap) + (bp - bq) * digamma(bp)
            + (aq - ap + bq - bp) * digamma(ap + bp))


@register_kl(Dirichlet, Dirichlet)
def _kl_dirichlet(p, q):
    xp = p.xp
    a, b = p.concentration, q.concentration
    if a.shape[-1] != b.shape[-1]:
        raise ShapeError(f"p and q must have the same number of categories, got {a.shape[-1]} and {b.shape[-1]}")
    a0 = xp.sum(a, axis=-1)
    b0 = xp.sum(b, axis=-1)
    return (gammaln(a0) - xp.sum(gammaln(a), axis=-1) - gammaln(b0) + xp.sum(gammaln(b), axis=-1)
            + xp.sum((a - b) * (digamma(a) - digamma(a0)[..., None]), axis=-1))


@register_kl(Uniform, Uniform)
def _kl_uniform(p, q):
    xp = p.xp
    val = xp.log((q.high - q.low) / (p.high - p.low))
    inside = (q.low <= p.low) & (p.high <= q.high)
    return xp.where(inside, val, xp.full_like(val, float("inf")))


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_mvn(p, q):
    r""":math:`\tfrac12[\operatorname{tr}(\Sigma_q^{-1}\Sigma_p) + \|L_q^{-1}(\mu_q-\mu_p)\|^2 - d
    + \log\det\Sigma_q - \log\det\Sigma_p]`, where the trace is :math:`\|L_q^{-1}L_p\|_F^2`."""
    xp = p.xp
    M = q._tril_inv @ p.scale_tril
    tr = xp.sum(M * M, axis=(-2, -1))
    z = q._whiten(p.loc - q.loc)
    maha = xp.sum(z * z, axis=-1)
    return 0.5 * (tr + maha - p.dim) + q._half_log_det() - p._half_log_det()
