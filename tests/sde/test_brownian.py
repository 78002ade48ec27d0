import numpy as np
import pytest

from aimath.errors import DomainError, ShapeError
from aimath.sde import brownian_bridge, brownian_increments, brownian_motion, coarsen, quadratic_variation


def test_shapes_start_and_seed(xp):
    like = xp.asarray(np.zeros(1))
    p = brownian_motion(3, 5, 8, T=2.0, dim=2, like=like)
    assert tuple(p.W.shape) == (9, 5, 2) and tuple(p.t.shape) == (9,)
    assert np.all(xp.to_numpy(p.W[0]) == 0)
    assert abs(float(p.t[-1]) - 2.0) < 1e-15
    q = brownian_motion(3, 5, 8, T=2.0, dim=2, like=like)
    np.testing.assert_array_equal(xp.to_numpy(p.W), xp.to_numpy(q.W))
    np.testing.assert_allclose(xp.to_numpy(p.dW), np.diff(xp.to_numpy(p.W), axis=0))
    assert "BrownianPath" in repr(p)


def test_float32_kept():
    p = brownian_motion(0, 4, 3, dtype=np.float32)
    assert p.W.dtype == np.float32


def test_increment_moments(rng):
    dW = brownian_increments(rng, 50, 4000, 0.02)
    v = dW.var()
    assert abs(v - 0.02) < 5 * 0.02 * np.sqrt(2 / dW.size)


def test_bridge_refines_same_path(xp):
    p = brownian_motion(1, 6, 5, T=1.5, like=xp.asarray(np.zeros(1)))
    f = brownian_bridge(p, rng=2, levels=2)
    assert tuple(f.W.shape) == (21, 6, 1)
    np.testing.assert_array_equal(xp.to_numpy(f.W[::4]), xp.to_numpy(p.W))
    np.testing.assert_allclose(xp.to_numpy(f.t), np.linspace(0, 1.5, 21), atol=1e-15)


def test_bridge_midpoint_law(rng):
    p = brownian_motion(rng, 40_000, 1, T=1.0)
    f = brownian_bridge(p, rng, levels=1)
    mid = f.W[1, :, 0]
    resid = mid - 0.5 * p.W[1, :, 0]  # conditional law N(0, 1/4)
    assert abs(resid.var() - 0.25) < 5 * 0.25 * np.sqrt(2 / resid.size)
    assert abs(np.corrcoef(resid, p.W[1, :, 0])[0, 1]) < 5 / np.sqrt(resid.size)


def test_coarsen_sums_blocks(xp):
    dW = xp.asarray(np.arange(12.0).reshape(6, 2, 1))
    c = xp.to_numpy(coarsen(dW, 3))
    np.testing.assert_allclose(c[:, :, 0], [[0 + 2 + 4, 1 + 3 + 5], [6 + 8 + 10, 7 + 9 + 11]])
    with pytest.raises(ShapeError, match="not a multiple"):
        coarsen(dW, 4)


def test_quadratic_variation(xp):
    W = xp.asarray(np.array([0.0, 1.0, -1.0, 2.0])[:, None])
    np.testing.assert_allclose(xp.to_numpy(quadratic_variation(W)), [1 + 4 + 9])
    np.testing.assert_allclose(xp.to_numpy(quadratic_variation(W, cumulative=True))[:, 0], [0, 1, 5, 14])


def test_bad_input():
    with pytest.raises(DomainError, match="T must be positive"):
        brownian_motion(0, 2, 3, T=0.0)
    with pytest.raises(DomainError, match="n_steps"):
        brownian_motion(0, 2, 0)
    p = brownian_motion(0, 2, 3)
    with pytest.raises(ShapeError, match="same number of times"):
        brownian_bridge(type(p)(p.t[:-1], p.W), 0)
    with pytest.raises(ShapeError, match="at least two"):
        quadratic_variation(np.zeros((1, 3)))
    with pytest.raises(DomainError, match="finite"):
        quadratic_variation(np.array([0.0, np.nan]))
