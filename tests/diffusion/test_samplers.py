"""Samplers with the exact score: moments of a Gaussian, equations line by line, torch, bad input."""

import math

import numpy as np
import pytest

from aimath.diffusion import (
    VESDE,
    VPSDE,
    DDPMSchedule,
    ddim_sampler,
    euler_maruyama_sampler,
    exact_score,
    ode_sampler,
    predictor_corrector_sampler,
    subVPSDE,
)
from aimath.errors import DomainError, ShapeError
from aimath.prob import MultivariateNormal
from aimath.sde import sdeint

DATA = MultivariateNormal(np.array([1.0, -2.0]), covariance=np.array([[1.0, 0.6], [0.6, 0.8]]))


def _check_moments(x, n_sigma=5):
    n = x.shape[0]
    sd = np.sqrt(np.diag(DATA.covariance))
    np.testing.assert_array_less(np.abs(x.mean(0) - DATA.mean), n_sigma * sd / math.sqrt(n))
    cov = np.cov(x.T)
    se = np.sqrt((np.outer(sd, sd) ** 2 + DATA.covariance**2) / n)
    np.testing.assert_array_less(np.abs(cov - DATA.covariance), n_sigma * se)


@pytest.mark.parametrize("sampler,kw", [
    (euler_maruyama_sampler, dict(n_steps=200)),
    (predictor_corrector_sampler, dict(n_steps=100, snr=0.03)),
    (ode_sampler, {}),
    (ddim_sampler, dict(n_steps=200)),
], ids=["em", "pc", "ode", "ddim"])
@pytest.mark.parametrize("sde", [VPSDE(), subVPSDE(), VESDE(0.01, 30.0)], ids=repr)
def test_sampler_moments_from_exact_marginal(sampler, kw, sde, rng):
    score = exact_score(sde, DATA)
    x_T = score.distribution(sde.T).sample(rng, (2000,))
    _check_moments(sampler(sde, score, (2000, 2), rng, x_T=x_T, **kw))


def test_ddpm_ancestral_moments_from_prior(rng):
    sch = DDPMSchedule(200, np.linspace(5e-4, 0.1, 200))
    x = ddim_sampler(sch, exact_score(sch, DATA), (2000, 2), rng, eta=1.0)
    _check_moments(x)


def test_em_sampler_is_the_reverse_sde_of_sdeint(rng):
    """The sampler's EM update equals sdeint on sde.reverse(score) in the clock s = T − t (same noise)."""
    sde = VPSDE()
    score = exact_score(sde, DATA)
    n_steps, eps = 50, 1e-3
    x_T = rng.normal(size=(7, 2))
    seed = 3
    ours = euler_maruyama_sampler(sde, score, (7, 2), seed, n_steps=n_steps, eps=eps, x_T=x_T, denoise=False)
    g = np.random.default_rng(seed)
    ts = np.linspace(sde.T, eps, n_steps + 1)
    dW = np.stack([g.standard_normal((7, 2)) * math.sqrt(ts[k] - ts[k + 1]) for k in range(n_steps)])
    ref = sdeint(sde.reverse(score), x_T, sde.T - ts, dW=dW)[-1]
    np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-12)


def test_ddim_eta0_matches_probability_flow(rng):
    """Deterministic DDIM and the PF-ODE solved accurately map the same x_T to nearby points."""
    sde = VPSDE()
    score = exact_score(sde, DATA)
    x_T = rng.normal(size=(50, 2))
    a = ddim_sampler(sde, score, (50, 2), rng, n_steps=1000, x_T=x_T)
    b = ode_sampler(sde, score, (50, 2), rng, x_T=x_T, eps=1e-6, rtol=1e-8, atol=1e-8)
    np.testing.assert_allclose(a, b, atol=2e-2)


def test_paths_and_fixed_step_ode(rng):
    sde = VPSDE()
    score = exact_score(sde, DATA)
    path = euler_maruyama_sampler(sde, score, (10, 2), rng, n_steps=20, return_path=True)
    assert path.shape == (21, 10, 2)
    path = ode_sampler(sde, score, (10, 2), rng, method="rk4", n_steps=20, return_path=True)
    assert path.shape == (21, 10, 2)
    path = ddim_sampler(DDPMSchedule(100), exact_score(DDPMSchedule(100), DATA), (10, 2), rng, n_steps=10,
                        return_path=True)
    assert path.shape == (11, 10, 2)


def test_torch_backend(xp):
    sde = VPSDE()
    loc, cov = xp.asarray(DATA.mean), xp.asarray(DATA.covariance)
    score = exact_score(sde, MultivariateNormal(loc, covariance=cov))
    like = xp.asarray(np.zeros(1))
    for sampler in (euler_maruyama_sampler, predictor_corrector_sampler, ode_sampler, ddim_sampler):
        x = sampler(sde, score, (400, 2), 0, n_steps=20, like=like) if sampler is not ode_sampler else \
            sampler(sde, score, (400, 2), 0, like=like)
        assert type(x) is type(like) and tuple(x.shape) == (400, 2)
        assert np.all(np.abs(xp.to_numpy(x).mean(0) - DATA.mean) < 0.3)


def test_float32_kept():
    sde = VPSDE()
    score = exact_score(sde, MultivariateNormal(np.zeros(2, np.float32), covariance=np.eye(2, dtype=np.float32)))
    x = euler_maruyama_sampler(sde, score, (10, 2), 0, n_steps=10, dtype=np.float32)
    assert x.dtype == np.float32
    x = ddim_sampler(sde, score, (10, 2), 0, n_steps=10, dtype=np.float32)
    assert x.dtype == np.float32


def test_bad_input():
    sde = VPSDE()
    score = exact_score(sde, DATA)
    with pytest.raises(DomainError, match="n_steps"):
        euler_maruyama_sampler(sde, score, (5, 2), 0, n_steps=0)
    with pytest.raises(DomainError, match="eps"):
        euler_maruyama_sampler(sde, score, (5, 2), 0, eps=1.5)
    with pytest.raises(DomainError, match="sde must be"):
        ode_sampler(None, score, (5, 2), 0)
    with pytest.raises(ShapeError, match="x_T must have shape"):
        euler_maruyama_sampler(sde, score, (5, 2), 0, x_T=np.zeros((4, 2)))
    with pytest.raises(DomainError, match="x_T must be finite"):
        euler_maruyama_sampler(sde, score, (1, 2), 0, x_T=np.array([[np.nan, 0.0]]))
    with pytest.raises(DomainError, match="snr"):
        predictor_corrector_sampler(sde, score, (5, 2), 0, snr=-1.0)
    with pytest.raises(DomainError, match="n_corrector"):
        predictor_corrector_sampler(sde, score, (5, 2), 0, n_corrector=-1)
    with pytest.raises(DomainError, match="eta"):
        ddim_sampler(sde, score, (5, 2), 0, eta=1.5)
    with pytest.raises(DomainError, match="n_steps must be an integer in"):
        ddim_sampler(DDPMSchedule(10), score, (5, 2), 0, n_steps=20)
    with pytest.raises(ShapeError, match="shape"):
        euler_maruyama_sampler(sde, score, (0, 2), 0)
