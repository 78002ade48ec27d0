"""B20 theorems: ODE solver orders, GD as the Euler scheme of gradient flow, the modified equation,
the Nesterov ODE, the heavy-ball ODE rate, SGD's stationary variance, ResNets as Euler steps."""

from __future__ import annotations

import numpy as np
from scipy.special import j1

from aimath.limits.flows import flow_vs_gd, heavy_ball_ode, nesterov_ode, nesterov_trajectory, resnet_euler
from aimath.limits.odeint import odeint
from aimath.limits.sgd import sgd_iterates, sgd_stationary_variance
from aimath.theorems import Evidence, fit_line, theorem


def _convex_problem(rng, d=3):
    """f(x) = ½ xᵀAx + Σ log cosh(x_i): smooth, strongly convex, not quadratic."""
    Q = _orthogonal(rng, d)
    A = Q @ np.diag(rng.uniform(0.5, 3.0, d)) @ Q.T

    def grad(x):
        return x @ A + np.tanh(x)

    def hess(x):
        return A + (1 - np.tanh(x) ** 2)[..., :, None] * np.eye(d)

    return grad, hess, rng.standard_normal(d) * 2


def _orthogonal(rng, d):
    Q = np.eye(d)
    for _ in range(d):
        v = rng.standard_normal(d)
        v /= np.sqrt(v @ v)
        Q = Q - 2 * np.outer(Q @ v, v)
    return Q


@theorem("B20.ode-solver-orders", "Euler, Heun and RK4 converge at orders 1, 2, 4; Dormand–Prince meets its tolerance")
def solver_orders(rng):
    # Riccati equation y' = 1 + y², solved by tan(t + c): a non-linear test with a closed form
    c = rng.uniform(-0.6, -0.4)
    f = lambda t, y: 1.0 + y * y  # noqa: E731
    ts = np.linspace(0.0, 1.0, 9)
    exact = np.tan(ts + c)[:, None]
    y0 = np.array([np.tan(c)])
    parts = {}
    for method, order in (("euler", 1), ("heun", 2), ("rk4", 4)):
        # steps that divide each output interval exactly; the error is the largest along the path
        hs = 0.125 / (8 * 2.0 ** np.arange(4))
        errs = [np.abs(odeint(f, y0, ts, method=method, step_size=h) - exact).max() for h in hs]
        parts[method] = Evidence.slope(hs, errs, order, 0.1)
    parts["rk45"] = Evidence.close(odeint(f, y0, ts, rtol=1e-10, atol=1e-12), exact, rtol=1e-8)
    return Evidence.all(**parts)


@theorem("B20.gd-flow-order", "GD with step η stays within O(η) of the gradient flow on [0, T]: error slope 1 ± 0.1")
def gd_flow(rng):
    grad, _, x0 = _convex_problem(rng)
    etas = np.array([0.04, 0.02, 0.01, 0.005])
    return Evidence.slope(etas, flow_vs_gd(grad, x0, etas, T=2.0), 1.0, 0.1)


@theorem("B20.modified-equation-order",
         "GD follows the modified flow ẋ = −∇(f + η‖∇f‖²/4) to O(η²): error slope 2 ± 0.2")
def modified_equation(rng):
    grad, hess, x0 = _convex_problem(rng)
    etas = np.array([0.04, 0.02, 0.01, 0.005])
    return Evidence.slope(etas, flow_vs_gd(grad, x0, etas, T=2.0, hess_f=hess, modified=True), 2.0, 0.2)


@theorem("B20.nesterov-ode",
         "ẍ + (3/t)ẋ + ∇f = 0: Bessel solution on quadratics, Nesterov iterates track X(k√s) as s → 0, "
         "and f(X(t)) − f* ≤ 2‖x₀ − x*‖²/t²")
def nesterov(rng):
    lam = rng.uniform(0.05, 2.0, 3)
    x0 = rng.standard_normal(3)
    grad = lambda x: lam * x  # noqa: E731
    ts = np.linspace(0.0, 12.0, 241)
    X = nesterov_ode(grad, x0, ts)
    r = np.sqrt(lam) * ts[1:, None]
    bessel = 2 * j1(r) / r * x0
    T = 6.0
    ss = np.array([1e-2, 1e-3, 1e-4, 1e-5])
    track = []
    for s in ss:
        K = int(round(T / np.sqrt(s)))
        xs = nesterov_trajectory(grad, x0, s, K)
        track.append(np.abs(xs - nesterov_ode(grad, x0, np.arange(K + 1) * np.sqrt(s))).max())
    # the O(1/t²) bound on a convex, non-quadratic f: logistic-type loss plus a flat direction
    a = rng.standard_normal((20, 2))
    f = lambda x: np.mean(np.logaddexp(0, -(x @ a.T)), axis=-1) + 0.01 * np.sum(x**2, -1)  # noqa: E731

    def grad_f(x):
        z = x @ a.T
        return (-(1 / (1 + np.exp(z))) @ a) / a.shape[0] + 0.02 * x

    xstar = nesterov_ode(grad_f, np.zeros(2), np.linspace(0, 400.0, 3))[-1]
    y0 = rng.standard_normal(2) * 3
    tt = np.linspace(0.0, 30.0, 301)
    Y = nesterov_ode(grad_f, y0, tt)
    gap = (f(Y[1:]) - f(xstar)) * tt[1:] ** 2 / (2 * np.sum((y0 - xstar) ** 2))
    return Evidence.all(
        bessel=Evidence.close(X[1:], bessel, atol=1e-8),
        tracking=Evidence.slope(ss, np.array(track), 0.5, 0.1, note="max |x_k − X(k√s)| on [0, 6] ∝ √s"),
        rate=Evidence.bound(float(gap.max()), 1.0, note="max_t t²(f(X)−f*)/(2‖x₀−x*‖²)"),
    )


@theorem("B20.heavy-ball-ode-rate",
         "the heavy-ball ODE ẍ + aẋ + λx = 0 decays at rate (a − √(a² − 4λ_min))/2 (overdamped), ± 5 %")
def heavy_ball_rate(rng):
    lam = np.sort(rng.uniform(0.2, 2.0, 3))
    a = 1.5 * 2 * np.sqrt(lam[-1])  # overdamped in every mode
    rho = np.min((a - np.sqrt(a**2 - 4 * lam)) / 2)
    z0 = np.concatenate([rng.standard_normal(3), np.zeros(3)])
    ts = np.linspace(0.0, 60.0, 601)
    Z = odeint(heavy_ball_ode(lambda x: lam * x, a), z0, ts, rtol=1e-11, atol=1e-14)
    norm = np.sqrt(np.sum(Z[:, :3] ** 2, axis=1))
    keep = ts >= 30.0
    slope = fit_line(ts[keep], np.log(norm[keep]))[0]
    return Evidence.close(-slope, rho, rtol=0.05, note="fitted decay rate of ‖x(t)‖ on t ∈ [30, 60]")


@theorem("B20.sgd-stationary-variance",
         "SGD on λx²/2 with gradient noise σ² has stationary variance ησ²/(λ(2−ηλ)) ± 3 %")
def sgd_variance(rng):
    lam, sigma2 = rng.uniform(0.5, 2.0), rng.uniform(0.5, 2.0)
    eta = rng.uniform(0.2, 0.8) / lam  # ηλ in [0.2, 0.8]
    burn = int(np.ceil(40 / (eta * lam)))  # (1 − ηλ)^(2·burn) < e^(−80)
    xs = sgd_iterates(lambda x: lam * x, np.zeros(1), eta, burn, sigma2, rng, n_chains=200_000, save_every=burn)
    measured = float(np.var(xs[-1]))
    expected = sgd_stationary_variance(lam, eta, sigma2)
    return Evidence.close(measured, expected, rtol=0.03,
                          note=f"ηλ = {eta * lam:.2f}; the SDE's ησ²/(2λ) = {eta * sigma2 / (2 * lam):.4g}")


@theorem("B20.resnet-euler", "a depth-L residual network x ↦ x + (T/L)F(t, x) converges to the ODE flow: error slope 1")
def resnet(rng):
    W = rng.standard_normal((4, 4)) / 2
    b = rng.standard_normal(4) / 2
    field = lambda t, x: np.tanh(x @ W.T + b * np.cos(t))  # noqa: E731
    x0 = rng.standard_normal((8, 4))
    X1 = odeint(field, x0, np.array([0.0, 1.0]), rtol=1e-12, atol=1e-14)[-1]
    depths = np.array([16, 32, 64, 128])
    errs = [np.abs(resnet_euler(field, x0, L) - X1).max() for L in depths]
    return Evidence.slope(1.0 / depths, errs, 1.0, 0.1)
