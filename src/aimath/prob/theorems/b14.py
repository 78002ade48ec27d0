"""B14 entropy and KL: Gibbs' inequality, entropy bounds, asymmetry and the two Gaussian fits of
a bimodal target, the chain rule, mutual information and independence, closed-form KL against
Monte Carlo, and maximum likelihood as KL minimisation."""

from __future__ import annotations

import math

import numpy as np

from aimath.prob import (
    Beta,
    Categorical,
    Dirichlet,
    Gamma,
    Mixture,
    MultivariateNormal,
    Normal,
    conditional_entropy,
    cross_entropy,
    entropy,
    joint_entropy,
    js_divergence,
    kl,
    kl_divergence,
    kl_monte_carlo,
    mle_categorical,
    mle_normal,
    mutual_information,
)
from aimath.theorems import Evidence, theorem


def _random_tables(rng, count, shape, sparse=0.2):
    """Random probability tables with a fraction of exact zeros (0 log 0 must be handled)."""
    w = rng.exponential(size=(count, *shape)) ** 2
    w[rng.uniform(size=w.shape) < sparse] = 0.0
    flat = w.reshape(count, -1)
    flat[flat.sum(1) == 0, 0] = 1.0
    return (flat / flat.sum(1, keepdims=True)).reshape(count, *shape)


@theorem("B14.gibbs-inequality", "Gibbs: KL(p‖q) ≥ 0 with equality iff p = q (10⁴ random pairs, 2–20 outcomes)")
def gibbs(rng):
    mins, self_kl = [], []
    for n in (2, 3, 5, 8, 13, 20):
        p = _random_tables(rng, 1700, (n,))
        q = _random_tables(rng, 1700, (n,), sparse=0.0)
        mins.append(float(np.min(kl(p, q))))
        self_kl.append(float(np.max(np.abs(kl(p, p)))))
    return Evidence.all(
        nonnegative=Evidence.bound(min(mins), 0.0, kind=">", note="min KL(p‖q) over 10 200 pairs with p ≠ q"),
        equality=Evidence.bound(max(self_kl), 0.0, kind="<=", note="max |KL(p‖p)|"),
    )


@theorem("B14.entropy-bounds", "0 ≤ H(p) ≤ log n (= at uniform), H(p, q) = H(p) + KL(p‖q), 0 ≤ JS ≤ log 2")
def entropy_bounds(rng):
    n = 7
    p = _random_tables(rng, 10_000, (n,))
    q = _random_tables(rng, 10_000, (n,), sparse=0.0)
    H = entropy(p)
    decomposition = np.abs(cross_entropy(p, q) - H - kl(p, q)) / np.maximum(1.0, cross_entropy(p, q))
    js = js_divergence(p, q)
    return Evidence.all(
        lower=Evidence.bound(float(H.min()), 0.0, kind=">=", note="min H(p)"),
        upper=Evidence.bound(float(H.max()), math.log(n), note="max H(p) vs log n"),
        uniform=Evidence.close(entropy(np.full(n, 1 / n)), math.log(n), rtol=1e-15, note="H(uniform)"),
        cross=Evidence.bound(float(decomposition.max()), 1e-13, note="|H(p,q) − H(p) − KL(p‖q)|"),
        js=Evidence.bound(np.array([-js.min(), js.max() - math.log(2)]), 1e-15, note="JS within [0, log 2]"),
    )


def _kl_grid(log_p, log_q, x):
    """∫ p (log p − log q) dx by the trapezoid rule; ``log_p`` (…, m) and ``log_q`` broadcast."""
    p = np.exp(log_p)
    integrand = np.where(p > 0, p * (log_p - log_q), 0.0)
    return np.trapezoid(integrand, x, axis=-1)


@theorem("B14.kl-asymmetry", "KL(p‖q) ≠ KL(q‖p): fitting N(μ,σ²) to a bimodal p, argmin KL(p‖q) covers the mass "
         "(moment matching) while argmin KL(q‖p) seeks one mode")
def kl_asymmetry(rng):
    p = _random_tables(rng, 10_000, (6,), sparse=0.0)
    q = _random_tables(rng, 10_000, (6,), sparse=0.0)
    gap = np.abs(kl(p, q) - kl(q, p))
    # Gaussian pair, closed forms: KL(N(0,1)‖N(0,4)) = log 2 − 3/8, KL(N(0,4)‖N(0,1)) = 3/2 − log 2.
    fwd = float(kl_divergence(Normal(0.0, 1.0), Normal(0.0, 2.0)))
    rev = float(kl_divergence(Normal(0.0, 2.0), Normal(0.0, 1.0)))
    # Bimodal target and a grid of Gaussian fits.
    sep = rng.uniform(1.8, 2.4)
    target = Mixture([Normal(-sep, 0.6), Normal(sep, 0.6)], np.array([0.5, 0.5]))
    x = np.linspace(-8, 8, 1201)
    log_p = target.log_prob(x)
    mus, sigmas = np.linspace(-3.5, 3.5, 71), np.linspace(0.3, 3.5, 33)
    M, S = np.meshgrid(mus, sigmas, indexing="ij")
    log_q = Normal(M[..., None], S[..., None]).log_prob(x)  # (71, 33, 1201)
    forward = _kl_grid(log_p, log_q, x)  # KL(p‖q)
    reverse = _kl_grid(log_q, log_p, x)  # KL(q‖p)
    i_f = np.unravel_index(np.argmin(forward), forward.shape)
    i_r = np.unravel_index(np.argmin(reverse), reverse.shape)
    m_mm, s_mm = float(target.mean), float(np.sqrt(target.variance))
    kl_mm = float(_kl_grid(log_p, Normal(m_mm, s_mm).log_prob(x), x))
    return Evidence.all(
        generic=Evidence.bound(float(np.mean(gap > 1e-6)), 0.99, kind=">=",
                               note="fraction of 10⁴ random pairs with |KL(p‖q) − KL(q‖p)| > 1e-6"),
        gaussian=Evidence.close(np.array([fwd, rev]), np.array([math.log(2) - 0.375, 1.5 - math.log(2)]),
                                rtol=1e-14, note="KL(N(0,1)‖N(0,4)), KL(N(0,4)‖N(0,1))"),
        forward_is_moment_match=Evidence.bound(kl_mm, float(forward.min()) + 1e-12,
                                               note="KL(p‖N(mean p, var p)) ≤ every grid fit"),
        forward_covers=Evidence.close(np.array([M[i_f], S[i_f]]), np.array([m_mm, s_mm]), atol=0.1,
                                      note="forward-KL grid optimum vs (mean, sd) of p (grid step 0.1)"),
        reverse_seeks_mode=Evidence.close(abs(M[i_r]), sep, atol=0.1, note="|μ| of the reverse-KL optimum vs mode"),
        reverse_narrower=Evidence.bound(float(S[i_r]), 0.8, note="σ of the reverse-KL optimum (mode sd 0.6)"),
    )


@theorem("B14.chain-rule", "Chain rule: H(X,Y) = H(X) + H(Y|X), H(X,Y,Z) = H(X) + H(Y|X) + H(Z|X,Y), "
         "I(X;Y) = H(X) + H(Y) − H(X,Y), to 1e-12")
def chain_rule(rng):
    p = _random_tables(rng, 2000, (4, 6))
    hx = entropy(p.sum(-1))
    hy = entropy(p.sum(-2))
    hxy = joint_entropy(p)
    two = np.abs(hxy - hx - conditional_entropy(p))
    mi = np.abs(mutual_information(p) - (hx + hy - hxy))
    p3 = _random_tables(rng, 1000, (3, 4, 5))
    h3 = entropy(p3.reshape(1000, -1))
    pieces = entropy(p3.sum((-2, -1))) + conditional_entropy(p3.sum(-1)) + conditional_entropy(p3.reshape(1000, 12, 5))
    three = np.abs(h3 - pieces)
    return Evidence.all(
        two=Evidence.bound(float(two.max()), 1e-12, note="max |H(X,Y) − H(X) − H(Y|X)| over 2000 tables"),
        three=Evidence.bound(float(three.max()), 1e-12, note="three variables, 1000 tables"),
        mutual_information=Evidence.bound(float(mi.max()), 1e-12, note="max |I − (H(X)+H(Y)−H(X,Y))|"),
    )


@theorem("B14.independence-mi-zero", "X ⊥ Y ⇔ I(X;Y) = 0; for independent samples 2n·Î → χ²_{(k−1)(l−1)}",
         tags=("stat",))
def independence(rng):
    px = _random_tables(rng, 10_000, (3,), sparse=0.0)
    py = _random_tables(rng, 10_000, (4,), sparse=0.0)
    prod = px[:, :, None] * py[:, None, :]
    mi_indep = mutual_information(prod)
    dep = _random_tables(rng, 10_000, (3, 4), sparse=0.0)
    mi_dep = mutual_information(dep)
    # Empirical MI of independent draws: 2n·Î is asymptotically χ² with 6 degrees of freedom.
    # Cells need enough expected counts for the χ² limit: marginals bounded away from 0, n = 4000.
    reps, n = 500, 4000
    qx, qy = rng.uniform(0.5, 1.5, 3), rng.uniform(0.5, 1.5, 4)
    cx, cy = Categorical(probs=qx / qx.sum()), Categorical(probs=qy / qy.sum())
    xs, ys = cx.sample(rng, (n, reps)), cy.sample(rng, (n, reps))
    cell = (np.arange(reps)[None, :] * 12 + xs * 4 + ys).ravel()
    counts = np.bincount(cell, minlength=reps * 12).reshape(reps, 3, 4)
    stat_ = 2 * n * mutual_information(counts / n)
    return Evidence.all(
        independent=Evidence.bound(float(np.abs(mi_indep).max()), 1e-14, note="max |I| for 10⁴ product tables"),
        dependent=Evidence.bound(float(mi_dep.min()), 0.0, kind=">", note="min I for 10⁴ generic tables"),
        g_test=Evidence.stat(float(stat_.mean()), 6.0, float(stat_.std(ddof=1)) / math.sqrt(reps),
                             note="mean of 2n·Î vs χ²₆ mean"),
    )


@theorem("B14.closed-form-kl-mc", "Closed-form KL = Monte Carlo estimate within 3 SE (Gaussian, MVN) and 5 SE "
         "(Gamma, Beta, Dirichlet)", tags=("stat",))
def closed_form_vs_mc(rng):
    n = 20_000
    A, B = rng.standard_normal((2, 3, 3))
    mvn_p = MultivariateNormal(rng.standard_normal(3), covariance=A @ A.T + 0.5 * np.eye(3))
    mvn_q = MultivariateNormal(rng.standard_normal(3), covariance=B @ B.T + 0.5 * np.eye(3))
    pairs = {
        "normal": (Normal(rng.normal(), rng.uniform(0.5, 2)), Normal(rng.normal(), rng.uniform(0.5, 2))),
        "mvn": (mvn_p, mvn_q),
        "gamma": (Gamma(*rng.uniform(1, 4, 2)), Gamma(*rng.uniform(1, 4, 2))),
        "beta": (Beta(*rng.uniform(1, 4, 2)), Beta(*rng.uniform(1, 4, 2))),
        "dirichlet": (Dirichlet(rng.uniform(1, 4, 4)), Dirichlet(rng.uniform(1, 4, 4))),
    }
    parts = {}
    for name, (p, q) in pairs.items():
        est, se = kl_monte_carlo(p, q, n, rng)
        z = 3.0 if name in ("normal", "mvn") else 5.0
        parts[name] = Evidence.stat(float(est), float(kl_divergence(p, q)), float(se), z=z, note=name)
    return Evidence.all(**parts)


@theorem("B14.mle-argmin-kl", "MLE = argmin KL: −(1/n)Σ log q(xᵢ) = H(p̂) + KL(p̂‖q), minimised by q = p̂; the "
         "Gaussian minimising KL(p‖N) matches the moments of p", tags=("stat",))
def mle_argmin_kl(rng):
    k, n = 6, 500
    truth = Dirichlet(np.full(k, 2.0)).sample(rng)
    x = Categorical(probs=truth).sample(rng, n)
    p_hat = mle_categorical(x, k).probs
    qs = Dirichlet(np.ones(k)).sample(rng, 10_000)
    nll = -np.mean(np.log(qs[:, x]), axis=1)
    identity = np.abs(nll - (entropy(p_hat) + kl(p_hat, qs)))
    nll_hat = -np.mean(np.log(p_hat[x]))
    # Continuous: p = Gamma(a, 1); the KL(p‖N(μ,σ²)) minimiser is (mean, sd) of p, the limit of the MLE.
    a = rng.uniform(2, 5)
    g = Gamma(a, 1.0)
    big = 100_000
    fit = mle_normal(g.sample(rng, big))
    return Evidence.all(
        identity=Evidence.bound(float(identity.max()), 1e-12, note="|NLL(q) − H(p̂) − KL(p̂‖q)| over 10⁴ random q"),
        argmin=Evidence.bound(nll_hat, float(nll.min()), note="NLL(p̂) ≤ NLL(q) for every q"),
        gaussian_mean=Evidence.stat(float(fit.loc), a, math.sqrt(a / big), note="MLE μ vs mean of Gamma(a)"),
        gaussian_var=Evidence.stat(float(fit.scale**2), a, math.sqrt((6 * a + 2 * a * a) / big),
                                   note="MLE σ² vs variance of Gamma(a)"),
    )

