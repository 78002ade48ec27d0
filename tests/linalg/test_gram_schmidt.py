import numpy as np
import pytest

from aimath.errors import DomainError, ShapeError
from aimath.linalg import gram_schmidt, project, projector

from ._helpers import EPS, ill_conditioned, with_singular_values


@pytest.mark.parametrize("method", ["classical", "modified"])
@pytest.mark.parametrize("reorth", [False, True])
def test_qr_identity(rng, method, reorth):
    A = rng.standard_normal((3, 20, 8))
    Q, R = gram_schmidt(A, method=method, reorthogonalize=reorth)
    assert np.allclose(Q @ R, A) and np.allclose(np.triu(R), R)
    assert np.allclose(np.swapaxes(Q, -1, -2) @ Q, np.eye(8), atol=1e-13)
    assert np.all(np.diagonal(R, axis1=-2, axis2=-1) > 0)
    Qn, Rn = np.linalg.qr(A)
    assert np.allclose(np.abs(R), np.abs(Rn))


def test_orthogonality_loss_ordering(rng):
    A = with_singular_values(rng, 60, 20, np.logspace(0, -7, 20))
    loss = {}
    for m in ("classical", "modified"):
        for r in (False, True):
            Q, _ = gram_schmidt(A, method=m, reorthogonalize=r)
            loss[m, r] = np.linalg.norm(Q.T @ Q - np.eye(20), 2)
    assert loss["classical", False] > 1e-4  # ~ κ² ε
    assert 1e-12 < loss["modified", False] < 1e-6  # ~ κ ε
    assert loss["classical", True] < 100 * EPS and loss["modified", True] < 100 * EPS


def test_gram_schmidt_errors(xp):
    with pytest.raises(DomainError, match="full column rank"):
        gram_schmidt(xp.asarray(np.array([[1.0, 2.0], [1.0, 2.0]])))
    with pytest.raises(ShapeError):
        gram_schmidt(np.ones((2, 3)))
    with pytest.raises(ValueError):
        gram_schmidt(np.eye(2), method="other")


def test_projector(rng):
    A = with_singular_values(rng, 10, 6, [3, 2, 1, 0, 0, 0])
    P = projector(A)
    assert np.allclose(P @ P, P) and np.allclose(P, P.T) and np.isclose(np.trace(P), 3)
    b = rng.standard_normal(10)
    p = project(b, A)
    assert np.allclose(A.T @ (b - p), 0, atol=1e-12)
    assert np.allclose(p, A @ np.linalg.lstsq(A, b, rcond=None)[0])
    B = ill_conditioned(rng, 5)
    assert np.allclose(projector(B), np.eye(5), atol=1e-10)
    with pytest.raises(ShapeError):
        project(np.ones(3), A)
