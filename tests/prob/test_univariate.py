"""Univariate distributions against scipy.stats (float64) on NumPy and torch."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st

from aimath.errors import DomainError
from aimath.prob import Bernoulli, Beta, Categorical, Gamma, Normal, Uniform

# (constructor, scipy frozen distribution, points inside the support, points outside)
CASES = {
    "normal": (lambda xp: Normal(xp.asarray([0.3, -1.0]), xp.asarray([0.7, 2.5])),
               st.norm([0.3, -1.0], [0.7, 2.5]), [[-1.2, 0.4], [0.9, 3.0]], None),
    "uniform": (lambda xp: Uniform(xp.asarray([0.0, -2.0]), xp.asarray([1.5, 3.0])),
                st.uniform([0.0, -2.0], [1.5, 5.0]), [[0.2, -1.9], [1.4, 2.5]], [[-0.1, 3.5]]),
    "gamma": (lambda xp: Gamma(xp.asarray([0.6, 3.5]), xp.asarray([2.0, 0.7])),
              st.gamma([0.6, 3.5], scale=1 / np.array([2.0, 0.7])), [[0.05, 1.3], [2.0, 7.0]], [[-0.5, -3.0]]),
    "beta": (lambda xp: Beta(xp.asarray([0.7, 2.5]), xp.asarray([1.8, 4.0])),
             st.beta([0.7, 2.5], [1.8, 4.0]), [[0.05, 0.3], [0.9, 0.6]], [[-0.1, 1.2]]),
}


@pytest.mark.parametrize("name", CASES)
def test_against_scipy(name, xp):
    make, ref, inside, outside = CASES[name]
    d = make(xp)
    x = np.array(inside)
    np.testing.assert_allclose(xp.to_numpy(d.log_prob(xp.asarray(x))), ref.logpdf(x), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.cdf(xp.asarray(x))), ref.cdf(x), rtol=1e-10, atol=1e-14)
    p = np.array([[0.01, 0.3], [0.77, 0.99]])
    np.testing.assert_allclose(xp.to_numpy(d.icdf(xp.asarray(p))), ref.ppf(p), rtol=1e-9)
    np.testing.assert_allclose(xp.to_numpy(d.entropy()), ref.entropy(), rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.mean), ref.mean(), rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.variance), ref.var(), rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.stddev), ref.std(), rtol=1e-12)
    if outside is not None:
        lp = xp.to_numpy(d.log_prob(xp.asarray(np.array(outside))))
        assert np.all(lp == -np.inf)


@pytest.mark.parametrize("name", ["normal", "gamma", "beta"])
def test_score_is_gradient_of_log_prob(name, xp):
    d = CASES[name][0](xp)
    x = np.array(CASES[name][2])
    h = 1e-6
    fd = (xp.to_numpy(d.log_prob(xp.asarray(x + h))) - xp.to_numpy(d.log_prob(xp.asarray(x - h)))) / (2 * h)
    np.testing.assert_allclose(xp.to_numpy(d.score(xp.asarray(x))), fd, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", CASES)
def test_samples_pass_ks(name, xp):
    make, ref, _, _ = CASES[name]
    d = make(xp)
    s = xp.to_numpy(d.sample(7, (4000,)))
    assert s.shape == (4000, 2)
    for j in range(2):
        args = [np.atleast_1d(a)[j] if np.ndim(a) else a for a in ref.args]
        kw = {k: np.atleast_1d(v)[j] for k, v in ref.kwds.items()}
        p = st.kstest(s[:, j], ref.dist(*args, **kw).cdf).pvalue
        assert p > 1e-6, (name, j, p)


def test_float32_kept(xp):
    f32 = np.float32
    d = Normal(xp.asarray(np.zeros(3, f32)), 1.0)
    assert xp.to_numpy(d.sample(0, 2)).dtype == f32
    assert xp.to_numpy(d.log_prob(xp.asarray(np.ones(3, f32)))).dtype == f32
    g = Gamma(xp.asarray(np.full(2, 2.0, f32)), 1.0)
    assert xp.to_numpy(g.sample(0, 5)).dtype == f32
    assert xp.to_numpy(g.log_prob(xp.asarray(np.ones(2, f32)))).dtype == f32


def test_batch_shapes_and_sample_shape():
    d = Normal(np.zeros((2, 3)), np.ones(3))
    assert d.batch_shape == (2, 3) and d.event_shape == ()
    assert d.sample(0, (5, 4)).shape == (5, 4, 2, 3)
    assert d.log_prob(np.zeros((7, 2, 3))).shape == (7, 2, 3)


def test_seeds_reproduce():
    d = Gamma(0.5, 1.0)
    np.testing.assert_array_equal(d.sample(3, 10), d.sample(3, 10))
    assert not np.array_equal(d.sample(3, 10), d.sample(4, 10))


def test_small_concentration_gamma_moments():
    # α < 1 uses the U^{1/α} boost; check the mean within 5 standard errors.
    a = 0.2
    s = Gamma(a, 1.0).sample(0, 200_000)
    assert abs(s.mean() - a) < 5 * np.sqrt(a / s.size)


def test_bernoulli_and_categorical(xp):
    p = np.array([0.2, 0.7])
    d = Bernoulli(probs=xp.asarray(p))
    x = np.array([[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(xp.to_numpy(d.log_prob(xp.asarray(x))), st.bernoulli(p).logpmf(x), rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.entropy()), st.bernoulli(p).entropy(), rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.cdf(xp.asarray(x))), st.bernoulli(p).cdf(x), rtol=1e-12)
    dl = Bernoulli(logits=xp.asarray(np.log(p / (1 - p))))
    np.testing.assert_allclose(xp.to_numpy(dl.log_prob(xp.asarray(x))), st.bernoulli(p).logpmf(x), rtol=1e-12)
    assert np.all(xp.to_numpy(d.log_prob(xp.asarray(np.array([0.5, 2.0])))) == -np.inf)
    freq = xp.to_numpy(d.sample(1, 100_000)).mean(0)
    assert np.all(np.abs(freq - p) < 5 * np.sqrt(p * (1 - p) / 100_000))

    q = np.array([[0.1, 0.6, 0.3], [0.5, 0.0, 0.5]])
    c = Categorical(probs=xp.asarray(q))
    k = np.array([[0, 1], [2, 2], [1, 0]])
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(xp.to_numpy(c.log_prob(xp.asarray(k))), np.log(q[[0, 1], k]), rtol=1e-12)
    assert np.all(xp.to_numpy(c.log_prob(xp.asarray(np.array([3, -1])))) == -np.inf)
    np.testing.assert_allclose(xp.to_numpy(c.entropy()), st.entropy(q.T), rtol=1e-12)
    s = xp.to_numpy(c.sample(2, 60_000))
    assert s.shape == (60_000, 2)
    for b in range(2):
        freq = np.bincount(s[:, b], minlength=3) / s.shape[0]
        assert np.all(np.abs(freq - q[b]) <= 5 * np.sqrt(q[b] * (1 - q[b]) / s.shape[0]) + 1e-12)
    cl = Categorical(logits=xp.asarray(np.log(q[:1]) + 3.0))
    np.testing.assert_allclose(xp.to_numpy(cl.probs), q[:1], rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(c.cdf(xp.asarray(np.array([1.0, 1.0])))), [0.7, 0.5], rtol=1e-12)


@pytest.mark.parametrize("bad, match", [
    (lambda: Normal(0.0, -1.0), "scale"),
    (lambda: Normal(0.0, 0.0), "scale"),
    (lambda: Normal(np.nan, 1.0), "loc"),
    (lambda: Uniform(1.0, 1.0), "high"),
    (lambda: Gamma(-1.0, 1.0), "concentration"),
    (lambda: Gamma(1.0, 0.0), "rate"),
    (lambda: Beta(1.0, -2.0), "b"),
    (lambda: Bernoulli(probs=1.5), "probs"),
    (lambda: Bernoulli(), "exactly one"),
    (lambda: Categorical(probs=np.array([0.5, 0.6])), "probs"),
    (lambda: Categorical(probs=np.array([1.2, -0.2])), "probs"),
])
def test_invalid_parameters_raise_domain_error(bad, match):
    with pytest.raises(DomainError, match=match):
        bad()


def test_parameters_that_do_not_broadcast():
    from aimath.errors import ShapeError

    with pytest.raises(ShapeError, match="loc .2,., scale .3,."):
        Normal(np.zeros(2), np.ones(3))


def test_nan_point_raises():
    with pytest.raises(DomainError, match="x"):
        Normal(0.0, 1.0).log_prob(np.array([0.0, np.nan]))


def test_discrete_score_not_defined():
    with pytest.raises(NotImplementedError, match="discrete"):
        Bernoulli(probs=0.3).score(1.0)


def test_repr():
    assert repr(Normal(0.0, 2.0)) == "Normal(loc=0.0, scale=2.0)"
    assert "Gamma(concentration=" in repr(Gamma(np.ones(10), 1.0))


def test_log_prob_against_torch_distributions():
    import torch
    import torch.distributions as D

    from aimath.prob import Dirichlet

    t = lambda a: torch.tensor(np.asarray(a, dtype=np.float64))  # noqa: E731
    x = np.array([0.2, 0.7])
    pairs = [
        (Normal(t([0.1, -1.0]), t([0.5, 2.0])), D.Normal(t([0.1, -1.0]), t([0.5, 2.0])), x),
        (Gamma(t([0.5, 3.0]), t([2.0, 0.5])), D.Gamma(t([0.5, 3.0]), t([2.0, 0.5])), x),
        (Beta(t([0.5, 3.0]), t([2.0, 0.5])), D.Beta(t([0.5, 3.0]), t([2.0, 0.5])), x),
        (Uniform(t([0.0, 0.5]), t([1.0, 0.8])), D.Uniform(t([0.0, 0.5]), t([1.0, 0.8])), x),
        (Bernoulli(probs=t([0.3, 0.9])), D.Bernoulli(probs=t([0.3, 0.9])), np.array([1.0, 0.0])),
        (Dirichlet(t([[0.5, 2.0, 3.0]])), D.Dirichlet(t([[0.5, 2.0, 3.0]])), np.array([[0.2, 0.3, 0.5]])),
    ]
    for ours, ref, pts in pairs:
        np.testing.assert_allclose(ours.log_prob(t(pts)).numpy(), ref.log_prob(t(pts)).numpy(), rtol=1e-12)
        np.testing.assert_allclose(ours.entropy().numpy(), ref.entropy().numpy(), rtol=1e-12)


def test_dirichlet_on_both_libraries(xp):
    from aimath.prob import Dirichlet

    a = np.array([0.7, 2.0, 3.5])
    d = Dirichlet(xp.asarray(a))
    s = xp.to_numpy(d.sample(0, 50_000))
    assert s.shape == (50_000, 3)
    np.testing.assert_allclose(s.sum(-1), 1.0, rtol=1e-12)
    ref = st.dirichlet(a)
    se = np.sqrt(ref.var() / s.shape[0])
    assert np.all(np.abs(s.mean(0) - ref.mean()) < 5 * se)
    np.testing.assert_allclose(xp.to_numpy(d.covariance), np.cov(s.T), atol=0.003)
    x = np.array([0.2, 0.3, 0.5])
    np.testing.assert_allclose(xp.to_numpy(d.log_prob(xp.asarray(x))), ref.logpdf(x), rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.entropy()), ref.entropy(), rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.variance), ref.var(), rtol=1e-12)
    assert xp.to_numpy(d.log_prob(xp.asarray(np.array([0.5, 0.6, -0.1])))) == -np.inf
