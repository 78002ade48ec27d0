"""MMD, energy distance, sliced Wasserstein and the two-sample KS statistic."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimath.diffusion import energy_distance, ks_two_sample, mmd, sliced_wasserstein
from aimath.diffusion.metrics import mmd_textbook
from aimath.errors import DomainError, ShapeError


def test_mmd_equals_direct_double_sum(rng):
    x, y = rng.normal(size=(15, 2)), rng.normal(size=(11, 2)) + 0.5
    assert mmd(x, y, bandwidth=0.7) == pytest.approx(mmd_textbook(x, y, 0.7), rel=1e-12)
    z = np.vstack([x, y])
    d = np.sqrt(((z[:, None] - z[None]) ** 2).sum(-1))
    med = np.median(d[np.triu_indices(len(z), 1)])
    assert mmd(x, y) == pytest.approx(mmd_textbook(x, y, med), rel=1e-12)


def test_mmd_unbiased_under_null_and_positive_otherwise(rng):
    vals = np.array([mmd(rng.normal(size=(60, 2)), rng.normal(size=(60, 2)), bandwidth=1.0) for _ in range(300)])
    assert abs(vals.mean()) < 5 * vals.std() / math.sqrt(vals.size)
    assert mmd(rng.normal(size=(300, 2)), rng.normal(size=(300, 2)) + 1.0, bandwidth=1.0) > 0.1
    assert mmd(rng.normal(size=(300, 2)), 2 * rng.normal(size=(300, 2)), kernel="laplace") > 0.01


def test_energy_distance(rng):
    x, y = rng.normal(size=(12, 3)), rng.normal(size=(9, 3))
    dxy = np.linalg.norm(x[:, None] - y[None], axis=-1).mean()
    dxx = np.linalg.norm(x[:, None] - x[None], axis=-1).sum() / (12 * 11)
    dyy = np.linalg.norm(y[:, None] - y[None], axis=-1).sum() / (9 * 8)
    assert energy_distance(x, y) == pytest.approx(2 * dxy - dxx - dyy, rel=1e-10)
    vals = np.array([energy_distance(rng.normal(size=(50, 1)), rng.normal(size=(50, 1))) for _ in range(200)])
    assert abs(vals.mean()) < 5 * vals.std() / math.sqrt(vals.size)
    assert energy_distance(rng.normal(size=(400, 1)), rng.normal(size=(400, 1)) + 2) > 1.0


def test_sliced_wasserstein_against_scipy_1d(rng):
    from scipy.stats import wasserstein_distance

    x, y = rng.normal(size=(40, 1)), rng.exponential(size=(25, 1))
    assert sliced_wasserstein(x, y, 3, rng=0, p=1) == pytest.approx(wasserstein_distance(x[:, 0], y[:, 0]), rel=1e-10)
    # a Gaussian shift: SW₂² = E[(θ·m)²] = |m|²/d for a uniform direction
    z = rng.normal(size=(2000, 3))
    m = np.array([1.0, 2.0, -2.0])
    assert sliced_wasserstein(z, z + m, 4000, rng=1) == pytest.approx(math.sqrt(9 / 3), rel=0.03)


@settings(max_examples=25, deadline=None)
@given(st.integers(2, 30), st.integers(2, 30), st.integers(0, 10**6))
def test_metric_properties(n, m, seed):
    g = np.random.default_rng(seed)
    x, y = g.normal(size=(n, 2)), g.normal(size=(m, 2))
    assert sliced_wasserstein(x, y, 8, rng=0) >= 0
    assert sliced_wasserstein(x, x, 8, rng=0) == pytest.approx(0.0, abs=1e-12)
    assert mmd(x, y, bandwidth=1.0) == pytest.approx(mmd(y, x, bandwidth=1.0), rel=1e-9, abs=1e-12)
    assert energy_distance(x, y) == pytest.approx(energy_distance(y, x), rel=1e-9, abs=1e-12)
    assert 0 <= ks_two_sample(x[:, 0], y[:, 0]) <= 1


def test_ks_two_sample_against_scipy(rng):
    from scipy.stats import ks_2samp

    x, y = rng.normal(size=50), rng.normal(size=70) + 0.3
    assert ks_two_sample(x, y) == pytest.approx(ks_2samp(x, y).statistic, rel=1e-12)


def test_torch(xp, rng):
    x, y = rng.normal(size=(30, 2)), rng.normal(size=(20, 2))
    assert mmd(xp.asarray(x), xp.asarray(y)) == pytest.approx(mmd(x, y), rel=1e-10)
    assert energy_distance(xp.asarray(x), xp.asarray(y)) == pytest.approx(energy_distance(x, y), rel=1e-10)


def test_bad_input(rng):
    x = rng.normal(size=(10, 2))
    with pytest.raises(ShapeError, match="columns"):
        mmd(x, rng.normal(size=(10, 3)))
    with pytest.raises(ShapeError, match="at least 2 rows"):
        mmd(x, x[:1])
    with pytest.raises(DomainError, match="kernel"):
        mmd(x, x, kernel="poly")
    with pytest.raises(DomainError, match="bandwidth"):
        mmd(x, x, bandwidth=-1.0)
    with pytest.raises(DomainError, match="finite"):
        energy_distance(x, np.full((3, 2), np.nan))
    with pytest.raises(DomainError, match="n_projections"):
        sliced_wasserstein(x, x, 0)
    with pytest.raises(ShapeError, match="dimension"):
        sliced_wasserstein(x[:, 0], x[:, 0])
