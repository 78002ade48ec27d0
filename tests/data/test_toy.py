import numpy as np
import pytest

from aimath.data import circles, eight_gaussians, moons, swiss_roll_2d
from aimath.errors import DomainError


def test_moons_noiseless_points_lie_on_the_two_arcs(xp):
    import torch

    rng = torch.Generator().manual_seed(0) if xp.name == "torch" else 0
    X, y = moons(101, 0.0, rng)
    X, y = xp.to_numpy(X), xp.to_numpy(y)
    assert X.shape == (101, 2) and y.tolist() == [0] * 51 + [1] * 50
    c = np.where(y[:, None] == 0, 0.0, 1.0) * np.array([1.0, 0.5])
    np.testing.assert_allclose(np.linalg.norm(X - c, axis=1), 1.0, rtol=1e-12)
    assert np.all(X[y == 0, 1] >= 0) and np.all(X[y == 1, 1] <= 0.5)


def test_moons_noise_has_the_requested_scale():
    X0, _ = moons(20000, 0.0, 5)
    X1, _ = moons(20000, 0.3, 5)
    # same generator stream: the difference is the noise (t draws come first)
    d = X1 - X0
    assert abs(d.std() - 0.3) < 5 * 0.3 / np.sqrt(2 * 40000)


def test_circles_radii_and_errors():
    X, y = circles(50, 0.0, 1, factor=0.3)
    np.testing.assert_allclose(np.linalg.norm(X, axis=1), np.where(y == 0, 1.0, 0.3), rtol=1e-12)
    with pytest.raises(DomainError, match="factor"):
        circles(10, 0.1, 0, factor=1.5)
    with pytest.raises(DomainError, match="noise"):
        circles(10, -0.1, 0)
    with pytest.raises(DomainError, match="n must"):
        moons(0, 0.1, 0)


def test_swiss_roll_and_eight_gaussians():
    X = swiss_roll_2d(500, 0.0, 2)
    r = np.linalg.norm(X, axis=1) * 5
    t = np.arctan2(X[:, 1], X[:, 0]) % (2 * np.pi)
    assert np.all((r >= 1.5 * np.pi - 1e-9) & (r <= 4.5 * np.pi + 1e-9))
    np.testing.assert_allclose(np.cos(t), np.cos(r), atol=1e-9)  # t cos t, t sin t has angle t
    X, k = eight_gaussians(80000, 0.1, 3, radius=2.0)
    for j in range(8):
        m = X[k == j].mean(axis=0)
        c = 2 * np.array([np.cos(2 * np.pi * j / 8), np.sin(2 * np.pi * j / 8)])
        assert np.all(np.abs(m - c) < 5 * 0.1 / np.sqrt((k == j).sum()))
    assert abs(X[k == 0].std(axis=0) - 0.1).max() < 0.01
