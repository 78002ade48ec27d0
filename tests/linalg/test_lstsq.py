import numpy as np
import pytest

from aimath.errors import DomainError
from aimath.linalg import cond, low_rank_approx, lstsq, pinv, randomized_svd

from ._helpers import with_singular_values


def test_pinv_penrose(xp, rng):
    A = with_singular_values(rng, 7, 5, [3, 2, 1, 0, 0])
    X = xp.to_numpy(pinv(xp.asarray(A)))
    assert np.allclose(X, np.linalg.pinv(A), atol=1e-12)
    assert np.allclose(A @ X @ A, A) and np.allclose(X @ A @ X, X)
    assert np.allclose(A @ X, (A @ X).T) and np.allclose(X @ A, (X @ A).T)
    Bs = rng.standard_normal((3, 4, 6))
    assert np.allclose(pinv(Bs), np.linalg.pinv(Bs))


@pytest.mark.parametrize("shape", [(20, 5), (5, 20), (8, 8)])
def test_lstsq_matches_numpy(rng, shape):
    A = rng.standard_normal(shape)
    b = rng.standard_normal((shape[0], 2))
    x, res, rank, s = lstsq(A, b)
    xn, resn, rankn, sn = np.linalg.lstsq(A, b, rcond=None)
    assert np.allclose(x, xn) and rank == rankn and np.allclose(s, sn) and np.allclose(res, resn)


def test_lstsq_rank_deficient_and_qr(rng):
    A = with_singular_values(rng, 10, 4, [1, 1, 1e-3, 0])
    b = rng.standard_normal(10)
    x, res, rank, _ = lstsq(A, b)
    assert rank == 3 and res.shape == (0,)
    assert np.allclose(x, np.linalg.lstsq(A, b, rcond=None)[0])
    with pytest.raises(DomainError, match="rank deficient"):
        lstsq(A, b, method="qr")
    B = rng.standard_normal((10, 4))
    assert np.allclose(lstsq(B, b, method="qr")[0], lstsq(B, b)[0])


def test_cond(rng):
    A = with_singular_values(rng, 6, 6, np.logspace(0, -5, 6))
    assert np.isclose(cond(A), 1e5)
    for p in ("fro", 1, np.inf):
        assert np.isclose(cond(A, p), np.linalg.cond(A, p))
    assert cond(np.zeros((2, 2)), 1) == np.inf


def test_low_rank_and_randomized(rng):
    s = np.r_[10.0, 5.0, 2.0, np.logspace(-1, -4, 27)]
    A = with_singular_values(rng, 40, 30, s)
    A2 = low_rank_approx(A, 2)
    assert np.isclose(np.linalg.norm(A - A2, 2), s[2])
    U, sv, Vh = randomized_svd(A, 3, rng=0)
    assert U.shape == (40, 3) and Vh.shape == (3, 30)
    assert np.allclose(sv, s[:3], rtol=1e-6)
    with pytest.raises(DomainError):
        low_rank_approx(A, 31)
    with pytest.raises(DomainError):
        randomized_svd(A, 0)
