"""B18 Langevin dynamics and sampling: ULA's O(η) bias, MALA's exactness, optimal MALA scaling,
sampler means within MCSE, and the ESS/R-hat/MCSE diagnostics on chains with known answers."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from aimath.sampling import (
    effective_sample_size,
    gaussian_ar1,
    gaussian_mixture,
    hmc,
    mala,
    mcse,
    minibatch_score,
    random_walk_metropolis,
    rhat,
    sgld,
    ula,
    ula_kernel,
)
from aimath.sde import OrnsteinUhlenbeck
from aimath.theorems import Evidence, theorem


def _chain_mean_se(per_chain):
    """Mean over independent chains and its standard error."""
    v = np.asarray(per_chain, dtype=float)
    return v.mean(axis=0), v.std(axis=0, ddof=1) / math.sqrt(v.shape[0])


@theorem("B18.ula-bias-order",
         "ULA's stationary bias is O(η): for π = N(0, 1), E_ULA[x²] − 1 has log–log slope 1 ± 0.1 in η")
def ula_bias_order(rng):
    # The ULA chain is coupled with the exact Langevin diffusion dX = −X dt + √2 dW (an OU process
    # whose law stays N(0, 1)), both driven by the same normals: the difference x² − y² then has
    # a small variance, and its mean is the bias of ULA's second moment.
    ou = OrnsteinUhlenbeck(theta=1.0, mu=0.0, sigma=math.sqrt(2.0))
    etas = [0.02, 0.04, 0.08, 0.16]
    n_chains = 10_000
    biases, parts = [], {}
    for eta in etas:
        kernel = ula_kernel(lambda x: -x, eta)
        y = rng.standard_normal((n_chains, 1))
        state = kernel.init(y.copy())
        burn, keep = int(6 / eta), int(6 / eta)
        acc = np.zeros(n_chains)
        for k in range(burn + keep):
            z = rng.standard_normal((n_chains, 1))
            state, _ = kernel.step(state, None, noise=z)
            y = ou.exact_sample(y, eta, noise=z)
            if k >= burn:
                acc += (state.x**2 - y**2)[:, 0]
        b, se = _chain_mean_se(acc / keep)
        biases.append(float(b))
        exact = (eta / 2) / (1 - eta / 2)  # the ULA stationary variance is 1/(1 − η/2)
        parts[f"eta={eta:g}"] = Evidence.stat(b, exact, se, note="bias vs 1/(1−η/2) − 1")
    parts["slope"] = Evidence.slope(etas, biases, 1.0, 0.1, note="log bias vs log η")
    return Evidence.all(**parts)


@theorem("B18.mala-unbiased",
         "MALA leaves π invariant at any step: on a bimodal mixture at η = 0.4, E x² exact within 5 SE "
         "while ULA at the same step is biased")
def mala_unbiased(rng):
    target = gaussian_mixture(np.array([[-2.0, 0.0], [2.0, 0.0]]), sd=1.0)
    x0 = target.sample(rng, 2000)
    m = mala(x0, log_prob=target.log_prob, score=target.score, step_size=0.4, n_samples=300, rng=rng)
    u = ula(x0, score=target.score, step_size=0.4, n_samples=300, rng=rng)
    truth = np.diag(target.cov)
    mm, mse = _chain_mean_se((m.samples**2).mean(axis=0))
    um, use = _chain_mean_se((u.samples**2).mean(axis=0))
    return Evidence.all(
        mala=Evidence.stat(mm, truth, mse, note="MALA E[x_i²]"),
        ula_biased=Evidence.bound(float(np.max(np.abs(um - truth) / use)), 10.0, kind=">=",
                                  note="ULA's |bias| in SE (must be large)"),
    )


def _efficiency_curve(ells):
    """Roberts–Rosenthal limit for a standard Gaussian target: a(ℓ) = 2Φ(−ℓ³/8), speed ℓ²a(ℓ)."""
    acc = 2 * ndtr(-(np.asarray(ells) ** 3) / 8)
    return acc, np.asarray(ells) ** 2 * acc


@theorem("B18.mala-optimal-acceptance",
         "MALA with step ℓ²d^{-1/3}/2 in high dimension: acceptance → 2Φ(−ℓ³/8); at the speed-optimal ℓ it is ≈ 0.574")
def mala_optimal_acceptance(rng):
    d, n_chains = 200, 200
    grid = np.linspace(0.5, 3.0, 2501)
    _, speed = _efficiency_curve(grid)
    ell_star = float(grid[np.argmax(speed)])
    ells = np.array([0.8, 1.2, ell_star, 2.0, 2.4])
    predicted, _ = _efficiency_curve(ells)
    measured = []
    for ell in ells:
        x0 = rng.standard_normal((n_chains, d))
        res = mala(x0, log_prob=lambda x: -0.5 * np.sum(x * x, axis=-1), score=lambda x: -x,
                   step_size=ell**2 * d ** (-1 / 3) / 2, n_samples=60, rng=rng)
        measured.append(float(res.accept_prob.mean()))
    measured = np.array(measured)
    best = int(np.argmax(ells**2 * measured))
    return Evidence.all(
        curve=Evidence.close(measured, predicted, atol=0.03, note="acceptance vs 2Φ(−ℓ³/8)"),
        optimum=Evidence.close(measured[2], 0.574, atol=0.02, note=f"acceptance at ℓ* = {ell_star:.3f}"),
        argmax=Evidence.close(float(ells[best]), ell_star, atol=1e-12, note="measured speed ℓ²a(ℓ) peaks at ℓ*"),
    )


@theorem("B18.sampler-means-mcse",
         "ULA, MALA, RWM, HMC on a correlated 10-D Gaussian, MALA on a bimodal mixture and SGLD on a "
         "Gaussian posterior: every mean within 5 MCSE of the truth")
def sampler_means(rng):
    g = gaussian_ar1(10, rho=0.5)
    x0 = g.sample(rng, 100)
    runs = {
        "ula": ula(x0, score=g.score, step_size=0.05, n_samples=400, rng=rng),
        "mala": mala(x0, log_prob=g.log_prob, score=g.score, step_size=0.25, n_samples=400, rng=rng),
        "rwm": random_walk_metropolis(x0, log_prob=g.log_prob, step_size=0.45, n_samples=400, rng=rng),
        "hmc": hmc(x0, log_prob=g.log_prob, score=g.score, step_size=0.3, n_leapfrog=6, n_samples=200, rng=rng),
    }
    parts = {}
    for name, res in runs.items():
        s = res.samples
        parts[name] = Evidence.stat(s.reshape(-1, 10).mean(axis=0), g.mean, mcse(s), note=f"{name} means")
    mix = gaussian_mixture(np.array([[-2.0, 0.0], [2.0, 1.0]]), sd=0.8, weights=np.array([0.3, 0.7]))
    res = mala(mix.sample(rng, 100), log_prob=mix.log_prob, score=mix.score, step_size=0.3, n_samples=400, rng=rng)
    parts["mixture_mala"] = Evidence.stat(res.samples.reshape(-1, 2).mean(axis=0), mix.mean, mcse(res.samples),
                                          note="bimodal mixture, MALA")
    # SGLD on the posterior of a Gaussian mean: y_i ~ N(θ, I₂), θ ~ N(0, 10² I)
    N = 1000
    data = rng.standard_normal((N, 2)) + np.array([0.5, -1.0])
    post_prec = N + 0.01
    post_mean = data.sum(axis=0) / post_prec
    score = minibatch_score(lambda th: -th / 100.0,
                            lambda th, batch: batch.sum(axis=1) - batch.shape[1] * th, data, 50)
    th0 = post_mean + rng.standard_normal((100, 2)) / math.sqrt(post_prec)
    res = sgld(th0, stochastic_score=score, step_size=2e-4, n_samples=300, burn_in=50, rng=rng)
    parts["sgld"] = Evidence.stat(res.samples.reshape(-1, 2).mean(axis=0), post_mean, mcse(res.samples),
                                  note="SGLD posterior mean")
    return Evidence.all(**parts)


@theorem("B18.diagnostics-ar1",
         "On AR(1) chains x_{t+1} = φx_t + √(1−φ²)ξ: ESS/N → (1−φ)/(1+φ), MCSE → √((1+φ)/((1−φ)N)), R-hat ≈ 1; "
         "8 of 64 chains shifted by 2 sd give R-hat > 1.05")
def diagnostics_ar1(rng):
    phi, n, m = 0.9, 4000, 64  # N = 256 000: the ESS estimate is within ~3 % (1 sd)
    x = np.empty((n, m, 2))
    x[0] = rng.standard_normal((m, 2))
    z = rng.standard_normal((n, m, 2)) * math.sqrt(1 - phi**2)
    for t in range(1, n):  # over time; all chains at once
        x[t] = phi * x[t - 1] + z[t]
    N = n * m
    ess_ratio = effective_sample_size(x, method="mean") / N
    bulk_ratio = effective_sample_size(x) / N
    se = mcse(x)
    shifted = x.copy()
    shifted[:, :8] += 2.0
    return Evidence.all(
        ess=Evidence.close(ess_ratio, np.full(2, (1 - phi) / (1 + phi)), rtol=0.15, note="ESS/N"),
        ess_bulk=Evidence.close(bulk_ratio, np.full(2, (1 - phi) / (1 + phi)), rtol=0.15, note="bulk ESS/N"),
        mcse=Evidence.close(se, np.full(2, math.sqrt((1 + phi) / (1 - phi) / N)), rtol=0.1, note="MCSE of the mean"),
        rhat_mixed=Evidence.bound(rhat(x), 1.01, note="R-hat of mixed chains"),
        rhat_shifted=Evidence.bound(rhat(shifted), 1.05, kind=">=", note="R-hat with 8 of 64 chains shifted by 2 sd"),
    )
