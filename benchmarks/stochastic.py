"""Benchmarks for aimath.sde and aimath.sampling (issue 9).

* ``sdeint`` Euler–Maruyama on GBM, 10⁵ paths × 1000 steps, against a hand-written NumPy loop for
  the same equation (target: aimath's time ≤ 1/0.9 of the loop's, i.e. ≥ 0.9× its throughput) and
  against torchsde's ``sdeint(method="euler")`` (target ≥ 5× faster: ratio ≤ 0.2; torchsde is run
  on 10⁴ paths because it needs ~15 s per 10⁴ here, and both sides use the same sizes).
* ``ula`` with 10⁴ chains on a 2-D Gaussian mixture against blackjax's overdamped Langevin step
  (``blackjax.sgld`` with the exact gradient, which is ULA), vmapped over chains and jit-compiled
  (compilation excluded); target: ratio ≤ 1 (chain-steps per second ≥ blackjax's).

Run: ``.venv/bin/python benchmarks/stochastic.py [--quick] [--json build/bench/stochastic.json]``.
"""

from __future__ import annotations

import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import Case, main  # noqa: E402
from aimath.sampling import gaussian_mixture, ula  # noqa: E402
from aimath.sde import SDE, sdeint  # noqa: E402

MU, SIGMA = 0.1, 0.2


def _gbm_sde():
    return SDE(lambda t, x: MU * x, lambda t, x: SIGMA * x)


def _numpy_loop(n_paths, n_steps, seed=0):
    """The hand-written Euler–Maruyama loop a user would write for dX = μX dt + σX dW."""
    rng = np.random.default_rng(seed)
    dt = 1.0 / n_steps
    sq = math.sqrt(dt)
    x = np.ones(n_paths)
    for _ in range(n_steps):
        dW = rng.standard_normal(n_paths) * sq
        x = x + MU * x * dt + SIGMA * x * dW
    return x


def _ours(n_paths, n_steps, like=None):
    x0 = np.ones(1) if like is None else like
    return sdeint(_gbm_sde(), x0, np.linspace(0.0, 1.0, n_steps + 1), rng=0, n_paths=n_paths, save_every=n_steps)


def _torchsde_case(n_paths, n_steps):
    try:
        import torch
        import torchsde
    except ImportError:
        return None

    class GBM(torch.nn.Module):
        noise_type, sde_type = "diagonal", "ito"

        def f(self, t, y):
            return MU * y

        def g(self, t, y):
            return SIGMA * y

    sde = GBM()
    y0 = torch.ones(n_paths, 1, dtype=torch.float64)
    ts = torch.tensor([0.0, 1.0], dtype=torch.float64)

    def run():
        with torch.no_grad():
            return torchsde.sdeint(sde, y0, ts, method="euler", dt=1.0 / n_steps)

    return run


def _mixture():
    means = np.array([[-2.0, 0.0], [2.0, 0.0], [0.0, 2.5], [0.0, -2.5]])
    return means, 0.8, gaussian_mixture(means, 0.8)


def _blackjax_ula(n_chains, n_keep, thin, eta):
    try:
        import blackjax
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)
    means, sd, _ = _mixture()
    M = jnp.asarray(means)

    def score(x, _minibatch):  # the same analytic mixture score as aimath's target
        diff = x[None, :] - M
        a = -0.5 * jnp.sum(diff * diff, axis=-1) / sd**2
        r = jax.nn.softmax(a)
        return -jnp.sum(r[:, None] * diff, axis=0) / sd**2

    sgld = blackjax.sgld(score)
    step = jax.vmap(lambda k, x: sgld.step(k, x, None, eta))

    @jax.jit
    def run(key, x0):
        def inner(x, k):
            return step(jax.random.split(k, n_chains), x), None

        def outer(x, k):
            x, _ = jax.lax.scan(inner, x, jax.random.split(k, thin))
            return x, x

        return jax.lax.scan(outer, x0, jax.random.split(key, n_keep))[1]

    x0 = jnp.zeros((n_chains, 2))
    key = jax.random.PRNGKey(0)
    run(key, x0).block_until_ready()  # compile outside the timing

    return lambda: run(key, x0).block_until_ready()


def cases(quick: bool) -> list[Case]:
    P, N = (20_000, 200) if quick else (100_000, 1000)
    Pt = 2_000 if quick else 10_000
    out = [
        Case(f"sdeint EM GBM {P} paths x {N} steps (numpy)", lambda: _ours(P, N), lambda: _numpy_loop(P, N),
             "hand-written NumPy loop", target=1 / 0.9, note="ratio = time ours / time loop"),
    ]
    ts = _torchsde_case(Pt, N)
    if ts is not None:
        out.append(Case(f"sdeint EM GBM {Pt} paths x {N} steps vs torchsde", lambda: _ours(Pt, N), ts,
                        "torchsde.sdeint(method='euler') float64", target=0.2))
        import torch

        t0 = torch.ones(1, dtype=torch.float64)
        out.append(Case(f"sdeint EM GBM {Pt} paths x {N} steps (torch) vs torchsde", lambda: _ours(Pt, N, t0), ts,
                        "torchsde.sdeint(method='euler') float64", target=0.2))
    C, K, thin, eta = (2_000, 20, 10, 0.05) if quick else (10_000, 100, 10, 0.05)
    _, _, target = _mixture()
    x0 = np.zeros((C, 2))

    def ours_ula():
        return ula(x0, score=target.score, step_size=eta, n_samples=K, thin=thin, rng=0)

    bj = _blackjax_ula(C, K, thin, eta)
    out.append(Case(f"ula {C} chains x {K * thin} steps, 2-D mixture", ours_ula, bj,
                    "blackjax.sgld (exact gradient = ULA), jit, vmap" if bj else "", target=1.0 if bj else None,
                    note=f"{C * K * thin:.3g} chain-steps per call"))
    return out


if __name__ == "__main__":
    main("stochastic", cases)
