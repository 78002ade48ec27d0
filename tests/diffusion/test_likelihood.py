"""Probability-flow log-likelihood against the true log density of Gaussian and mixture data."""

import numpy as np
import pytest

from aimath.diffusion import VESDE, VPSDE, exact_score, log_likelihood, score_divergence, subVPSDE
from aimath.errors import DomainError, ShapeError
from aimath.prob import Mixture, MultivariateNormal

DATA = MultivariateNormal(np.array([0.5, -1.0]), covariance=np.array([[1.0, 0.3], [0.3, 0.5]]))


@pytest.mark.parametrize("sde", [VPSDE(), subVPSDE(), VESDE(0.01, 20.0)], ids=repr)
def test_exact_likelihood_with_exact_prior(sde, rng):
    score = exact_score(sde, DATA)
    x = DATA.sample(rng, (20,))
    ll = log_likelihood(x, score, sde, prior_log_prob=lambda z: score.log_prob(z, sde.T))
    np.testing.assert_allclose(ll, DATA.log_prob(x), rtol=1e-4)


def test_prior_mismatch_is_small_and_fd_divergence_agrees(rng):
    sde = VPSDE()
    data = Mixture([DATA, MultivariateNormal(np.array([-2.0, 2.0]), covariance=0.3 * np.eye(2))], np.array([0.4, 0.6]))
    score = exact_score(sde, data)
    x = data.sample(rng, (10,))
    ll = log_likelihood(x, score, sde)
    np.testing.assert_allclose(ll, data.log_prob(x), rtol=1e-2)

    def plain(z, t):  # no .divergence: the Jacobian trace by central differences
        return score(z, t)

    ll_fd = log_likelihood(x, plain, sde, divergence="exact")
    np.testing.assert_allclose(ll_fd, ll, rtol=1e-5)


def test_hutchinson_unbiased(rng):
    sde = VPSDE()
    score = exact_score(sde, DATA)
    x = rng.normal(size=(5, 2))
    probes = np.where(rng.uniform(size=(4000, 2)) < 0.5, -1.0, 1.0)
    xs = np.repeat(x[:1], 4000, axis=0)
    est = score_divergence(score, xs, 0.4, method="hutchinson", probe=probes)
    exact = float(score.divergence(x[:1], 0.4)[0])
    assert abs(est.mean() - exact) < 5 * est.std() / np.sqrt(4000) + 1e-9
    hut = log_likelihood(x, score, sde, divergence="hutchinson", rng=0)
    assert hut.shape == (5,) and np.all(np.isfinite(hut))


def test_torch(xp, rng):
    sde = VPSDE()
    data = MultivariateNormal(xp.asarray(DATA.mean), covariance=xp.asarray(DATA.covariance))
    x = DATA.sample(rng, (4,))
    ll = log_likelihood(xp.asarray(x), exact_score(sde, data), sde)
    np.testing.assert_allclose(xp.to_numpy(ll), DATA.log_prob(x), rtol=1e-2)


def test_bad_input():
    sde = VPSDE()
    score = exact_score(sde, DATA)
    with pytest.raises(ShapeError):
        log_likelihood(np.ones(2), score, sde)
    with pytest.raises(DomainError, match="divergence"):
        log_likelihood(np.ones((2, 2)), score, sde, divergence="trace")
    with pytest.raises(DomainError, match="eps"):
        log_likelihood(np.ones((2, 2)), score, sde, eps=2.0)
    with pytest.raises(DomainError, match="finite"):
        log_likelihood(np.array([[np.nan, 1.0]]), score, sde)
    with pytest.raises(DomainError, match="probe"):
        score_divergence(score, np.ones((2, 2)), 0.5, method="hutchinson")
