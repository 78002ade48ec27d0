
import numpy as np
import pytest

from aimath.errors import ConvergenceError, DomainError, ShapeError
from aimath.sde import SDE, SOLVERS, GeometricBrownianMotion, OrnsteinUhlenbeck, brownian_motion, sdeint
from aimath.sde.textbook import euler_maruyama_path, heun_path, milstein_path, srk_path

# a nonlinear scalar SDE with a state-dependent diffusion: dX = sin(X) dt + (1 + 0.5 cos X) dW
b = lambda t, x: np.sin(x) + 0.1 * t  # noqa: E731
g = lambda t, x: 1.0 + 0.5 * np.cos(x)  # noqa: E731
dg = lambda t, x: -0.5 * np.sin(x)  # noqa: E731


def _textbook(method, x0, ts, dW):
    if method == "euler_maruyama":
        return euler_maruyama_path(b, g, x0, ts, dW)
    if method == "milstein":
        return milstein_path(b, g, dg, x0, ts, dW)
    if method == "heun":
        return heun_path(b, g, x0, ts, dW)
    return srk_path(b, g, x0, ts, dW)


@pytest.mark.parametrize("method", sorted(SOLVERS))
def test_fast_equals_textbook(method):
    sde = SDE(b, g, diffusion_derivative=dg, sde_type=SOLVERS[method].sde_type)
    ts = np.sort(np.r_[0.0, np.random.default_rng(0).uniform(0, 1, 30), 1.0])  # a non-uniform grid
    path = brownian_motion(1, 4, len(ts) - 1)
    dW = path.dW * np.sqrt(np.diff(ts) * (len(ts) - 1))[:, None, None]
    x0 = np.array([[0.3], [-1.0], [2.0], [0.0]])
    X = sdeint(sde, x0, ts, method=method, dW=dW)
    for p in range(4):
        ref = _textbook(method, x0[p, 0], list(ts), list(dW[:, p, 0]))
        np.testing.assert_allclose(X[:, p, 0], ref, rtol=1e-12, atol=1e-12)


def test_declared_orders():
    assert SOLVERS["euler_maruyama"].strong_order == 0.5 and SOLVERS["euler_maruyama"].weak_order == 1.0
    assert SOLVERS["milstein"].strong_order == 1.0
    assert "strong_order=1.0" in repr(SOLVERS["srk"])


def test_shapes_save_every_and_rng(xp):
    gbm = GeometricBrownianMotion(0.1, 0.2)
    x0 = xp.asarray(np.ones((5, 2)))
    X = sdeint(gbm, x0, np.linspace(0, 1, 11), rng=3, save_every=5)
    assert tuple(X.shape) == (3, 5, 2)
    Y = sdeint(gbm, x0, np.linspace(0, 1, 11), rng=3)
    np.testing.assert_allclose(xp.to_numpy(X), xp.to_numpy(Y[::5]))
    assert type(X) is type(x0)


def test_numpy_and_torch_agree_given_dW():
    torch = pytest.importorskip("torch")
    gbm = GeometricBrownianMotion(0.4, 0.7)
    dW = brownian_motion(0, 6, 20).dW
    for method in ("euler_maruyama", "milstein", "srk"):
        a = sdeint(gbm, np.ones((6, 1)), np.linspace(0, 1, 21), method=method, dW=dW)
        t = sdeint(gbm, torch.ones((6, 1), dtype=torch.float64), np.linspace(0, 1, 21), method=method,
                   dW=torch.as_tensor(dW))
        np.testing.assert_allclose(a, t.numpy(), rtol=1e-13)


def test_float32_kept():
    X = sdeint(OrnsteinUhlenbeck(), np.zeros((3, 1), np.float32), np.linspace(0, 1, 5), rng=0)
    assert X.dtype == np.float32


def test_block_drawing_is_one_stream(monkeypatch):
    import aimath.sde.solvers as S

    gbm = GeometricBrownianMotion(0.1, 0.3)
    a = sdeint(gbm, np.ones(1), np.linspace(0, 1, 41), rng=7, n_paths=3)
    monkeypatch.setattr(S, "_BLOCK_NUMBERS", 7)  # two steps per block
    b = sdeint(gbm, np.ones(1), np.linspace(0, 1, 41), rng=7, n_paths=3)
    np.testing.assert_array_equal(a, b)


def test_scalar_and_general_noise():
    # scalar noise: both coordinates driven by one W -> x1 - x0 is deterministic
    sde = SDE(lambda t, x: 0 * x, lambda t, x: 1.0 + 0 * x, noise="scalar")
    X = sdeint(sde, np.array([0.0, 1.0]), np.linspace(0, 1, 11), rng=0, n_paths=4)
    np.testing.assert_allclose(X[:, :, 1] - X[:, :, 0], 1.0, atol=1e-14)
    # general noise: G = [[1, 0], [1, 1]] gives Cov = G G^T
    G = np.array([[1.0, 0.0], [1.0, 1.0]])
    sde = SDE(lambda t, x: 0 * x, lambda t, x: np.broadcast_to(G, (x.shape[0], 2, 2)), noise="general")
    X = sdeint(sde, np.zeros(2), np.linspace(0, 1, 3), rng=0, n_paths=40_000)[-1]
    np.testing.assert_allclose(np.cov(X.T), G @ G.T, atol=0.05)
    with pytest.raises(DomainError, match="diagonal or scalar"):
        sdeint(sde, np.zeros(2), np.linspace(0, 1, 3), method="milstein", rng=0)


def test_em_distribution_matches_gbm(rng):
    from scipy import stats

    gbm = GeometricBrownianMotion(0.2, 0.5)
    X = sdeint(gbm, np.ones(1), np.linspace(0, 1, 401), method="milstein", rng=rng, n_paths=20_000, save_every=400)
    lx = np.log(X[-1].ravel())
    assert stats.kstest(lx, "norm", args=(0.2 - 0.125, 0.5)).pvalue > 1e-6


def test_nonfinite_drift_names_step_path_time():
    def drift(t, x):
        out = -x.copy()
        if t >= 0.3:
            out[2] = np.nan
        return out

    sde = SDE(drift, lambda t, x: 0.1 + 0 * x)
    with pytest.raises(ConvergenceError, match=r"non-finite drift output at step 3, path 2, time t=0.3") as e:
        sdeint(sde, np.zeros(1), np.linspace(0, 1, 11), rng=0, n_paths=4)
    assert e.value.history == [3]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_blow_up_is_reported():
    sde = SDE(lambda t, x: x**3, lambda t, x: 0 * x)
    with pytest.raises(ConvergenceError, match="non-finite"):
        sdeint(sde, np.full(1, 5.0), np.linspace(0, 10, 101), rng=0, n_paths=2)


def test_bad_input():
    gbm = GeometricBrownianMotion(0.1, 0.2)
    with pytest.raises(DomainError, match="strictly increasing"):
        sdeint(gbm, np.ones(1), [0.0, 0.5, 0.5], rng=0)
    with pytest.raises(ShapeError, match="dW must have shape"):
        sdeint(gbm, np.ones((3, 1)), np.linspace(0, 1, 5), dW=np.zeros((4, 2, 1)))
    with pytest.raises(ShapeError, match="n_paths=2 does not match"):
        sdeint(gbm, np.ones((3, 1)), np.linspace(0, 1, 5), n_paths=2)
    with pytest.raises(DomainError, match="method must be one of"):
        sdeint(gbm, np.ones(1), np.linspace(0, 1, 5), method="rk45")
    with pytest.raises(DomainError, match="to_stratonovich"):
        sdeint(gbm, np.ones(1), np.linspace(0, 1, 5), method="heun")
    with pytest.raises(ShapeError, match="drift must return"):
        sdeint(SDE(lambda t, x: x[:, :1], lambda t, x: x), np.ones(2), np.linspace(0, 1, 3), rng=0)
    with pytest.raises(DomainError, match="finite"):
        sdeint(gbm, np.array([np.nan]), np.linspace(0, 1, 3), rng=0)
    with pytest.raises(DomainError, match="save_every"):
        sdeint(gbm, np.ones(1), np.linspace(0, 1, 3), rng=0, save_every=0)
    with pytest.raises(DomainError, match="noise must be"):
        SDE(lambda t, x: x, lambda t, x: x, noise="full")


def test_stratonovich_conversion_round_trip():
    gbm = GeometricBrownianMotion(0.3, 0.6)
    s = gbm.to_stratonovich()
    x = np.array([[1.0], [2.0]])
    np.testing.assert_allclose(s.drift(0.0, x), (0.3 - 0.18) * x)
    np.testing.assert_allclose(s.to_ito().drift(0.0, x), 0.3 * x)
    assert s.sde_type == "stratonovich" and s.to_stratonovich() is s


def test_milstein_derivative_from_autodiff():
    pytest.importorskip("aimath.autodiff")
    from aimath import autodiff as ad

    analytic = SDE(lambda t, x: 0.1 * x, lambda t, x: 0.5 * np.sin(x) + 1,
                   diffusion_derivative=lambda t, x: 0.5 * np.cos(x))
    auto = SDE(lambda t, x: 0.1 * x, lambda t, x: 0.5 * ad.sin(x) + 1)
    x = np.linspace(-1, 1, 6)[:, None]
    np.testing.assert_allclose(auto.diffusion_derivative(0.0, x), analytic.diffusion_derivative(0.0, x), rtol=1e-12)


def test_missing_derivative_is_a_clear_error():
    from aimath.errors import AimathError

    sde = SDE(lambda t, x: x, lambda t, x: np.asarray(x) ** 2 + np.tanh(np.asarray(x)))
    with pytest.raises(AimathError, match="diffusion_derivative"):
        sdeint(sde, np.ones(1), np.linspace(0, 1, 3), method="milstein", rng=0)
