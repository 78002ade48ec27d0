"""Score networks: the embedding and SiLU against their formulas, both networks against PyTorch twins
(values and gradients), the score wrapper, bad input."""

import math

import numpy as np
import pytest

from aimath.autodiff import Tensor
from aimath.diffusion import VPSDE, DDPMSchedule, ScoreNet, ScoreUNet, euler_maruyama_sampler, score_function
from aimath.diffusion.score_net import silu, silu_reference, sinusoidal_embedding, upsample2x
from aimath.errors import DomainError, ShapeError

torch = pytest.importorskip("torch")


def test_embedding_formula():
    tau = np.array([0.0, 0.3, 1.0])
    e = sinusoidal_embedding(tau, 6)
    for i, t in enumerate(tau):
        for k in range(3):
            w = 10000.0 ** (-k / 3)
            assert e[i, k] == pytest.approx(math.sin(1000 * t * w), abs=1e-12)
            assert e[i, 3 + k] == pytest.approx(math.cos(1000 * t * w), abs=1e-12)
    assert sinusoidal_embedding(0.5, 4).shape == (1, 4)
    et = sinusoidal_embedding(torch.tensor([0.3], dtype=torch.float64), 6, like=torch.zeros(1, dtype=torch.float64))
    np.testing.assert_allclose(et.numpy(), e[1:2], atol=1e-12)
    for bad in (3, 0, 2.0, True):
        with pytest.raises(DomainError, match="dim"):
            sinusoidal_embedding(0.1, bad)


def test_silu_matches_composed_ops_and_torch():
    x = np.concatenate([np.linspace(-6, 6, 41), [-800.0, 800.0]])
    a, b = Tensor(x.copy(), requires_grad=True), Tensor(x.copy(), requires_grad=True)
    w = np.random.default_rng(0).normal(size=x.shape)
    with np.errstate(all="raise"):
        (silu(a) * w).sum().backward()
    (silu_reference(b) * w).sum().backward()
    np.testing.assert_allclose(a.grad, b.grad, rtol=1e-12, atol=1e-300)
    xt = torch.tensor(x, requires_grad=True)
    yt = torch.nn.functional.silu(xt)
    (yt * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(silu(x).data, yt.detach().numpy(), rtol=1e-13)
    np.testing.assert_allclose(a.grad, xt.grad.numpy(), rtol=1e-12, atol=1e-300)


def test_upsample_is_nearest():
    x = np.arange(8.0).reshape(1, 2, 2, 2)
    y = upsample2x(Tensor(x)).data
    ref = torch.nn.functional.interpolate(torch.tensor(x), scale_factor=2, mode="nearest").numpy()
    np.testing.assert_array_equal(y, ref)


def _torch_mlp(net, x, tau):
    P = {k: torch.tensor(v, requires_grad=True) for k, v in net.state_dict().items()}
    e = torch.tensor(sinusoidal_embedding(tau, net.embed_dim))
    F = torch.nn.functional
    h = F.silu(F.linear(torch.cat([torch.tensor(x), e], 1), P["inp.weight"], P["inp.bias"]))
    for i in range(1, net.depth):
        h = F.silu(F.linear(h, P[f"h{i}.weight"], P[f"h{i}.bias"]) + F.linear(e, P[f"t{i}.weight"]))
    return F.linear(h, P["out.weight"], P["out.bias"]), P


def _torch_unet(net, x, tau):
    P = {k: torch.tensor(v, requires_grad=True) for k, v in net.state_dict().items()}
    F = torch.nn.functional
    e = F.silu(F.linear(torch.tensor(sinusoidal_embedding(tau, net.embed_dim)), P["temb.weight"], P["temb.bias"]))

    def conv(name, h, stride=1):
        return F.conv2d(h, P[f"{name}.weight"], P[f"{name}.bias"], stride=stride, padding=1)

    def add(h, name):
        return h + F.linear(e, P[f"{name}.weight"])[:, :, None, None]

    h1 = F.silu(conv("conv1b", F.silu(add(conv("conv1a", torch.tensor(x)), "p1"))))
    h2 = F.silu(conv("conv2b", F.silu(add(conv("down", h1, 2), "p2"))))
    m = F.silu(add(conv("mid", h2), "p3"))
    u = F.silu(add(conv("up", torch.cat([F.interpolate(m, scale_factor=2, mode="nearest"), h1], 1)), "p4"))
    return conv("conv_out", u), P


@pytest.mark.parametrize("kind", ["mlp", "unet"])
def test_networks_match_torch_twins(kind):
    rng = np.random.default_rng(1)
    if kind == "mlp":
        net, x, twin = ScoreNet(3, hidden=16, depth=3, embed_dim=8, rng=0), rng.normal(size=(5, 3)), _torch_mlp
    else:
        net, x, twin = ScoreUNet(8, channels=4, embed_dim=8, rng=0), rng.normal(size=(3, 1, 8, 8)), _torch_unet
    tau = rng.uniform(size=x.shape[0])
    w = rng.normal(size=x.shape)
    out = net(x, tau)
    (out * w).sum().backward()
    ref, P = twin(net, x, tau)
    (ref * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-10, atol=1e-12)
    for name, p in net.named_parameters():
        np.testing.assert_allclose(p.grad, P[name].grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)


def test_score_function_is_minus_eps_over_sigma():
    sde = VPSDE()
    net = ScoreNet(2, hidden=8, depth=2, rng=0)
    x = np.random.default_rng(0).normal(size=(4, 2))
    f = score_function(net, sde)
    assert f is not None and net.score_fn(sde)(x, 0.4) == pytest.approx(f(x, 0.4))
    _, _, _, s = sde.coefficients(0.4)
    np.testing.assert_allclose(f(x, 0.4), -net(x, 0.4).data / float(s), rtol=1e-14)
    t = np.array([0.1, 0.2, 0.5, 1.0])
    _, _, _, s = sde.coefficients(t)
    np.testing.assert_allclose(f(x, t), -net(x, t).data / s[:, None], rtol=1e-14)
    # discrete schedules: the network sees tau = t / T
    sch = DDPMSchedule(100)
    _, _, _, s = sch.coefficients(30.0)
    np.testing.assert_allclose(score_function(net, sch)(x, 30.0), -net(x, 0.3).data / float(s), rtol=1e-14)
    y = euler_maruyama_sampler(sde, f, (6, 2), rng=0, n_steps=5)
    assert y.shape == (6, 2) and np.all(np.isfinite(y))
    img = ScoreUNet(4, channels=2, embed_dim=4, rng=0)
    y = euler_maruyama_sampler(sde, img.score_fn(sde), (2, 1, 4, 4), rng=0, n_steps=3)
    assert y.shape == (2, 1, 4, 4)


def test_float32_kept():
    net = ScoreNet(2, hidden=8, depth=2, rng=0, dtype=np.float32)
    x = np.zeros((3, 2), dtype=np.float32)
    assert net(x, 0.5).data.dtype == np.float32
    assert net.score_fn(VPSDE())(x, 0.5).dtype == np.float32


def test_bad_input():
    net = ScoreNet(2, hidden=8, depth=2, rng=0)
    with pytest.raises(ShapeError, match=r"x must have shape \(n, 2\)"):
        net(np.zeros((3, 3)), 0.5)
    with pytest.raises(ShapeError, match="t must be a scalar or have shape"):
        net(np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(DomainError, match=r"must lie in \[0, 1\]"):
        net(np.zeros((3, 2)), 1.5)
    with pytest.raises(DomainError, match="hidden"):
        ScoreNet(2, hidden=0)
    with pytest.raises(DomainError, match="embed_dim"):
        ScoreNet(2, embed_dim=3)
    with pytest.raises(DomainError, match="size"):
        ScoreUNet(7)
    with pytest.raises(ShapeError, match=r"x must have shape \(n, 1, 8, 8\)"):
        ScoreUNet(8, channels=2)(np.zeros((2, 64)), 0.5)
    with pytest.raises(DomainError, match="sde must be a ForwardProcess"):
        score_function(net, "vp")


def test_clipped_score():
    """With clip the Tweedie estimate (x + σ² s)/α of the returned score lies in range; a range that
    contains it changes nothing."""
    sde = VPSDE()
    net = ScoreNet(3, hidden=8, depth=2, rng=0)
    x = 3 * np.random.default_rng(0).normal(size=(50, 3))
    for t in (0.05, 0.5, np.linspace(0.1, 1, 50)):
        _, _, a, s = sde.coefficients(t)
        a, s = (np.reshape(v, (-1, 1)) if np.ndim(v) else v for v in (a, s))
        sc = net.score_fn(sde, clip=(-1.0, 1.0))(x, t)
        x0 = (x + s**2 * sc) / a
        assert x0.min() >= -1 - 1e-9 and x0.max() <= 1 + 1e-9
        raw = net.score_fn(sde)(x, t)
        x0_raw = (x + s**2 * raw) / a
        inside = (x0_raw > -1) & (x0_raw < 1)
        np.testing.assert_allclose(sc[inside], raw[inside], rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(net.score_fn(sde, clip=(-1e9, 1e9))(x, t), raw, rtol=1e-9)
    with pytest.raises(DomainError, match="clip"):
        net.score_fn(sde, clip=(1.0, -1.0))
