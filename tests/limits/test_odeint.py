"""B20 ODE solvers against closed forms and SciPy's solve_ivp."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from aimath.errors import ConvergenceError, DomainError
from aimath.limits import dormand_prince_step, odeint


def lotka_volterra(t, z):
    x, y = z[..., 0], z[..., 1]
    return np.stack([1.1 * x - 0.4 * x * y, 0.1 * x * y - 0.4 * y], axis=-1)


def test_rk45_matches_solve_ivp():
    ts = np.linspace(0, 15, 31)
    z0 = np.array([10.0, 5.0])
    ours = odeint(lotka_volterra, z0, ts, rtol=1e-10, atol=1e-12)
    ref = solve_ivp(lotka_volterra, (0, 15), z0, method="DOP853", t_eval=ts, rtol=1e-12, atol=1e-12).y.T
    np.testing.assert_allclose(ours, ref, rtol=1e-8)


def test_batched_initial_conditions(rng):
    z0 = rng.uniform(1, 10, (5, 2))
    ts = np.linspace(0, 3, 4)
    batch = odeint(lotka_volterra, z0, ts, rtol=1e-10, atol=1e-12)
    assert batch.shape == (4, 5, 2)
    for i in range(5):
        np.testing.assert_allclose(batch[:, i], odeint(lotka_volterra, z0[i], ts, rtol=1e-10, atol=1e-12), rtol=1e-7)


def test_dormand_prince_local_error_is_sixth_order():
    # y' = 1 + y², y = tan(t + c). A fifth-order step has local error O(h⁶); Dormand–Prince's
    # small leading constant makes the observed slope approach 6 from above (a fourth-order
    # propagation would show 5).
    f = lambda t, y: 1 + y * y  # noqa: E731
    hs = 0.2 / 2.0 ** np.arange(3)
    errs = []
    for h in hs:
        y, err_est, _ = dormand_prince_step(f, 0.0, np.array([np.tan(0.5)]), h)
        errs.append(abs(y[0] - np.tan(0.5 + h)))
        assert abs(err_est[0]) > errs[-1]  # the embedded estimate (4th order) bounds the 5th-order error
    slope = np.diff(np.log(errs)) / np.diff(np.log(hs))
    assert np.all(slope > 5.7) and np.all(slope < 7.0)


@pytest.mark.parametrize("method,rtol", [("euler", 1e-2), ("heun", 1e-4), ("rk4", 1e-9), ("rk45", 1e-6)])
def test_torch_and_float32(method, rtol, xp):
    y0 = xp.asarray(np.array([1.0, 2.0]))
    ys = odeint(lambda t, y: -y, y0, np.linspace(0, 1, 3), method=method, step_size=0.01)
    assert type(ys) is type(y0)
    np.testing.assert_allclose(xp.to_numpy(ys[-1]), np.exp(-1) * np.array([1.0, 2.0]), rtol=rtol)
    y32 = odeint(lambda t, y: -y, np.ones(2, np.float32), np.array([0.0, 1.0]), method=method, rtol=1e-5)
    assert y32.dtype == np.float32


def test_bad_input():
    f = lambda t, y: -y  # noqa: E731
    with pytest.raises(DomainError, match="ts must be finite and strictly increasing"):
        odeint(f, np.ones(1), np.array([0.0, 1.0, 0.5]))
    with pytest.raises(ValueError, match="method must be one of"):
        odeint(f, np.ones(1), np.array([0.0, 1.0]), method="rk3")
    with pytest.raises(DomainError, match="y0 must be finite"):
        odeint(f, np.array([np.nan]), np.array([0.0, 1.0]))
    with pytest.raises(DomainError, match="step_size must be positive"):
        odeint(f, np.ones(1), np.array([0.0, 1.0]), method="euler", step_size=-1.0)
    with pytest.raises(ConvergenceError, match="non-finite"), np.errstate(over="ignore", invalid="ignore"):
        odeint(lambda t, y: y**2, np.ones(1), np.array([0.0, 2.0]), method="rk4", step_size=0.1)
    with pytest.raises(ConvergenceError):  # blow-up at t = 1
        odeint(lambda t, y: y**2, np.ones(1), np.array([0.0, 2.0]), max_steps=10_000)
