import numpy as np
import pytest

from aimath.errors import DomainError, ShapeError
from aimath.linalg import hadamard, kron, sherman_morrison, woodbury_solve


def test_kron(xp, rng):
    A, B = rng.standard_normal((3, 2)), rng.standard_normal((4, 5))
    assert np.allclose(xp.to_numpy(kron(xp.asarray(A), xp.asarray(B))), np.kron(A, B))
    As, Bs = rng.standard_normal((2, 3, 2)), rng.standard_normal((2, 2, 2))
    out = kron(As, Bs)
    assert np.allclose(out[1], np.kron(As[1], Bs[1]))


def test_hadamard(rng):
    A, B = rng.standard_normal((2, 3, 3))
    assert np.allclose(hadamard(A, B), A * B)
    with pytest.raises(ShapeError):
        hadamard(A, B[:2])


def test_sherman_morrison(rng):
    A = rng.standard_normal((6, 6)) + 6 * np.eye(6)
    u, v = rng.standard_normal((2, 6))
    out = sherman_morrison(np.linalg.inv(A), u, v)
    assert np.allclose(out, np.linalg.inv(A + np.outer(u, v)))
    with pytest.raises(DomainError, match="singular"):
        sherman_morrison(np.eye(2), np.array([1.0, 0.0]), np.array([-1.0, 0.0]))


def test_woodbury(rng):
    n, k = 30, 3
    d = rng.uniform(1, 2, n)
    U, V, C = rng.standard_normal((n, k)), rng.standard_normal((k, n)), np.eye(k)
    b = rng.standard_normal((n, 2))
    x = woodbury_solve(lambda R: R / d[:, None], U, C, V, b)
    assert np.allclose(x, np.linalg.solve(np.diag(d) + U @ C @ V, b))
    x1 = woodbury_solve(np.diag(d), U, C, V, b[:, 0])
    assert np.allclose(x1, x[:, 0])
    with pytest.raises(ShapeError):
        woodbury_solve(np.diag(d), U, np.eye(2), V, b)
