"""Newton, Armijo, KKT solve and projected gradient against closed forms and SciPy references."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize

from aimath.errors import ConvergenceError, DomainError, ShapeError
from aimath.optim import armijo, kkt_solve, newton, newton_direction, newton_update, project_box, projected_gradient
from aimath.optim.test_functions import logistic_ridge, random_quadratic, rosenbrock, rosenbrock_grad, rosenbrock_hess


def test_newton_one_step_on_a_quadratic(rng):
    q = random_quadratic(rng, 7, 0.5, 20.0)
    x0 = rng.standard_normal(7)
    np.testing.assert_allclose(newton_update(x0, q.grad(x0), q.A), q.x_star, atol=1e-10)


def test_newton_logistic_matches_scipy(rng):
    X = rng.standard_normal((80, 5))
    y = np.sign(X @ rng.standard_normal(5) + rng.standard_normal(80))
    f, g, h = logistic_ridge(X, y, 0.1)
    r = newton(f, np.zeros(5), grad=g, hess=h)
    ref = scipy.optimize.minimize(f, np.zeros(5), jac=g, hess=h, method="trust-exact", tol=1e-14)
    assert r.success and r.nit < 10
    np.testing.assert_allclose(r.x, ref.x, atol=1e-9)


def test_newton_rosenbrock_with_line_search():
    r = newton(lambda x: float(rosenbrock(x)), np.array([-1.2, 1.0]), grad=rosenbrock_grad, hess=rosenbrock_hess,
               line_search="armijo", steps=100, tol=1e-10)
    assert r.success
    np.testing.assert_allclose(r.x, [1.0, 1.0], atol=1e-8)


def test_newton_hessian_from_autodiff(rng):
    import aimath.autodiff as ad

    r = newton(lambda x: (ad.exp(x) - 2 * x).sum(), np.zeros(3))
    np.testing.assert_allclose(r.x, np.log(2.0), atol=1e-10)


def test_newton_direction_shapes():
    with pytest.raises(ShapeError, match="Hessian"):
        newton_direction(np.ones(3), np.eye(2))
    with pytest.raises(ShapeError):
        newton_direction(np.ones((2, 2)), np.eye(2))


def test_armijo_conditions_and_errors(rng):
    q = random_quadratic(rng, 5, 1.0, 50.0)
    x = rng.standard_normal(5)
    g = q.grad(x)
    res = armijo(q.f, x, -g, g, t0=1.0, c=1e-4, shrink=0.5)
    assert res.fun <= q.f(x) - 1e-4 * res.t * g @ g
    assert res.t == 1.0 or q.f(x - 2 * res.t * g) > q.f(x) - 1e-4 * 2 * res.t * g @ g  # the larger step failed
    np.testing.assert_allclose(res.x, x - res.t * g)
    with pytest.raises(DomainError, match="descent"):
        armijo(q.f, x, g, g)
    with pytest.raises(DomainError, match="shrink"):
        armijo(q.f, x, -g, g, shrink=1.5)
    with pytest.raises(ConvergenceError):
        armijo(lambda z: np.nan, x, -g, g, max_iter=5)


def test_kkt_matches_reference(rng):
    n, m = 12, 4
    M = rng.standard_normal((n, n))
    Q = M @ M.T + np.eye(n)
    c, A, b = rng.standard_normal(n), rng.standard_normal((m, n)), rng.standard_normal(m)
    r = kkt_solve(Q, c, A, b)
    K = np.block([[Q, A.T], [A, np.zeros((m, m))]])
    ref = np.linalg.solve(K, np.concatenate([-c, b]))
    np.testing.assert_allclose(r.x, ref[:n], atol=1e-10)
    np.testing.assert_allclose(r.multipliers, ref[n:], atol=1e-10)
    assert r.stationarity < 1e-10 and r.feasibility < 1e-10


def test_kkt_indefinite_q_positive_on_nullspace():
    # min x1² − x2² s.t. x2 = 1: Q indefinite, but positive on the null space of A
    r = kkt_solve(np.diag([2.0, -2.0]), np.zeros(2), np.array([[0.0, 1.0]]), np.array([1.0]))
    np.testing.assert_allclose(r.x, [0.0, 1.0], atol=1e-14)
    np.testing.assert_allclose(r.multipliers, [2.0], atol=1e-14)


def test_kkt_torch(xp, rng):
    Q, c = np.eye(3) * 2, rng.standard_normal(3)
    A, b = np.ones((1, 3)), np.array([1.0])
    r = kkt_solve(xp.asarray(Q), xp.asarray(c), xp.asarray(A), xp.asarray(b))
    ref = kkt_solve(Q, c, A, b)
    np.testing.assert_allclose(xp.to_numpy(r.x), ref.x, atol=1e-14)


def test_kkt_bad_input():
    with pytest.raises(ShapeError, match="square"):
        kkt_solve(np.ones((2, 3)), np.ones(2), np.ones((1, 2)), np.ones(1))
    with pytest.raises(DomainError, match="symmetric"):
        kkt_solve(np.array([[1.0, 2.0], [0.0, 1.0]]), np.ones(2), np.ones((1, 2)), np.ones(1))
    with pytest.raises(ShapeError, match="columns"):
        kkt_solve(np.eye(2), np.ones(2), np.ones((1, 3)), np.ones(1))
    with pytest.raises(ShapeError, match="at most"):
        kkt_solve(np.eye(2), np.ones(2), np.ones((3, 2)), np.ones(3))
    with pytest.raises(ShapeError, match="b"):
        kkt_solve(np.eye(2), np.ones(2), np.ones((1, 2)), np.ones(2))
    with pytest.raises(DomainError):
        kkt_solve(np.eye(2), np.ones(2), np.ones((2, 2)), np.ones(2))  # rank-deficient A: singular KKT matrix


def test_projected_gradient_matches_lbfgsb(rng):
    q = random_quadratic(rng, 10, 0.5, 5.0)
    lo, hi = -0.3 * np.ones(10), 0.2 * np.ones(10)
    r = projected_gradient(q.f, np.zeros(10), lo, hi, lr=1 / q.L, grad=q.grad, steps=5000, tol=1e-11)
    ref = scipy.optimize.minimize(q.f, np.zeros(10), jac=q.grad, bounds=list(zip(lo, hi, strict=True)),
                                  method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-12})
    assert r.success
    np.testing.assert_allclose(r.x, ref.x, atol=1e-6)
    assert np.all(r.x >= lo) and np.all(r.x <= hi)


def test_project_box_and_errors():
    np.testing.assert_array_equal(project_box(np.array([-2.0, 0.5, 3.0]), -1.0, 1.0), [-1.0, 0.5, 1.0])
    with pytest.raises(DomainError, match="lower"):
        projected_gradient(lambda x: 0.0, np.zeros(2), 1.0, 0.0, lr=0.1, grad=lambda x: x)
    with pytest.raises(DomainError, match="lr"):
        projected_gradient(lambda x: 0.0, np.zeros(2), 0.0, 1.0, lr=0.0, grad=lambda x: x)
