"""Forward processes: closed-form marginals against simulation and the ODE for σ², bad input."""

import math

import numpy as np
import pytest

from aimath.diffusion import VESDE, VPSDE, DDPMSchedule, subVPSDE
from aimath.errors import DomainError, ShapeError
from aimath.sde import sdeint

PROCESSES = [VPSDE(), subVPSDE(), VESDE(0.01, 50.0), DDPMSchedule(100)]


@pytest.mark.parametrize("sde", PROCESSES, ids=repr)
def test_coefficients_solve_the_moment_odes(sde):
    """α' = f α and (σ²)' = 2 f σ² + g² (central differences of the closed forms)."""
    ts = np.linspace(0.05, 0.95, 7) * sde.T + 0.013  # avoid DDPM's integer kinks
    h = 1e-6 * sde.T
    f, g2, a, s = sde.coefficients(ts)
    _, _, ap, sp = sde.coefficients(ts + h)
    _, _, am, sm = sde.coefficients(ts - h)
    np.testing.assert_allclose((ap - am) / (2 * h), f * a, rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose((sp**2 - sm**2) / (2 * h), 2 * f * s**2 + g2, rtol=1e-5, atol=1e-9)
    _, _, a0, s0 = sde.coefficients(0.0)
    assert float(a0) == pytest.approx(1.0) and float(s0) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("sde", PROCESSES[:3], ids=repr)
def test_marginal_matches_simulation(sde, rng):
    x0 = np.array([1.5, -0.5])
    n, t = 4000, 0.3
    X = sdeint(sde.sde(), x0, np.linspace(0, t, 301), rng=rng, n_paths=n, save_every=300)[-1]
    mean, std = sde.marginal(x0[None], t)
    np.testing.assert_allclose(X.mean(0), mean[0], atol=5 * float(std[0]) / math.sqrt(n))
    np.testing.assert_allclose(X.std(0), float(std[0]), rtol=5 * math.sqrt(0.5 / n) + 0.01)


def test_ddpm_alpha_bar_and_marginal_at_integer_steps():
    betas = np.linspace(0.01, 0.2, 10)
    sch = DDPMSchedule(10, betas)
    ab = np.concatenate([[1.0], np.cumprod(1 - betas)])
    np.testing.assert_allclose(sch.alpha_bar, ab, rtol=1e-13)
    x0 = np.ones((11, 3))
    mean, std = sch.marginal(x0, np.arange(11.0))
    np.testing.assert_allclose(mean[:, 0], np.sqrt(ab), rtol=1e-12)
    np.testing.assert_allclose(std[:, 0], np.sqrt(1 - ab), rtol=1e-12, atol=1e-15)


def test_subvp_variance_below_vp():
    t = np.linspace(0.01, 1, 20)
    _, _, a, s_sub = subVPSDE().coefficients(t)
    _, _, _, s_vp = VPSDE().coefficients(t)
    assert np.all(s_sub < s_vp)
    np.testing.assert_allclose(s_vp**2, 1 - a**2, rtol=1e-12)


@pytest.mark.parametrize("sde", PROCESSES, ids=repr)
def test_prior_sample_and_log_prob(sde, rng):
    x = sde.prior_sample(rng, (20000, 2))
    assert x.shape == (20000, 2)
    assert x.std() == pytest.approx(sde.prior_std(), rel=0.03)
    from aimath.prob import MultivariateNormal

    ref = MultivariateNormal(np.zeros(2), covariance=sde.prior_std() ** 2 * np.eye(2))
    np.testing.assert_allclose(sde.prior_log_prob(x[:10]), ref.log_prob(x[:10]), rtol=1e-12)


def test_reverse_and_flow_fields_are_the_equations():
    sde = VPSDE()
    x = np.array([[0.3, -1.0]])

    def score(z, t):
        return -2.0 * z

    f, g2, _, _ = sde.coefficients(0.4)
    rev = sde.reverse(score)
    np.testing.assert_allclose(rev.drift(0.6, x), -f * x + g2 * (-2 * x), rtol=1e-14)  # s = T − t
    np.testing.assert_allclose(rev.diffusion(0.6, x), np.sqrt(g2) * np.ones_like(x), rtol=1e-14)
    np.testing.assert_allclose(sde.probability_flow(score)(0.4, x), f * x - 0.5 * g2 * (-2 * x), rtol=1e-14)


def test_torch_and_float32(xp):
    sde = VPSDE()
    x0 = xp.asarray(np.ones((3, 2)), dtype=np.float32)
    mean, std = sde.marginal(x0, 0.5)
    assert mean.dtype == x0.dtype and type(mean) is type(x0)
    np.testing.assert_allclose(xp.to_numpy(mean), float(sde.coefficients(0.5)[2]) * np.ones((3, 2)), rtol=1e-6)


def test_bad_input():
    with pytest.raises(DomainError, match="beta_min"):
        VPSDE(-0.1, 20)
    with pytest.raises(DomainError, match="beta_min must be <="):
        VPSDE(5.0, 1.0)
    with pytest.raises(DomainError, match="sigma_min"):
        VESDE(-1.0, 10.0)
    with pytest.raises(DomainError, match="sigma_min must be <"):
        VESDE(10.0, 1.0)
    with pytest.raises(DomainError, match="betas"):
        DDPMSchedule(3, np.array([0.1, -0.1, 0.2]))
    with pytest.raises(ShapeError, match="betas"):
        DDPMSchedule(3, np.array([0.1, 0.2]))
    with pytest.raises(DomainError, match="T must be"):
        DDPMSchedule(0)
    with pytest.raises(DomainError, match=r"t must lie in \[0, 1\]"):
        VPSDE().marginal(np.ones((2, 2)), 1.5)
    with pytest.raises(DomainError, match="t must lie"):
        VPSDE().marginal(np.ones((2, 2)), -0.1)
    with pytest.raises(DomainError, match="x0 must be finite"):
        VPSDE().marginal(np.array([[np.nan, 1.0]]), 0.5)
    with pytest.raises(ShapeError, match="t must be a scalar or have shape"):
        VPSDE().marginal(np.ones((2, 2)), np.array([0.1, 0.2, 0.3]))


def test_ddpm_torch_matches_numpy(xp):
    sch = DDPMSchedule(100)
    ts = np.array([0.0, 10.5, 57.0, 100.0])
    m, s = sch.marginal(xp.asarray(np.ones((4, 2))), xp.asarray(ts))
    m_ref, s_ref = sch.marginal(np.ones((4, 2)), ts)
    np.testing.assert_allclose(xp.to_numpy(m), m_ref, rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(s), s_ref, rtol=1e-12, atol=1e-15)
