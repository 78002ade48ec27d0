"""Same hyper-parameters, same iterates as torch.optim (float64, 100 steps, max |Δ| ≤ 1e-12)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from aimath import optim

CONFIGS = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, weight_decay=0.1)),
    ("SGD", dict(lr=0.03, momentum=0.9)),
    ("SGD", dict(lr=0.03, momentum=0.8, dampening=0.3, weight_decay=0.01)),
    ("SGD", dict(lr=0.03, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.03, momentum=0.9, nesterov=True, weight_decay=0.05, maximize=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.5)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, centered=True)),
    ("RMSprop", dict(lr=0.005, momentum=0.9, centered=True, weight_decay=0.01)),
    # (lr=0.01, alpha=0.9, momentum=0.5 makes this quadratic's RMSprop dynamics chaotic: a one-ulp difference
    # in the first step, which any two float implementations have, grows ×3 per step after step 70)
    ("RMSprop", dict(lr=0.003, alpha=0.9, momentum=0.5, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.05, maximize=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
]


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """Tiny tensors: one thread avoids oversubscribing a busy machine."""
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


class Param:
    """A bare parameter: the duck type the optimizers accept."""

    def __init__(self, data):
        self.data, self.grad = data, None


def _ids(c):
    return c[0] + "-" + "-".join(f"{k}={v}" for k, v in c[1].items())


@pytest.mark.parametrize("cfg", CONFIGS, ids=[_ids(c) for c in CONFIGS])
def test_quadratic_100_steps(cfg, rng):
    name, hp = cfg
    n = 12
    M = rng.standard_normal((n, n))
    A = M @ M.T / n + 0.1 * np.eye(n)
    b = rng.standard_normal(n)
    x0 = rng.standard_normal(n)
    sign = -1.0 if hp.get("maximize") else 1.0  # ascend on -f when maximizing

    ours = Param(x0.copy())
    opt = getattr(optim, name)([ours], **hp)
    tp = torch.nn.Parameter(torch.tensor(x0))
    topt = getattr(torch.optim, name)([tp], **hp)
    worst = 0.0
    for _ in range(100):
        ours.grad = sign * (A @ ours.data - b)
        opt.step()
        topt.zero_grad()
        tp.grad = torch.from_numpy(sign * (A @ tp.detach().numpy() - b))  # the same gradient arithmetic
        topt.step()
        worst = max(worst, float(np.max(np.abs(ours.data - tp.detach().numpy()))))
    assert worst <= 1e-12


def _mlp(seed):
    torch.manual_seed(seed)
    return torch.nn.Sequential(torch.nn.Linear(5, 12), torch.nn.Tanh(), torch.nn.Linear(12, 12), torch.nn.ReLU(),
                               torch.nn.Linear(12, 3)).double()


@pytest.mark.parametrize("cfg", CONFIGS, ids=[_ids(c) for c in CONFIGS])
def test_mlp_100_steps(cfg):
    """A small MLP trained 100 steps by torch.optim; our optimizer, on a copy of the weights (bare parameters
    holding numpy arrays), gets the identical gradients (torch autograd) and must follow the same iterates.
    Two parameter groups with different learning rates."""
    name, hp = cfg
    ref = _mlp(0)
    g = torch.Generator().manual_seed(1)
    X = torch.randn(24, 5, generator=g, dtype=torch.float64)
    y = torch.randint(0, 3, (24,), generator=g)
    tps = list(ref.parameters())
    mine = [Param(p.detach().numpy().copy()) for p in tps]
    groups = [{"params": mine[:2]}, {"params": mine[2:], "lr": hp["lr"] * 0.5}]
    tgroups = [{"params": tps[:2]}, {"params": tps[2:], "lr": hp["lr"] * 0.5}]
    topt = getattr(torch.optim, name)(tgroups, **hp)
    opt = getattr(optim, name)(groups, **hp)
    loss_fn = torch.nn.CrossEntropyLoss()
    sign = -1.0 if hp.get("maximize") else 1.0  # maximize the negated loss
    worst = 0.0
    for _ in range(100):
        topt.zero_grad()
        (sign * loss_fn(ref(X), y)).backward()
        for p, tp in zip(mine, tps, strict=True):
            p.grad = tp.grad.numpy().copy()
        topt.step()
        opt.step()
        worst = max(worst, max(float(np.max(np.abs(p.data - tp.detach().numpy()))) for p, tp in zip(mine, tps,
                                                                                                   strict=True)))
    assert worst <= 1e-12
    assert opt.state_dict()["param_groups"][1]["lr"] == hp["lr"] * 0.5


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_float32_kept_and_close(name, rng):
    x0 = rng.standard_normal(20).astype(np.float32)
    ours = Param(x0.copy())
    opt = getattr(optim, name)([ours], lr=0.01, **({"momentum": 0.9} if name != "Adam" else {}))
    tp = torch.nn.Parameter(torch.tensor(x0))
    topt = getattr(torch.optim, name)([tp], lr=0.01, **({"momentum": 0.9} if name != "Adam" else {}))
    for _ in range(50):
        ours.grad = (2 * ours.data).astype(np.float32)
        tp.grad = 2 * tp.detach()
        opt.step()
        topt.step()
    assert ours.data.dtype == np.float32
    np.testing.assert_allclose(ours.data, tp.detach().numpy(), rtol=1e-5, atol=1e-6)


SCHEDULES = [
    ("StepLR", dict(step_size=7, gamma=0.5)),
    ("ExponentialLR", dict(gamma=0.95)),
    ("CosineAnnealingLR", dict(T_max=30, eta_min=0.001)),
    ("LinearLR", dict(start_factor=0.1, end_factor=1.0, total_iters=10)),
]


@pytest.mark.parametrize("sched", SCHEDULES, ids=[s[0] for s in SCHEDULES])
def test_schedules_match_torch(sched):
    name, kw = sched
    ours = Param(np.zeros(1))
    opt = optim.SGD([ours], lr=0.1)
    tp = torch.nn.Parameter(torch.zeros(1))
    topt = torch.optim.SGD([tp], lr=0.1)
    s, ts = getattr(optim, name)(opt, **kw), getattr(torch.optim.lr_scheduler, name)(topt, **kw)
    got, want = [s.get_last_lr()[0]], [ts.get_last_lr()[0]]
    for _ in range(60):
        topt.step()
        s.step()
        ts.step()
        got.append(s.get_last_lr()[0])
        want.append(ts.get_last_lr()[0])
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
