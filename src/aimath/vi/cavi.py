"""Coordinate-ascent variational inference for a Bayesian mixture of Gaussians with known variance.

Curriculum: B15 (mean-field CAVI; the ELBO rises at every coordinate update).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from aimath.errors import DomainError, check_array
from aimath.prob._common import logsumexp

__all__ = ["cavi_gmm", "cavi_elbo", "CAVIResult"]

_LOG_2PI = math.log(2 * math.pi)


class CAVIResult(NamedTuple):
    """Fitted variational factors and the ELBO after every iteration.

    ``means`` (k, d) and ``variances`` (k,) of :math:`q(\\mu_k) = \\mathcal N(m_k, s_k^2 I)`;
    ``resp`` (n, k) the categorical factors :math:`q(c_i) = \\mathrm{Cat}(\\varphi_i)`.
    """

    means: np.ndarray
    variances: np.ndarray
    resp: np.ndarray
    elbo_history: list
    converged: bool


def cavi_elbo(X, means, variances, resp, prior_var):
    r"""The ELBO of the mean-field posterior of the Bayesian Gaussian mixture.

    .. math::
        \mathcal L = \sum_k \mathbb E[\log p(\mu_k)] + \sum_i \mathbb E[\log p(c_i)]
        + \sum_{i,k} \varphi_{ik}\,\mathbb E[\log \mathcal N(x_i; \mu_k, I)]
        + \sum_i H(\varphi_i) + \sum_k H(q(\mu_k))

    with :math:`\mathbb E\|\mu_k\|^2 = \|m_k\|^2 + d s_k^2`.
    """
    n, d = X.shape
    k = means.shape[0]
    e_sq = np.sum(means**2, axis=1) + d * variances  # E‖μ_k‖²
    prior = np.sum(-0.5 * d * math.log(2 * math.pi * prior_var) - e_sq / (2 * prior_var))
    assign = -n * math.log(k)
    x_sq = np.sum(X * X, axis=1)
    e_lik = -0.5 * d * _LOG_2PI - 0.5 * (x_sq[:, None] - 2 * X @ means.T + e_sq[None, :])
    lik = np.sum(resp * e_lik)
    safe = np.where(resp > 0, resp, 1.0)
    h_c = -np.sum(np.where(resp > 0, resp * np.log(safe), 0.0))
    h_mu = np.sum(0.5 * d * (1 + _LOG_2PI + np.log(variances)))
    return float(prior + assign + lik + h_c + h_mu)


def cavi_gmm(X, n_components: int, *, prior_var: float = 10.0, max_iter: int = 200, tol: float = 1e-8,
             rng=None) -> CAVIResult:
    r"""CAVI for :math:`\mu_k \sim \mathcal N(0, \sigma^2 I)`, :math:`c_i \sim \mathrm{Cat}(1/K)`,
    :math:`x_i \mid c_i, \mu \sim \mathcal N(\mu_{c_i}, I)`.

    Each iteration updates every factor to its optimum given the others:

    .. math::
        \varphi_{ik} \propto \exp\big(m_k^\top x_i - \tfrac12(\|m_k\|^2 + d s_k^2)\big), \qquad
        s_k^2 = \Big(\frac{1}{\sigma^2} + \sum_i \varphi_{ik}\Big)^{-1}, \qquad
        m_k = s_k^2 \sum_i \varphi_{ik} x_i

    Parameters
    ----------
    X : array of shape (n, d)
    n_components : int
        :math:`K`.
    prior_var : float
        :math:`\sigma^2`.
    max_iter : int
    tol : float
        Stop when the ELBO rises by less than ``tol`` (relative to ``|ELBO|``).
    rng : int, Generator or None
        Initial means are drawn from the data.

    Returns
    -------
    CAVIResult

    Raises
    ------
    DomainError
        NaN/inf data, ``prior_var <= 0``, or fewer points than components.

    Curriculum: B15.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(-4, 1, (100, 1)), rng.normal(4, 1, (100, 1))])
    >>> res = cavi_gmm(X, 2, rng=0)
    >>> np.round(np.sort(res.means[:, 0]))
    array([-4.,  4.])
    """
    X = np.asarray(X, dtype=float)
    check_array(X, "X", ndim=2, nonempty=True)
    n, d = X.shape
    if not prior_var > 0:
        raise DomainError(f"prior_var must be positive, got {prior_var}")
    if not 1 <= int(n_components) <= n:
        raise DomainError(f"n_components must lie in [1, n = {n}], got {n_components}")
    k = int(n_components)
    g = np.random.default_rng(rng) if not isinstance(rng, np.random.Generator) else rng
    means = X[g.choice(n, size=k, replace=False)].copy()
    variances = np.ones(k)
    resp = np.full((n, k), 1.0 / k)
    history = [cavi_elbo(X, means, variances, resp, prior_var)]
    converged = False
    for _ in range(max_iter):
        logits = X @ means.T - 0.5 * (np.sum(means**2, axis=1) + d * variances)[None, :]
        resp = np.exp(logits - logsumexp(logits, axis=1, keepdims=True))
        nk = resp.sum(axis=0)
        variances = 1.0 / (1.0 / prior_var + nk)
        means = variances[:, None] * (resp.T @ X)
        history.append(cavi_elbo(X, means, variances, resp, prior_var))
        if history[-1] - history[-2] < tol * abs(history[-1]):
            converged = True
            break
    return CAVIResult(means, variances, resp, history, converged)
