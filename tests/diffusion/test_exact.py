"""Exact scores: against aimath.prob's closed-form noised marginal and finite differences of its log density."""

import numpy as np
import pytest

from aimath.diffusion import VESDE, VPSDE, DDPMSchedule, exact_score, subVPSDE
from aimath.errors import DomainError, ShapeError
from aimath.prob import Mixture, MultivariateNormal, Normal


def _mixture(rng):
    comps = []
    for _ in range(3):
        A = rng.normal(size=(2, 2))
        comps.append(MultivariateNormal(3 * rng.normal(size=2), covariance=A @ A.T + 0.1 * np.eye(2)))
    return Mixture(comps, np.array([0.2, 0.5, 0.3]))


@pytest.mark.parametrize("sde", [VPSDE(), subVPSDE(), VESDE(0.01, 10.0), DDPMSchedule(50)], ids=repr)
def test_score_is_gradient_of_noised_log_density(sde, rng):
    data = _mixture(rng)
    score = exact_score(sde, data)
    x = rng.normal(size=(6, 2)) * 2
    for t in (0.05 * sde.T, 0.5 * sde.T):
        # independent construction of p_t: sample-free, by the definition α X0 + σ ε, via prob's affine maps
        _, _, a, s = sde.coefficients(t)
        comps = [MultivariateNormal(a * c.loc, covariance=a * a * c.covariance + s * s * np.eye(2))
                 for c in data.components]
        p_t = Mixture(comps, data.weights)
        h = 1e-5
        fd = np.stack([(p_t.log_prob(x + h * e) - p_t.log_prob(x - h * e)) / (2 * h) for e in np.eye(2)], -1)
        np.testing.assert_allclose(score(x, t), fd, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(score.log_prob(x, t), p_t.log_prob(x), rtol=1e-12)
        np.testing.assert_allclose(score.distribution(t).log_prob(x), p_t.log_prob(x), rtol=1e-12)


def test_divergence_is_jacobian_trace(rng):
    score = exact_score(VPSDE(), _mixture(rng))
    x = rng.normal(size=(5, 2))
    h = 1e-5
    J = np.stack([(score(x + h * e, 0.3) - score(x - h * e, 0.3)) / (2 * h) for e in np.eye(2)], -1)
    np.testing.assert_allclose(score.divergence(x, 0.3), np.trace(J, axis1=-2, axis2=-1), rtol=1e-6, atol=1e-7)


def test_gaussian_score_closed_form_and_per_sample_times(rng):
    A = rng.normal(size=(3, 3))
    S, mu = A @ A.T + np.eye(3), rng.normal(size=3)
    sde = VPSDE()
    score = exact_score(sde, MultivariateNormal(mu, covariance=S))
    x, ts = rng.normal(size=(4, 3)), np.array([0.1, 0.3, 0.6, 0.9])
    out = score(x, ts)
    for i, t in enumerate(ts):
        _, _, a, s = sde.coefficients(t)
        expect = -np.linalg.solve(a * a * S + s * s * np.eye(3), x[i] - a * mu)
        np.testing.assert_allclose(out[i], expect, rtol=1e-10)
    assert score(x[None], 0.3).shape == (1, 4, 3)


def test_torch_matches_numpy(xp, rng):
    data = _mixture(rng)
    x = rng.normal(size=(5, 2))
    ref = exact_score(VPSDE(), data)(x, 0.4)
    if xp.name == "torch":
        comps = [MultivariateNormal(xp.asarray(c.loc), covariance=xp.asarray(c.covariance)) for c in data.components]
        data = Mixture(comps, xp.asarray(data.weights))
    out = exact_score(VPSDE(), data)(xp.asarray(x), 0.4)
    np.testing.assert_allclose(xp.to_numpy(out), ref, rtol=1e-12)


def test_float32_kept(rng):
    data = MultivariateNormal(np.zeros(2, dtype=np.float32), covariance=np.eye(2, dtype=np.float32))
    out = exact_score(VPSDE(), data)(np.ones((3, 2), dtype=np.float32), 0.5)
    assert out.dtype == np.float32


def test_bad_input(rng):
    data = MultivariateNormal(np.zeros(2), covariance=np.eye(2))
    with pytest.raises(DomainError, match="data must be"):
        exact_score(VPSDE(), Normal(0.0, 1.0))
    with pytest.raises(DomainError, match="sde must be"):
        exact_score("vp", data)
    score = exact_score(VPSDE(), data)
    with pytest.raises(ShapeError, match="trailing shape"):
        score(np.ones((3, 3)), 0.5)
    with pytest.raises(DomainError, match="t must lie"):
        score(np.ones((3, 2)), 1.2)
    with pytest.raises(DomainError, match="finite"):
        score(np.array([[np.inf, 0.0]]), 0.5)
