"""Benchmarks for aimath.fokker_planck (issue 10, the Fokker–Planck part).

* 1-D Fokker–Planck of the Ornstein–Uhlenbeck process dX = −θX dt + σ dW (θ = 0.5, σ = 1) on
  [−8, 8] with 2,000 cells, from N(2, 0.5²) to t = 10, against py-pde solving the same PDE
  ``∂_t p = ½σ²∂²_x p + θ∂_x(x p)`` with its numba-compiled explicit Euler solver at its largest
  stable step (compilation excluded, done before timing). "At the same L1 error": each side's L1
  distance to the exact Gaussian density at t = 10 is measured once; aimath uses BDF2 with
  Δt = 0.03, a step whose error is at most py-pde's (checked: the run aborts otherwise). Target:
  ratio ≤ 1.
* Backward Euler (the positivity-preserving default) at Δt = 0.01 is reported beside it, with its
  error, for information.
* The tridiagonal solve alone (cyclic reduction, factored once) for 2,000 unknowns against
  ``scipy.linalg.solve_banded`` (LAPACK gtsv-style band solve, factoring each call), for information.

Run: ``.venv/bin/python benchmarks/dynamics.py [--quick] [--json build/bench/dynamics.json]``.
"""

from __future__ import annotations

import math
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import Case, main  # noqa: E402
from aimath.fokker_planck import FokkerPlanck1D, cyclic_reduction  # noqa: E402

THETA, SIGMA, L, N, T, M0, S0 = 0.5, 1.0, 8.0, 2000, 10.0, 2.0, 0.5


def _gauss(x, m, v):
    return np.exp(-((x - m) ** 2) / (2 * v)) / np.sqrt(2 * np.pi * v)


def _exact(x):
    m = M0 * math.exp(-THETA * T)
    v = S0**2 * math.exp(-2 * THETA * T) + SIGMA**2 / (2 * THETA) * -math.expm1(-2 * THETA * T)
    return _gauss(x, m, v)


def _ours(method, dt):
    fp = FokkerPlanck1D(lambda x: -THETA * x, SIGMA, (-L, L, N))
    p0 = _gauss(fp.centers, M0, S0**2)
    p0 /= np.sum(p0 * fp.widths)
    exact = _exact(fp.centers)

    def run():
        fp._factors.clear()  # time the factorisation too
        return fp.solve(p0, [0.0, T], dt=dt, method=method)[-1]

    err = float(np.sum(np.abs(run() - exact) * fp.widths))
    return run, err


def _pypde():
    try:
        import pde
    except ImportError:
        return None, None
    grid = pde.CartesianGrid([[-L, L]], [N])
    x = grid.axes_coords[0]
    h = 2 * L / N
    p0 = _gauss(x, M0, S0**2)
    p0 /= p0.sum() * h
    eq = pde.PDE({"p": f"{SIGMA**2 / 2}*laplace(p) + {THETA}*d_dx(x*p)"}, bc={"derivative": 0})
    dt = 0.9 * h * h / SIGMA**2  # explicit Euler: stable for dt ≤ h²/(2D) = h²/σ²
    state = pde.ScalarField(grid, p0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        eq.solve(state, t_range=10 * dt, dt=dt, solver="explicit", tracker=None)  # numba compile

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return eq.solve(state, t_range=T, dt=dt, solver="explicit", tracker=None).data

    err = float(np.sum(np.abs(run() - _exact(x))) * h)
    return run, err


def cases(quick: bool) -> list[Case]:
    out = []
    ref, ref_err = _pypde()
    bdf2, bdf2_err = _ours("bdf2", 0.03)
    if ref_err is not None and not bdf2_err <= ref_err:
        raise SystemExit(f"aimath's L1 error {bdf2_err:.3g} exceeds py-pde's {ref_err:.3g}: not the same accuracy")
    note = f"L1 error at t=10: aimath {bdf2_err:.2g} (BDF2, dt=0.03)"
    note += f", py-pde {ref_err:.2g} (explicit Euler, dt=0.9h²/σ²)" if ref_err is not None else ", py-pde unavailable"
    out.append(Case("FP 1-D OU, 2000 cells, t=10, same L1 error", bdf2, ref, reference_name="py-pde explicit",
                    target=1.0, note=note))
    be, be_err = _ours("backward_euler", 0.01)
    out.append(Case("FP 1-D OU, 2000 cells, t=10, backward Euler dt=0.01", be, None,
                    note=f"L1 error at t=10: aimath {be_err:.2g} (positivity-preserving backward Euler; "
                         f"not the same accuracy, for information)"))
    rng = np.random.default_rng(0)
    a, c = -rng.uniform(0, 1, N), -rng.uniform(0, 1, N)
    b = 2.5 + rng.uniform(0, 1, N)
    d = rng.standard_normal(N)
    f = cyclic_reduction(a, b, c)
    try:
        from scipy.linalg import solve_banded

        ab = np.stack([np.concatenate([[0], c[:-1]]), b, np.concatenate([a[1:], [0]])])
        reference = lambda: solve_banded((1, 1), ab, d)  # noqa: E731
    except ImportError:  # pragma: no cover
        reference = None
    out.append(Case("tridiagonal solve, n=2000 (factored cyclic reduction)", lambda: f.solve(d), reference,
                    reference_name="scipy solve_banded"))
    return out


if __name__ == "__main__":
    main("dynamics", cases)
