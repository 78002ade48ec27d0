import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimath.errors import DomainError, NumericalWarning, ShapeError
from aimath.fokker_planck import FokkerPlanck1D, bernoulli, relative_entropy, sg_generator
from aimath.sde import OrnsteinUhlenbeck


def gauss(x, m, v):
    return np.exp(-((x - m) ** 2) / (2 * v)) / math.sqrt(2 * math.pi * v)


def norm(p, w):
    return p / np.sum(p * w)


def dense(fp):
    lower, diag, upper = fp.generator_diagonals()
    A = np.diag(diag) + np.diag(lower[1:], -1) + np.diag(upper[:-1], 1)
    if fp.boundary == "periodic":
        A[0, -1] += lower[0]
        A[-1, 0] += upper[-1]
    return A


def textbook_rhs(fp, p):
    """dp_i/dt = (J_{i-1/2} - J_{i+1/2})/h with the Scharfetter–Gummel flux, face by face."""
    n, h = fp.grid[2], fp.h
    q = fp.D * p
    J = np.zeros(n + 1)  # J[f] is the flux through face f (faces 0 and n are the walls)
    for f in range(1, n):
        phi = h * fp.drift(fp.faces[f]) / (0.5 * fp.diffusion(fp.faces[f]) ** 2)
        b_minus, b_plus = (-phi / math.expm1(-phi), phi / math.expm1(phi)) if phi else (1.0, 1.0)  # B(−φ), B(φ)
        J[f] = (b_minus * q[f - 1] - b_plus * q[f]) / h
    return (J[:-1] - J[1:]) / h


def periodic_eq(n=64):
    return FokkerPlanck1D(lambda x: 1 + 0.5 * np.sin(x), lambda x: 1 + 0.3 * np.cos(x), (0, 2 * np.pi, n), "periodic")


def test_grid_attributes():
    fp = FokkerPlanck1D(lambda x: -x, 1.0, (-2, 2, 8))
    np.testing.assert_allclose(fp.faces, np.linspace(-2, 2, 9))
    np.testing.assert_allclose(fp.centers, np.linspace(-1.75, 1.75, 8))
    np.testing.assert_allclose(fp.widths, 0.5)
    assert "FokkerPlanck1D" in repr(fp) and "no-flux" in repr(fp)


def test_bernoulli():
    z = np.array([-30.0, -2.0, -1e-3, 1e-3, 0.5, 3.0, 40.0, 800.0])
    with np.errstate(over="ignore"):
        np.testing.assert_allclose(bernoulli(z), z / np.expm1(z), rtol=1e-12)
    w = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(bernoulli(-w), bernoulli(w) + w, rtol=1e-12, atol=1e-15)
    assert bernoulli(np.array([0.0]))[0] == 1.0
    assert np.all(np.isfinite(bernoulli(np.array([-800.0, 800.0]))))


@pytest.mark.parametrize("boundary", ["no-flux", "periodic"])
def test_generator_is_conservative_and_metzler(boundary):
    fp = periodic_eq() if boundary == "periodic" else FokkerPlanck1D(lambda x: np.sin(3 * x) - x,
                                                                       lambda x: 1 + 0.2 * x * x, (-3, 3, 50))
    A = dense(fp)
    np.testing.assert_allclose(A.sum(axis=0), 0, atol=1e-11)
    assert (A - np.diag(np.diag(A))).min() >= 0
    p = np.random.default_rng(0).uniform(0, 1, fp.widths.size)
    np.testing.assert_allclose(fp.apply(p), A @ p, rtol=1e-12, atol=1e-12)


def test_fast_generator_equals_textbook_flux():
    fp = FokkerPlanck1D(lambda x: np.sin(3 * x) - x, lambda x: 1 + 0.2 * x * x, (-3, 3, 40))
    p = np.random.default_rng(1).uniform(0, 1, 40)
    np.testing.assert_allclose(fp.apply(p), textbook_rhs(fp, p), rtol=1e-12, atol=1e-12)


def test_sg_generator_shape_check():
    with pytest.raises(ShapeError, match="faces"):
        sg_generator(np.zeros(5), np.ones(5), 0.1, "no-flux")


def test_step_is_backward_euler():
    fp = periodic_eq(40)
    p = norm(np.random.default_rng(2).uniform(0, 1, 40), fp.widths)
    ref = np.linalg.solve(np.eye(40) - 0.3 * dense(fp), p)
    np.testing.assert_allclose(fp.step(p, 0.3), ref, rtol=1e-12)
    P = fp.solve(p, [0.0, 0.3, 0.9], dt=0.3)
    np.testing.assert_allclose(P[2], np.linalg.solve(np.eye(40) - 0.3 * dense(fp), np.linalg.solve(
        np.eye(40) - 0.3 * dense(fp), ref)), rtol=1e-12)


def test_ou_transition_density():
    theta, sigma, x0, s0, T = 1.3, 0.8, 1.0, 0.2, 0.7
    ou = OrnsteinUhlenbeck(theta, 0.0, sigma)
    fp = FokkerPlanck1D(lambda x: -theta * x, sigma, (-4, 4, 240))
    p0 = norm(gauss(fp.centers, x0, s0**2), fp.widths)
    P = fp.solve(p0, [0.0, T], dt=2e-4)
    m = x0 * math.exp(-theta * T)
    v = s0**2 * math.exp(-2 * theta * T) + ou.stationary().var * (1 - math.exp(-2 * theta * T))
    assert np.sum(np.abs(P[-1] - gauss(fp.centers, m, v)) * fp.widths) < 1e-3
    # from (almost) a point mass: the aimath.sde closed-form transition density
    fp = FokkerPlanck1D(lambda x: -theta * x, sigma, (-4, 4, 400))
    p0 = norm(gauss(fp.centers, x0, 0.02**2), fp.widths)
    P = fp.solve(p0, [0.0, T], dt=1e-3)
    exact = ou.transition_density(fp.centers[:, None], T, np.array([x0]))
    assert np.sum(np.abs(P[-1] - exact) * fp.widths) < 5e-3


def test_stationary_states():
    theta, sigma = 0.7, 1.1
    fp = FokkerPlanck1D(lambda x: -theta * x, sigma, (-7, 7, 280))
    ps = fp.stationary()
    np.testing.assert_allclose(dense(fp) @ ps, 0, atol=1e-11)
    st = OrnsteinUhlenbeck(theta, 0, sigma).stationary()
    assert np.sum(np.abs(ps - st.pdf(fp.centers[:, None])) * fp.widths) < 1e-3
    fpp = periodic_eq()
    pp = fpp.stationary()
    np.testing.assert_allclose(fpp.apply(pp) / np.abs(np.diag(dense(fpp))).max(), 0, atol=1e-12)
    assert abs(np.sum(pp * fpp.widths) - 1) < 1e-13 and pp.min() > 0
    uniform = FokkerPlanck1D(lambda x: 0.7 + 0 * x, 0.5, (0, 1, 20), "periodic").stationary()
    np.testing.assert_allclose(uniform, 1.0, rtol=1e-10)


def test_langevin_gibbs_autodiff_and_given_gradient():
    def U(x):
        return (x * x - 1) * (x * x - 1) + 0.2 * x
    fp = FokkerPlanck1D.langevin(U, 1.5, (-2, 2, 100))
    g = np.exp(-1.5 * U(fp.centers))
    np.testing.assert_allclose(fp.stationary(), g / np.sum(g * fp.widths), rtol=1e-12)
    np.testing.assert_allclose(fp.drift(fp.centers), -(4 * fp.centers * (fp.centers**2 - 1) + 0.2), rtol=1e-12)
    fp2 = FokkerPlanck1D.langevin(U, 1.5, (-2, 2, 100), grad_U=lambda x: 4 * x * (x * x - 1) + 0.2)
    np.testing.assert_allclose(fp2.drift(fp.centers), fp.drift(fp.centers))
    np.testing.assert_allclose(fp.diffusion(fp.centers), math.sqrt(2 / 1.5))


def test_free_energy_and_relative_entropy():
    def U(x):
        return 0.5 * x * x
    beta = 2.0
    fp = FokkerPlanck1D.langevin(U, beta, (-5, 5, 200))
    p = norm(gauss(fp.centers, 0.5, 0.3), fp.widths)
    pi = fp.stationary()
    logZ = np.log(np.sum(np.exp(-beta * U(fp.centers)) * fp.widths))
    np.testing.assert_allclose(fp.free_energy(p), (fp.relative_entropy(p, pi) - logZ) / beta, rtol=1e-12)
    # KL of two Gaussians, closed form
    q = norm(gauss(fp.centers, -0.2, 0.5), fp.widths)
    kl = 0.5 * (0.3 / 0.5 + 0.7**2 / 0.5 - 1 + math.log(0.5 / 0.3))
    assert abs(fp.relative_entropy(p, q) - kl) < 1e-3
    assert abs(fp.relative_entropy(p, p)) < 1e-15
    P = np.stack([p, q])
    np.testing.assert_allclose(fp.free_energy(P), [fp.free_energy(p), fp.free_energy(q)])
    gen = FokkerPlanck1D(lambda x: -x, 1.0, (-5, 5, 100))
    r = norm(gauss(gen.centers, 1.0, 0.5), gen.widths)
    np.testing.assert_allclose(gen.free_energy(r), relative_entropy(r, gen.stationary(), gen.widths))
    with pytest.raises(DomainError, match="absolutely continuous"):
        relative_entropy(np.array([1.0, 1.0]), np.array([2.0, 0.0]), np.ones(2) / 2)


def test_mass_positivity_and_dtype():
    fp = periodic_eq(50)
    p0 = np.zeros(50)
    p0[10] = 1.0
    p0 = norm(p0, fp.widths)
    P = fp.solve(p0, np.linspace(0, 5, 51), dt=0.37)
    assert np.abs(np.sum(P * fp.widths, axis=1) - 1).max() < 1e-13
    assert P.min() >= 0
    P32 = fp.solve(p0.astype(np.float32), [0.0, 1.0])
    assert P32.dtype == np.float32
    assert fp.solve(p0, [0.0]).shape == (1, 50)


def test_bad_input():
    fp = FokkerPlanck1D(lambda x: -x, 1.0, (-3, 3, 30))
    good = norm(np.ones(30), fp.widths)
    with pytest.raises(DomainError, match="non-negative"):
        fp.solve(good - (np.arange(30) == 3), [0, 1])
    with pytest.raises(DomainError, match="normalised"):
        fp.solve(2 * good, [0, 1])
    with pytest.raises(DomainError):
        fp.solve(np.where(np.arange(30) == 0, np.nan, good), [0, 1])
    with pytest.raises(ShapeError, match="density over the cells"):
        fp.solve(np.ones(29) / 6 * 30 / 29, [0, 1])
    with pytest.raises(DomainError, match="strictly increasing"):
        fp.solve(good, [0, 1, 1])
    with pytest.raises(DomainError, match="strictly increasing"):
        fp.solve(good, [1, 0])
    with pytest.raises(DomainError, match="dt"):
        fp.solve(good, [0, 1], dt=0.0)
    with pytest.raises(DomainError, match="grid"):
        FokkerPlanck1D(lambda x: -x, 1.0, (1, 0, 10))
    with pytest.raises(DomainError, match="n_cells"):
        FokkerPlanck1D(lambda x: -x, 1.0, (0, 1, 2.5))
    with pytest.raises(DomainError, match="boundary"):
        FokkerPlanck1D(lambda x: -x, 1.0, (0, 1, 10), boundary="reflecting")
    with pytest.raises(DomainError, match="> 0"):
        FokkerPlanck1D(lambda x: -x, lambda x: x, (-1, 1, 10))
    with pytest.raises(DomainError, match="finite"):
        FokkerPlanck1D(lambda x: np.where(x > 0, np.inf, 0.0), 1.0, (-1, 1, 10))
    with pytest.raises(DomainError, match="beta"):
        FokkerPlanck1D.langevin(lambda x: x * x, -1.0, (-1, 1, 10))
    with pytest.raises(ShapeError):
        FokkerPlanck1D(lambda x: np.ones(3), 1.0, (-1, 1, 10))


def test_peclet_warning():
    with pytest.warns(NumericalWarning, match="Péclet"):
        FokkerPlanck1D(lambda x: -50 * x, 0.5, (-3, 3, 20))
    with warnings.catch_warnings():
        warnings.simplefilter("error", NumericalWarning)
        FokkerPlanck1D(lambda x: -x, 1.0, (-3, 3, 60))


def test_bdf2_second_order_in_time_and_textbook_steps():
    theta, sigma = 1.0, 1.0
    fp = FokkerPlanck1D(lambda x: -theta * x, sigma, (-6, 6, 120))
    p0 = norm(gauss(fp.centers, 1.5, 0.3), fp.widths)
    fine = fp.solve(p0, [0.0, 1.0], dt=1e-4, method="bdf2")[-1]  # reference in time on the same grid
    errs = [np.sum(np.abs(fp.solve(p0, [0.0, 1.0], dt=dt, method=m)[-1] - fine) * fp.widths)
            for m in ("backward_euler", "bdf2") for dt in (0.04, 0.02)]
    assert 1.8 < errs[0] / errs[1] < 2.2  # backward Euler: first order
    assert 3.5 < errs[2] / errs[3] < 4.5  # BDF2: second order
    # variable steps, written out: ts with unequal gaps, one step per gap
    ts = [0.0, 0.1, 0.25, 0.3]
    P = fp.solve(p0, ts, dt=1.0, method="bdf2")
    A, eye = dense(fp), np.eye(120)
    q1 = np.linalg.solve(eye - 0.1 * A, p0)
    w = 0.15 / 0.1
    q2 = np.linalg.solve((1 + 2 * w) / (1 + w) * eye - 0.15 * A, (1 + w) * q1 - w * w / (1 + w) * p0)
    w2 = 0.05 / 0.15
    q3 = np.linalg.solve((1 + 2 * w2) / (1 + w2) * eye - 0.05 * A, (1 + w2) * q2 - w2 * w2 / (1 + w2) * q1)
    np.testing.assert_allclose(P[1:], [q1, q2, q3], rtol=1e-10, atol=1e-13)
    assert np.abs(np.sum(P * fp.widths, axis=1) - 1).max() < 1e-13
    with pytest.raises(DomainError, match="method"):
        fp.solve(p0, ts, method="rk4")


def test_same_results_with_torch_tensors(xp):
    fp = FokkerPlanck1D(lambda x: -x, 1.0, (-5, 5, 80))
    p0 = norm(gauss(fp.centers, 1.0, 0.4), fp.widths)
    ref = fp.solve(p0, [0.0, 0.5, 1.0], dt=0.05, method="bdf2")
    out = fp.solve(xp.asarray(p0), xp.asarray(np.array([0.0, 0.5, 1.0])), dt=0.05, method="bdf2")
    assert type(out) is type(xp.asarray(p0))
    np.testing.assert_allclose(xp.to_numpy(out), ref, rtol=1e-14)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(3, 80), seed=st.integers(0, 2**31 - 1), log_dt=st.floats(-3, 1),
       boundary=st.sampled_from(["no-flux", "periodic"]), strength=st.floats(0, 30))
def test_property_mass_and_positivity(n, seed, log_dt, boundary, strength):
    rng = np.random.default_rng(seed)
    a = rng.uniform(-1, 1, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NumericalWarning)
        fp = FokkerPlanck1D(lambda x: strength * (a[0] + a[1] * np.sin(x) + a[2] * np.cos(2 * x)),
                            lambda x: 0.3 + 0.2 * (1 + np.sin(3 * x)), (0, 2 * np.pi, n), boundary)
    p0 = rng.uniform(0, 1, n) * (rng.uniform(0, 1, n) < 0.5)
    p0[0] += 1.0
    p0 = norm(p0, fp.widths)
    P = fp.solve(p0, [0.0, 0.5, 2.0], dt=10.0**log_dt)
    assert np.abs(np.sum(P * fp.widths, axis=1) - 1).max() < 1e-12
    # no-flux: cyclic reduction only adds non-negative terms, so positivity is exact in floating point;
    # periodic: the Sherman–Morrison correction subtracts, so it holds up to rounding
    floor = 0.0 if boundary == "no-flux" else -1e-15 * P.max()
    assert P.min() >= floor
