"""B13 probability: Monte Carlo error rate, samplers by KS tests, Gaussian algebra and
conditioning as regression, change of variables, LLN, CLT, Bayes' rule, maximum likelihood."""

from __future__ import annotations

import math

import numpy as np

from aimath.linalg import cho_solve, cholesky
from aimath.prob import (
    Beta,
    Gamma,
    MultivariateNormal,
    Normal,
    SigmoidTransform,
    TransformedDistribution,
    Uniform,
    box_muller,
    inverse_cdf_sample,
    ks_statistic,
    mle_multivariate_normal,
    mle_normal,
    monte_carlo,
    rejection_sample,
)
from aimath.theorems import Evidence, theorem

# P(√n D_n > K) = 1e-6 for the Kolmogorov distribution: the KS threshold of all B13 checks.
_P_MIN = 1e-6


def _ks_pass(samples, cdf, note):
    res = ks_statistic(samples, cdf)
    return Evidence.bound(res.pvalue, _P_MIN, kind=">", note=f"{note}: D = {res.statistic:.4f}, KS p-value")


def _ks_reject(samples, cdf, note):
    res = ks_statistic(samples, cdf)
    return Evidence.bound(res.pvalue, _P_MIN, kind="<", note=f"{note} (the test has power): KS p-value")


def _random_spd(rng, d):
    A = rng.standard_normal((d, d))
    return A @ A.T + 0.5 * np.eye(d)


@theorem("B13.mc-error-slope", "Monte Carlo error ∝ n^(-1/2): RMSE of the sample mean has log–log slope −0.5 ± 0.05",
         tags=("stat",))
def mc_error_slope(rng):
    # E[X²] for X ~ N(1, 2²) is 5; 400 independent replicates of the estimate at each n.
    reps = 400
    d = Normal(np.ones(reps), 2.0)
    ns = [16, 64, 256, 1024, 4096]
    rmse, mean_se = [], []
    for n in ns:
        est, se = monte_carlo(lambda x: x * x, d, n, rng)
        rmse.append(float(np.sqrt(np.mean((est - 5.0) ** 2))))
        mean_se.append(float(np.mean(se)))
    sd = math.sqrt(2 * 4**2 + 4 * 1 * 4)  # Var(X²) = 2σ⁴ + 4μ²σ² = 48
    ratio = np.array(rmse) / (sd / np.sqrt(ns))
    return Evidence.all(
        slope=Evidence.slope(ns, rmse, -0.5, 0.05, note="RMSE over 400 replicates"),
        calibrated=Evidence.close(np.array(mean_se[3:]) * np.sqrt(ns[3:]), sd, rtol=0.02,
                                  note="mean reported se·√n vs σ_f (n ≥ 1024)"),
        # an RMSE from 400 replicates has relative se 1/√800 ≈ 3.5 %: 5 se ≈ 18 %
        rmse_matches=Evidence.close(ratio, 1.0, rtol=0.2, note="RMSE / (σ_f/√n)"),
    )


@theorem("B13.inverse-cdf-sampler", "X = F⁻¹(U) with U ~ U(0,1) has CDF F (KS test; Exp(1) and Gamma(2.5) quantiles)",
         tags=("stat",))
def inverse_cdf_sampler(rng):
    n = 20_000
    x = inverse_cdf_sample(lambda u: -np.log1p(-u), rng, n)
    g = Gamma(2.5, 2.0)
    y = inverse_cdf_sample(g.icdf, rng, n)
    return Evidence.all(
        exponential=_ks_pass(x, lambda t: -np.expm1(-t), "Exp(1) from −log(1−U)"),
        gamma=_ks_pass(y, g.cdf, "Gamma(2.5, 2) from its quantile function"),
        power=_ks_reject(x, lambda t: -np.expm1(-1.2 * t), "the same draws against Exp(1.2)"),
    )


@theorem("B13.box-muller", "Box–Muller: (√(−2 log U₁) cos 2πU₂, √(−2 log U₁) sin 2πU₂) are independent N(0, 1)",
         tags=("stat",))
def box_muller_theorem(rng):
    n = 40_000
    z = box_muller(rng, n)
    half = n // 2
    z1, z2 = z[:half], z[half:]
    phi = Normal(0.0, 1.0).cdf
    r = float(np.mean(z1 * z2))  # E[Z₁Z₂] = 0 with se 1/√half
    return Evidence.all(
        cos_half=_ks_pass(z1, phi, "cos branch"),
        sin_half=_ks_pass(z2, phi, "sin branch"),
        uncorrelated=Evidence.stat(r, 0.0, 1 / math.sqrt(half), note="mean of Z₁Z₂"),
        radius=_ks_pass(z1**2 + z2**2, lambda t: -np.expm1(-t / 2), "Z₁² + Z₂² ~ χ²₂ = Exp(1/2)"),
        power=_ks_reject(z1 * 1.2, phi, "1.2·Z against N(0,1)"),
    )


@theorem("B13.rejection-sampler", "Rejection sampling: accepted draws follow p = p̃/Z and the acceptance rate is Z/M",
         tags=("stat",))
def rejection_theorem(rng):
    a, b = 2.0 + rng.uniform(0, 2), 3.0 + rng.uniform(0, 3)
    target = Beta(a, b)
    mode = (a - 1) / (a + b - 2)
    c = 7.3  # an unnormalised target p̃ = c·p: Z = c
    log_tilde = lambda x: math.log(c) + target.log_prob(x)  # noqa: E731
    log_m = math.log(c) + float(target.log_prob(mode))
    x, rate = rejection_sample(log_tilde, Uniform(0.0, 1.0), log_m, 20_000, rng, batch=40_000, return_rate=True)
    expected = c / math.exp(log_m)
    n_prop = round(20_000 / rate)  # at least the proposals needed; the se uses the count actually made
    return Evidence.all(
        ks=_ks_pass(x, target.cdf, f"Beta({a:.2f}, {b:.2f}) from uniform proposals"),
        acceptance=Evidence.stat(rate, expected, math.sqrt(expected * (1 - expected) / n_prop),
                                 note="acceptance rate vs Z/M"),
    )


@theorem("B13.gaussian-conditioning-regression",
         "E[x_a | x_b] = μ_a + Σ_ab Σ_bb⁻¹(x_b − μ_b) is the least-squares regression of x_a on x_b; Var = Σ_a|b",
         tags=("stat",))
def conditioning_regression(rng):
    d, b, a = 5, [1, 3], [0, 2, 4]
    mu, S = rng.standard_normal(d), _random_spd(rng, d)
    dist = MultivariateNormal(mu, covariance=S)
    # Closed form from condition(): the conditional mean is affine in the observed values.
    base = dist.condition(b, mu[b])
    K = np.stack([dist.condition(b, mu[b] + e).mean - base.mean for e in np.eye(len(b))], axis=1)  # |a|×|b|
    intercept = base.mean - K @ mu[b]
    # Regression on samples, by aimath's own least squares.
    n = 100_000
    x = dist.sample(rng, n)
    X = np.concatenate([np.ones((n, 1)), x[:, b]], axis=1)
    L = cholesky(X.T @ X)  # normal equations XᵀX β = Xᵀy, solved with aimath's Cholesky
    beta = cho_solve(L, X.T @ x[:, a])
    resid = x[:, a] - X @ beta
    s2 = resid.var(axis=0, ddof=X.shape[1])
    XtX_inv_diag = np.diag(cho_solve(L, np.eye(X.shape[1])))
    se = np.sqrt(np.outer(XtX_inv_diag, s2))
    expected = np.concatenate([intercept[None, :], K.T], axis=0)
    cond_var = np.diag(base.covariance)
    return Evidence.all(
        coefficients=Evidence.stat(beta, expected, se, z=5.5, note="OLS [intercept; slopes] vs Σ_ab Σ_bb⁻¹"),
        residual_variance=Evidence.stat(s2, cond_var, cond_var * math.sqrt(2 / n), z=5.5,
                                        note="residual variance vs diag Σ_a|b"),
        same_for_every_value=Evidence.close(dist.condition(b, mu[b] + 3.0).covariance, base.covariance, rtol=1e-12,
                                            note="Σ_a|b does not depend on the observed value"),
    )


@theorem("B13.gaussian-affine-marginal",
         "x ~ N(μ, Σ) ⇒ Ax + b ~ N(Aμ + b, AΣAᵀ) and x_S ~ N(μ_S, Σ_SS) (KS of whitened projections)",
         tags=("stat",))
def affine_marginal(rng):
    d, m, n = 4, 2, 20_000
    mu, S = rng.standard_normal(d), _random_spd(rng, d)
    dist = MultivariateNormal(mu, covariance=S)
    A, b = rng.standard_normal((m, d)), rng.standard_normal(m)
    y_dist = dist.affine(A, b)
    x = dist.sample(rng, n)
    y = x @ A.T + b
    u = rng.standard_normal(m)
    u /= math.sqrt(float(u @ u))
    # If y ~ N(m_y, L Lᵀ), then uᵀ L⁻¹(y − m_y) ~ N(0, 1) for a unit u.
    L = y_dist.scale_tril
    z = y_dist._whiten(y - y_dist.mean) @ u
    marg = dist.marginal([2])
    phi = Normal(0.0, 1.0).cdf
    return Evidence.all(
        affine=_ks_pass(z, phi, "whitened projection of Ax + b"),
        marginal=_ks_pass(x[:, 2], lambda t: Normal(marg.mean[0], math.sqrt(marg.covariance[0, 0])).cdf(t),
                          "coordinate 2 against its marginal"),
        factor=Evidence.close(L @ L.T, A @ S @ A.T, rtol=1e-10, note="LLᵀ = AΣAᵀ"),
        power=_ks_reject(z * 1.2, phi, "a 20 % wrong scale"),
    )


@theorem("B13.change-of-variables", "Y = f(X): p_Y(y) = p_X(f⁻¹(y)) |df⁻¹/dy| integrates to 1 and gives the "
         "probabilities of f(X) (logit-normal)", tags=("stat",))
def change_of_variables(rng):
    mu, sigma = rng.uniform(-1, 1), rng.uniform(0.5, 1.5)
    base = Normal(mu, sigma)
    y_dist = TransformedDistribution(base, SigmoidTransform())
    grid = np.linspace(0.0, 1.0, 200_001)
    dens = np.exp(y_dist.log_prob(np.clip(grid, 1e-300, 1 - 1e-16)))
    dens[[0, -1]] = 0.0
    total = float(np.trapezoid(dens, grid))
    n = 200_000
    y = 1 / (1 + np.exp(-base.sample(rng, n)))  # push samples of X through f by hand
    cuts = np.array([0.05, 0.2, 0.45, 0.5, 0.7, 0.95])
    lo, hi = cuts[:-1], cuts[1:]
    freq = np.array([np.mean((y > a) & (y <= b)) for a, b in zip(lo, hi, strict=True)])
    quad = np.array([np.trapezoid(dens[(grid >= a) & (grid <= b)], grid[(grid >= a) & (grid <= b)])
                     for a, b in zip(lo, hi, strict=True)])
    return Evidence.all(
        normalised=Evidence.close(total, 1.0, rtol=1e-6, note="∫ p_Y by the trapezoid rule"),
        probabilities=Evidence.stat(freq, quad, np.sqrt(quad * (1 - quad) / n), note="P(a < f(X) ≤ b): MC vs ∫ p_Y"),
    )


@theorem("B13.law-of-large-numbers", "LLN: P(|X̄_n − μ| > ε) ≤ σ²/(nε²) → 0 (Chebyshev), for U(0, 1) samples",
         tags=("stat",))
def lln(rng):
    reps, eps = 500, 0.02
    d = Uniform(np.zeros(reps), 1.0)  # μ = 1/2, σ² = 1/12
    ns = [10, 100, 1000, 10_000]
    freq, bound = [], []
    for n in ns:
        xbar = np.mean(d.sample(rng, n), axis=0)
        freq.append(float(np.mean(np.abs(xbar - 0.5) > eps)))
        bound.append(min(1.0, (1 / 12) / (n * eps * eps)))
    freq, bound = np.array(freq), np.array(bound)
    se = np.sqrt(np.maximum(bound * (1 - bound), 1 / reps) / reps)
    return Evidence.all(
        chebyshev=Evidence.bound(freq, bound + 5 * se, note="frequency of |X̄ − μ| > 0.02 vs σ²/(nε²)"),
        shrinking=Evidence.bound(np.diff(freq), 0.0, kind="<=", note="frequency non-increasing in n"),
        small=Evidence.bound(freq[-1], 0.01, note="frequency at n = 10⁴ (exact tail ≈ 5e-12)"),
    )


@theorem("B13.central-limit-theorem",
         "CLT: √n(X̄_n − μ)/σ → N(0,1); for Exp(1), sup|F_n − Φ| ≤ Berry–Esseen bound and decays like n^(-1/2)",
         tags=("stat",))
def clt(rng):
    rho = 12 / math.e - 2  # E|X − 1|³ for X ~ Exp(1)
    ns = np.array([4, 16, 64, 256, 1024])
    t = np.linspace(-6, 6, 4001)
    sup = []
    for n in ns:  # n·X̄_n ~ Gamma(n, 1) exactly, so F_n is known in closed form
        Fn = Gamma(float(n), 1.0).cdf(n + math.sqrt(n) * t)
        sup.append(float(np.max(np.abs(Fn - Normal(0.0, 1.0).cdf(t)))))
    sup = np.array(sup)
    be = 0.4748 * rho / np.sqrt(ns)
    # Monte Carlo: standardised means of sampled exponentials follow the exact law at n = 64.
    n, reps = 64, 20_000
    xbar = np.mean(inverse_cdf_sample(lambda u: -np.log1p(-u), rng, (n, reps)), axis=0)
    z = math.sqrt(n) * (xbar - 1.0)
    return Evidence.all(
        berry_esseen=Evidence.bound(sup, be, note="sup|F_n − Φ| vs 0.4748 ρ/(σ³√n)"),
        rate=Evidence.slope(ns, sup, -0.5, 0.05, note="sup distance to Φ"),
        sampled=_ks_pass(z, lambda s: Gamma(float(n), 1.0).cdf(n + math.sqrt(n) * s), "√n(X̄−1) at n = 64"),
    )


@theorem("B13.bayes-rule", "Bayes: p(θ|x) ∝ p(x|θ)p(θ); Beta prior × Bernoulli likelihood = Beta(a+k, b+n−k)",
         tags=("stat",))
def bayes_rule(rng):
    a, b = rng.uniform(1, 3, 2)
    theta = rng.uniform(0.2, 0.8)
    n = 12
    k = int(np.sum(rng.uniform(size=n) < theta))
    prior = Beta(a, b)

    def log_post_tilde(t):  # log prior + log likelihood, unnormalised
        return prior.log_prob(t) + k * np.log(t) + (n - k) * np.log1p(-t)

    # Rejection from the prior with M = max likelihood (at θ = k/n): accepted draws ~ posterior.
    mle = k / n
    log_m = k * math.log(mle) if k else 0.0
    log_m += (n - k) * math.log1p(-mle) if k < n else 0.0
    draws = rejection_sample(log_post_tilde, prior, log_m + 1e-12, 10_000, rng)
    post = Beta(a + k, b + n - k)
    grid = np.linspace(1e-6, 1 - 1e-6, 100_001)
    unnorm = np.exp(log_post_tilde(grid))
    numeric = unnorm / np.trapezoid(unnorm, grid)
    return Evidence.all(
        sampled=_ks_pass(draws, post.cdf, f"prior·likelihood draws vs Beta({a + k:.2f}, {b + n - k:.2f})"),
        density=Evidence.close(numeric[1000::5000], np.exp(post.log_prob(grid[1000::5000])), rtol=1e-6,
                               note="normalised prior × likelihood on a grid vs the conjugate posterior"),
    )


@theorem("B13.mle", "MLE: the sample mean and 1/n covariance maximise the Gaussian likelihood and are consistent",
         tags=("stat",))
def mle_theorem(rng):
    n, d = 4000, 3
    mu, S = rng.standard_normal(d), _random_spd(rng, d)
    x = MultivariateNormal(mu, covariance=S).sample(rng, n)
    fit = mle_multivariate_normal(x)
    best = float(np.sum(fit.log_prob(x)))
    worse = []
    for _ in range(200):  # random perturbations of (μ̂, Σ̂) that stay positive definite
        dm = 0.05 * rng.standard_normal(d)
        E = 0.05 * rng.standard_normal((d, d))
        Sp = fit.covariance + (E + E.T) / 2
        try:
            worse.append(float(np.sum(MultivariateNormal(fit.mean + dm, covariance=Sp).log_prob(x))))
        except Exception:  # an indefinite perturbation: skip it
            continue
    one = mle_normal(x[:, 0])
    return Evidence.all(
        maximum=Evidence.bound(np.array(worse) - best, 0.0, note="log L(perturbed) − log L(MLE)"),
        consistent=Evidence.stat(fit.mean, mu, np.sqrt(np.diag(S) / n), note="μ̂ vs μ"),
        univariate=Evidence.close(one.scale**2, fit.covariance[0, 0], rtol=1e-12, note="1-D MLE = MVN MLE marginal"),
    )
