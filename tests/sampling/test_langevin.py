import math

import numpy as np
import pytest
from scipy import stats

from aimath.errors import ConvergenceError, DomainError, ShapeError
from aimath.sampling import (
    annealed_langevin,
    banana,
    funnel,
    gaussian_ar1,
    hmc,
    leapfrog,
    mala,
    minibatch_score,
    random_walk_metropolis,
    rhat,
    sgld,
    ula,
    ula_kernel,
)

SAMPLERS = {
    "ula": lambda x0, g, **kw: ula(x0, score=g.score, step_size=0.1, **kw),
    "mala": lambda x0, g, **kw: mala(x0, log_prob=g.log_prob, score=g.score, step_size=0.3, **kw),
    "rwm": lambda x0, g, **kw: random_walk_metropolis(x0, log_prob=g.log_prob, step_size=0.8, **kw),
    "hmc": lambda x0, g, **kw: hmc(x0, log_prob=g.log_prob, score=g.score, step_size=0.3, n_leapfrog=5, **kw),
}


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_shapes_seed_and_backends_agree(name, xp):
    g = gaussian_ar1(3, rho=0.3)
    x0 = g.sample(0, 8)
    res = SAMPLERS[name](xp.asarray(x0), g, n_samples=20, burn_in=5, thin=2, rng=np.random.default_rng(4))
    assert tuple(res.samples.shape) == (20, 8, 3) and tuple(res.acceptance.shape) == (8,)
    ref = SAMPLERS[name](x0, g, n_samples=20, burn_in=5, thin=2, rng=np.random.default_rng(4))
    np.testing.assert_allclose(xp.to_numpy(res.samples), ref.samples, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(res.acceptance), ref.acceptance)
    again = SAMPLERS[name](x0, g, n_samples=20, burn_in=5, thin=2, rng=np.random.default_rng(4))
    np.testing.assert_array_equal(again.samples, ref.samples)
    acc = xp.to_numpy(res.acceptance)
    assert np.all((acc >= 0) & (acc <= 1))
    assert "SamplerResult" in repr(res)


def test_torch_generator_and_float32():
    torch = pytest.importorskip("torch")
    g = gaussian_ar1(2)
    res = mala(torch.zeros((4, 2), dtype=torch.float32), log_prob=g.log_prob, score=g.score, step_size=0.2,
               n_samples=5, rng=0)
    assert res.samples.dtype == torch.float32 and isinstance(res.samples, torch.Tensor)
    res = ula(np.zeros((4, 2), np.float32), score=g.score, step_size=0.2, n_samples=5, rng=0)
    assert res.samples.dtype == np.float32


def test_ula_stationary_variance_closed_form(rng):
    # ULA on N(0, s²): x' = (1 − η/s²)x + √(2η)ξ has stationary variance s²/(1 − η/(2s²))
    s2, eta = 2.0, 0.4
    res = ula(rng.standard_normal((4000, 1)) * math.sqrt(s2), score=lambda x: -x / s2, step_size=eta,
              n_samples=100, burn_in=100, thin=2, rng=rng)
    per_chain = (res.samples[..., 0] ** 2).mean(axis=0)
    est, se = per_chain.mean(), per_chain.std(ddof=1) / math.sqrt(per_chain.size)
    assert abs(est - s2 / (1 - eta / (2 * s2))) < 5 * se
    assert abs(est - s2) > 5 * se  # and it is not s²: the O(η) bias


def test_mala_and_hmc_ks_against_target(rng):
    g = gaussian_ar1(2, rho=0.6, scale=1.5)
    x0 = rng.standard_normal((500, 2))
    for res in (mala(x0, log_prob=g.log_prob, score=g.score, step_size=0.5, n_samples=1, burn_in=200, rng=rng),
                hmc(x0, log_prob=g.log_prob, score=g.score, step_size=0.4, n_leapfrog=8, n_samples=1, burn_in=60,
                    rng=rng)):
        final = res.samples[-1]
        assert stats.kstest(final[:, 1], "norm", args=(0, 1.5)).pvalue > 1e-6


def test_log_prob_only_uses_autodiff():
    pytest.importorskip("aimath.autodiff")
    g = gaussian_ar1(3, rho=0.2)
    prec = np.linalg.inv(g.cov)

    def log_prob(x):  # written with Tensor-friendly operations only
        return -0.5 * ((x @ prec) * x).sum(axis=-1)

    x0 = g.sample(1, 6)
    a = mala(x0, log_prob=log_prob, step_size=0.3, n_samples=10, rng=np.random.default_rng(0))
    b = mala(x0, log_prob=log_prob, score=lambda x: -x @ prec, step_size=0.3, n_samples=10,
             rng=np.random.default_rng(0))
    np.testing.assert_allclose(a.samples, b.samples, rtol=1e-12)
    c = ula(x0, log_prob=log_prob, step_size=0.1, n_samples=3, rng=0)
    assert c.samples.shape == (3, 6, 3)


def test_hmc_leapfrog_reversible_and_energy_error_second_order(rng):
    g = gaussian_ar1(4, rho=0.5)
    x, p = rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    y, q, sy = leapfrog(x, p, g.score(x), g.score, 0.1, 20)
    x2, p2, _ = leapfrog(y, -q, sy, g.score, 0.1, 20)
    np.testing.assert_allclose(x2, x, atol=1e-12)
    np.testing.assert_allclose(-p2, p, atol=1e-12)
    errs = []
    for eps in (0.2, 0.1, 0.05):
        y, q, _ = leapfrog(x, p, g.score(x), g.score, eps, int(round(1 / eps)))
        H0 = -g.log_prob(x) + 0.5 * (p * p).sum(-1)
        H1 = -g.log_prob(y) + 0.5 * (q * q).sum(-1)
        errs.append(np.abs(H1 - H0).max())
    assert 3.0 < errs[0] / errs[1] < 5.0 and 3.0 < errs[1] / errs[2] < 5.0


def test_rwm_acceptance_falls_with_step(rng):
    g = gaussian_ar1(5)
    x0 = g.sample(rng, 200)
    small = random_walk_metropolis(x0, log_prob=g.log_prob, step_size=0.1, n_samples=50, rng=rng)
    big = random_walk_metropolis(x0, log_prob=g.log_prob, step_size=5.0, n_samples=50, rng=rng)
    assert small.acceptance.mean() > 0.8 > 0.2 > big.acceptance.mean()


def test_sgld_schedule_and_minibatch(rng):
    data = rng.standard_normal((200, 1)) + 1.0
    score = minibatch_score(lambda th: -th, lambda th, batch: batch.sum(axis=1) - batch.shape[1] * th, data, 20)
    res = sgld(np.zeros((50, 1)), stochastic_score=score, step_size=lambda k: 1e-3 / (1 + k) ** 0.3,
               n_samples=100, burn_in=100, rng=rng)
    post_mean = data.sum() / 201
    assert abs(res.samples.mean() - post_mean) < 0.05
    with pytest.raises(DomainError, match="batch_size"):
        minibatch_score(lambda t: t, lambda t, b: t, data, 0)
    with pytest.raises(DomainError, match="step_size at step 0"):
        sgld(np.zeros((2, 1)), stochastic_score=score, step_size=lambda k: -1.0, n_samples=2, rng=0)


def test_annealed_langevin_reaches_gaussian_data(rng):
    m, s = np.array([1.0, -2.0]), 0.5  # data N(m, s² I); noisy score at level σ is −(x − m)/(s² + σ²)
    sigmas = np.geomspace(5.0, 0.01, 10)
    res = annealed_langevin(lambda x, sig: -(x - m) / (s**2 + sig**2), sigmas, rng.standard_normal((4000, 2)) * 5,
                            steps_per_level=50, step_scale=2e-4, rng=rng)
    final = res.samples[-1]
    assert res.samples.shape == (10, 4000, 2)
    np.testing.assert_allclose(final.mean(0), m, atol=0.05)
    np.testing.assert_allclose(final.std(0), np.sqrt(s**2 + sigmas[-1] ** 2), rtol=0.05)
    with pytest.raises(DomainError, match="decreasing"):
        annealed_langevin(lambda x, s: -x, [1.0, 2.0], np.zeros((2, 1)))


def test_progress_callback():
    calls = []
    ula(np.zeros((2, 1)), score=lambda x: -x, step_size=0.1, n_samples=120, rng=0,
        progress=lambda i, n: calls.append((i, n)))
    assert calls[-1] == (120, 120) and len(calls) >= 3


def test_bad_input():
    g = gaussian_ar1(2)
    with pytest.raises(DomainError, match="step_size must be positive"):
        ula(np.zeros((3, 2)), score=g.score, step_size=0.0, n_samples=2)
    with pytest.raises(ShapeError, match=r"x0 must have shape \(n_chains, d\)"):
        mala(np.zeros(3), log_prob=g.log_prob, score=g.score, step_size=0.1, n_samples=2)
    with pytest.raises(DomainError, match="x0 must be finite"):
        ula(np.array([[np.nan, 0.0]]), score=g.score, step_size=0.1, n_samples=2)
    with pytest.raises(ShapeError, match="score must return shape"):
        ula(np.zeros((3, 2)), score=lambda x: x[:, :1], step_size=0.1, n_samples=2)
    with pytest.raises(DomainError, match="log_prob must be finite at x0"):
        mala(np.zeros((3, 2)), log_prob=lambda x: np.full(3, -np.inf), score=g.score, step_size=0.1, n_samples=2)
    with pytest.raises(DomainError, match="n_leapfrog"):
        hmc(np.zeros((3, 2)), log_prob=g.log_prob, score=g.score, step_size=0.1, n_leapfrog=0, n_samples=2)
    with pytest.raises(DomainError, match="n_samples"):
        ula(np.zeros((3, 2)), score=g.score, step_size=0.1, n_samples=0)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_ula_divergence_named_and_mala_survives():
    b = banana(1.0, 0.5)
    x0 = b.sample(0, 2000)
    with pytest.raises(ConvergenceError, match=r"ula: chain \d+ became non-finite at step \d+"):
        ula(x0, score=b.score, step_size=0.4, n_samples=300, rng=1)
    res = mala(x0, log_prob=b.log_prob, score=b.score, step_size=0.4, n_samples=50, rng=1)
    assert np.all(np.isfinite(res.samples))


def test_mala_rejects_nonfinite_proposals():
    # log π = −∞ outside the unit box: MALA never leaves it
    def log_prob(x):
        return np.where(np.all(np.abs(x) < 1, axis=-1), 0.0, -np.inf)

    res = mala(np.zeros((50, 2)), log_prob=log_prob, score=lambda x: 0 * x, step_size=0.5, n_samples=50, rng=0)
    assert np.all(np.abs(res.samples) < 1)


def test_ula_kernel_noise_coupling():
    k = ula_kernel(lambda x: -x, 0.1)
    s = k.init(np.ones((2, 1)))
    s2, info = k.step(s, None, noise=np.zeros((2, 1)))
    np.testing.assert_allclose(s2.x, 0.9)
    assert bool(np.all(info.accepted))


def test_funnel_known_failure_is_visible(rng):
    """Neal's funnel: fixed-step MALA started in the mouth never reaches the neck (documented)."""
    f = funnel(10)
    x0 = np.concatenate([np.zeros((64, 1)), rng.standard_normal((64, 9))], axis=1)
    res = mala(x0, log_prob=f.log_prob, score=f.score, step_size=0.05, n_samples=400, burn_in=400, rng=rng)
    v = res.samples[..., 0]
    truth = stats.norm.cdf(-5.0, scale=3.0)  # P(v < −5) = 0.048: ~1200 of these 25 600 draws
    assert (v < -5).mean() < truth / 10  # the deep neck is (almost) never visited ...
    assert v.var() < 9 / 2  # ... so Var v (truly 9) comes out far too small ...
    assert rhat(res.samples)[0] > 1.01  # ... and R-hat flags the chains


@pytest.mark.parametrize("name", ["mala", "hmc"])
def test_correlated_10d_gaussian_moments_within_mcse(name, rng):
    # the correlated 10-D Gaussian: Σ_ij = ρ^|i−j| with ρ = 0.8, eigenvalues from 0.11 to 9.
    # Langevin steps must stay below the short axis, so MALA needs ~90 steps per decorrelation along
    # the long one: it runs 6000 steps where HMC's 8 leapfrog steps per draw need 400.
    g = gaussian_ar1(10, rho=0.8)
    x0 = g.sample(rng, 64)  # started in the target, so every draw is a stationary draw
    if name == "mala":
        res = mala(x0, log_prob=g.log_prob, score=g.score, step_size=0.1, n_samples=6000, rng=rng)
    else:
        res = hmc(x0, log_prob=g.log_prob, score=g.score, step_size=0.2, n_leapfrog=8, n_samples=400, rng=rng)
    from aimath.sampling import mcse

    draws = res.samples.reshape(-1, 10)
    se = np.asarray(mcse(res.samples))  # Monte Carlo standard errors of the means, per coordinate
    assert np.all(np.abs(draws.mean(0) - g.mean) < 5 * se)
    assert rhat(res.samples).max() < 1.05
    assert np.abs(np.cov(draws.T) - g.cov).max() < 0.15  # correlated draws: a loose but discriminating bound
    assert 0.5 < res.acceptance.mean() < 1.0
