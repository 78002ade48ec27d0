"""The evidence lower bound and its two gradient estimators.

Curriculum: B15 (ELBO, reparameterisation vs score-function gradients).
"""

from __future__ import annotations

import math
from typing import NamedTuple

from aimath.backend import as_generator, namespace
from aimath.backend import normal as _std_normal
from aimath.errors import ShapeError, shape_of
from aimath.prob import Distribution, MCEstimate
from aimath.prob._common import params

__all__ = ["elbo", "reparam_grad", "score_function_grad", "GradEstimate"]


class GradEstimate(NamedTuple):
    """Monte Carlo gradient of the ELBO for a diagonal Gaussian q = N(μ, diag σ²): the estimates for
    ``loc`` and ``log_scale`` and their standard errors, plus the per-sample terms."""

    loc: object
    log_scale: object
    loc_se: object
    log_scale_se: object
    samples_loc: object
    samples_log_scale: object


def _mean_se(x):
    xp = namespace(x)
    n = shape_of(x)[0]
    return xp.mean(x, axis=0), xp.std(x, axis=0, correction=1) / math.sqrt(n)


def _check_n(n_samples):
    if int(n_samples) != n_samples or n_samples < 2:
        raise ValueError(f"n_samples must be an integer >= 2, got {n_samples}")
    return int(n_samples)


def elbo(log_joint, q: Distribution, rng=None, n_samples: int = 1000) -> MCEstimate:
    r"""Monte Carlo estimate of the evidence lower bound with its standard error.

    .. math::
        \mathrm{ELBO}(q) = \mathbb E_{z\sim q}\big[\log p(x, z) - \log q(z)\big]
        = \log p(x) - \mathrm{KL}\big(q(z)\,\|\,p(z\mid x)\big) \;\le\; \log p(x)

    Parameters
    ----------
    log_joint : callable
        :math:`z \mapsto \log p(x, z)` for the observed :math:`x`, vectorised over leading axes of
        ``z`` (shape ``(n_samples, *q.batch_shape, *q.event_shape)``).
    q : Distribution
        The variational distribution.
    rng : int, Generator or None
    n_samples : int

    Returns
    -------
    MCEstimate
        ``(estimate, se)`` of shape ``q.batch_shape``.

    Curriculum: B15.

    Examples
    --------
    >>> from aimath.prob import Normal
    >>> p = Normal(0.0, 1.0)
    >>> est, se = elbo(p.log_prob, Normal(0.0, 1.0), rng=0, n_samples=100)  # q = p: ELBO = log 1 = 0
    >>> abs(float(est)) < 1e-12
    True
    """
    n = _check_n(n_samples)
    z = q.sample(rng, (n,))
    f = log_joint(z) - q.log_prob(z)
    est, se = _mean_se(f)
    return MCEstimate(est, se)


def _gaussian(loc, log_scale):
    xp, (loc, log_scale) = params(loc, log_scale, names=("loc", "log_scale"), broadcast=False)
    if shape_of(loc) != shape_of(log_scale) or len(shape_of(loc)) != 1:
        raise ShapeError(f"loc and log_scale must be vectors of one shape (d,), got {shape_of(loc)} and "
                         f"{shape_of(log_scale)}")
    return xp, loc, log_scale


def reparam_grad(grad_log_joint, loc, log_scale, rng=None, n_samples: int = 100) -> GradEstimate:
    r"""Reparameterisation (pathwise) gradient of the ELBO for :math:`q = \mathcal N(\mu, \mathrm{diag}\,\sigma^2)`.

    With :math:`z = \mu + \sigma \odot \varepsilon`, :math:`\varepsilon \sim \mathcal N(0, I)` and the
    Gaussian entropy :math:`\sum_j \log\sigma_j + \text{const}` in closed form:

    .. math::
        \nabla_\mu \mathrm{ELBO} = \mathbb E\big[\nabla_z \log p(x, z)\big], \qquad
        \nabla_{\log\sigma} \mathrm{ELBO} = \mathbb E\big[\nabla_z \log p(x, z) \odot \sigma \odot \varepsilon\big] + 1

    Parameters
    ----------
    grad_log_joint : callable
        :math:`z \mapsto \nabla_z \log p(x, z)`, ``(n, d) -> (n, d)``.
    loc, log_scale : array of shape (d,)
        :math:`\mu` and :math:`\log\sigma`.
    rng : int, Generator or None
    n_samples : int

    Returns
    -------
    GradEstimate

    Raises
    ------
    ShapeError
        ``loc`` and ``log_scale`` not vectors of one shape.

    Curriculum: B15.
    """
    n = _check_n(n_samples)
    xp, loc, log_scale = _gaussian(loc, log_scale)
    scale = xp.exp(log_scale)
    eps = _std_normal(as_generator(rng, like=loc), (n, *shape_of(loc)), dtype=loc.dtype, like=loc)
    g = grad_log_joint(loc + scale * eps)
    g_loc = g
    g_ls = g * scale * eps + 1.0
    (m1, s1), (m2, s2) = _mean_se(g_loc), _mean_se(g_ls)
    return GradEstimate(m1, m2, s1, s2, g_loc, g_ls)


def score_function_grad(log_joint, loc, log_scale, rng=None, n_samples: int = 100, *,
                        baseline: bool = True) -> GradEstimate:
    r"""Score-function (REINFORCE) gradient of the ELBO for :math:`q = \mathcal N(\mu, \mathrm{diag}\,\sigma^2)`.

    .. math::
        \nabla_\theta \mathrm{ELBO} = \mathbb E_q\big[(f(z) - b)\, \nabla_\theta \log q_\theta(z)\big],
        \quad f(z) = \log p(x, z) - \log q_\theta(z),

    with :math:`\nabla_\mu \log q = (z-\mu)/\sigma^2` and :math:`\nabla_{\log\sigma}\log q = (z-\mu)^2/\sigma^2 - 1`.
    Since :math:`\mathbb E_q[\nabla_\theta \log q] = 0`, any baseline :math:`b` independent of
    :math:`z_i` keeps it unbiased; with ``baseline=True`` sample :math:`i` uses the mean of
    :math:`f` over the other samples (leave-one-out control variate).

    Parameters
    ----------
    log_joint : callable
        :math:`z \mapsto \log p(x, z)`, ``(n, d) -> (n,)``.
    loc, log_scale : array of shape (d,)
    rng : int, Generator or None
    n_samples : int
    baseline : bool

    Returns
    -------
    GradEstimate

    Curriculum: B15.
    """
    n = _check_n(n_samples)
    xp, loc, log_scale = _gaussian(loc, log_scale)
    scale = xp.exp(log_scale)
    eps = _std_normal(as_generator(rng, like=loc), (n, *shape_of(loc)), dtype=loc.dtype, like=loc)
    z = loc + scale * eps
    log_q = xp.sum(-0.5 * eps * eps - log_scale - 0.5 * math.log(2 * math.pi), axis=-1)
    f = log_joint(z) - log_q
    if baseline:
        f = f - (xp.sum(f) - f) / (n - 1)
    d_loc = eps / scale  # (z − μ)/σ²
    d_ls = eps * eps - 1.0
    g_loc, g_ls = f[:, None] * d_loc, f[:, None] * d_ls
    (m1, s1), (m2, s2) = _mean_se(g_loc), _mean_se(g_ls)
    return GradEstimate(m1, m2, s1, s2, g_loc, g_ls)
