"""Denoising score matching: the loss against its formula and its gradient against PyTorch, EMA
arithmetic, the learned score of Gaussian data against the exact score, bad input."""

import numpy as np
import pytest

from aimath.autodiff import Tensor
from aimath.diffusion import (
    VPSDE,
    DDPMSchedule,
    ScoreNet,
    dsm_loss,
    ema_update,
    exact_score,
    train_score_model,
)
from aimath.diffusion.score_net import sinusoidal_embedding
from aimath.diffusion.training import sample_times
from aimath.errors import ConvergenceError, DomainError, ShapeError
from aimath.nn import Module, Parameter
from aimath.optim import SGD, Adam, CosineAnnealingLR
from aimath.prob import MultivariateNormal


def _batch(rng, n=7, d=2):
    return rng.normal(size=(n, d)), rng.uniform(0.01, 1.0, n), rng.normal(size=(n, d))


def test_loss_value_is_the_weighted_dsm_objective():
    """ε-MSE = (1/nd) Σ σ² ‖s_θ(x_t, t) + ε/σ‖² with s_θ = −ε̂/σ, computed the long way."""
    rng = np.random.default_rng(0)
    sde = VPSDE()
    net = ScoreNet(2, hidden=8, depth=2, rng=0)
    x0, t, eps = _batch(rng)
    loss = float(dsm_loss(net, x0, t, eps, sde).data)
    score = net.score_fn(sde)
    total = 0.0
    for i in range(len(t)):
        mean, std = sde.marginal(x0[i:i + 1], t[i])
        s = float(np.asarray(std).ravel()[0])
        xt = mean + s * eps[i:i + 1]
        total += s**2 * np.sum((score(xt, t[i]) + eps[i:i + 1] / s) ** 2)
    assert loss == pytest.approx(total / x0.size, rel=1e-12)


def test_loss_gradient_matches_torch():
    torch = pytest.importorskip("torch")

    rng = np.random.default_rng(1)
    sde = VPSDE()
    net = ScoreNet(2, hidden=8, depth=3, embed_dim=6, rng=0)
    x0, t, eps = _batch(rng)
    loss = dsm_loss(net, x0, t, eps, sde)
    loss.backward()
    _, _, a, s = sde.coefficients(t)
    xt = a[:, None] * x0 + s[:, None] * eps
    P = {k: torch.tensor(v, requires_grad=True) for k, v in net.state_dict().items()}
    F = torch.nn.functional
    e = torch.tensor(sinusoidal_embedding(t, net.embed_dim))
    h = F.silu(F.linear(torch.cat([torch.tensor(xt), e], 1), P["inp.weight"], P["inp.bias"]))
    for i in (1, 2):
        h = F.silu(F.linear(h, P[f"h{i}.weight"], P[f"h{i}.bias"]) + F.linear(e, P[f"t{i}.weight"]))
    out = F.linear(h, P["out.weight"], P["out.bias"])
    ref = torch.mean((out - torch.tensor(eps)) ** 2)
    ref.backward()
    assert float(loss.data) == pytest.approx(float(ref.detach()), rel=1e-12)
    for name, p in net.named_parameters():
        np.testing.assert_allclose(p.grad, P[name].grad.numpy(), rtol=1e-9, atol=1e-13, err_msg=name)


def test_loss_gradient_matches_finite_differences():
    rng = np.random.default_rng(2)
    sde = VPSDE()
    net = ScoreNet(2, hidden=6, depth=2, embed_dim=4, rng=3)
    x0, t, eps = _batch(rng, n=5)
    dsm_loss(net, x0, t, eps, sde).backward()
    p = net.inp.weight
    h = 1e-6
    for idx in [(0, 0), (3, 1), (5, 4)]:
        old = p.data[idx]
        p.data[idx] = old + h
        up = float(dsm_loss(net, x0, t, eps, sde).data)
        p.data[idx] = old - h
        down = float(dsm_loss(net, x0, t, eps, sde).data)
        p.data[idx] = old
        assert p.grad[idx] == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-10)


class _Counter(Module):
    """A 'model' with one parameter whose value the fake optimizer sets to 1, 2, 3, … each step."""

    def __init__(self):
        super().__init__()
        self.w = Parameter(np.zeros(3))

    def forward(self, x, tau):
        return x * 0.0 + self.w[0]


class _SetTo:
    def __init__(self, p):
        self.p, self.k = p, 0

    def zero_grad(self):
        pass

    def step(self):
        self.k += 1
        self.p.data[...] = self.k


def test_ema_arithmetic_exact():
    """θ_k = k (k = 1..K), θ̄_0 = 0: θ̄_K = (1 − µ) Σ_k µ^{K−k} k, the closed form."""
    model = _Counter()
    K, mu = 6, 0.75
    ema_model, losses = train_score_model(model, np.zeros((4, 1)), VPSDE(), _SetTo(model.w), steps=K, batch_size=2,
                                          rng=0, progress=False, ema=mu)
    expected = sum((1 - mu) * mu ** (K - k) * k for k in range(1, K + 1))
    np.testing.assert_allclose(ema_model.w.data, expected, rtol=1e-15)
    assert np.all(model.w.data == K) and ema_model is not model and losses.shape == (K,)
    e = [np.array([1.0, 2.0])]
    ema_update(e, [np.array([3.0, -2.0])], 0.5)
    np.testing.assert_array_equal(e[0], [2.0, 0.0])
    same, _ = train_score_model(model, np.zeros((4, 1)), VPSDE(), _SetTo(model.w), steps=2, batch_size=2, rng=0,
                                progress=False, ema=None)
    assert same is model


def test_sample_times():
    rng = np.random.default_rng(0)
    t = sample_times(VPSDE(), 10000, rng, eps=0.01)
    assert t.min() >= 0.01 and t.max() <= 1.0 and abs(t.mean() - 0.505) < 0.01
    k = sample_times(DDPMSchedule(50), 10000, rng)
    assert set(np.unique(k)) == set(range(1, 51))


def test_learned_score_of_gaussian_data_is_the_exact_score():
    """The DSM minimiser is ∇log p_t: a small net trained on N(µ, Σ) data matches the closed-form
    score of the noised Gaussian: relative L² error over p_t below 10 % at t = 0.1 … 0.9, and the
    excess DSM risk σ(t)²E‖s_θ − ∇log p_t‖²/d (what the loss weights) below 0.01 down to t = 0.02.

    (ε-prediction makes the score's relative error grow like 1/σ(t) as t → 0: a fixed error in ε̂ is
    divided by σ; the reverse SDE multiplies it by g(t)² = β(t), smallest there.)"""
    rng = np.random.default_rng(0)
    dist = MultivariateNormal(np.array([1.0, -0.5]), covariance=np.array([[0.6, 0.25], [0.25, 0.4]]))
    sde = VPSDE()
    data = dist.sample(rng, (20000,))
    net = ScoreNet(2, hidden=64, depth=2, embed_dim=16, rng=1)
    opt = Adam(net.parameters(), lr=3e-3)
    steps = 2000
    ema_net, losses = train_score_model(net, data, sde, opt, steps=steps, batch_size=256, rng=2, progress=False,
                                        ema=0.99, scheduler=CosineAnnealingLR(opt, steps))
    assert losses[-200:].mean() < losses[:50].mean()
    exact = exact_score(sde, dist)
    learned = ema_net.score_fn(sde)
    for t in (0.02, 0.1, 0.3, 0.6, 0.9):
        x = exact.distribution(t).sample(rng, (4000,))
        ref = exact(x, t)
        err2 = np.mean(np.sum((learned(x, t) - ref) ** 2, 1))
        sigma = float(sde.coefficients(t)[3])
        assert sigma**2 * err2 / 2 < 0.01, (t, sigma**2 * err2 / 2)
        if t >= 0.1:
            rel = np.sqrt(err2 / np.mean(np.sum(ref**2, 1)))
            assert rel < 0.1, (t, rel)
    untrained = ScoreNet(2, hidden=64, depth=2, embed_dim=16, rng=1).score_fn(sde)
    x = exact.distribution(0.3).sample(rng, (4000,))
    assert np.sqrt(np.mean((untrained(x, 0.3) - exact(x, 0.3)) ** 2) / np.mean(exact(x, 0.3) ** 2)) > 0.5


def test_bad_input():
    sde = VPSDE()
    net = ScoreNet(2, hidden=4, depth=1, rng=0)
    opt = SGD(net.parameters(), lr=0.1)
    data = np.zeros((10, 2))
    kw = dict(progress=False)
    with pytest.raises(DomainError, match="steps"):
        train_score_model(net, data, sde, opt, 0, 4, **kw)
    with pytest.raises(DomainError, match="batch_size"):
        train_score_model(net, data, sde, opt, 5, 0, **kw)
    with pytest.raises(DomainError, match="ema"):
        train_score_model(net, data, sde, opt, 5, 4, ema=1.0, **kw)
    with pytest.raises(DomainError, match="sde must be a ForwardProcess"):
        train_score_model(net, data, None, opt, 5, 4, **kw)
    with pytest.raises(DomainError, match="model must be"):
        train_score_model(lambda x, t: x, data, sde, opt, 5, 4, **kw)
    with pytest.raises(DomainError, match="finite|NaN"):
        train_score_model(net, np.full((10, 2), np.nan), sde, opt, 5, 4, **kw)
    with pytest.raises(ShapeError, match=r"x must have shape \(n, 2\)"):
        train_score_model(net, np.zeros((10, 3)), sde, opt, 5, 4, **kw)
    x0, t, eps = _batch(np.random.default_rng(0))
    with pytest.raises(ShapeError, match="noise"):
        dsm_loss(net, x0, t, eps[:, :1], sde)
    with pytest.raises(ShapeError, match="t must have shape"):
        dsm_loss(net, x0, t[:3], eps, sde)
    with pytest.raises(DomainError, match=r"t must lie in \[0, 1\]"):
        dsm_loss(net, x0, t + 5, eps, sde)
    big = SGD(net.parameters(), lr=1e30)
    with np.errstate(all="ignore"), pytest.raises(ConvergenceError, match="diverged"):
        train_score_model(net, np.ones((10, 2)) * 1e3, sde, big, 50, 4, ema=None, **kw)
    assert isinstance(net(np.zeros((1, 2)), 0.1), Tensor)
