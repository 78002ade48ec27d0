import numpy as np
import pytest

from aimath.errors import ShapeError
from aimath.sde import brownian_motion, ito_integral, quadratic_variation, stratonovich_integral


def test_w_dw_identities(xp):
    p = brownian_motion(5, 7, 64, T=1.3, like=xp.asarray(np.zeros(1)))
    W = xp.to_numpy(p.W)
    ito = xp.to_numpy(ito_integral(lambda t, w: w, p))
    strat = xp.to_numpy(stratonovich_integral(lambda t, w: w, p))
    np.testing.assert_allclose(ito, (W[-1] ** 2 - xp.to_numpy(quadratic_variation(p))) / 2, atol=1e-12)
    np.testing.assert_allclose(strat, W[-1] ** 2 / 2, atol=1e-12)


def test_values_and_callable_agree_and_cumulative():
    p = brownian_motion(0, 3, 10)
    a = ito_integral(np.sin(p.W), p.W)
    b = ito_integral(lambda t, w: np.sin(w), p.W, p.t)
    np.testing.assert_allclose(a, b)
    c = ito_integral(np.sin(p.W), p.W, cumulative=True)
    assert c.shape == p.W.shape
    np.testing.assert_allclose(c[-1], a)
    # left-point sum against a direct loop
    ref = sum(np.sin(p.W[k]) * (p.W[k + 1] - p.W[k]) for k in range(10))
    np.testing.assert_allclose(a, ref, atol=1e-14)


def test_time_dependent_integrand():
    # ∫ t dW = T W_T − ∫ W dt: check the Riemann sums satisfy the discrete summation by parts
    p = brownian_motion(1, 4, 50, T=2.0)
    t = np.asarray(p.t)[:, None, None]
    ito = ito_integral(lambda s, w: s + 0 * w, p)
    by_parts = 2.0 * p.W[-1] - np.sum(p.W[1:] * np.diff(t, axis=0), axis=0)
    np.testing.assert_allclose(ito, by_parts, atol=1e-12)


def test_errors():
    p = brownian_motion(0, 2, 5)
    with pytest.raises(ShapeError, match="shape of W"):
        ito_integral(np.zeros((3, 2, 1)), p.W)
    with pytest.raises(ShapeError, match="t is needed"):
        stratonovich_integral(lambda t, w: w, p.W)
