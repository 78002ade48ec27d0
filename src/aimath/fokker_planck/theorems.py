"""B21 Fokker–Planck theorems: conservation, positivity, Gibbs steady states, agreement with
particles and with the Ornstein–Uhlenbeck transition density (at the scheme's order), the L²
decay rate θ, free-energy decay, and 2-D splitting against products of 1-D solutions."""

from __future__ import annotations

import math
import warnings

import numpy as np

from aimath.errors import NumericalWarning
from aimath.fokker_planck.fp1d import FokkerPlanck1D
from aimath.fokker_planck.fp2d import FokkerPlanck2D
from aimath.theorems import Evidence, theorem


def _coarse(cls, *args, **kw):
    """Build an equation on a deliberately coarse grid (the Péclet warning is expected there)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NumericalWarning)
        return cls(*args, **kw)


def _gaussian_density(x, mean, var):
    return np.exp(-((x - mean) ** 2) / (2 * var)) / math.sqrt(2 * math.pi * var)


def _normalised(p, widths):
    return p / np.sum(p * widths)


def _random_coefficients(rng):
    """A smooth random drift and diffusion (periodic on [0, 2π])."""
    a, c = rng.uniform(-2, 2, 3), rng.uniform(-0.4, 0.4, 2)
    s0 = rng.uniform(0.5, 1.2)

    def drift(x):
        return a[0] + a[1] * np.sin(x) + a[2] * np.cos(2 * x)

    def diffusion(x):
        return s0 * (1 + c[0] * np.sin(x) + c[1] * np.cos(3 * x))
    return drift, diffusion


def _tilted_double_well(rng):
    c = rng.uniform(-0.3, 0.3)
    beta = rng.uniform(1.5, 2.5)

    def U(x):  # works on arrays and on autodiff Tensors
        return (x * x - 1) * (x * x - 1) + c * x
    return U, beta, c


@theorem("B21.fp-mass-conservation",
         "The finite-volume Fokker–Planck scheme conserves mass: |∑ p w − 1| ≤ 1e-12 at every step "
         "(1-D no-flux and periodic, 2-D), for random coefficients, initial densities and step sizes")
def mass_conservation(rng):
    worst = {}
    for boundary in ("no-flux", "periodic"):
        drift, diffusion = _random_coefficients(rng)
        fp = _coarse(FokkerPlanck1D, drift, diffusion, (0.0, 2 * math.pi, int(rng.integers(50, 300))), boundary)
        p0 = _normalised(rng.uniform(0, 1, fp.widths.size), fp.widths)
        ts = np.cumsum(rng.uniform(0.01, 0.5, 40))
        P = fp.solve(p0, np.concatenate([[0.0], ts]), dt=float(rng.uniform(1e-3, 0.1)))
        worst[f"1d-{boundary}"] = float(np.max(np.abs(np.sum(P * fp.widths, axis=1) - 1)))
    a = rng.uniform(-1, 1, 2)
    fp2 = _coarse(FokkerPlanck2D, lambda x, y: (a[0] - x + 0.5 * np.sin(y), a[1] - y + 0.5 * np.cos(x)),
                  lambda x, y: (0.8 + 0.2 * np.cos(y), 0.9 + 0.2 * np.sin(x)), ((-4, 4, 40), (-4, 4, 50)))
    p0 = _normalised(rng.uniform(0, 1, fp2.widths.shape), fp2.widths)
    P = fp2.solve(p0, np.linspace(0, 2, 21), dt=0.05)
    worst["2d"] = float(np.max(np.abs(np.sum(P * fp2.widths, axis=(1, 2)) - 1)))
    return Evidence.bound(np.array(list(worst.values())), 1e-12,
                          note="max |mass − 1|: " + ", ".join(f"{k}={v:.2g}" for k, v in worst.items()))


@theorem("B21.fp-positivity",
         "Backward Euler with Scharfetter–Gummel fluxes keeps densities non-negative for any time step, even "
         "from a density with zeros and on grids that do not resolve the drift (cell Péclet ≫ 2)")
def positivity(rng):
    mins = []
    for n, dt in ((25, 1.0), (200, 1e-3), (60, 0.05)):
        k = rng.uniform(5, 20)
        fp = _coarse(FokkerPlanck1D, lambda x, k=k: -k * x * (x * x - 1), rng.uniform(0.2, 1.0), (-2.0, 2.0, n))
        p0 = np.zeros(n)
        i = int(rng.integers(0, n - 3))
        p0[i:i + 3] = 1.0
        p0 = _normalised(p0, fp.widths)
        P = fp.solve(p0, np.linspace(0, 3, 31), dt=dt)
        mins.append(float(P.min()))
    return Evidence.bound(np.array(mins), 0.0, kind=">=", note="min density over all times, three grids")


@theorem("B21.fp-double-well-gibbs",
         "The Fokker–Planck density of dX = −U′dt + √(2/β)dW in a tilted double well converges to the Gibbs "
         "density ∝ e^{−βU}: L1 distance ≤ 1e-3 (drift −U′ by autodiff; Gibbs normalised by quadrature)")
def double_well_gibbs(rng):
    U, beta, _ = _tilted_double_well(rng)
    from aimath.autodiff import grad

    dU = grad(lambda x: U(x).sum())
    fp = FokkerPlanck1D(lambda x: -dU(x), math.sqrt(2 / beta), (-2.2, 2.2, 400))
    p0 = _normalised(_gaussian_density(fp.centers, rng.uniform(-1.2, 1.2), 0.05), fp.widths)
    P = fp.solve(p0, [0.0, 80.0], dt=0.2)
    fine = np.linspace(-2.2, 2.2, 200_001)  # Gibbs normaliser by the trapezoid rule, independent of the grid
    w = np.exp(-beta * U(fine))
    Z = float(np.sum((w[1:] + w[:-1]) / 2) * (fine[1] - fine[0]))
    gibbs = np.exp(-beta * U(fp.centers)) / Z
    l1_time = float(np.sum(np.abs(P[-1] - gibbs) * fp.widths))
    l1_stat = float(np.sum(np.abs(fp.stationary() - gibbs) * fp.widths))
    return Evidence.all(
        time_marched=Evidence.bound(l1_time, 1e-3, note=f"‖p(80) − Gibbs‖₁ (β={beta:.2f})"),
        stationary=Evidence.bound(l1_stat, 1e-3, note="‖stationary() − Gibbs‖₁"),
    )


@theorem("B21.fp-particles",
         "Histograms of 150 000 Euler–Maruyama particles (aimath.sde.sdeint, Δt = 0.0025) in a tilted double well "
         "stay within L1 0.02 of the Fokker–Planck density at t = 0.1, 0.2, 0.5")
def particles(rng):
    from aimath.sde import SDE, sdeint

    U, beta, c = _tilted_double_well(rng)
    s = math.sqrt(2 / beta)
    m0, s0 = rng.uniform(-0.5, 0.5), rng.uniform(0.2, 0.4)
    fp = FokkerPlanck1D.langevin(U, beta, (-2.2, 2.2, 440))
    p0 = _normalised(_gaussian_density(fp.centers, m0, s0**2), fp.widths)
    P = fp.solve(p0, [0.0, 0.1, 0.2, 0.5], dt=1e-3)
    sde = SDE(lambda t, x: -(4 * x * (x * x - 1) + c), lambda t, x: s + 0 * x,
              diffusion_derivative=lambda t, x: 0 * x)
    n = 150_000
    x0 = m0 + s0 * rng.standard_normal((n, 1))
    X = sdeint(sde, x0, np.linspace(0, 0.5, 201), rng=rng, save_every=40)[:, :, 0]  # t = 0, .1, .2, .3, .4, .5
    X = X[[0, 1, 2, 5]]
    edges = fp.faces[::40]  # 11 bins of 40 cells (width 0.4)
    l1, floor = [], []
    for k in range(1, 4):
        counts = np.histogram(np.clip(X[k], -2.2, 2.2), bins=edges)[0] / n
        mass = (P[k] * fp.widths).reshape(-1, 40).sum(axis=1)
        l1.append(float(np.sum(np.abs(counts - mass))))
        floor.append(math.sqrt(2 / (math.pi * n)) * float(np.sum(np.sqrt(mass * (1 - mass)))))
    return Evidence.bound(np.array(l1), 0.02, note=f"L1(histogram, PDE) at t = 0.1, 0.2, 0.5 (Monte Carlo noise floor "
                                                   f"≈ {max(floor):.4f})")


@theorem("B21.fp-ou-transition-order",
         "The scheme matches the Ornstein–Uhlenbeck transition density N(μ + (x₀−μ)e^{−θt}, s₀²e^{−2θt} + "
         "σ²(1−e^{−2θt})/2θ), with L1 error falling at order 2 in h (Δt ∝ h²)")
def ou_order(rng):
    from aimath.sde import OrnsteinUhlenbeck

    theta, mu, sigma = rng.uniform(0.5, 2.0), rng.uniform(-0.5, 0.5), rng.uniform(0.5, 1.5)
    ou = OrnsteinUhlenbeck(theta, mu, sigma)
    sd = math.sqrt(ou.stationary().var)
    x0, s0, T = mu + rng.uniform(-2, 2) * sd, 0.4 * sd, 0.5 / theta
    L = 9 * sd
    hs, errs = [], []
    for n in (40, 80, 160, 320):
        fp = _coarse(FokkerPlanck1D, lambda x: theta * (mu - x), sigma, (mu - L, mu + L, n))
        p0 = _normalised(_gaussian_density(fp.centers, x0, s0**2), fp.widths)
        P = fp.solve(p0, [0.0, T], dt=0.5 * fp.h**2 / (sigma**2 / 2))
        m = mu + (x0 - mu) * math.exp(-theta * T)
        v = s0**2 * math.exp(-2 * theta * T) + ou.stationary().var * -math.expm1(-2 * theta * T)
        errs.append(float(np.sum(np.abs(P[-1] - _gaussian_density(fp.centers, m, v)) * fp.widths)))
        hs.append(fp.h)
    return Evidence.all(order=Evidence.slope(hs, errs, 2.0, 0.15),
                        finest=Evidence.bound(errs[-1], 2e-3, note="L1 error on the finest grid"))


@theorem("B21.fp-ou-decay-rate",
         "For the OU process the L²(1/p∞) distance to equilibrium decays at rate θ: fitted rate within 10 %")
def ou_decay(rng):
    theta, sigma = rng.uniform(0.5, 2.0), rng.uniform(0.5, 1.5)
    var = sigma**2 / (2 * theta)
    sd = math.sqrt(var)
    fp = FokkerPlanck1D(lambda x: -theta * x, sigma, (-9 * sd, 9 * sd, 300))
    p0 = _normalised(_gaussian_density(fp.centers, rng.choice([-1, 1]) * rng.uniform(1, 2) * sd,
                                       var * rng.uniform(0.5, 1.5)), fp.widths)
    ts = np.linspace(1.0, 4.0, 13) / theta
    P = fp.solve(p0, np.concatenate([[0.0], ts]), dt=0.01 / theta)[1:]
    pinf = fp.stationary()
    dist = np.sqrt(np.sum((P - pinf) ** 2 / pinf * fp.widths, axis=1))
    rate = -np.polyfit(ts, np.log(dist), 1)[0]
    return Evidence.close(rate, theta, rtol=0.10, note="fitted decay rate of ‖p(t) − p∞‖_{L²(1/p∞)} vs θ")


@theorem("B21.fp-free-energy-monotone",
         "The free energy F(p) = ∫U p + β⁻¹∫p log p never increases along the scheme and tends to −β⁻¹ log Z; "
         "for general drift KL(p ‖ p∞) never increases")
def free_energy(rng):
    U, beta, _ = _tilted_double_well(rng)
    fp = FokkerPlanck1D.langevin(U, beta, (-2.2, 2.2, 300))
    p0 = _normalised(rng.uniform(0, 1, 300) * _gaussian_density(fp.centers, rng.uniform(-1, 1), 0.3), fp.widths)
    P = fp.solve(p0, np.linspace(0, 40, 401), dt=0.05)
    F = fp.free_energy(P)
    Uc = U(fp.centers)
    logZ = float(np.log(np.sum(np.exp(-beta * Uc) * fp.widths)))
    drift, diffusion = _random_coefficients(rng)
    fpg = _coarse(FokkerPlanck1D, drift, diffusion, (0, 2 * math.pi, 200), "periodic")
    pg = fpg.solve(_normalised(rng.uniform(0, 1, 200), fpg.widths), np.linspace(0, 5, 101), dt=0.01)
    K = fpg.free_energy(pg)
    slack = 1e-12
    return Evidence.all(
        langevin_monotone=Evidence.bound(float(np.max(np.diff(F))), slack, note="max F(t_{k+1}) − F(t_k)"),
        general_monotone=Evidence.bound(float(np.max(np.diff(K))), slack, note="max KL increase, periodic drift"),
        limit=Evidence.close(F[-1], -logZ / beta, rtol=0, atol=1e-6, note="F(40) vs −β⁻¹ log Z"),
    )


@theorem("B21.fp-2d-separable",
         "For separable drift and diffusion the 2-D split scheme equals the product of the 1-D solutions "
         "(to 1e-12), and a 2-D Langevin density converges to the Gibbs density ∝ e^{−βU}")
def separable_2d(rng):
    t1, t2 = rng.uniform(0.5, 2, 2)
    s1, s2 = rng.uniform(0.6, 1.2, 2)
    f1 = _coarse(FokkerPlanck1D, lambda x: -t1 * x, s1, (-4, 4, 60))
    f2 = _coarse(FokkerPlanck1D, lambda y: -t2 * (y - 0.5) + 0.3 * np.sin(y), s2, (-3, 4, 50))
    f = _coarse(FokkerPlanck2D, lambda x, y: (-t1 * x + 0 * y, -t2 * (y - 0.5) + 0.3 * np.sin(y) + 0 * x), (s1, s2),
                       ((-4, 4, 60), (-3, 4, 50)))
    p1 = _normalised(rng.uniform(0, 1, 60) * _gaussian_density(f1.centers, 1, 0.5), f1.widths)
    p2 = _normalised(rng.uniform(0, 1, 50) * _gaussian_density(f2.centers, 0, 0.5), f2.widths)
    ts = [0.0, 0.3, 1.0]
    P = f.solve(np.outer(p1, p2), ts, dt=0.02)
    Q = f1.solve(p1, ts, dt=0.02)[:, :, None] * f2.solve(p2, ts, dt=0.02)[:, None, :]
    a = rng.uniform(-0.5, 0.5)
    beta = rng.uniform(1, 2)
    g = _coarse(FokkerPlanck2D.langevin, lambda x, y: (x * x - 1) ** 2 + 0.5 * (y - a * x) ** 2, beta,
                                ((-2.2, 2.2, 60), (-4, 4, 60)))
    X, Y = np.meshgrid(*g.centers, indexing="ij")
    q0 = _normalised(np.exp(-((X - 1) ** 2 + Y**2) / 0.2), g.widths)
    Pg = g.solve(q0, [0.0, 60.0], dt=0.2)[-1]
    gibbs = np.exp(-beta * ((X * X - 1) ** 2 + 0.5 * (Y - a * X) ** 2))
    gibbs /= np.sum(gibbs * g.widths)
    return Evidence.all(
        product=Evidence.close(P, Q, rtol=0, atol=1e-12 * float(np.max(Q))),
        gibbs=Evidence.bound(float(np.sum(np.abs(Pg - gibbs) * g.widths)), 1e-3, note="2-D ‖p(60) − Gibbs‖₁"),
    )


@theorem("B21.fp-2d-stationary",
         "For a gradient drift −∇U given as a plain drift field, the 2-D scheme's stationary density (null vector "
         "of A_x + A_y by ADI iteration) is within L1 1e-3 of the Gibbs density ∝ e^{−βU}")
def stationary_2d(rng):
    a, k, beta = rng.uniform(-0.5, 0.5), rng.uniform(0.5, 1.5), rng.uniform(1.0, 2.0)

    def U(x, y):
        return (x * x - 1) ** 2 + 0.5 * k * (y - a * x) ** 2

    def drift(x, y):
        return -(4 * x * (x * x - 1) - a * k * (y - a * x)), -k * (y - a * x)

    fp = _coarse(FokkerPlanck2D, drift, math.sqrt(2 / beta), ((-2.1, 2.1, 110), (-4, 4, 60)))
    p = fp.stationary()
    X, Y = np.meshgrid(*fp.centers, indexing="ij")
    g = np.exp(-beta * U(X, Y))
    g /= np.sum(g * fp.widths)
    return Evidence.bound(float(np.sum(np.abs(p - g) * fp.widths)), 1e-3,
                          note=f"‖stationary() − Gibbs‖₁ (β={beta:.2f}, k={k:.2f}, a={a:.2f})")


@theorem("B21.fp-time-order",
         "In time, backward Euler is first order and variable-step BDF2 second order: fitted slopes of the L1 "
         "error against Δt (reference: the same grid with Δt/16 by BDF2) are 1 and 2 (± 0.15)")
def time_order(rng):
    theta, sigma = rng.uniform(0.5, 2.0), rng.uniform(0.5, 1.5)
    sd = sigma / math.sqrt(2 * theta)
    fp = _coarse(FokkerPlanck1D, lambda x: -theta * x, sigma, (-8 * sd, 8 * sd, 120))
    p0 = _normalised(_gaussian_density(fp.centers, rng.uniform(-2, 2) * sd, (0.5 * sd) ** 2), fp.widths)
    T = 1.0 / theta
    dts = T * np.array([0.08, 0.04, 0.02, 0.01])
    ref = fp.solve(p0, [0.0, T], dt=dts[-1] / 16, method="bdf2")[-1]
    errs = {m: [float(np.sum(np.abs(fp.solve(p0, [0.0, T], dt=dt, method=m)[-1] - ref) * fp.widths)) for dt in dts]
            for m in ("backward_euler", "bdf2")}
    return Evidence.all(backward_euler=Evidence.slope(dts, errs["backward_euler"], 1.0, 0.15),
                        bdf2=Evidence.slope(dts, errs["bdf2"], 2.0, 0.15))
