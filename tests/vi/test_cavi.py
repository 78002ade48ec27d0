"""CAVI for the Bayesian Gaussian mixture: ELBO formula by Monte Carlo, monotonicity, stationarity."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aimath.errors import DomainError
from aimath.vi import cavi_elbo, cavi_gmm


def _data(rng):
    return np.concatenate([rng.normal(-4, 1, (60, 2)), rng.normal(4, 1, (60, 2)), rng.normal([4, -4], 1, (60, 2))])


def test_elbo_formula_matches_monte_carlo(rng):
    X = _data(rng)[::6]
    n, d = X.shape
    k, s2p = 3, 10.0
    res = cavi_gmm(X, k, max_iter=3, rng=0)
    m, v, phi = res.means, res.variances, res.resp
    S = 20_000
    mu = m[None] + np.sqrt(v)[None, :, None] * rng.standard_normal((S, k, d))
    u = rng.uniform(size=(S, n, 1))
    c = np.sum(u > np.cumsum(phi, axis=1)[None, :, :-1], axis=2)  # (S, n) categorical draws
    log_prior = np.sum(-0.5 * d * math.log(2 * math.pi * s2p) - np.sum(mu**2, -1) / (2 * s2p), axis=1)
    chosen = np.take_along_axis(mu, c[:, :, None], axis=1)  # (S, n, d)
    log_lik = np.sum(-0.5 * d * math.log(2 * math.pi) - 0.5 * np.sum((X[None] - chosen) ** 2, -1), axis=1)
    log_qmu = np.sum(-0.5 * d * np.log(2 * math.pi * v) - np.sum((mu - m[None]) ** 2, -1) / (2 * v), axis=1)
    log_qc = np.sum(np.log(np.take_along_axis(phi[None].repeat(S, 0), c[:, :, None], axis=2)[..., 0]), axis=1)
    f = log_prior - n * math.log(k) + log_lik - log_qmu - log_qc
    assert abs(f.mean() - cavi_elbo(X, m, v, phi, s2p)) < 5 * f.std() / math.sqrt(S)


def test_monotone_and_stationary(rng):
    X = _data(rng)
    res = cavi_gmm(X, 3, rng=3)
    h = np.array(res.elbo_history)
    assert res.converged and np.all(np.diff(h) >= 0)
    e0 = cavi_elbo(X, res.means, res.variances, res.resp, 10.0)
    for _ in range(5):  # the fixed point is a local maximum in every factor
        assert cavi_elbo(X, res.means + 1e-3 * rng.standard_normal(res.means.shape), res.variances, res.resp,
                         10.0) < e0
        assert cavi_elbo(X, res.means, res.variances * np.exp(0.01 * rng.standard_normal(3)), res.resp, 10.0) < e0


def test_recovers_separated_clusters(rng):
    X = _data(rng)
    best = max((cavi_gmm(X, 3, rng=s) for s in range(4)), key=lambda r: r.elbo_history[-1])
    nearest = 4 * np.round(best.means / 4)
    assert sorted(nearest.tolist()) == [[-4, -4], [4, -4], [4, 4]]
    assert np.abs(best.means - nearest).max() < 0.5


def test_bad_input():
    with pytest.raises(DomainError, match="prior_var"):
        cavi_gmm(np.zeros((5, 1)), 2, prior_var=0.0)
    with pytest.raises(DomainError, match="n_components"):
        cavi_gmm(np.zeros((2, 1)), 3)
    with pytest.raises(DomainError, match="X"):
        cavi_gmm(np.array([[np.nan]]), 1)
