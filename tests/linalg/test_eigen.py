import numpy as np
import pytest
import scipy.linalg as sl

from aimath.errors import ConvergenceError, DomainError, ShapeError
from aimath.linalg import (
    eig,
    eigvals,
    expm,
    hessenberg,
    inverse_iteration,
    pagerank,
    power_iteration,
    rayleigh_quotient_iteration,
    stationary_distribution,
)
from aimath.linalg.eig import qr_algorithm_unshifted
from aimath.linalg.expm import expm_taylor

from ._helpers import symmetric_with


def test_vector_iterations(rng):
    A = symmetric_with(rng, [5.0, 2.0, 1.0, -1.0])
    r = power_iteration(A, rng=0)
    assert abs(r.eigenvalue - 5) < 1e-9 and r.n_iter == len(r.history)
    r = inverse_iteration(A, 1.9, rng=0)
    assert abs(r.eigenvalue - 2) < 1e-10
    r = rayleigh_quotient_iteration(A, rng=1)
    assert min(abs(r.eigenvalue - w) for w in [5, 2, 1, -1]) < 1e-12 and r.n_iter < 10
    with pytest.raises(ConvergenceError):
        power_iteration(np.diag([1.0, -1.0]), np.array([1.0, 1.0]), max_iter=50)
    with pytest.raises(DomainError):
        power_iteration(A, np.zeros(4))
    with pytest.raises(ShapeError):
        power_iteration(np.ones((2, 3)))


@pytest.mark.parametrize("n", [1, 2, 6, 30])
def test_eig(rng, n):
    A = rng.standard_normal((n, n))
    w, V = eig(A)
    assert np.allclose(np.sort_complex(w), np.sort_complex(np.linalg.eigvals(A)))
    assert np.abs(A @ V - V * w).max() < 1e-11
    assert np.allclose(np.linalg.norm(V, axis=0), 1)


def test_eig_real_and_batched(xp, rng):
    S = symmetric_with(rng, [3.0, 1.0, -2.0])
    w = xp.to_numpy(eigvals(xp.asarray(np.stack([S, 2 * S]))))
    assert not np.iscomplexobj(w) and np.allclose(np.sort(w[1]), [-4, 2, 6])
    with pytest.raises(ShapeError):
        eig(np.ones((2, 3)))


def test_hessenberg(xp, rng):
    A = rng.standard_normal((2, 7, 7))
    H, Q = (xp.to_numpy(t) for t in hessenberg(xp.asarray(A), calc_q=True))
    assert np.allclose(np.tril(H, -2), 0) and np.allclose(Q @ H @ np.swapaxes(Q, -1, -2), A)
    assert np.allclose(np.abs(H[0]), np.abs(sl.hessenberg(A[0])))


def test_unshifted_qr():
    T = qr_algorithm_unshifted(np.diag([3.0, 2.0, 1.0]) + np.triu(np.ones((3, 3)), 1), 200)
    assert np.allclose(np.diag(T), [3, 2, 1])


def test_expm(xp, rng):
    for s in (1e-3, 1.0, 30.0):
        A = rng.standard_normal((5, 5)) * s
        ref = sl.expm(A)
        assert np.allclose(xp.to_numpy(expm(xp.asarray(A))), ref, rtol=1e-11, atol=1e-13 * np.abs(ref).max())
    A = rng.standard_normal((3, 4, 4)) * np.array([0.1, 1, 10])[:, None, None]
    assert np.allclose(expm(A), sl.expm(A))
    assert np.allclose(expm_taylor(A[0]), sl.expm(A[0]))
    B = rng.standard_normal((4, 4))
    assert np.allclose(expm(B) @ expm(-B), np.eye(4))


def test_markov(xp, rng):
    P = rng.random((3, 6, 6))
    P /= P.sum(-1, keepdims=True)
    pi = xp.to_numpy(stationary_distribution(xp.asarray(P)))
    assert np.allclose(np.einsum("bi,bij->bj", pi, P), pi, atol=1e-12) and np.allclose(pi.sum(-1), 1)
    with pytest.raises(DomainError):
        stationary_distribution(np.eye(3))
    with pytest.raises(DomainError):
        stationary_distribution(np.ones((2, 2)))


def test_pagerank(rng):
    A = (rng.random((8, 8)) < 0.3).astype(float)
    A[3] = 0  # a dangling page
    pr = pagerank(A)
    n, d = 8, 0.85
    out = A.sum(1)
    P = np.where(out[:, None] > 0, A / np.maximum(out, 1)[:, None], 1 / n)
    G = d * P + (1 - d) / n
    w, V = np.linalg.eig(G.T)
    ref = np.real(V[:, np.argmax(np.real(w))])
    assert np.allclose(pr, ref / ref.sum(), atol=1e-10)
    with pytest.raises(DomainError):
        pagerank(-A)
    with pytest.raises(DomainError):
        pagerank(A, damping=1.0)
