"""kl_divergence closed forms against torch.distributions, and the Monte Carlo fallback."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.distributions as D

from aimath.errors import ShapeError
from aimath.prob import (
    Bernoulli,
    Beta,
    Categorical,
    Dirichlet,
    Gamma,
    MultivariateNormal,
    Normal,
    Uniform,
    kl_divergence,
    kl_monte_carlo,
)


def _t(a):
    return torch.tensor(np.asarray(a, dtype=np.float64))


def _pairs(rng):
    a, b = rng.uniform(0.3, 3.0, (2, 3)), rng.uniform(0.3, 3.0, (2, 3))
    m = rng.standard_normal((2, 3))
    p = rng.dirichlet(np.ones(4), size=(2, 3))
    A = rng.standard_normal((2, 3, 3))
    S = A @ np.swapaxes(A, -1, -2) + np.eye(3)
    mu = rng.standard_normal((2, 3))
    return {
        "normal": ((Normal(m[0], a[0]), Normal(m[1], a[1])),
                   (D.Normal(_t(m[0]), _t(a[0])), D.Normal(_t(m[1]), _t(a[1])))),
        "bernoulli": ((Bernoulli(probs=a[0] / 4), Bernoulli(probs=a[1] / 4)),
                      (D.Bernoulli(probs=_t(a[0] / 4)), D.Bernoulli(probs=_t(a[1] / 4)))),
        "categorical": ((Categorical(probs=p[0]), Categorical(probs=p[1])),
                        (D.Categorical(probs=_t(p[0])), D.Categorical(probs=_t(p[1])))),
        "gamma": ((Gamma(a[0], b[0]), Gamma(a[1], b[1])),
                  (D.Gamma(_t(a[0]), _t(b[0])), D.Gamma(_t(a[1]), _t(b[1])))),
        "beta": ((Beta(a[0], b[0]), Beta(a[1], b[1])),
                 (D.Beta(_t(a[0]), _t(b[0])), D.Beta(_t(a[1]), _t(b[1])))),
        "dirichlet": ((Dirichlet(a), Dirichlet(b)), (D.Dirichlet(_t(a)), D.Dirichlet(_t(b)))),
        "mvn": ((MultivariateNormal(mu[0], covariance=S[0]), MultivariateNormal(mu[1], covariance=S[1])),
                (D.MultivariateNormal(_t(mu[0]), _t(S[0])), D.MultivariateNormal(_t(mu[1]), _t(S[1])))),
        "uniform": ((Uniform(0.5, 1.0), Uniform(0.0, 2.0)), (D.Uniform(_t(0.5), _t(1.0)), D.Uniform(_t(0.0), _t(2.0)))),
    }


@pytest.mark.parametrize("name", ["normal", "bernoulli", "categorical", "gamma", "beta", "dirichlet", "mvn",
                                  "uniform"])
def test_closed_forms_match_torch(name, rng):
    (p, q), (tp, tq) = _pairs(rng)[name]
    np.testing.assert_allclose(kl_divergence(p, q), D.kl_divergence(tp, tq).numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(kl_divergence(p, p), 0.0, atol=1e-12)


@pytest.mark.parametrize("name", ["normal", "gamma", "beta", "dirichlet", "mvn"])
def test_closed_form_within_mc_error(name, rng):
    (p, q), _ = _pairs(rng)[name]
    est, se = kl_divergence(p, q, method="mc", rng=1, n_samples=20_000)
    exact = kl_divergence(p, q)
    assert np.all(np.abs(est - exact) <= 5 * se)


def test_on_torch_inputs():
    p = Normal(torch.tensor([0.0, 1.0], dtype=torch.float64), 1.0)
    q = Normal(torch.tensor([1.0, 1.0], dtype=torch.float64), 2.0)
    out = kl_divergence(p, q)
    assert isinstance(out, torch.Tensor)
    ref = D.kl_divergence(D.Normal(p.loc, p.scale), D.Normal(q.loc, q.scale))
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-12)


def test_fallback_and_methods():
    p, q = Gamma(2.0, 1.0), Normal(1.0, 2.0)
    with pytest.raises(NotImplementedError, match="method='mc'"):
        kl_divergence(p, q, method="exact")
    est, se = kl_divergence(p, q, rng=0, n_samples=4000)
    est2, se2 = kl_monte_carlo(p, q, 4000, rng=0)
    assert est == est2 and se == se2 and se > 0
    # Support mismatch: KL(Normal || Gamma) = inf.
    est, se = kl_monte_carlo(Normal(0.0, 1.0), Gamma(2.0, 1.0), 1000, rng=0)
    assert est == np.inf
    # Uniform outside the other's support.
    assert kl_divergence(Uniform(0.0, 3.0), Uniform(0.0, 2.0)) == np.inf
    with pytest.raises(ValueError, match="method"):
        kl_divergence(p, q, method="magic")


def test_kl_shape_errors():
    with pytest.raises(ShapeError, match="event shape"):
        kl_divergence(Normal(0.0, 1.0), MultivariateNormal(np.zeros(2), covariance=np.eye(2)))
    with pytest.raises(ShapeError, match="categories"):
        kl_divergence(Categorical(probs=np.ones(3) / 3), Categorical(probs=np.ones(2) / 2))
