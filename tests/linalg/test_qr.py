import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimath.errors import DomainError, ShapeError
from aimath.linalg import givens_rotation, householder_vector, qr
from aimath.linalg.qr import householder_qr_unblocked

from ._helpers import EPS, ill_conditioned


@pytest.mark.parametrize("shape", [(1, 1), (6, 6), (80, 80), (100, 37), (37, 100), (2, 3, 40, 35), (0, 4), (4, 0)])
@pytest.mark.parametrize("mode", ["reduced", "complete"])
def test_matches_numpy(rng, shape, mode):
    A = rng.standard_normal(shape)
    Q, R = qr(A, mode)
    Qn, Rn = np.linalg.qr(A, mode)
    assert Q.shape == Qn.shape and R.shape == Rn.shape
    assert np.allclose(Q, Qn, atol=1e-10) and np.allclose(R, Rn, atol=1e-10)  # same sign convention
    if A.size:
        assert np.allclose(qr(A, "r"), np.linalg.qr(A, "r"), atol=1e-10)


def test_ill_conditioned_residuals(rng):
    n = 120
    A = ill_conditioned(rng, n, 1e12)
    Q, R = qr(A)
    assert np.linalg.norm(A - Q @ R) / np.linalg.norm(A) < 5 * n * EPS
    assert np.linalg.norm(Q.T @ Q - np.eye(n)) < 5 * n * EPS


def test_blocked_equals_unblocked(rng):
    A = rng.standard_normal((70, 50))
    Q1, R1 = householder_qr_unblocked(A)
    Q2, R2 = qr(A, "complete")
    Q3, R3 = qr(A, "complete", block_size=1)
    assert np.allclose(Q1, Q2) and np.allclose(R1, R2) and np.allclose(Q3, Q2)


@pytest.mark.parametrize("method", ["givens", "gram_schmidt"])
def test_other_methods(rng, method):
    A = rng.standard_normal((12, 7))
    Q, R = qr(A, method=method)
    assert np.allclose(Q @ R, A) and np.allclose(Q.T @ Q, np.eye(7), atol=1e-12)
    assert np.allclose(np.abs(R), np.abs(np.linalg.qr(A)[1]))


def test_torch_and_float32(xp, rng):
    A = rng.standard_normal((5, 30, 20)).astype(np.float32)
    Q, R = qr(xp.asarray(A))
    Q, R = xp.to_numpy(Q), xp.to_numpy(R)
    assert Q.dtype == np.float32
    assert np.abs(Q @ R - A).max() < 1e-5


def test_householder_and_givens():
    v, tau, beta = householder_vector(np.array([0.0, 3.0, 4.0]))
    H = np.eye(3) - tau * np.outer(v, v)
    assert np.allclose(H @ [0, 3, 4], [beta, 0, 0]) and np.allclose(H @ H, np.eye(3))
    v, tau, beta = householder_vector(np.array([2.0, 0.0]))
    assert tau == 0 and beta == 2
    c, s, r = givens_rotation(np.array([1e300, 0.0]), np.array([1e300, 0.0]))
    assert np.isfinite(r).all() and c[1] == 1 and s[1] == 0


def test_errors():
    with pytest.raises(ShapeError):
        qr(np.ones(3))
    with pytest.raises(DomainError, match="finite"):
        qr(np.array([[np.nan]]))
    with pytest.raises(ValueError, match="mode"):
        qr(np.eye(2), mode="raw")


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 10), st.integers(1, 10), st.integers(0, 10**6))
def test_qr_property(m, n, seed):
    A = np.random.default_rng(seed).standard_normal((m, n))
    Q, R = qr(A, "complete")
    assert np.allclose(Q @ R, A, atol=1e-12) and np.allclose(Q.T @ Q, np.eye(m), atol=1e-12)


@pytest.mark.parametrize("shape", [(40, 8, 8), (5, 8, 9, 5), (40, 5, 9), (40, 1, 1), (40, 3, 1), (40, 1, 3)])
@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
def test_stack_of_small_matrices(rng, shape, mode):
    # stacks go through the batch-last Householder; it must agree with LAPACK and the blocked form
    A = rng.standard_normal(shape)
    out, ref = qr(A, mode), np.linalg.qr(A, mode)
    blocked = qr(A, mode, block_size=32)
    if mode == "r":
        out, ref, blocked = (out,), (ref,), (blocked,)
    for a, b, c in zip(out, ref, blocked, strict=True):
        assert a.shape == b.shape and a.flags.c_contiguous
        assert np.allclose(a, b, atol=1e-12) and np.allclose(a, c, atol=1e-13)


def test_stack_hard_matrices(rng):
    n = 8
    A = np.stack([ill_conditioned(rng, n, 1e12) for _ in range(30)])
    A[3] *= 1e-170  # squares underflow
    A[4] *= 1e170  # squares overflow
    A[5, :, 2] = 0.0  # a zero column
    A[6] = np.triu(A[6])  # zero tails: no reflection
    A[7, :, 1] = A[7, :, 0]  # rank deficient
    Q, R = qr(A)
    s = np.abs(A).max(axis=(-2, -1), keepdims=True)  # compare scaled copies: ‖A‖ itself overflows for A[4]
    res = np.linalg.norm((A - Q @ R) / s, axis=(-2, -1)) / np.linalg.norm(A / s, axis=(-2, -1))
    assert np.all(res <= 5 * n * EPS)
    assert np.all(np.linalg.norm(np.swapaxes(Q, -1, -2) @ Q - np.eye(n), axis=(-2, -1)) < 5 * n * EPS)
    assert np.allclose(np.abs(R[6]), np.abs(A[6]))
    A32 = A[8:].astype(np.float32)
    Q, R = qr(A32)
    assert Q.dtype == np.float32 and np.abs(Q @ R - A32).max() < 1e-5 * np.abs(A32).max()


def test_single_matrix_panel_hard_columns(rng):
    # one matrix takes the contiguous-panel path: tiny/huge/zero columns and a zero tail
    A = rng.standard_normal((90, 70))
    A[:, 3] *= 1e-170
    A[:, 5] *= 1e170
    A[:, 7] = 0.0
    A[9:, 8] = 0.0
    Q, R = qr(A)
    s = np.abs(A).max(axis=0)  # column scaling keeps the residual finite in the check
    s[s == 0] = 1.0
    assert np.abs((A - Q @ R) / s).max() < 50 * 90 * EPS
    assert np.abs(Q.T @ Q - np.eye(70)).max() < 50 * 90 * EPS
    Qs, Rs = qr(A[None].repeat(2, 0), block_size=32)  # the batched blocked form, same reflectors
    assert np.allclose(Qs[1], Q, atol=1e-12) and np.allclose(Rs[1] / s, R / s, atol=1e-12)
