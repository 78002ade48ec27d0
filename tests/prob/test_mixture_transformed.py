"""Mixtures and transformed distributions."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pytest
import scipy.stats as st

import aimath.prob
from aimath.errors import DomainError, ShapeError
from aimath.prob import (
    AffineTransform,
    ExpTransform,
    Gamma,
    Mixture,
    MultivariateNormal,
    Normal,
    SigmoidTransform,
    TransformedDistribution,
)


def test_mixture_univariate(xp):
    comps = [Normal(xp.asarray(np.array(-1.0)), 0.5), Normal(xp.asarray(np.array(2.0)), 1.5)]
    w = np.array([0.3, 0.7])
    m = Mixture(comps, xp.asarray(w))
    x = np.linspace(-3, 5, 9)
    ref = w[0] * st.norm(-1, 0.5).pdf(x) + w[1] * st.norm(2, 1.5).pdf(x)
    np.testing.assert_allclose(xp.to_numpy(m.log_prob(xp.asarray(x))), np.log(ref), rtol=1e-12)
    h = 1e-6
    fd = (xp.to_numpy(m.log_prob(xp.asarray(x + h))) - xp.to_numpy(m.log_prob(xp.asarray(x - h)))) / (2 * h)
    np.testing.assert_allclose(xp.to_numpy(m.score(xp.asarray(x))), fd, rtol=1e-6, atol=1e-7)
    cdf = w[0] * st.norm(-1, 0.5).cdf(x) + w[1] * st.norm(2, 1.5).cdf(x)
    np.testing.assert_allclose(xp.to_numpy(m.cdf(xp.asarray(x))), cdf, rtol=1e-12)
    mean = w @ [-1, 2]
    np.testing.assert_allclose(xp.to_numpy(m.mean), mean)
    np.testing.assert_allclose(xp.to_numpy(m.variance), w @ [0.25 + 1, 2.25 + 4] - mean**2)
    s = xp.to_numpy(m.sample(0, 20_000))
    assert st.kstest(s, lambda t: w[0] * st.norm(-1, 0.5).cdf(t) + w[1] * st.norm(2, 1.5).cdf(t)).pvalue > 1e-6
    r = xp.to_numpy(m.responsibilities(xp.asarray(x)))
    np.testing.assert_allclose(r.sum(-1), 1.0)


def test_mixture_far_tail_score_is_stable():
    m = Mixture([Normal(-1.0, 1.0), Normal(1.0, 1.0)], np.array([0.5, 0.5]))
    s = m.score(np.array([-60.0, 60.0]))  # densities underflow to 0; log-sum-exp keeps the score
    np.testing.assert_allclose(s, [59.0, -59.0], rtol=1e-12)


def test_mixture_of_mvn(rng):
    A = rng.standard_normal((2, 2))
    comps = [MultivariateNormal(np.zeros(2), covariance=np.eye(2)),
             MultivariateNormal(np.ones(2), covariance=A @ A.T + np.eye(2))]
    w = np.array([0.4, 0.6])
    m = Mixture(comps, w)
    x = rng.standard_normal((5, 2))
    ref = np.log(w[0] * st.multivariate_normal(np.zeros(2), np.eye(2)).pdf(x)
                 + w[1] * st.multivariate_normal(np.ones(2), A @ A.T + np.eye(2)).pdf(x))
    np.testing.assert_allclose(m.log_prob(x), ref, rtol=1e-12)
    h = 1e-6
    fd = np.stack([(m.log_prob(x + h * e) - m.log_prob(x - h * e)) / (2 * h) for e in np.eye(2)], -1)
    np.testing.assert_allclose(m.score(x), fd, rtol=1e-6, atol=1e-7)
    assert m.sample(0, 7).shape == (7, 2)
    cov = w[0] * np.eye(2) + w[1] * (A @ A.T + np.eye(2) + np.ones((2, 2))) - np.outer(m.mean, m.mean)
    np.testing.assert_allclose(m.covariance, cov, rtol=1e-12)


def test_mixture_errors():
    with pytest.raises(DomainError, match="weights"):
        Mixture([Normal(0.0, 1.0), Normal(1.0, 1.0)], np.array([0.5, 0.6]))
    with pytest.raises(ShapeError, match="weights"):
        Mixture([Normal(0.0, 1.0), Normal(1.0, 1.0)], np.array([1.0]))
    with pytest.raises(ShapeError, match="components"):
        Mixture([Normal(0.0, 1.0), Normal(np.zeros(2), 1.0)], np.array([0.5, 0.5]))
    with pytest.raises(NotImplementedError, match="monte_carlo"):
        Mixture([Normal(0.0, 1.0)], np.array([1.0])).entropy()


def test_lognormal_against_scipy(xp):
    d = TransformedDistribution(Normal(xp.asarray(np.array(0.3)), 0.7), ExpTransform())
    ref = st.lognorm(0.7, scale=np.exp(0.3))
    y = np.array([0.2, 1.0, 3.5])
    np.testing.assert_allclose(xp.to_numpy(d.log_prob(xp.asarray(y))), ref.logpdf(y), rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.cdf(xp.asarray(y))), ref.cdf(y), rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.icdf(xp.asarray(np.array([0.1, 0.9])))), ref.ppf([0.1, 0.9]),
                               rtol=1e-10)
    assert xp.to_numpy(d.log_prob(xp.asarray(np.array([-1.0, 0.0])))).tolist() == [-np.inf, -np.inf]
    h = 1e-6
    fd = (xp.to_numpy(d.log_prob(xp.asarray(y + h))) - xp.to_numpy(d.log_prob(xp.asarray(y - h)))) / (2 * h)
    np.testing.assert_allclose(xp.to_numpy(d.score(xp.asarray(y))), fd, rtol=1e-6)
    assert st.kstest(xp.to_numpy(d.sample(0, 5000)), ref.cdf).pvalue > 1e-6


def test_composed_and_decreasing_transforms():
    # Y = 1 - 2·sigmoid(X): a decreasing map onto (-1, 1); compare with the density by hand.
    base = Normal(0.2, 1.3)
    d = TransformedDistribution(base, [SigmoidTransform(), AffineTransform(1.0, -2.0)])
    y = np.array([-0.9, -0.2, 0.5, 0.95])
    s = (1 - y) / 2
    x = np.log(s / (1 - s))
    ref = st.norm(0.2, 1.3).logpdf(x) - np.log(2 * s * (1 - s))
    np.testing.assert_allclose(d.log_prob(y), ref, rtol=1e-12)
    np.testing.assert_allclose(d.cdf(y), 1 - st.norm(0.2, 1.3).cdf(x), rtol=1e-12)
    np.testing.assert_allclose(d.cdf(d.icdf(np.array([0.1, 0.5, 0.8]))), [0.1, 0.5, 0.8], rtol=1e-10)
    h = 1e-7
    np.testing.assert_allclose(d.score(y), (d.log_prob(y + h) - d.log_prob(y - h)) / (2 * h), rtol=1e-5)
    assert np.all(d.log_prob(np.array([-1.5, 1.5])) == -np.inf)


def test_affine_of_gamma_is_scaled_gamma():
    d = TransformedDistribution(Gamma(2.5, 1.0), AffineTransform(0.0, 3.0))
    y = np.array([0.5, 2.0, 9.0])
    np.testing.assert_allclose(d.log_prob(y), Gamma(2.5, 1 / 3).log_prob(y), rtol=1e-12)
    with pytest.raises(DomainError, match="scale"):
        AffineTransform(0.0, 0.0)


def _modules():
    for info in pkgutil.iter_modules(aimath.prob.__path__):
        if info.name not in ("theorems", "figures"):
            yield f"aimath.prob.{info.name}"


@pytest.mark.parametrize("name", list(_modules()))
def test_docstring_examples_run(name):
    mod = importlib.import_module(name)
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0
