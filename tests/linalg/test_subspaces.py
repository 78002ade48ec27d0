import numpy as np
import pytest
import scipy.linalg as sl

from aimath.errors import DomainError, ShapeError
from aimath.linalg import (
    change_of_basis,
    coordinates,
    fundamental_subspaces,
    in_span,
    matrix_rank,
    null_space,
    orth,
)

from ._helpers import with_singular_values


@pytest.mark.parametrize("m,n,r", [(8, 5, 3), (5, 8, 2), (6, 6, 6), (4, 4, 0)])
def test_rank_and_subspaces(rng, m, n, r):
    A = rng.standard_normal((m, r)) @ rng.standard_normal((r, n))
    assert matrix_rank(A) == np.linalg.matrix_rank(A) == r
    S = fundamental_subspaces(A)
    assert S.rank == r and S.column.shape == (m, r) and S.null.shape == (n, n - r)
    assert S.row.shape == (n, r) and S.left_null.shape == (m, m - r)
    assert np.allclose(A @ S.null, 0, atol=1e-12) and np.allclose(A.T @ S.left_null, 0, atol=1e-12)
    assert np.allclose(S.row.T @ S.null, 0, atol=1e-12)
    assert null_space(A).shape == sl.null_space(A).shape
    assert orth(A).shape == sl.orth(A).shape


def test_rank_batched_and_tol(xp, rng):
    A = np.stack([with_singular_values(rng, 5, 5, [1, 1, 1e-3, 1e-9, 0]) for _ in range(3)])
    assert xp.to_numpy(matrix_rank(xp.asarray(A))).tolist() == [4, 4, 4]
    assert matrix_rank(A, tol=1e-6).tolist() == [3, 3, 3]


def test_in_span(rng):
    A = rng.standard_normal((6, 2))
    V = np.column_stack([A @ rng.standard_normal(2), rng.standard_normal(6)])
    assert in_span(V, A).tolist() == [True, False]
    with pytest.raises(ShapeError):
        in_span(np.ones(5), A)


def test_change_of_basis_round_trip(rng):
    B1, B2 = rng.standard_normal((2, 5, 5))
    C = change_of_basis(B1, B2)
    x = rng.standard_normal(5)
    assert np.allclose(B2 @ (C @ x), B1 @ x)
    assert np.allclose(change_of_basis(B2, B1) @ C, np.eye(5))
    assert np.allclose(coordinates(B1 @ x, B1), x)
    with pytest.raises(DomainError, match="basis"):
        change_of_basis(np.ones((2, 2)), np.eye(2))
    with pytest.raises(DomainError, match="basis"):
        coordinates(np.ones(2), np.ones((2, 2)))
