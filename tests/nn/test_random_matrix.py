import numpy as np
import pytest
from scipy import integrate, stats

from aimath.errors import DomainError
from aimath.nn import (
    ks_distance_mp,
    marchenko_pastur_cdf,
    marchenko_pastur_pdf,
    marchenko_pastur_ppf,
    marchenko_pastur_support,
)


@pytest.mark.parametrize("ratio", [0.05, 0.3, 1.0, 2.5])
@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.0])
def test_cdf_is_the_integral_of_the_pdf(ratio, sigma):
    a, b = marchenko_pastur_support(ratio, sigma)
    atom = max(0.0, 1 - 1 / ratio)
    total = integrate.quad(lambda x: marchenko_pastur_pdf(np.array([x]), ratio, sigma)[0], a, b, limit=200)[0]
    assert abs(total + atom - 1) < 1e-8
    for x in np.linspace(a, b, 7)[1:-1]:
        part = integrate.quad(lambda t: marchenko_pastur_pdf(np.array([t]), ratio, sigma)[0], a, x, limit=200)[0]
        assert abs(marchenko_pastur_cdf(np.array([x]), ratio, sigma)[0] - atom - part) < 1e-8
    np.testing.assert_array_equal(marchenko_pastur_cdf(np.array([-1.0, b, b + 1]), ratio, sigma), [0, 1, 1])
    q = np.array([0.1, 0.5, 0.9])
    if ratio <= 1:
        np.testing.assert_allclose(marchenko_pastur_cdf(marchenko_pastur_ppf(q, ratio, sigma), ratio, sigma), q,
                                   atol=1e-12)


def test_ks_distance_matches_scipy_and_detects_the_wrong_law():
    rng = np.random.default_rng(0)
    n, p = 2000, 400
    X = rng.standard_normal((n, p))
    ev = np.linalg.eigvalsh(X.T @ X / n)
    d = ks_distance_mp(ev, p / n)
    ref = stats.kstest(ev, lambda x: marchenko_pastur_cdf(np.asarray(x), p / n)).statistic
    assert abs(d - ref) < 1e-12 and d < 0.05
    assert ks_distance_mp(ev, p / n, sigma=1.2) > 0.2


def test_errors():
    with pytest.raises(DomainError, match="ratio"):
        marchenko_pastur_pdf(np.ones(2), 0.0)
    with pytest.raises(DomainError, match="sigma"):
        marchenko_pastur_cdf(np.ones(2), 0.5, sigma=-1.0)
