"""Samplers from scratch, Monte Carlo, MLE, empirical CDF and the KS statistic."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st

from aimath.errors import ConvergenceError, DomainError, ShapeError
from aimath.prob import (
    Beta,
    Normal,
    Uniform,
    box_muller,
    empirical_cdf,
    inverse_cdf_sample,
    ks_statistic,
    mle_categorical,
    mle_multivariate_normal,
    mle_normal,
    monte_carlo,
    rejection_sample,
)


def test_box_muller_is_standard_normal(xp):
    like = xp.asarray(np.zeros(1))
    z = box_muller(3, (50, 101), like=like)
    assert z.shape == (50, 101)
    z = xp.to_numpy(z).ravel()
    assert st.kstest(z, "norm").pvalue > 1e-6
    # the cos and sin halves are independent: their correlation is within 5 SE of 0
    h = z.size // 2
    assert abs(np.corrcoef(z[:h], z[h: 2 * h])[0, 1]) < 5 / np.sqrt(h)
    assert xp.to_numpy(box_muller(0, 5, dtype=np.float32)).dtype == np.float32


def test_inverse_cdf_exponential(xp):
    like = xp.asarray(np.zeros(1))
    x = inverse_cdf_sample(lambda u: -(1 - u).log() if xp.name == "torch" else -np.log1p(-u), 1, 20_000, like=like)
    assert st.kstest(xp.to_numpy(x), "expon").pvalue > 1e-6


def test_rejection_sampler_beta():
    target = Beta(2.0, 5.0)
    # Mode of Beta(2, 5) is 1/5, density there is the max: log M = log p(1/5) against U(0, 1).
    log_m = float(target.log_prob(0.2))
    x, rate = rejection_sample(target.log_prob, Uniform(0.0, 1.0), log_m, 5000, rng=0, return_rate=True)
    assert x.shape == (5000,)
    assert st.kstest(x, st.beta(2, 5).cdf).pvalue > 1e-6
    assert abs(rate - np.exp(-log_m)) < 5 * np.sqrt(rate * (1 - rate) / 10_000)


def test_rejection_sampler_detects_bad_bound_and_stalls():
    target = Beta(2.0, 5.0)
    with pytest.raises(DomainError, match="log_bound"):
        rejection_sample(target.log_prob, Uniform(0.0, 1.0), 0.0, 100, rng=0)
    with pytest.raises(ConvergenceError):
        rejection_sample(lambda x: np.log(x + 1e-300) * 0 - 60.0, Uniform(0.0, 1.0), 0.0, 10, rng=0, max_rounds=3)


def test_monte_carlo(xp):
    d = Normal(xp.asarray(np.array([0.0, 1.0])), 2.0)
    est, se = monte_carlo(lambda x: x**2, d, 40_000, rng=0)
    truth = np.array([4.0, 5.0])
    assert np.all(np.abs(xp.to_numpy(est) - truth) < 5 * xp.to_numpy(se))
    np.testing.assert_allclose(xp.to_numpy(se), np.sqrt([32.0, 32 + 16 * 1.0]) / 200, rtol=0.05)
    with pytest.raises(ValueError, match="n must"):
        monte_carlo(lambda x: x, d, 1, rng=0)
    with pytest.raises(ValueError, match="sample axis"):
        monte_carlo(lambda x: x.sum(0), d, 10, rng=0)


def test_mle(rng):
    x = rng.normal(1.5, 2.0, 500)
    d = mle_normal(x)
    np.testing.assert_allclose([d.loc, d.scale], st.norm.fit(x), rtol=1e-12)
    X = rng.standard_normal((300, 3)) @ np.array([[1.0, 0, 0], [0.5, 1, 0], [0, 0.3, 2]])
    m = mle_multivariate_normal(X)
    np.testing.assert_allclose(m.mean, X.mean(0), rtol=1e-12)
    np.testing.assert_allclose(m.covariance, np.cov(X.T, bias=True), rtol=1e-11)
    c = mle_categorical(np.array([0, 2, 2, 1, 2]), num_categories=4)
    np.testing.assert_allclose(c.probs, [0.2, 0.2, 0.6, 0.0])
    with pytest.raises(DomainError, match="zero variance"):
        mle_normal(np.ones(5))
    with pytest.raises(ShapeError, match="more observations"):
        mle_multivariate_normal(np.ones((2, 3)))
    with pytest.raises(DomainError, match="categories"):
        mle_categorical(np.array([0, 5]), num_categories=3)
    with pytest.raises(DomainError, match="integer"):
        mle_categorical(np.array([0.5, 1.0]))


def test_mle_torch():
    import torch

    x = torch.randn(200, 2, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    d = mle_normal(x)
    np.testing.assert_allclose(d.loc.numpy(), x.mean(0).numpy())
    np.testing.assert_allclose(d.scale.numpy(), x.std(0, correction=0).numpy())
    m = mle_multivariate_normal(x)
    np.testing.assert_allclose(m.covariance.numpy(), np.cov(x.numpy().T, bias=True), rtol=1e-12)


def test_empirical_cdf_and_ks(xp, rng):
    s = rng.standard_normal(300)
    pts = np.linspace(-3, 3, 13)
    F = xp.to_numpy(empirical_cdf(xp.asarray(s), xp.asarray(pts)))
    np.testing.assert_allclose(F, (s[None, :] <= pts[:, None]).mean(1))
    D, p = ks_statistic(xp.asarray(s), Normal(0.0, 1.0).cdf if xp.name == "numpy" else
                        Normal(xp.asarray(np.array(0.0)), 1.0).cdf)
    ref = st.kstest(s, "norm", method="asymp")
    np.testing.assert_allclose(D, ref.statistic, rtol=1e-12)
    assert abs(p - ref.pvalue) < 0.02  # Stephens' correction vs the plain asymptotic tail
    # Power: a shifted sample is rejected.
    assert ks_statistic(rng.normal(0.3, 1.0, 2000), Normal(0.0, 1.0).cdf).pvalue < 1e-6
    with pytest.raises(ShapeError):
        ks_statistic(np.zeros((2, 2)), Normal(0.0, 1.0).cdf)
    with pytest.raises(ShapeError):
        empirical_cdf(np.array([]), 0.0)
