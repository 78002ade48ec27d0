"""B19 SDEs and Itô calculus: quadratic variation, Itô vs Stratonovich, Itô's isometry and lemma,
closed forms of GBM and OU, and the strong/weak orders of Euler–Maruyama and Milstein."""

from __future__ import annotations

import math

import numpy as np

from aimath.sde import (
    GeometricBrownianMotion,
    OrnsteinUhlenbeck,
    brownian_bridge,
    brownian_motion,
    ito_integral,
    quadratic_variation,
    sdeint,
    stratonovich_integral,
    strong_error,
    weak_error,
)
from aimath.theorems import Evidence, theorem


def _mean_se(v):
    v = np.asarray(v, dtype=float).ravel()
    return float(v.mean()), float(v.std(ddof=1) / math.sqrt(v.size))


def _var_se(v):
    """Sample variance and its standard error ``√((m₄ − s⁴)/n)``."""
    v = np.asarray(v, dtype=float).ravel()
    c = v - v.mean()
    s2 = float(c @ c / (v.size - 1))
    m4 = float(np.mean(c**4))
    return s2, math.sqrt(max(m4 - s2 * s2, 0.0) / v.size)


@theorem("B19.quadratic-variation", "Σ(ΔW)² → T: mean T and variance 2T²/n on an n-step grid (slope −1 in n)")
def quadratic_variation_thm(rng):
    T = float(rng.uniform(0.5, 2.0))
    levels = [8, 32, 128, 512]
    means, variances, parts = [], [], {}
    for n in levels:
        qv = quadratic_variation(brownian_motion(rng, 4000, n, T)).ravel()
        m, se = _mean_se(qv)
        v, vse = _var_se(qv)
        means.append(m)
        variances.append(v)
        parts[f"mean_n{n}"] = Evidence.stat(m, T, se, note=f"E[W]_T, n={n}")
        parts[f"var_n{n}"] = Evidence.stat(v, 2 * T * T / n, vse, note=f"Var[W]_T, n={n}")
    parts["slope"] = Evidence.slope(levels, variances, -1.0, 0.1, note="log Var vs log n")
    return Evidence.all(**parts)


@theorem("B19.ito-vs-stratonovich",
         "∫W dW: Itô (left point) = (W_T² − T)/2 in the limit, Stratonovich (midpoint) = W_T²/2")
def ito_vs_stratonovich(rng):
    T = float(rng.uniform(0.5, 2.0))
    parts = {}
    msq = []
    levels = [16, 64, 256, 1024]
    for n in levels:
        path = brownian_motion(rng, 2000, n, T)
        WT = path.W[-1]
        ito = ito_integral(lambda t, w: w, path)
        strat = stratonovich_integral(lambda t, w: w, path)
        if n == levels[-1]:
            parts["strat_exact"] = Evidence.close(np.abs(strat - WT**2 / 2).max(), 0.0, atol=1e-12,
                                                  note="Stratonovich sum − W_T²/2")
            parts["ito_identity"] = Evidence.close(
                np.abs(ito - (WT**2 - quadratic_variation(path)) / 2).max(), 0.0, atol=1e-12,
                note="Itô sum − (W_T² − Σ(ΔW)²)/2")
            d, se = _mean_se(strat - ito)
            parts["difference"] = Evidence.stat(d, T / 2, se, note="E[Strat − Itô] = T/2")
        e2 = ((ito - (WT**2 - T) / 2) ** 2).ravel()
        m, se = _mean_se(e2)
        msq.append(m)
        parts[f"l2_n{n}"] = Evidence.stat(m, T * T / (2 * n), se, note=f"E(Itô − (W²−T)/2)² = T²/(2n), n={n}")
    parts["l2_slope"] = Evidence.slope(levels, msq, -1.0, 0.1, note="mean-square error vs n")
    return Evidence.all(**parts)


@theorem("B19.ito-isometry", "E(∫f dW)² = E∫f² dt and E∫f dW = 0 for f = W and f = cos(t + W) (within 3 SE)")
def ito_isometry(rng):
    T, n = 1.0, 100
    path = brownian_motion(rng, 20_000, n, T)
    dt = T / n
    t = np.asarray(path.t)[:, None, None]
    parts = {}
    for name, f in (("W", lambda t, w: w), ("cos", lambda t, w: np.cos(t + w))):
        F = f(t, path.W)
        integral = ito_integral(F, path.W).ravel()
        energy = (np.sum(F[:-1] ** 2, axis=0) * dt).ravel()
        d, se = _mean_se(integral**2 - energy)
        parts[f"isometry_{name}"] = Evidence.stat(d, 0.0, se, z=3, note=f"E[(∫f dW)² − ∫f² dt], f={name}")
        m, se = _mean_se(integral)
        parts[f"mean_{name}"] = Evidence.stat(m, 0.0, se, z=3, note=f"E∫f dW, f={name}")
    m, se = _mean_se(ito_integral(path.W, path.W).ravel() ** 2)
    parts["closed_form"] = Evidence.stat(m, T * T / 2 * (1 - 1 / n), se, z=3, note="E(∫W dW)² = Σ t_k Δt")
    return Evidence.all(**parts)


@theorem("B19.ito-lemma",
         "f(W_T) = f(0) + ∫f'(W)dW + ½∫f''(W)dt: residual → 0 in L² (slope ½ in Δt), E f(W_T) = ½E∫f'' dt")
def ito_lemma(rng):
    T = 1.0
    f, f1, f2 = (lambda w: w**4), (lambda w: 4 * w**3), (lambda w: 12 * w**2)
    path = brownian_motion(rng, 8000, 512, T)
    rms, hs, parts = [], [], {}
    for r in (8, 4, 2, 1):
        W = path.W[::r]
        n = W.shape[0] - 1
        dt = T / n
        ito = ito_integral(f1(W), W)
        drift = 0.5 * np.sum(f2(W[:-1]), axis=0) * dt
        resid = (f(W[-1]) - ito - drift).ravel()
        rms.append(math.sqrt(float(np.mean(resid**2))))
        hs.append(dt)
        if r == 1:
            naive = (f(W[-1]) - ito).ravel()  # ordinary chain rule leaves ½∫f'' dt behind
            m, se = _mean_se(naive)
            parts["naive_chain_rule"] = Evidence.stat(m, 3 * T * T, se, note="E[f(W_T) − ∫f' dW] = ½E∫f''dt = 3T²")
    parts["residual_slope"] = Evidence.slope(hs, rms, 0.5, 0.1, note="RMS residual of Itô's formula vs Δt")
    m, se = _mean_se(f(path.W[-1]))
    parts["expectation"] = Evidence.stat(m, 3 * T * T, se, z=3, note="E W_T⁴ = 3T² from Itô's lemma")
    return Evidence.all(**parts)


@theorem("B19.gbm-closed-form",
         "GBM: log X_T ~ N(log x₀ + (μ − σ²/2)T, σ²T) and E X_T = x₀e^{μT} for Milstein paths (fine step)")
def gbm_closed_form(rng):
    mu, sigma, x0, T = float(rng.uniform(-0.5, 0.5)), float(rng.uniform(0.2, 0.6)), 1.5, 1.0
    gbm = GeometricBrownianMotion(mu, sigma)
    X = sdeint(gbm, np.full(1, x0), np.linspace(0, T, 201), method="milstein", rng=rng, n_paths=40_000,
               save_every=200)[-1].ravel()
    m, se = _mean_se(np.log(X))
    v, vse = _var_se(np.log(X))
    mx, sex = _mean_se(X)
    path = brownian_motion(rng, 1, 50, T)
    sol = gbm.solution(np.full((1, 1), x0), np.asarray(path.t)[:, None, None], path.W)
    ex = sdeint(gbm, np.full(1, x0), np.asarray(path.t), method="milstein", dW=path.dW)
    return Evidence.all(
        log_mean=Evidence.stat(m, math.log(x0) + (mu - sigma**2 / 2) * T, se),
        log_var=Evidence.stat(v, sigma**2 * T, vse),
        mean=Evidence.stat(mx, x0 * math.exp(mu * T), sex),
        pathwise=Evidence.bound(float(np.abs(ex - sol).max()), 0.02, note="Milstein vs closed form on one path"),
    )


@theorem("B19.ou-stationary", "Ornstein–Uhlenbeck: X_t → N(μ, σ²/(2θ)) from any start (exact law and EM paths)")
def ou_stationary(rng):
    theta, mu, sigma = float(rng.uniform(1.0, 3.0)), float(rng.uniform(-1, 1)), float(rng.uniform(0.5, 1.5))
    ou = OrnsteinUhlenbeck(theta, mu, sigma)
    target = sigma**2 / (2 * theta)
    x0 = np.full((50_000, 1), mu + 3.0)
    Xe = ou.exact_sample(x0, 12.0 / theta, rng).ravel()
    dt = 0.004 / theta  # EM's stationary variance σ²/(θ(2 − θΔt)) is off by 0.2 %: below 0.3 SE here
    n = int(round(12.0 / theta / dt))
    Xm = sdeint(ou, np.full(1, mu + 3.0), np.linspace(0, n * dt, n + 1), rng=rng, n_paths=8000,
                save_every=n)[-1].ravel()
    parts = {}
    for name, X in (("exact", Xe), ("euler_maruyama", Xm)):
        m, se = _mean_se(X)
        v, vse = _var_se(X)
        parts[f"{name}_mean"] = Evidence.stat(m, mu, se)
        parts[f"{name}_var"] = Evidence.stat(v, target, vse, note="σ²/(2θ)")
    return Evidence.all(**parts)


@theorem("B19.brownian-bridge",
         "Bridge refinement keeps the coarse values and gives increments N(0, Δt/2^L), uncorrelated")
def bridge(rng):
    path = brownian_motion(rng, 20_000, 4, 1.0)
    fine = brownian_bridge(path, rng, levels=3)
    dW = np.asarray(fine.dW)[:, :, 0]
    var = dW.var(axis=1, ddof=1)
    h = 1.0 / 32
    se = h * math.sqrt(2 / dW.shape[1])
    c = np.mean(dW[:-1] * dW[1:], axis=1) / h  # lag-one correlation per step
    return Evidence.all(
        agree=Evidence.close(np.abs(fine.W[::8] - path.W).max(), 0.0, atol=1e-14, note="coarse values kept"),
        variance=Evidence.stat(var, np.full(var.shape, h), se, note="Var ΔW = Δt per fine step"),
        correlation=Evidence.stat(c, np.zeros(c.shape), 1 / math.sqrt(dW.shape[1]), note="corr(ΔW_k, ΔW_{k+1})"),
    )


@theorem("B19.em-strong-order", "Euler–Maruyama on GBM: E|X_T^h − X_T| = O(h^{1/2}) (slope 0.5 ± 0.1, 6 levels)")
def em_strong(rng):
    st = strong_error(GeometricBrownianMotion(0.5, 1.0), [1.0], 1.0, [16, 32, 64, 128, 256, 512],
                      n_paths=10_000, rng=rng)
    return Evidence.slope(st.step_sizes, st.errors, 0.5, 0.1, note="same Brownian paths summed to each level")


@theorem("B19.em-weak-order", "Euler–Maruyama on GBM: |E X_T^h − E X_T| = O(h) (slope 1 ± 0.15, 5 levels)")
def em_weak(rng):
    st = weak_error(GeometricBrownianMotion(1.0, 0.3), [1.0], 1.0, [8, 16, 32, 64, 128], n_paths=50_000, rng=rng)
    return Evidence.all(
        slope=Evidence.slope(st.step_sizes, st.errors, 1.0, 0.15, note="coupled paths"),
        resolved=Evidence.bound(float(np.min(st.errors / st.se)), 5.0, kind=">=",
                                note="every weak error ≥ 5 Monte Carlo SE"),
    )


@theorem("B19.milstein-strong-order",
         "Milstein (and the derivative-free SRK, Stratonovich Heun) on GBM: strong order 1 (slope 1 ± 0.1)")
def milstein_strong(rng):
    gbm = GeometricBrownianMotion(0.5, 1.0)
    levels = [16, 32, 64, 128, 256]
    parts = {}
    # the Stratonovich form of GBM is the same process: compare Heun with GBM's closed form too
    for name, sde, method in (("milstein", gbm, "milstein"), ("srk", gbm, "srk"),
                              ("heun", gbm.to_stratonovich(), "heun")):
        st = strong_error(sde, [1.0], 1.0, levels, method=method, n_paths=4000, rng=rng, solution=gbm.solution)
        parts[name] = Evidence.slope(st.step_sizes, st.errors, 1.0, 0.1, note=method)
    return Evidence.all(**parts)
