import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimath.errors import ShapeError
from aimath.sampling import autocorrelation, effective_sample_size, mcse, rhat, summary


def _direct_acf(x):
    c = x - x.mean()
    n = x.size
    return np.array([c[: n - t] @ c[t:] for t in range(n)]) / (c @ c)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=60))
def test_autocorrelation_matches_direct_sum(values):
    x = np.asarray(values)
    if np.ptp(x) < 1e-6:
        return
    np.testing.assert_allclose(autocorrelation(x), _direct_acf(x), atol=1e-9)


def test_autocorrelation_axis_and_torch(xp):
    x = np.random.default_rng(0).standard_normal((50, 3))
    a = autocorrelation(xp.asarray(x))
    np.testing.assert_allclose(a[:, 1], _direct_acf(x[:, 1]), atol=1e-12)
    np.testing.assert_allclose(autocorrelation(x.T, axis=1), a.T)
    assert np.all(autocorrelation(np.ones(5)) == 0)


def _ar1(rng, phi, n, m, d=1):
    x = np.empty((n, m, d))
    x[0] = rng.standard_normal((m, d))
    z = rng.standard_normal((n, m, d)) * math.sqrt(1 - phi * phi)
    for t in range(1, n):
        x[t] = phi * x[t - 1] + z[t]
    return x


@pytest.mark.parametrize("phi", [0.0, 0.5, -0.3])
def test_ess_of_ar1(phi, rng):
    x = _ar1(rng, phi, 2000, 20)
    ratio = effective_sample_size(x, method="mean")[0] / x[..., 0].size
    expect = (1 - phi) / (1 + phi) if phi >= 0 else 1.0  # Geyer's estimator caps antithetic chains near N·log10
    if phi >= 0:
        assert abs(ratio - expect) < 0.1 * expect
    else:
        assert ratio > 1.0  # negative correlation: ESS exceeds N
    assert effective_sample_size(x[..., 0]) > 0 and isinstance(effective_sample_size(x[:, 0, 0]), float)


def test_tail_ess_and_ties(rng):
    x = _ar1(rng, 0.7, 1000, 8, d=2)
    tail = effective_sample_size(x, method="tail")
    assert tail.shape == (2,) and np.all(tail > 0)
    sticky = np.repeat(rng.standard_normal((100, 4, 1)), 5, axis=0)  # every value repeated 5 times (rejections)
    bulk = effective_sample_size(sticky)[0]
    assert 100 < bulk < 2000
    with pytest.raises(ValueError, match="method"):
        effective_sample_size(x, method="median")


def test_rhat_detects_stuck_chain_and_scale_difference(rng):
    x = rng.standard_normal((1000, 4, 2))
    assert np.all(rhat(x) < 1.01)
    y = x.copy()
    y[:, 0, 0] *= 4.0  # same mean, different spread: caught by the folded (tail) R-hat
    assert rhat(y)[0] > 1.05 and rhat(y)[1] < 1.01
    trend = x + np.linspace(0, 3, 1000)[:, None, None]  # a drifting chain: caught by splitting
    assert np.all(rhat(trend) > 1.1)


def test_mcse_of_iid_mean(rng):
    x = rng.standard_normal((5000, 4))
    assert abs(mcse(x) - 1 / math.sqrt(20_000)) < 0.1 / math.sqrt(20_000)


def test_summary_table(rng):
    s = summary(rng.standard_normal((300, 4, 2)), names=["a", "b"])
    text = str(s)
    assert "ess_bulk" in text and "rhat" in text and text.splitlines()[1].startswith("a")
    assert set(s.to_dict()["b"]) == set(s.columns)
    np.testing.assert_allclose(s["mean"], rng.standard_normal(0).sum() + s["mean"])
    with pytest.raises(ShapeError, match="names"):
        summary(rng.standard_normal((300, 4, 2)), names=["a"])


def test_shape_errors():
    with pytest.raises(ShapeError, match="at least 4 draws"):
        effective_sample_size(np.zeros((3, 2, 1)))
    with pytest.raises(ShapeError, match=r"\(n_samples, n_chains, d\)"):
        rhat(np.zeros((10, 2, 2, 2)))
    with pytest.raises(ShapeError, match="at least 2 points"):
        autocorrelation(np.zeros(1))
