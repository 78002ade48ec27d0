import numpy as np
import pytest
from scipy import integrate, stats

from aimath.errors import DomainError
from aimath.sde import BrownianWithDrift, GeometricBrownianMotion, OrnsteinUhlenbeck


def test_ou_exact_sample_ks(rng):
    ou = OrnsteinUhlenbeck(theta=1.5, mu=0.7, sigma=0.8)
    x0 = np.full((20_000, 1), -2.0)
    t = 0.4
    X = ou.exact_sample(x0, t, rng).ravel()
    m = 0.7 + (-2.0 - 0.7) * np.exp(-1.5 * t)
    v = 0.8**2 * (1 - np.exp(-3 * t)) / 3
    assert stats.kstest(X, "norm", args=(m, np.sqrt(v))).pvalue > 1e-6


def test_ou_transition_density_matches_scipy_and_integrates():
    ou = OrnsteinUhlenbeck(2.0, -1.0, 0.5)
    x = np.linspace(-3, 2, 7)[:, None]
    m = -1.0 + (0.3 + 1.0) * np.exp(-2 * 0.25)
    s = np.sqrt(0.25 * (1 - np.exp(-1.0)) / 4)
    np.testing.assert_allclose(ou.transition_density(x, 0.25, np.full((7, 1), 0.3)), stats.norm.pdf(x[:, 0], m, s),
                               rtol=1e-12)
    mass = integrate.quad(lambda y: float(ou.transition_density(np.array([[y]]), 0.25, np.array([[0.3]]))[0]),
                          -10, 10, points=[m])[0]
    assert abs(mass - 1) < 1e-8
    st = ou.stationary()
    assert st.mean == -1.0 and st.var == pytest.approx(0.0625)
    np.testing.assert_allclose(st.pdf(x), stats.norm.pdf(x[:, 0], -1, 0.25), rtol=1e-12)


def test_gbm_density_and_sample(rng, xp):
    gbm = GeometricBrownianMotion(0.3, 0.4)
    x = np.linspace(0.2, 3, 9)[:, None]
    ref = stats.lognorm.pdf(x[:, 0], s=0.4 * np.sqrt(0.5), scale=1.2 * np.exp((0.3 - 0.08) * 0.5))
    got = gbm.transition_density(xp.asarray(x), 0.5, xp.asarray(np.full((9, 1), 1.2)))
    np.testing.assert_allclose(xp.to_numpy(got), ref, rtol=1e-12)
    X = gbm.exact_sample(np.full((20_000, 1), 1.2), 0.5, rng).ravel()
    assert stats.kstest(X, "lognorm", args=(0.4 * np.sqrt(0.5), 0, 1.2 * np.exp(0.22 * 0.5))).pvalue > 1e-6
    with pytest.raises(DomainError, match="no stationary"):
        gbm.stationary()
    with pytest.raises(DomainError, match="x > 0"):
        gbm.transition_density(np.array([[-1.0]]), 1.0, np.array([[1.0]]))


def test_brownian_with_drift(rng):
    bwd = BrownianWithDrift(1.0, 2.0)
    path = bwd.exact_path(np.zeros((30_000, 1)), [0.0, 0.5, 1.0], rng)
    assert path.shape == (3, 30_000, 1)
    X = path[-1].ravel()
    assert stats.kstest(X, "norm", args=(1.0, 2.0)).pvalue > 1e-6
    np.testing.assert_allclose(bwd.solution(1.0, 2.0, 0.5), 1.0 + 2.0 + 1.0)
    np.testing.assert_allclose(bwd.transition_density(np.array([[0.3]]), 1.0, np.array([[0.0]])),
                               stats.norm.pdf(0.3, 1.0, 2.0))


def test_bad_parameters():
    with pytest.raises(DomainError, match="sigma must be positive"):
        OrnsteinUhlenbeck(1.0, 0.0, -1.0)
    with pytest.raises(DomainError, match="theta must be positive"):
        OrnsteinUhlenbeck(0.0)
    with pytest.raises(DomainError, match="t must be"):
        OrnsteinUhlenbeck().exact_sample(np.zeros((1, 1)), -1.0, 0)
    with pytest.raises(DomainError, match="t > 0"):
        OrnsteinUhlenbeck().transition_density(np.zeros((1, 1)), 0.0, np.zeros((1, 1)))
    with pytest.raises(DomainError, match="strictly increasing"):
        OrnsteinUhlenbeck().exact_path(np.zeros((1, 1)), [0.0, 0.0], 0)
    assert "OrnsteinUhlenbeck(theta=1" in repr(OrnsteinUhlenbeck())
