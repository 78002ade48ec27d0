"""MultivariateNormal against scipy.stats and torch.distributions, and its Gaussian algebra."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st

from aimath.errors import DomainError, ShapeError
from aimath.prob import MultivariateNormal


def _problem(rng, d=4):
    A = rng.standard_normal((d, d))
    return rng.standard_normal(d), A @ A.T + 0.5 * np.eye(d)


def test_log_prob_entropy_against_scipy(xp, rng):
    mu, S = _problem(rng)
    d = MultivariateNormal(xp.asarray(mu), covariance=xp.asarray(S))
    ref = st.multivariate_normal(mu, S)
    x = rng.standard_normal((6, 4)) * 2
    np.testing.assert_allclose(xp.to_numpy(d.log_prob(xp.asarray(x))), ref.logpdf(x), rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.entropy()), ref.entropy(), rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.covariance), S, rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(d.variance), np.diag(S), rtol=1e-12)


def test_log_prob_against_torch(rng):
    import torch

    mu, S = _problem(rng)
    x = rng.standard_normal((5, 4))
    ref = torch.distributions.MultivariateNormal(torch.tensor(mu), covariance_matrix=torch.tensor(S))
    d = MultivariateNormal(mu, covariance=S)
    np.testing.assert_allclose(d.log_prob(x), ref.log_prob(torch.tensor(x)).numpy(), rtol=1e-12)


def test_fast_equals_textbook(rng):
    mu, S = _problem(rng, 5)
    d = MultivariateNormal(mu, covariance=S)
    x = rng.standard_normal((3, 5))
    for xi in x:
        np.testing.assert_allclose(d.log_prob(xi), d.log_prob_textbook(xi), rtol=1e-13)


def test_score_is_gradient(xp, rng):
    mu, S = _problem(rng)
    d = MultivariateNormal(xp.asarray(mu), covariance=xp.asarray(S))
    x = rng.standard_normal(4)
    np.testing.assert_allclose(xp.to_numpy(d.score(xp.asarray(x))), -np.linalg.solve(S, x - mu), rtol=1e-11)
    X = rng.standard_normal((3, 4))
    np.testing.assert_allclose(xp.to_numpy(d.score(xp.asarray(X))), -np.linalg.solve(S, (X - mu).T).T, rtol=1e-11)


def test_sampling_moments(xp, rng):
    mu, S = _problem(rng, 3)
    d = MultivariateNormal(xp.asarray(mu), covariance=xp.asarray(S))
    n = 100_000
    s = xp.to_numpy(d.sample(5, n))
    assert s.shape == (n, 3)
    se = np.sqrt(np.diag(S) / n)
    assert np.all(np.abs(s.mean(0) - mu) < 5 * se)
    # Whitened samples: every 1-D projection is N(0, 1).
    L = np.linalg.cholesky(S)
    z = np.linalg.solve(L, (s - mu).T).T
    assert st.kstest(z[:20_000] @ np.array([0.6, 0.0, 0.8]), "norm").pvalue > 1e-6


def test_batched(rng):
    mus = rng.standard_normal((2, 3))
    Ss = np.stack([_problem(rng, 3)[1] for _ in range(2)])
    d = MultivariateNormal(mus, covariance=Ss)
    assert d.batch_shape == (2,) and d.event_shape == (3,)
    x = rng.standard_normal((7, 2, 3))
    lp = d.log_prob(x)
    assert lp.shape == (7, 2)
    for b in range(2):
        np.testing.assert_allclose(lp[:, b], st.multivariate_normal(mus[b], Ss[b]).logpdf(x[:, b]), rtol=1e-12)
        np.testing.assert_allclose(d.score(x)[:, b], -np.linalg.solve(Ss[b], (x[:, b] - mus[b]).T).T, rtol=1e-10)
    assert d.sample(0, (4,)).shape == (4, 2, 3)


def test_scale_tril_parameterisation(rng):
    mu, S = _problem(rng)
    L = np.linalg.cholesky(S)
    a = MultivariateNormal(mu, scale_tril=L)
    b = MultivariateNormal(mu, covariance=S)
    x = rng.standard_normal((4, 4))
    np.testing.assert_allclose(a.log_prob(x), b.log_prob(x), rtol=1e-12)


def test_affine_marginal_condition(xp, rng):
    mu, S = _problem(rng, 4)
    d = MultivariateNormal(xp.asarray(mu), covariance=xp.asarray(S))
    A = rng.standard_normal((2, 4))
    b = rng.standard_normal(2)
    t = d.affine(xp.asarray(A), xp.asarray(b))
    np.testing.assert_allclose(xp.to_numpy(t.mean), A @ mu + b, rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(t.covariance), A @ S @ A.T, rtol=1e-11)
    m = d.marginal([3, 1])
    np.testing.assert_allclose(xp.to_numpy(m.mean), mu[[3, 1]])
    np.testing.assert_allclose(xp.to_numpy(m.covariance), S[np.ix_([3, 1], [3, 1])], rtol=1e-12)
    v = rng.standard_normal(2)
    c = d.condition([0, 2], xp.asarray(v))
    a_, b_ = [1, 3], [0, 2]
    K = S[np.ix_(a_, b_)] @ np.linalg.inv(S[np.ix_(b_, b_)])
    np.testing.assert_allclose(xp.to_numpy(c.mean), mu[a_] + K @ (v - mu[b_]), rtol=1e-11)
    np.testing.assert_allclose(xp.to_numpy(c.covariance), S[np.ix_(a_, a_)] - K @ S[np.ix_(b_, a_)], rtol=1e-11)
    # Many observed values at once: the result is batched.
    V = rng.standard_normal((5, 2))
    cb = d.condition([0, 2], xp.asarray(V))
    assert cb.batch_shape == (5,)
    np.testing.assert_allclose(xp.to_numpy(cb.mean), mu[a_] + (V - mu[b_]) @ K.T, rtol=1e-11)


def test_conditional_density_is_joint_over_marginal(rng):
    mu, S = _problem(rng, 3)
    d = MultivariateNormal(mu, covariance=S)
    x = rng.standard_normal(3)
    c = d.condition([2], x[2:])
    lhs = c.log_prob(x[:2])
    rhs = d.log_prob(x) - d.marginal([2]).log_prob(x[2:])
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12)


def test_bad_input(rng):
    mu, S = _problem(rng)
    with pytest.raises(DomainError, match="covariance"):
        MultivariateNormal(mu, covariance=-S)
    with pytest.raises(DomainError, match="covariance must be symmetric"):
        MultivariateNormal(mu, covariance=S + np.triu(np.ones((4, 4)), 1))
    with pytest.raises(DomainError, match="scale_tril"):
        MultivariateNormal(mu, scale_tril=-np.eye(4))
    with pytest.raises(ShapeError, match="covariance"):
        MultivariateNormal(mu, covariance=np.eye(3))
    with pytest.raises(DomainError, match="covariance"):
        MultivariateNormal(mu, covariance=np.where(np.eye(4) > 0, np.nan, 0.0))
    with pytest.raises(DomainError, match="exactly one"):
        MultivariateNormal(mu)
    d = MultivariateNormal(mu, covariance=S)
    with pytest.raises(ShapeError, match="x must have shape"):
        d.log_prob(np.zeros(3))
    with pytest.raises(ShapeError, match="indices"):
        d.condition([0, 0], np.zeros(2))
    with pytest.raises(ShapeError, match="unobserved"):
        d.condition([0, 1, 2, 3], np.zeros(4))
    with pytest.raises(DomainError, match="full row rank"):
        d.affine(np.ones((2, 4)))


def test_float32_kept(xp):
    d = MultivariateNormal(xp.asarray(np.zeros(2, np.float32)), covariance=xp.asarray(np.eye(2, dtype=np.float32)))
    assert xp.to_numpy(d.sample(0, 3)).dtype == np.float32
    assert xp.to_numpy(d.log_prob(xp.asarray(np.zeros((3, 2), np.float32)))).dtype == np.float32


def test_repr():
    assert repr(MultivariateNormal(np.zeros(2), covariance=np.eye(2))).startswith("MultivariateNormal(loc=[0.0, 0.0]")
