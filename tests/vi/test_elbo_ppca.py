"""ELBO estimate, gradient estimators, and probabilistic PCA."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from sklearn.utils.estimator_checks import parametrize_with_checks

from aimath.errors import DomainError, ShapeError
from aimath.prob import MultivariateNormal, Normal, kl_divergence
from aimath.vi import PPCA, elbo, reparam_grad, score_function_grad


def test_elbo_equals_log_evidence_minus_kl(xp):
    # Prior z ~ N(0, 1), likelihood x | z ~ N(z, 1), x observed: posterior N(x/2, 1/2), evidence N(x; 0, 2).
    x = 1.3
    prior, lik_scale = Normal(xp.asarray(np.array(0.0)), 1.0), 1.0

    def log_joint(z):
        return prior.log_prob(z) + Normal(z, lik_scale).log_prob(x)

    q = Normal(xp.asarray(np.array(0.2)), 0.9)
    est, se = elbo(log_joint, q, rng=0, n_samples=40_000)
    post = Normal(xp.asarray(np.array(x / 2)), math.sqrt(0.5))
    truth = float(Normal(0.0, math.sqrt(2.0)).log_prob(x)) - float(xp.to_numpy(kl_divergence(q, post)))
    assert abs(float(xp.to_numpy(est)) - truth) < 5 * float(xp.to_numpy(se))
    est, se = elbo(log_joint, post, rng=0, n_samples=100)  # q = posterior: every sample equals log p(x)
    np.testing.assert_allclose(xp.to_numpy(est), Normal(0.0, math.sqrt(2.0)).log_prob(x), rtol=1e-12)
    assert float(xp.to_numpy(se)) < 1e-12
    with pytest.raises(ValueError, match="n_samples"):
        elbo(log_joint, q, rng=0, n_samples=1)


def test_gradient_estimators_against_autograd():
    # Exact ELBO gradient of a Gaussian target by torch autograd on the closed-form ELBO.
    m, s = np.array([0.5, -1.0]), np.array([1.5, 0.7])
    loc, ls = np.array([0.1, 0.3]), np.array([-0.2, 0.1])
    lt = torch.tensor(loc, requires_grad=True)
    st = torch.tensor(ls, requires_grad=True)
    sig = st.exp()
    tm, ts = torch.tensor(m), torch.tensor(s)
    closed = torch.sum(-torch.log(ts) - ((lt - tm) ** 2 + sig**2) / (2 * ts**2) + st)
    closed.backward()
    exact = np.concatenate([lt.grad.numpy(), st.grad.numpy()])

    def log_joint(z):
        return np.sum(-0.5 * ((z - m) / s) ** 2 - np.log(s) - 0.5 * math.log(2 * math.pi), axis=-1)

    rep = reparam_grad(lambda z: -(z - m) / s**2, loc, ls, rng=1, n_samples=50_000)
    sf = score_function_grad(log_joint, loc, ls, rng=2, n_samples=50_000)
    for g in (rep, sf):
        est = np.concatenate([g.loc, g.log_scale])
        se = np.concatenate([g.loc_se, g.log_scale_se])
        assert np.all(np.abs(est - exact) < 5 * se)
    assert np.all(rep.samples_loc.var(0) < sf.samples_loc.var(0))


def test_gradient_estimators_on_torch():
    loc = torch.zeros(2, dtype=torch.float64)
    g = reparam_grad(lambda z: -z, loc, loc, rng=0, n_samples=1000)
    assert isinstance(g.loc, torch.Tensor) and g.loc.shape == (2,)
    g = score_function_grad(lambda z: -0.5 * (z * z).sum(-1), loc, loc, rng=0, n_samples=1000)
    assert isinstance(g.log_scale, torch.Tensor)
    with pytest.raises(ShapeError, match="loc and log_scale"):
        reparam_grad(lambda z: -z, np.zeros(2), np.zeros(3))


def test_ppca_fit_and_identity(rng):
    n, d, q = 400, 5, 2
    W = rng.standard_normal((d, q))
    X = rng.standard_normal((n, q)) @ W.T + 1.0 + 0.3 * rng.standard_normal((n, d))
    m = PPCA(q).fit(X)
    S = np.cov(X.T, bias=True)
    lam = np.sort(np.linalg.eigvalsh(S))[::-1]
    np.testing.assert_allclose(m.noise_variance_, lam[q:].mean(), rtol=1e-10)
    C = m.components_ @ m.components_.T + m.noise_variance_ * np.eye(d)
    # The ML covariance reproduces the top-q eigen-structure of S.
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(C))[::-1][:q], lam[:q], rtol=1e-9)
    from scipy.stats import multivariate_normal

    np.testing.assert_allclose(m.score_samples(X[:5]), multivariate_normal(X.mean(0), C).logpdf(X[:5]), rtol=1e-10)
    post = m.posterior(X[:4])
    Minv = np.linalg.inv(m.components_.T @ m.components_ + m.noise_variance_ * np.eye(q))
    np.testing.assert_allclose(post.mean, (X[:4] - m.mean_) @ m.components_ @ Minv.T, rtol=1e-10)
    np.testing.assert_allclose(post.covariance, m.noise_variance_ * Minv, rtol=1e-10)
    qm = rng.standard_normal((4, q))
    V = np.array([[0.5, 0.1], [0.1, 0.3]])
    lhs = m.elbo(X[:4], qm, V) + kl_divergence(MultivariateNormal(qm, covariance=V), post)
    np.testing.assert_allclose(lhs, m.score_samples(X[:4]), rtol=1e-12)
    Xs, Z = m.sample(10, rng=0)
    assert Xs.shape == (10, d) and Z.shape == (10, q)


def test_ppca_errors(rng):
    X = rng.standard_normal((30, 3))
    with pytest.raises(ValueError, match="n_components"):
        PPCA(3).fit(X)
    m = PPCA(1).fit(X)
    with pytest.raises(ShapeError, match="q_mean"):
        m.elbo(X[:2], np.zeros((3, 1)), np.eye(1))
    with pytest.raises(DomainError, match="q_cov"):
        m.elbo(X[:2], np.zeros((2, 1)), -np.eye(1))


@parametrize_with_checks([PPCA(1)])
def test_ppca_sklearn_compatible(estimator, check):
    check(estimator)
