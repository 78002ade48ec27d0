import numpy as np
import pytest
from scipy import stats

from aimath.errors import DomainError, ShapeError
from aimath.sampling import banana, funnel, gaussian_ar1, gaussian_mixture

TARGETS = [gaussian_ar1(4, rho=0.7, scale=1.3), gaussian_ar1(1), banana(1.2, 0.4),
           gaussian_mixture(np.array([[0.0, 1.0], [2.0, -1.0], [-1.0, 0.0]]), 0.7, np.array([0.2, 0.5, 0.3])),
           funnel(5)]


@pytest.mark.parametrize("t", TARGETS, ids=lambda t: t.name)
def test_score_is_gradient_of_log_prob(t, xp):
    x = t.sample(0, 5) * 0.7
    h = 1e-6
    fd = np.stack([(t.log_prob(x + h * e) - t.log_prob(x - h * e)) / (2 * h) for e in np.eye(t.dim)], axis=1)
    np.testing.assert_allclose(xp.to_numpy(t.score(xp.asarray(x))), fd, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(xp.to_numpy(t.log_prob(xp.asarray(x))), t.log_prob(x), rtol=1e-12)


@pytest.mark.parametrize("t", TARGETS[:4], ids=lambda t: t.name)
def test_exact_samples_have_stated_moments(t, rng):
    x = t.sample(rng, 40_000)
    se_mean = np.sqrt(np.diag(t.cov) / x.shape[0])
    assert np.all(np.abs(x.mean(0) - t.mean) < 5 * se_mean)
    np.testing.assert_allclose(np.cov(x.T).reshape(t.dim, t.dim), t.cov, atol=0.06 * np.max(t.cov))


def test_log_prob_normalised_up_to_constant():
    g = gaussian_ar1(3, rho=0.4)
    x = g.sample(1, 7)
    ref = stats.multivariate_normal(np.zeros(3), g.cov).logpdf(x)
    diff = g.log_prob(x) - ref
    np.testing.assert_allclose(diff, diff[0], atol=1e-10)
    m = TARGETS[3]
    dens = sum(w * stats.multivariate_normal(mu, 0.49 * np.eye(2)).pdf(x[:, :2])
               for w, mu in zip([0.2, 0.5, 0.3], [[0, 1], [2, -1], [-1, 0]], strict=True))
    d2 = m.log_prob(x[:, :2]) - np.log(dens)
    np.testing.assert_allclose(d2, d2[0], atol=1e-10)


def test_bad_targets():
    with pytest.raises(DomainError, match="rho"):
        gaussian_ar1(3, rho=1.0)
    with pytest.raises(ShapeError):
        gaussian_mixture(np.zeros(3))
    with pytest.raises(DomainError, match="weights"):
        gaussian_mixture(np.zeros((2, 1)), weights=np.array([0.5, 0.6]))
    with pytest.raises(DomainError, match="dim"):
        funnel(1)
    assert "Target('banana" in repr(banana())
