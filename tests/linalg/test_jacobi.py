"""The batched Jacobi kernels behind eigh/svd for stacks of small matrices: the fast form
(batch axis last, XOR-ordered rounds as strided views) against the plain round-robin form and
against LAPACK."""

import importlib

import numpy as np
import pytest

from aimath.linalg._jacobi import (
    jacobi_eigh,
    jacobi_eigh_round_robin,
    jacobi_svd,
    jacobi_svd_round_robin,
    xor_rounds,
)

from ._helpers import EPS, orthogonal, with_singular_values

J = importlib.import_module("aimath.linalg._jacobi")


def _sym(rng, b, n):
    A = rng.standard_normal((b, n, n))
    return A + np.swapaxes(A, -1, -2)


@pytest.mark.parametrize("N", [2, 4, 8, 16])
def test_xor_rounds_are_a_complete_sweep(N):
    seen = set()
    idx = np.arange(N).reshape((2,) * (N.bit_length() - 1))
    for d, (sp, sq, p, q) in enumerate(xor_rounds(N), start=1):
        assert sorted(np.concatenate([p, q]).tolist()) == list(range(N))  # disjoint pairs covering all
        assert np.array_equal(p ^ d, q) and np.array_equal(idx[sp].ravel(), p) and np.array_equal(idx[sq].ravel(), q)
        seen |= {(min(a, b), max(a, b)) for a, b in zip(p.tolist(), q.tolist(), strict=True)}
    assert len(seen) == N * (N - 1) // 2  # every pair exactly once per sweep


def _check_eig(A, w, V, c=20):
    n = A.shape[-1]
    scale = np.abs(A).max(axis=(-2, -1))[:, None, None] + np.finfo(float).tiny
    res = np.abs((A / scale) @ V - V * (w[:, None, :] / scale)).max()  # scaled first: no overflow
    orth = np.abs(np.swapaxes(V, -1, -2) @ V - np.eye(n)).max()
    assert res < c * n * EPS and orth < c * n * EPS


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 9, 16])
def test_eigh_fast_equals_round_robin_and_lapack(rng, n):
    A = _sym(rng, 25, n)
    w, V = jacobi_eigh(A)
    w2, V2 = jacobi_eigh_round_robin(A)
    wl = np.linalg.eigvalsh(A)
    assert np.allclose(np.sort(w, -1), wl, atol=20 * n * EPS * np.abs(wl).max())
    assert np.allclose(np.sort(w, -1), np.sort(w2, -1), atol=20 * n * EPS * np.abs(wl).max())
    _check_eig(A, w, V)
    # the same invariant subspaces: eigenvectors agree up to sign once both are sorted
    o, o2 = np.argsort(w, -1), np.argsort(w2, -1)
    Vs, V2s = np.take_along_axis(V, o[:, None, :], -1), np.take_along_axis(V2, o2[:, None, :], -1)
    assert np.allclose(np.abs(np.sum(Vs * V2s, axis=-2)), 1, atol=1e-8)
    w3, none = jacobi_eigh(A, vectors=False)
    assert none is None and np.allclose(np.sort(w3, -1), np.sort(w, -1), atol=1e-12 * np.abs(wl).max())


def test_eigh_hard_stacks(rng, monkeypatch):
    monkeypatch.setattr(J, "_CHUNK", 7)  # several chunks, uneven last one
    n = 8
    Q = np.stack([orthogonal(rng, n) for _ in range(20)])
    lam = np.tile(np.array([1.0, 1.0, 1.0, 2.0, 2.0, 1e-9, -1e-9, 3.0]), (20, 1))  # repeated and clustered
    A = (Q * lam[:, None, :]) @ np.swapaxes(Q, -1, -2)
    A = (A + np.swapaxes(A, -1, -2)) / 2
    A[3] *= 1e-150
    A[4] *= 1e150
    A[5] = 0.0
    A[6] = np.diag(np.arange(8.0))
    A[8] *= 1e307  # A·V would overflow: the Rayleigh quotients must not
    w, V = jacobi_eigh(A)
    _check_eig(A, w, V)
    assert np.array_equal(np.sort(w[6]), np.arange(8.0)) and np.array_equal(w[5], np.zeros(8))
    A32 = _sym(rng, 10, 8).astype(np.float32)
    w, V = jacobi_eigh(A32)
    assert w.dtype == V.dtype == np.float32
    assert np.abs(A32 @ V - V * w[:, None, :]).max() < 50 * np.finfo(np.float32).eps * np.abs(A32).max()


@pytest.mark.parametrize("shape", [(25, 1, 1), (25, 3, 3), (25, 8, 8), (25, 10, 6), (25, 16, 16), (25, 9, 9)])
def test_svd_fast_equals_round_robin_and_lapack(rng, shape):
    A = rng.standard_normal(shape)
    n = shape[-1]
    US, V = jacobi_svd(A)
    US2, V2 = jacobi_svd_round_robin(A)
    s, s2 = np.linalg.norm(US, axis=-2), np.linalg.norm(US2, axis=-2)
    sl = np.linalg.svd(A, compute_uv=False)
    assert np.allclose(np.sort(s, -1)[:, ::-1], sl, atol=20 * n * EPS * sl.max())
    assert np.allclose(np.sort(s, -1), np.sort(s2, -1), atol=20 * n * EPS * sl.max())
    assert np.abs(A @ V - US).max() < 20 * n * EPS * sl.max()
    assert np.abs(np.swapaxes(V, -1, -2) @ V - np.eye(n)).max() < 20 * n * EPS
    US3, none = jacobi_svd(A, vectors=False)
    s3 = np.linalg.norm(US3, axis=-2)
    assert none is None and np.allclose(np.sort(s3, -1), np.sort(s, -1), atol=1e-12 * sl.max())


def test_svd_hard_stacks(rng, monkeypatch):
    monkeypatch.setattr(J, "_CHUNK", 6)
    n = 8
    A = np.stack([with_singular_values(rng, n, n, np.logspace(0, -12, n)) for _ in range(15)])
    A[2] = with_singular_values(rng, n, n, [3, 2, 1, 1, 0, 0, 0, 0])  # rank deficient, repeated
    A[3] *= 1e-150
    A[4] = 0.0
    US, V = jacobi_svd(A)
    smax = np.abs(A).max(axis=(-2, -1))
    for i in range(len(A)):
        u = max(smax[i], 1e-300)  # compare scaled copies: squares of 1e-162 underflow in norm()
        s = np.linalg.norm(US[i] / u, axis=-2)
        sl = np.linalg.svd(A[i] / u, compute_uv=False)
        assert np.allclose(np.sort(s)[::-1], sl, rtol=0, atol=20 * n * EPS * sl[0])
        assert np.abs(A[i] @ V[i] - US[i]).max() <= 20 * n * EPS * smax[i]
    assert np.abs(np.swapaxes(V, -1, -2) @ V - np.eye(n)).max() < 20 * n * EPS


def test_other_backends_take_the_plain_form(xp, rng):
    A = _sym(rng, 4, 6)
    w, V = jacobi_eigh(xp.asarray(A))
    assert np.allclose(np.sort(xp.to_numpy(w), -1), np.linalg.eigvalsh(A))
    US, V = jacobi_svd(xp.asarray(A))
    assert np.allclose(np.sort(np.linalg.norm(xp.to_numpy(US), axis=-2), -1),
                       np.sort(np.linalg.svd(A, compute_uv=False), -1))


def test_svd_rank_deficient_stack_converges(rng):
    # rank 3 of 5: the null columns of R end as rounding noise; rotating noise against large
    # columns used to stall (no convergence in 40 sweeps); they must come out as exact zeros
    from aimath.linalg import qr, svd

    A = rng.standard_normal((2000, 7, 3)) @ rng.standard_normal((2000, 3, 5))
    R = qr(A, mode="r")
    US, V = jacobi_svd(R)
    s = np.linalg.norm(US, axis=-2)
    assert np.all(np.sum(s == 0, axis=-1) >= 1)  # numerically zero columns are exact zeros
    assert np.abs(R @ V - US).max() < 50 * EPS * np.abs(R).max()
    U, s2, Vh = svd(A)
    assert np.abs(np.swapaxes(U, -1, -2) @ U - np.eye(7)).max() < 50 * EPS
    assert np.abs((U[..., :5] * s2[..., None, :]) @ Vh - A).max() < 50 * EPS * np.abs(A).max()
    assert np.allclose(s2, np.linalg.svd(A, compute_uv=False), atol=50 * EPS * np.abs(A).max())


@pytest.mark.parametrize("scale", [1e-310, 1e-200, 1e200])
def test_fast_forms_on_subnormal_and_huge_stacks(rng, scale):
    # The per-matrix scaling is applied with ldexp: a factor 2**k would be inf for entries near
    # 1e-310 (k ≈ 1029) and the whole stack would come back as NaN.
    B = rng.standard_normal((40, 6, 6))
    S = B + np.swapaxes(B, -1, -2)
    # Subnormal entries carry about 44 significant bits, hence the looser bound at 1e-310.
    tol = (1e-12 if scale < 1e-300 else 50 * EPS)
    w, V = jacobi_eigh(S * scale)
    np.testing.assert_allclose(np.sort(w / scale, axis=-1), np.linalg.eigvalsh(S),
                               atol=tol * np.abs(S).max())
    US, V = jacobi_svd(B * scale)
    s = np.sort(np.linalg.norm(US / scale, axis=-2), axis=-1)[:, ::-1]
    ref = np.linalg.svd(B, compute_uv=False)
    np.testing.assert_allclose(s, ref, atol=tol * ref[:, :1].max())
    np.testing.assert_allclose(US @ np.swapaxes(V, -1, -2) / scale, B, atol=tol * np.abs(B).max())
