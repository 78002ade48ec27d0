"""Hypothesis properties shared by the univariate distributions: icdf inverts cdf, the score is
the derivative of log_prob, log_prob integrates to one."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as hs

from aimath.prob import Beta, ExpTransform, Gamma, Normal, TransformedDistribution, Uniform

pos = hs.floats(0.3, 6.0)
loc = hs.floats(-5.0, 5.0)


def _dist(kind, a, b, c):
    return {
        "normal": Normal(c, a),
        "gamma": Gamma(a, b),
        "beta": Beta(a, b),
        "uniform": Uniform(c, c + a),
        "lognormal": TransformedDistribution(Normal(c / 5, a / 4), ExpTransform()),
    }[kind]


@settings(max_examples=60, deadline=None)
@given(hs.sampled_from(["normal", "gamma", "beta", "uniform", "lognormal"]), pos, pos, loc,
       hs.floats(0.02, 0.98))
def test_icdf_inverts_cdf(kind, a, b, c, p):
    d = _dist(kind, a, b, c)
    x = d.icdf(p)
    assert abs(float(d.cdf(x)) - p) < 1e-8


@settings(max_examples=60, deadline=None)
@given(hs.sampled_from(["normal", "gamma", "beta", "lognormal"]), pos, pos, loc, hs.floats(0.1, 0.9))
def test_score_is_derivative_of_log_prob(kind, a, b, c, p):
    d = _dist(kind, a, b, c)
    x = float(d.icdf(p))
    h = 1e-5 * abs(x) if kind != "normal" else 1e-5 * max(1.0, abs(x))  # stay inside (0, ∞) near 0
    if kind == "beta":
        h = min(h, 1e-5 * (1 - x))
    fd = (float(d.log_prob(x + h)) - float(d.log_prob(x - h))) / (2 * h)
    s = float(d.score(x))
    assert abs(s - fd) <= 1e-4 * max(1.0, abs(s))


@settings(max_examples=30, deadline=None)
@given(hs.sampled_from(["normal", "gamma", "beta", "uniform", "lognormal"]), hs.floats(2.0, 6.0),
       hs.floats(2.0, 6.0), loc)
@example("lognormal", 5.0, 2.0, 0.0)  # σ = 5: found by Hypothesis, needs the log-space quadrature
def test_density_integrates_to_one(kind, a, b, c):
    # shapes ≥ 2 keep gamma/beta densities smooth at the end points, as the quadrature rule needs
    d = _dist(kind, a, b, c)
    lo, hi = float(d.icdf(1e-9)), float(d.icdf(1 - 1e-9))
    if kind == "lognormal":  # spans e^(±6σ): integrate in u = log x, where ∫p(x)dx = ∫p(eᵘ)eᵘdu is smooth
        edges = np.linspace(np.log(lo), np.log(hi), 20_001)
        mid = 0.5 * (edges[1:] + edges[:-1])
        total = float(np.sum(np.exp(d.log_prob(np.exp(mid)) + mid)) * (edges[1] - edges[0]))
    else:
        edges = np.linspace(lo, hi, 20_001)
        mid = 0.5 * (edges[1:] + edges[:-1])  # midpoint rule: exact for the flat uniform density
        total = float(np.sum(np.exp(d.log_prob(mid))) * (edges[1] - edges[0]))
    assert abs(total - 1) < 1e-5
