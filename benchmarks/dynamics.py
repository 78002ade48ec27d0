"""Benchmarks for aimath.fokker_planck (issue 10, the Fokker–Planck part).

* 1-D Fokker–Planck of the Ornstein–Uhlenbeck process dX = −θX dt + σ dW (θ = 0.5, σ = 1) on
  [−8, 8] with 2,000 cells, from N(2, 0.5²) to t = 10, against py-pde solving the same PDE
  ``∂_t p = ½σ²∂²_x p + θ∂_x(x p)`` with its numba-compiled explicit Euler solver at its largest
  stable step (compilation excluded, done before timing). "At the same L1 error": each side's L1
  distance to the exact Gaussian density at t = 10 is measured once; aimath uses BDF2 with
  Δt = 0.03, a step whose error is at most py-pde's (checked: the run aborts otherwise). Target:
  ratio ≤ 1.
* Backward Euler (the positivity-preserving default) at Δt = 0.01 is reported beside it, with its
  error, for information.
* The tridiagonal solve alone (cyclic reduction, factored once) for 2,000 unknowns against
  ``scipy.linalg.solve_banded`` (LAPACK gtsv-style band solve, factoring each call), for information.

* Diffusion (issue 10, the learned-score part): 2-D score-model training, the same network
  (:class:`aimath.diffusion.ScoreNet`, 2 → 3 × 128 SiLU → 2 with a 16-dim sinusoidal time embedding,
  float32) and the same DSM step (batch 512 drawn from 4,000 moons points, t ~ U(1e-3, 1), Adam) in
  aimath and in PyTorch on the CPU, 20 steps a call, both single-threaded; target ratio ≤ 2.
  Throughput (samples/s) = 20·512 / time. And sampling 1,000 digits with 500 reverse-SDE
  Euler–Maruyama steps with the shipped digits model, target < 60 s (absolute; 50 steps with
  ``--quick``).

Run: ``.venv/bin/python benchmarks/dynamics.py [--quick] [--json build/bench/dynamics.json]``.
"""

from __future__ import annotations

import math
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import Case, main  # noqa: E402
from aimath.fokker_planck import FokkerPlanck1D, cyclic_reduction  # noqa: E402

THETA, SIGMA, L, N, T, M0, S0 = 0.5, 1.0, 8.0, 2000, 10.0, 2.0, 0.5


def _gauss(x, m, v):
    return np.exp(-((x - m) ** 2) / (2 * v)) / np.sqrt(2 * np.pi * v)


def _exact(x):
    m = M0 * math.exp(-THETA * T)
    v = S0**2 * math.exp(-2 * THETA * T) + SIGMA**2 / (2 * THETA) * -math.expm1(-2 * THETA * T)
    return _gauss(x, m, v)


def _ours(method, dt):
    fp = FokkerPlanck1D(lambda x: -THETA * x, SIGMA, (-L, L, N))
    p0 = _gauss(fp.centers, M0, S0**2)
    p0 /= np.sum(p0 * fp.widths)
    exact = _exact(fp.centers)

    def run():
        fp._factors.clear()  # time the factorisation too
        return fp.solve(p0, [0.0, T], dt=dt, method=method)[-1]

    err = float(np.sum(np.abs(run() - exact) * fp.widths))
    return run, err


def _pypde():
    try:
        import pde
    except ImportError:
        return None, None
    grid = pde.CartesianGrid([[-L, L]], [N])
    x = grid.axes_coords[0]
    h = 2 * L / N
    p0 = _gauss(x, M0, S0**2)
    p0 /= p0.sum() * h
    eq = pde.PDE({"p": f"{SIGMA**2 / 2}*laplace(p) + {THETA}*d_dx(x*p)"}, bc={"derivative": 0})
    dt = 0.9 * h * h / SIGMA**2  # explicit Euler: stable for dt ≤ h²/(2D) = h²/σ²
    state = pde.ScalarField(grid, p0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eq.solve(state, t_range=10 * dt, dt=dt, solver="explicit", tracker=None)  # numba compile

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return eq.solve(state, t_range=T, dt=dt, solver="explicit", tracker=None).data

    err = float(np.sum(np.abs(run() - _exact(x))) * h)
    return run, err


STEPS, BATCH = 20, 512


def _score_training():
    """One call = STEPS DSM steps of the 2-D ScoreNet, in aimath and in a PyTorch twin."""
    from aimath.diffusion import VPSDE, ScoreNet
    from aimath.diffusion.toy2d import toy_data
    from aimath.diffusion.training import dsm_loss, sample_times
    from aimath.optim import Adam

    rng = np.random.default_rng(0)
    X = toy_data("moons", 4000, rng).astype(np.float32)
    X = (X - X.mean(0)) / X.std(0)
    sde = VPSDE()
    net = ScoreNet(2, hidden=128, depth=3, embed_dim=16, rng=0, dtype=np.float32)
    opt = Adam(net.parameters(), lr=1e-3)

    def ours():
        for _ in range(STEPS):
            x0 = X[rng.integers(0, len(X), BATCH)]
            t = sample_times(sde, BATCH, rng, like=x0)
            loss = dsm_loss(net, x0, t, rng.standard_normal(x0.shape, dtype=np.float32), sde)
            opt.zero_grad()
            loss.backward()
            opt.step()

    try:
        import torch
    except ImportError:  # pragma: no cover
        return ours, None
    F = torch.nn.functional
    state = {k: torch.tensor(v, requires_grad=True) for k, v in net.state_dict().items()}
    topt = torch.optim.Adam(state.values(), lr=1e-3)
    Xt = torch.tensor(X)
    omega = torch.exp(-math.log(10000.0) * torch.arange(8, dtype=torch.float32) / 8)
    gen = torch.Generator().manual_seed(0)

    def alpha_sigma(t):  # the VP SDE with β from 0.1 to 20, as aimath's VPSDE
        log_a = -0.25 * t * t * (20.0 - 0.1) - 0.5 * t * 0.1
        return torch.exp(log_a), torch.sqrt(-torch.expm1(2 * log_a))

    def reference():
        for _ in range(STEPS):
            x0 = Xt[torch.randint(0, len(Xt), (BATCH,), generator=gen)]
            t = 1e-3 + (1 - 1e-3) * torch.rand(BATCH, generator=gen)
            eps = torch.randn(x0.shape, generator=gen)
            a, s = alpha_sigma(t)
            xt = a[:, None] * x0 + s[:, None] * eps
            arg = 1000.0 * t[:, None] * omega[None, :]
            e = torch.cat([torch.sin(arg), torch.cos(arg)], 1)
            h = F.silu(F.linear(torch.cat([xt, e], 1), state["inp.weight"], state["inp.bias"]))
            for i in (1, 2):
                h = F.silu(F.linear(h, state[f"h{i}.weight"], state[f"h{i}.bias"]) + F.linear(e, state[f"t{i}.weight"]))
            loss = torch.mean((F.linear(h, state["out.weight"], state["out.bias"]) - eps) ** 2)
            topt.zero_grad()
            loss.backward()
            topt.step()

    return ours, reference


def _single_threaded(fn):
    from aimath.diffusion.toy2d import single_thread

    def run():
        try:
            import torch

            n = torch.get_num_threads()
            torch.set_num_threads(1)
        except ImportError:  # pragma: no cover
            torch = None
        with single_thread():
            out = fn()
        if torch is not None:
            torch.set_num_threads(n)
        return out

    return run


def _digits_sampling(quick):
    from aimath.diffusion.digits import load_digits_model, sample_digits

    model = load_digits_model()
    steps = 50 if quick else 500
    return lambda: sample_digits(model, 1000, np.random.default_rng(1), n_steps=steps)


def cases(quick: bool) -> list[Case]:
    out = []
    ours, ref = _score_training()
    out.append(Case(f"2-D ScoreNet DSM training, {STEPS} steps of {BATCH}", _single_threaded(ours),
                    _single_threaded(ref) if ref is not None else None, reference_name="PyTorch CPU (same net)",
                    target=2.0, note=f"throughput = {STEPS * BATCH} samples / time; float32, one thread each"))
    out.append(Case(f"digits: sample 1000 images x {50 if quick else 500} EM steps", _single_threaded(
        _digits_sampling(quick)), None, note="target < 60 s for 500 steps (absolute); shipped MLP ScoreNet"))
    ref, ref_err = _pypde()
    bdf2, bdf2_err = _ours("bdf2", 0.03)
    if ref_err is not None and not bdf2_err <= ref_err:
        raise SystemExit(f"aimath's L1 error {bdf2_err:.3g} exceeds py-pde's {ref_err:.3g}: not the same accuracy")
    note = f"L1 error at t=10: aimath {bdf2_err:.2g} (BDF2, dt=0.03)"
    note += f", py-pde {ref_err:.2g} (explicit Euler, dt=0.9h²/σ²)" if ref_err is not None else ", py-pde unavailable"
    out.append(Case("FP 1-D OU, 2000 cells, t=10, same L1 error", bdf2, ref, reference_name="py-pde explicit",
                    target=1.0, note=note))
    be, be_err = _ours("backward_euler", 0.01)
    out.append(Case("FP 1-D OU, 2000 cells, t=10, backward Euler dt=0.01", be, None,
                    note=f"L1 error at t=10: aimath {be_err:.2g} (positivity-preserving backward Euler; "
                         f"not the same accuracy, for information)"))
    rng = np.random.default_rng(0)
    a, c = -rng.uniform(0, 1, N), -rng.uniform(0, 1, N)
    b = 2.5 + rng.uniform(0, 1, N)
    d = rng.standard_normal(N)
    f = cyclic_reduction(a, b, c)
    try:
        from scipy.linalg import solve_banded

        ab = np.stack([np.concatenate([[0], c[:-1]]), b, np.concatenate([a[1:], [0]])])
        reference = lambda: solve_banded((1, 1), ab, d)  # noqa: E731
    except ImportError:  # pragma: no cover
        reference = None
    out.append(Case("tridiagonal solve, n=2000 (factored cyclic reduction)", lambda: f.solve(d), reference,
                    reference_name="scipy solve_banded"))
    return out


if __name__ == "__main__":
    main("dynamics", cases)
