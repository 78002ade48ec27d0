import numpy as np
import pytest

from aimath import autodiff as ad
from aimath.errors import AimathError, DomainError, ShapeError
from aimath.prob import MultivariateNormal, Normal
from aimath.score import (
    LinearScore,
    denoising_score_matching_loss,
    fit_denoising_score,
    hyvarinen_loss,
    score_from_log_prob,
    score_of,
    sliced_score_matching_loss,
    stein_identity_check,
    tweedie_denoise,
)

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")]

COV = np.array([[1.5, 0.4], [0.4, 0.8]])
PREC = np.linalg.inv(COV)


def test_score_of_distribution_and_log_density():
    mvn = MultivariateNormal(np.array([1.0, -1.0]), covariance=COV)
    x = np.random.default_rng(0).standard_normal((6, 2))
    np.testing.assert_allclose(score_of(mvn)(x), -(x - [1.0, -1.0]) @ PREC, rtol=1e-12)
    auto = score_of(lambda z: -0.5 * (((z - np.array([1.0, -1.0])) @ PREC) * (z - np.array([1.0, -1.0]))).sum(axis=-1)
                    + 7.0)
    np.testing.assert_allclose(auto(x), mvn.score(x), rtol=1e-12)
    assert float(score_of(Normal(0.0, 2.0))(np.array(2.0))) == -0.5
    with pytest.raises(AimathError, match="cannot get a score"):
        score_of(3.0)


def test_score_from_log_prob_errors_clearly():
    s = score_from_log_prob(lambda z: np.asarray(z).sum(axis=-1))
    with pytest.raises(AimathError, match="could not differentiate"):
        s(np.zeros((2, 2)))


def test_stein_identity(rng):
    mvn = MultivariateNormal(np.zeros(2), covariance=COV)
    x = mvn.sample(rng, (40_000,))
    r = stein_identity_check(mvn.score, x)
    assert np.all(r.z < 5) and r.n == 40_000 and "SteinResult" in repr(r)
    r2 = stein_identity_check(mvn.score, x, coordinatewise=False)
    assert float(r2.z) < 5
    # f(x) = x: E[x·s(x)] + d = −tr(Σ⁻¹Σ) + d = 0
    r3 = stein_identity_check(mvn.score, x, f=lambda z: z, div_f=lambda z: np.full(z.shape[0], 2.0),
                              coordinatewise=False)
    assert float(r3.z) < 5
    bad = stein_identity_check(lambda z: -z, x)  # the score of N(0, I), not of N(0, Σ)
    assert np.max(bad.z) > 10
    with pytest.raises(ShapeError, match="div_f"):
        stein_identity_check(mvn.score, x, f=lambda z: z)
    with pytest.raises(ShapeError):
        stein_identity_check(lambda z: z[:, :1], x)


def test_tweedie_gaussian_closed_form(xp):
    # x ~ N(m, s²), x̃ = x + σε: E[x | x̃] = m + s²/(s²+σ²)(x̃ − m)
    m, s2, sig = 1.0, 0.5, 0.7
    xt = xp.asarray(np.linspace(-2, 3, 7)[:, None])
    out = tweedie_denoise(xt, lambda y: -(y - m) / (s2 + sig**2), sig)
    np.testing.assert_allclose(xp.to_numpy(out), m + s2 / (s2 + sig**2) * (xp.to_numpy(xt) - m), rtol=1e-12)
    with pytest.raises(DomainError, match="sigma must be positive"):
        tweedie_denoise(xt, lambda y: y, 0.0)
    with pytest.raises(ShapeError):
        tweedie_denoise(np.zeros((3, 2)), lambda y: y[:, :1], 1.0)


def _linear_score(P, mu):
    return lambda z: (z - mu) @ (-P)


def test_hyvarinen_exact_hutchinson_sliced_agree_with_closed_form(rng):
    mvn = MultivariateNormal(np.zeros(2), covariance=COV)
    x = mvn.sample(rng, (40_000,))
    P = np.array([[1.0, 0.2], [0.2, 2.0]])  # a (wrong) Gaussian score model s(x) = −Px
    closed = 0.5 * np.trace(P @ COV @ P) - np.trace(P)
    exact = hyvarinen_loss(_linear_score(P, 0.0), x)
    hutch = hyvarinen_loss(_linear_score(P, 0.0), x, method="hutchinson", n_probes=2, rng=1)
    sliced = sliced_score_matching_loss(_linear_score(P, 0.0), x, n_projections=2, rng=2)
    assert abs(exact - closed) < 0.05 and abs(hutch - closed) < 0.05 and abs(sliced - closed) < 0.1
    # Fisher-divergence identity (in expectation, by Stein): J(s) − J(s_true) = ½ E|s − s_true|²
    j_true = hyvarinen_loss(_linear_score(PREC, 0.0), x)
    fisher = 0.5 * np.mean(np.sum((x @ (PREC - P)) ** 2, axis=1))
    assert abs((exact - j_true) - fisher) < 0.05
    with pytest.raises(DomainError, match="method"):
        hyvarinen_loss(_linear_score(P, 0.0), x, method="trace")


def test_dsm_loss_minimised_by_noisy_score(rng):
    x = MultivariateNormal(np.zeros(2), covariance=COV).sample(rng, (20_000,))
    eps = rng.standard_normal(x.shape)
    sig = 0.5
    best = _linear_score(np.linalg.inv(COV + sig**2 * np.eye(2)), 0.0)
    l_best = denoising_score_matching_loss(best, x, sig, noise=eps)
    for P in (PREC, 0.8 * np.linalg.inv(COV + sig**2 * np.eye(2)), np.eye(2)):
        assert denoising_score_matching_loss(_linear_score(P, 0.0), x, sig, noise=eps) > l_best
    with pytest.raises(ShapeError, match="noise"):
        denoising_score_matching_loss(best, x, sig, noise=eps[:5])


def test_linear_score_training_descends(rng):
    x = rng.standard_normal((2000, 2)) * np.array([1.0, 2.0])
    model = LinearScore(2)
    assert "LinearScore" in repr(model)
    out = model(ad.Tensor(x))
    assert tuple(out.shape) == (2000, 2)
    hist = fit_denoising_score(model, x, 1.0, rng=0, steps=60, lr=0.15)
    assert np.all(np.diff(hist) <= 1e-12)
    W = np.asarray(model.weight.data)
    np.testing.assert_allclose(np.diag(W), [-1 / 2, -1 / 5], rtol=0.15)
    with pytest.raises(DomainError, match="dim"):
        LinearScore(0)
    with pytest.raises(DomainError, match="diverged"):
        fit_denoising_score(LinearScore(2), x * 100, 1.0, rng=0, steps=50, lr=10.0)
