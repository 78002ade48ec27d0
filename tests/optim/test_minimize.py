"""minimize: every method against closed-form minimisers, the textbook forms of heavy ball and
Nesterov, divergence, stopping rules, callbacks, dtypes and backends, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest

from aimath.errors import ConvergenceError, DomainError, ShapeError
from aimath.optim import fista_momentum, minimize, schedule
from aimath.optim.test_functions import random_quadratic


@pytest.fixture
def quad(rng):
    return random_quadratic(rng, 8, 1.0, 10.0)


@pytest.mark.parametrize("method,kw,steps", [
    ("gd", dict(lr=0.1), 400),
    ("heavy_ball", dict(lr=0.05, momentum=0.5), 400),
    ("nesterov", dict(lr=0.1), 400),
    ("newton", {}, 3),
    ("adagrad", dict(lr=0.5), 1000),
    ("rmsprop", dict(lr=schedule("cosine", 0.01, T_max=1000, eta_min=1e-7), momentum=0.5), 1000),
    ("adam", dict(lr=schedule("cosine", 0.05, T_max=1000, eta_min=1e-7)), 1000),
    ("adamw", dict(lr=schedule("cosine", 0.05, T_max=1000, eta_min=1e-7), weight_decay=0.0), 1000),
    ("gd", dict(line_search="armijo"), 300),
    ("newton", dict(line_search="armijo"), 5),
])
def test_methods_reach_the_minimiser(quad, rng, method, kw, steps):
    x_ref = np.linalg.solve(quad.A, quad.b)
    r = minimize(quad.f, rng.standard_normal(8), method, grad=quad.grad, hess=lambda x: quad.A, steps=steps, **kw)
    assert r.success and r.nit == steps
    np.testing.assert_allclose(r.x, x_ref, atol=1e-6)
    assert r.history.shape == (steps + 1,)
    assert r.fun == pytest.approx(quad.f(r.x), rel=1e-12, abs=1e-12)


def test_heavy_ball_equals_polyak_textbook_form(quad, rng):
    """x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1}) (Polyak) gives the same iterates as the buffer form."""
    x0, alpha, beta = rng.standard_normal(8), 0.05, 0.7
    r = minimize(quad.f, x0, "heavy_ball", lr=alpha, momentum=beta, grad=quad.grad, steps=60, return_path=True)
    prev, x = x0, x0
    path = [x0]
    for _ in range(60):
        x, prev = x - alpha * quad.grad(x) + beta * (x - prev), x
        path.append(x)
    np.testing.assert_allclose(r.path, np.array(path), atol=1e-12)


def test_nesterov_equals_fista_textbook_form(quad, rng):
    """z_{k+1} = y_k − η∇f(y_k), y_{k+1} = z_{k+1} + (t_k − 1)/t_{k+1} (z_{k+1} − z_k) (Beck–Teboulle)."""
    x0, eta = rng.standard_normal(8), 1 / quad.L
    r = minimize(quad.f, x0, "nesterov", lr=eta, grad=quad.grad, steps=80, return_path=True)
    z, y, t = x0, x0, 1.0
    path = [x0]
    for _ in range(80):
        z_new = y - eta * quad.grad(y)
        t_new = (1 + math.sqrt(1 + 4 * t * t)) / 2
        y = z_new + (t - 1) / t_new * (z_new - z)
        z, t = z_new, t_new
        path.append(z)
    np.testing.assert_allclose(r.path, np.array(path), atol=1e-12)
    assert fista_momentum(0) == 0.0 and fista_momentum(1) == 0.0 and 0 < fista_momentum(5) < 1


def test_constant_momentum_nesterov_equals_textbook(quad, rng):
    x0, eta, mu = rng.standard_normal(8), 0.05, 0.8
    r = minimize(quad.f, x0, "nesterov", lr=eta, momentum=mu, grad=quad.grad, steps=50, return_path=True)
    z, y, path = x0, x0, [x0]
    for _ in range(50):
        z_new = y - eta * quad.grad(y)
        y = z_new + mu * (z_new - z)
        z = z_new
        path.append(z)
    np.testing.assert_allclose(r.path, np.array(path), atol=1e-12)


def test_divergence_raises_with_history(quad, rng):
    with np.errstate(over="ignore", invalid="ignore"), pytest.raises(ConvergenceError) as info:
        minimize(quad.f, rng.standard_normal(8), "gd", lr=3 / quad.L, grad=quad.grad, steps=10_000)
    err = info.value
    assert len(err.history) > 10 and not np.isfinite(err.history[-1])
    assert np.all(np.isfinite(err.history[:-1])) and np.all(np.isfinite(err.iterate))
    assert "diverged" in str(err)


def test_nan_loss_raises():
    with pytest.raises(ConvergenceError):
        minimize(lambda x: float("nan") if x[0] < 0.5 else float(x @ x), np.ones(2), "gd", lr=0.5,
                 grad=lambda x: 2 * x, steps=5)
    with pytest.raises(ConvergenceError, match="not finite"):
        minimize(lambda x: np.inf, np.ones(2), "gd", lr=0.5, grad=lambda x: 2 * x)


def test_tol_and_success(quad, rng):
    r = minimize(quad.f, rng.standard_normal(8), "gd", lr=1 / quad.L, grad=quad.grad, steps=10_000, tol=1e-9)
    assert r.success and r.nit < 10_000 and np.linalg.norm(r.jac) <= 1e-9
    r = minimize(quad.f, rng.standard_normal(8), "gd", lr=1e-4, grad=quad.grad, steps=5, tol=1e-9)
    assert not r.success and "tol" in r.message
    assert "OptimizeResult(success=False" in repr(r)


def test_callback_stops_and_sees_iterates(quad, rng):
    seen = []

    def cb(k, x, f):
        seen.append((k, f))
        return k == 4

    r = minimize(quad.f, rng.standard_normal(8), "adam", lr=0.1, grad=quad.grad, steps=100, callback=cb)
    assert r.nit == 5 and len(seen) == 5 and r.message == "stopped by callback"
    assert [f for _, f in seen] == list(r.history[1:])


def test_float32_kept(quad):
    x0 = np.ones(8, dtype=np.float32)
    A, b = quad.A.astype(np.float32), quad.b.astype(np.float32)
    r = minimize(lambda x: 0.5 * x @ A @ x - b @ x, x0, "adam", lr=0.01, grad=lambda x: A @ x - b, steps=10)
    assert r.x.dtype == np.float32


def test_torch_arrays(xp, quad, rng):
    A, b = xp.asarray(quad.A), xp.asarray(quad.b)
    x0 = xp.asarray(rng.standard_normal(8))
    for method in ("gd", "heavy_ball", "nesterov", "rmsprop", "adam"):
        r = minimize(lambda x: 0.5 * x @ A @ x - b @ x, x0, method, lr=0.05, grad=lambda x: A @ x - b, steps=5)
        ref = minimize(quad.f, xp.to_numpy(x0), method, lr=0.05, grad=quad.grad, steps=5)
        assert type(r.x) is type(x0)
        np.testing.assert_allclose(xp.to_numpy(r.x), ref.x, atol=1e-12)


def test_gradient_from_autodiff(quad, rng):
    A, b = quad.A, quad.b
    x0 = rng.standard_normal(8)
    r = minimize(lambda x: 0.5 * (x * (x @ A)).sum() - (x * b).sum(), x0, "gd", lr=0.1, steps=50)
    ref = minimize(quad.f, x0, "gd", lr=0.1, grad=quad.grad, steps=50)
    np.testing.assert_allclose(r.x, ref.x, atol=1e-12)


def test_bad_input(quad):
    g = quad.grad
    with pytest.raises(DomainError, match="method"):
        minimize(quad.f, np.ones(8), "bfgs", grad=g)
    with pytest.raises(DomainError, match="lr is required"):
        minimize(quad.f, np.ones(8), "gd", grad=g)
    with pytest.raises(DomainError, match="lr"):
        minimize(quad.f, np.ones(8), "gd", lr=-1.0, grad=g)
    with pytest.raises(DomainError, match="line_search"):
        minimize(quad.f, np.ones(8), "adam", line_search="armijo", grad=g)
    with pytest.raises(DomainError, match="line_search"):
        minimize(quad.f, np.ones(8), "gd", line_search="wolfe", grad=g)
    with pytest.raises(DomainError, match="x0 must be finite"):
        minimize(quad.f, np.array([np.nan] * 8), "gd", lr=0.1, grad=g)
    with pytest.raises(ShapeError, match="grad"):
        minimize(quad.f, np.ones(8), "gd", lr=0.1, grad=lambda x: np.ones(3))
    with pytest.raises(DomainError, match="steps"):
        minimize(quad.f, np.ones(8), "gd", lr=0.1, grad=g, steps=-1)
    with pytest.raises(TypeError):
        minimize(quad.f, np.ones(8), "adam", grad=g, not_an_option=1)
    with pytest.raises(TypeError, match="newton"):
        minimize(quad.f, np.ones(8), "newton", grad=g, hess=lambda x: quad.A, momentum=0.9)


def test_rosenbrock_through_autodiff_equals_explicit_gradient():
    from aimath.optim import rosenbrock, rosenbrock_grad

    x0 = np.array([-1.2, 1.0])
    a = minimize(rosenbrock, x0, "adam", lr=0.01, steps=20)  # gradient by aimath.autodiff
    b = minimize(lambda x: float(rosenbrock(x)), x0, "adam", lr=0.01, grad=rosenbrock_grad, steps=20)
    np.testing.assert_allclose(a.x, b.x, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(a.history, b.history, rtol=1e-13)
