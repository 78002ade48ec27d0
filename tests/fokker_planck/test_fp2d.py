import numpy as np
import pytest

from aimath.errors import AimathError, DomainError, NumericalWarning, ShapeError
from aimath.fokker_planck import FokkerPlanck1D, FokkerPlanck2D


def norm(p, w):
    return p / np.sum(p * w)


def separable(boundary="no-flux"):
    gx, gy = ((-3, 3, 30), (0, 2 * np.pi, 24)) if boundary == "periodic" else ((-3, 3, 30), (-2, 3, 24))
    if boundary == "periodic":
        gx = (0, 2 * np.pi, 30)
        b1, b2 = (lambda x: 0.5 + np.sin(x)), (lambda y: np.cos(y) - 0.3)
    else:
        b1, b2 = (lambda x: -x), (lambda y: 0.5 - y + 0.2 * np.sin(y))
    s1, s2 = (lambda x: 0.8 + 0.1 * np.cos(x)), (lambda y: 1.0 + 0.2 * np.sin(y))
    f1 = FokkerPlanck1D(b1, s1, gx, boundary)
    f2 = FokkerPlanck1D(b2, s2, gy, boundary)
    f = FokkerPlanck2D(lambda x, y: (b1(x) + 0 * y, b2(y) + 0 * x), lambda x, y: (s1(x) + 0 * y, s2(y) + 0 * x),
                       (gx, gy), boundary)
    return f, f1, f2


COARSE = pytest.mark.filterwarnings("ignore::aimath.errors.NumericalWarning")  # small grids on purpose


@COARSE
@pytest.mark.parametrize("boundary", ["no-flux", "periodic"])
def test_separable_equals_product_of_1d(rng, boundary):
    f, f1, f2 = separable(boundary)
    p1 = norm(rng.uniform(0, 1, 30), f1.widths)
    p2 = norm(rng.uniform(0, 1, 24), f2.widths)
    ts = [0.0, 0.2, 0.7]
    P = f.solve(np.outer(p1, p2), ts, dt=0.05)
    Q = f1.solve(p1, ts, dt=0.05)[:, :, None] * f2.solve(p2, ts, dt=0.05)[:, None, :]
    np.testing.assert_allclose(P, Q, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(f.apply(np.outer(p1, p2)), np.outer(f1.apply(p1), p2) + np.outer(p1, f2.apply(p2)),
                               rtol=1e-11, atol=1e-12)
    np.testing.assert_allclose(f.widths, f1.h * f2.h)
    assert f.centers[0].shape == (30,) and f.centers[1].shape == (24,)


@COARSE
def test_split_step_is_two_backward_euler_solves(rng):
    f = FokkerPlanck2D(lambda x, y: (-x + 0.5 * y, -y + np.sin(x)), lambda x, y: (1 + 0.1 * y * y, 0.9 + 0 * x),
                       ((-3, 3, 9), (-3, 3, 7)))
    nx, ny = 9, 7
    eye = np.eye(nx * ny)

    def dense_axis(axis):  # A_x or A_y as an (nx*ny)² matrix, from apply on unit vectors restricted by axis
        cols = []
        for k in range(nx * ny):
            e = eye[k].reshape(nx, ny)
            saved = f.peclet, f.D
            f.peclet = (saved[0][0], np.zeros_like(saved[0][1])) if axis == 0 else (np.zeros_like(saved[0][0]),
                                                                                     saved[0][1])
            f.D = (saved[1][0], 0 * saved[1][1]) if axis == 0 else (0 * saved[1][0], saved[1][1])
            cols.append(f.apply(e).ravel())
            f.peclet, f.D = saved
        return np.array(cols).T

    Ax, Ay = dense_axis(0), dense_axis(1)
    p = norm(rng.uniform(0, 1, (nx, ny)), f.widths)
    dt = 0.4
    ref = np.linalg.solve(eye - dt * Ay, np.linalg.solve(eye - dt * Ax, p.ravel())).reshape(nx, ny)
    np.testing.assert_allclose(f.step(p, dt), ref, rtol=1e-12, atol=1e-14)


def test_mass_positivity_gibbs_and_free_energy(rng):
    def U(x, y):
        return (x * x - 1) ** 2 + 0.5 * (y - 0.3 * x) ** 2
    beta = 1.5
    f = FokkerPlanck2D.langevin(U, beta, ((-2, 2, 70), (-3, 3, 40)))
    g = f.stationary()
    np.testing.assert_allclose(f.step(g, 0.5), g, rtol=1e-10, atol=1e-14)
    X, Y = np.meshgrid(*f.centers, indexing="ij")
    w = np.exp(-beta * U(X, Y))
    np.testing.assert_allclose(g, w / np.sum(w * f.widths), rtol=1e-12)
    p0 = np.zeros((70, 40))
    p0[5:8, 30:33] = 1
    p0 = norm(p0, f.widths)
    P = f.solve(p0, np.linspace(0, 3, 16), dt=0.05)
    assert np.abs(np.sum(P * f.widths, axis=(1, 2)) - 1).max() < 1e-13
    assert P.min() >= 0
    F = f.free_energy(P)
    assert np.all(np.diff(F) <= 1e-12)
    kl = f.relative_entropy(P, g)
    np.testing.assert_allclose(F, (kl - np.log(np.sum(np.exp(-beta * U(X, Y)) * f.widths))) / beta, rtol=1e-10)
    assert "FokkerPlanck2D" in repr(f)


def test_bad_input():
    f = FokkerPlanck2D(lambda x, y: (-x, -y), 1.0, ((-3, 3, 20), (-3, 3, 20)))
    good = norm(np.ones((20, 20)), f.widths)
    with pytest.raises(DomainError, match="non-negative"):
        f.solve(good - (np.arange(400).reshape(20, 20) == 7), [0, 1])
    with pytest.raises(DomainError, match="normalised"):
        f.solve(3 * good, [0, 1])
    with pytest.raises(ShapeError):
        f.solve(good[:, :19] * 20 / 19, [0, 1])
    with pytest.raises(DomainError, match="increasing"):
        f.solve(good, [0.0, 0.5, 0.4])
    with pytest.raises(AimathError, match="potential"):
        f.free_energy(good)
    with pytest.raises(DomainError, match="grid"):
        FokkerPlanck2D(lambda x, y: (-x, -y), 1.0, (-3, 3, 20))
    with pytest.raises(DomainError, match="boundary"):
        FokkerPlanck2D(lambda x, y: (-x, -y), 1.0, ((-3, 3, 20), (-3, 3, 20)), boundary="open")
    with pytest.raises(DomainError, match="> 0"):
        FokkerPlanck2D(lambda x, y: (-x, -y), (1.0, 0.0), ((-3, 3, 20), (-3, 3, 20)))
    with pytest.raises(ShapeError, match="pair"):
        FokkerPlanck2D(lambda x, y: -x, 1.0, ((-3, 3, 20), (-3, 3, 20)))
    with pytest.warns(NumericalWarning, match="Péclet"):
        FokkerPlanck2D(lambda x, y: (-40 * x, -y), 1.0, ((-3, 3, 20), (-3, 3, 20)))


@COARSE
def test_stationary_by_adi_iteration():
    def U(x, y):
        return (x * x - 1) ** 2 + 0.5 * (y - 0.3 * x) ** 2

    def grad_U(x, y):
        return 4 * x * (x * x - 1) - 0.3 * (y - 0.3 * x), y - 0.3 * x

    beta = 1.5
    # a gradient drift given as a plain drift (not .langevin): the iteration must find the Gibbs state
    f = FokkerPlanck2D(lambda x, y: tuple(-g for g in grad_U(x, y)), np.sqrt(2 / beta), ((-2, 2, 100), (-3, 3, 60)))
    p = f.stationary()
    X, Y = np.meshgrid(*f.centers, indexing="ij")
    g = np.exp(-beta * U(X, Y))
    assert np.sum(np.abs(p - g / np.sum(g * f.widths)) * f.widths) < 1e-3
    # a rotational (non-gradient) drift: the null vector of A_x + A_y, approached by the split
    # time stepper at first order in Δt (Lie splitting)
    r = FokkerPlanck2D(lambda x, y: (-x + 2 * y, -y - 2 * x + 0.5 * np.sin(x)), (1.0, 0.7), ((-5, 5, 40), (-5, 5, 40)))
    p = r.stationary()
    assert np.max(np.abs(r.apply(p))) < 1e-9 * np.max(p) and p.min() >= 0
    assert abs(np.sum(p * r.widths) - 1) < 1e-13
    errs = [np.sum(np.abs(r.solve(p, [0.0, 10.0], dt=dt)[-1] - p) * r.widths) for dt in (0.08, 0.04)]
    assert 1.7 < errs[0] / errs[1] < 2.3
    per = FokkerPlanck2D(lambda x, y: (1 + 0.5 * np.sin(y), 0.5 * np.cos(x) - 0.2), (1.0, 0.8),
                         ((0, 2 * np.pi, 30), (0, 2 * np.pi, 30)), "periodic")
    q = per.stationary()
    assert np.max(np.abs(per.apply(q))) < 1e-9 * np.max(q) and q.min() > 0


def test_same_results_with_torch_tensors(xp):
    f = FokkerPlanck2D(lambda x, y: (-x, -y), 1.0, ((-4, 4, 40), (-4, 4, 40)))
    X, Y = np.meshgrid(*f.centers, indexing="ij")
    p0 = norm(np.exp(-((X - 1) ** 2 + Y**2)), f.widths)
    ref = f.solve(p0, [0.0, 0.5], dt=0.1)
    out = f.solve(xp.asarray(p0), [0.0, 0.5], dt=0.1)
    assert type(out) is type(xp.asarray(p0))
    np.testing.assert_allclose(xp.to_numpy(out), ref, rtol=1e-14)
