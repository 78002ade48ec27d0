"""B20 flows and iterations: closed forms on quadratics, GD/Nesterov/heavy-ball recursions, SGD."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from aimath.errors import DomainError
from aimath.limits import (
    gd_trajectory,
    gradient_flow,
    heavy_ball_ode,
    heavy_ball_trajectory,
    modified_flow,
    nesterov_ode,
    nesterov_trajectory,
    odeint,
    resnet_euler,
    sgd_iterates,
    sgd_sde,
    sgd_stationary_variance,
)


def test_gradient_flow_and_gd_on_a_quadratic():
    lam = np.array([0.5, 2.0])
    x0 = np.array([1.0, -1.0])
    ts, X = gradient_flow(lambda x: lam * x, x0, 3.0, n_out=7)
    np.testing.assert_allclose(X, np.exp(-np.outer(ts, lam)) * x0, rtol=1e-9)
    xs = gd_trajectory(lambda x: lam * x, x0, 0.1, 20)
    np.testing.assert_allclose(xs, (1 - 0.1 * lam) ** np.arange(21)[:, None] * x0, rtol=1e-13)


def test_modified_flow_on_a_quadratic_matches_its_closed_form():
    # for f = λx²/2 the modified flow is ẋ = −λ(1 + ηλ/2)x
    lam, eta = 1.5, 0.2
    field = modified_flow(lambda x: lam * x, lambda x: lam * np.ones(x.shape + (1,)), eta)
    X = odeint(field, np.array([1.0]), np.array([0.0, 2.0]), rtol=1e-11)
    assert X[-1, 0] == pytest.approx(np.exp(-lam * (1 + eta * lam / 2) * 2.0), rel=1e-8)
    with pytest.raises(DomainError, match="needs hess_f"):
        modified_flow(lambda x: x, None, 0.1)


def test_heavy_ball_ode_and_iterates():
    lam, a = 2.0, 1.0
    z = odeint(heavy_ball_ode(lambda x: lam * x, a), np.array([1.0, 0.0]), np.array([0.0, 3.0]), rtol=1e-11)
    w = np.sqrt(lam - a**2 / 4)  # underdamped closed form with x(0) = 1, ẋ(0) = 0
    exact = np.exp(-a * 3 / 2) * (np.cos(w * 3) + a / (2 * w) * np.sin(w * 3))
    assert z[-1, 0] == pytest.approx(exact, rel=1e-8)
    xs = heavy_ball_trajectory(lambda x: lam * x, np.array([1.0]), 0.1, 0.5, 3)
    x1 = 1 - 0.1 * lam
    x2 = x1 - 0.1 * lam * x1 + 0.5 * (x1 - 1)
    np.testing.assert_allclose(xs[:3, 0], [1.0, x1, x2])


def test_nesterov_iterates_follow_their_recursion():
    g = lambda x: np.array([2.0, 0.5]) * x  # noqa: E731
    s, x0 = 0.05, np.array([1.0, 1.0])
    xs = nesterov_trajectory(g, x0, s, 4)
    x_prev, y = x0, x0
    for k in range(1, 5):
        x_new = y - s * g(y)
        y = x_new + (k - 1) / (k + 2) * (x_new - x_prev)
        x_prev = x_new
        np.testing.assert_allclose(xs[k], x_new)
    with pytest.raises(DomainError, match="ts must start at 0"):
        nesterov_ode(g, x0, np.array([1.0, 2.0]))


def test_resnet_is_euler():
    field = lambda t, x: -x  # noqa: E731
    assert resnet_euler(field, np.array([1.0]), 10)[0] == pytest.approx(0.9**10)
    with pytest.raises(DomainError, match="depth must be a positive integer"):
        resnet_euler(field, np.ones(1), 0)


def test_sgd_iterates_statistics_and_torch():
    lam, eta, s2 = 1.0, 0.5, 2.0
    xs = sgd_iterates(lambda x: lam * x, np.zeros(2), eta, 100, s2 * np.eye(2), rng=0, n_chains=50_000,
                      save_every=100)[-1]
    var = sgd_stationary_variance(lam, eta, s2)
    se = var * np.sqrt(2 / 50_000)
    assert np.all(np.abs(xs.var(axis=0) - var) < 5 * se)
    assert abs(np.mean(xs[:, 0] * xs[:, 1])) < 5 * var / np.sqrt(50_000)
    xt = sgd_iterates(lambda x: lam * x, torch.zeros(1, dtype=torch.float64), eta, 5, s2, rng=1, n_chains=4)
    assert isinstance(xt, torch.Tensor) and xt.shape == (6, 4, 1)
    with pytest.raises(DomainError, match="stable only for 0 < ηλ < 2"):
        sgd_stationary_variance(1.0, 2.5, 1.0)
    with pytest.raises(DomainError, match="eta must be positive"):
        sgd_sde(lambda x: x, 1.0, 0.0)


def test_sgd_sde_is_the_diffusion_approximation():
    from aimath.sde import sdeint

    lam, eta, s2 = 2.0, 0.05, 1.0
    sde = sgd_sde(lambda x: lam * x, s2, eta)
    ys = sdeint(sde, np.zeros((40_000, 1)), np.linspace(0, 5, 501), rng=3, save_every=500)
    var = eta * s2 / (2 * lam)  # OU stationary variance of the SDE
    se = var * np.sqrt(2 / 40_000)
    assert abs(ys[-1].var() - var) < 5 * se + var * 1e-2  # plus the O(dt) Euler–Maruyama bias
