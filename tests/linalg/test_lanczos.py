"""Lanczos tridiagonalisation with full reorthogonalisation against LAPACK's eigenvalues and
against the Householder reduction it stands in for (the eigh route for one small matrix)."""

import importlib

import numpy as np
import pytest

from aimath.errors import DomainError, ShapeError
from aimath.linalg import eigh, lanczos_tridiagonal
from aimath.linalg.tridiagonal import tridiagonalize

from ._helpers import EPS, symmetric_with

tri = importlib.import_module("aimath.linalg.tridiagonal")


def _check(A, c=10):
    n = A.shape[0]
    d, e, Q = lanczos_tridiagonal(A)
    T = np.diag(d) + np.diag(e, 1) + np.diag(e, -1)
    nrm = max(np.linalg.norm(A, 2), 1e-300)
    assert np.all(e >= 0)
    assert np.abs(Q.T @ Q - np.eye(n)).max() <= c * n * EPS
    assert np.abs(A @ Q - Q @ T).max() <= c * n * EPS * nrm
    assert np.abs(np.linalg.eigvalsh(T) - np.linalg.eigvalsh(A)).max() <= c * n * EPS * nrm
    return d, e, Q


@pytest.mark.parametrize("n", [1, 2, 3, 17, 64, 150])
def test_random(rng, n):
    M = rng.standard_normal((n, n))
    _check(M + M.T)


def test_repeated_and_clustered_eigenvalues(rng):
    """A Krylov space sees one copy of a repeated eigenvalue: the recurrence must break down and
    restart (T splits) to find the others."""
    A = symmetric_with(rng, np.repeat([1.0, 2.0, 3.0], 20))
    d, e, _ = _check(A)
    assert np.sum(e == 0) == 19  # a random start spans three eigenvectors: a restart every third step
    _check(symmetric_with(rng, [1, 1 + 1e-12, 1 - 1e-12, 5, 5, -2, 0, 0, 0, 1e-9]))


def test_identity_zero_and_rank_one(rng):
    d, e, Q = _check(np.eye(30))
    np.testing.assert_allclose(d, 1, atol=1e-14)
    assert np.all(e == 0)
    d, e, _ = _check(np.zeros((12, 12)))
    assert np.all(d == 0) and np.all(e == 0)
    u = rng.standard_normal(40)
    _check(np.outer(u, u))


def test_graded_and_scaled(rng):
    for s in (1e-150, 1.0, 1e150):
        A = symmetric_with(rng, np.logspace(0, -12, 40)) * s
        _check(A)


def test_start_vector_and_seed(rng):
    M = rng.standard_normal((20, 20))
    A = M + M.T
    v0 = rng.standard_normal(20)
    _, _, Q = lanczos_tridiagonal(A, v0)
    np.testing.assert_allclose(Q[:, 0], v0 / np.linalg.norm(v0), atol=1e-15)
    a = lanczos_tridiagonal(A, seed=3)
    b = lanczos_tridiagonal(A, seed=3)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x, y)


def test_same_tridiagonal_spectrum_as_householder(rng):
    """The fast form and the textbook reduction: different T, the same eigenvalues."""
    for n in (16, 50, 120):
        M = rng.standard_normal((n, n))
        A = M + M.T
        d, e, _ = lanczos_tridiagonal(A)
        dh, eh, _, _ = tridiagonalize(A[None])
        wl = np.linalg.eigvalsh(np.diag(d) + np.diag(e, 1) + np.diag(e, -1))
        wh = np.linalg.eigvalsh(np.diag(dh[0]) + np.diag(eh[0], 1) + np.diag(eh[0], -1))
        assert np.abs(wl - wh).max() <= 20 * n * EPS * np.abs(wh).max()


@pytest.mark.parametrize("n", [16, 100, 160])
def test_eigh_routes_agree(rng, n, monkeypatch):
    """eigh of one small matrix takes the Lanczos route; with it switched off, the Householder
    route: the same eigenvalues and, up to sign, the same eigenvectors (distinct eigenvalues)."""
    M = rng.standard_normal((n, n))
    A = M + M.T
    w1, V1 = eigh(A)
    assert tri._use_lanczos(A[None])
    monkeypatch.setattr(tri, "_LANCZOS_MAX", 0)
    assert not tri._use_lanczos(A[None])
    w2, V2 = eigh(A)
    nrm = np.abs(w2).max()
    assert np.abs(w1 - w2).max() <= 20 * n * EPS * nrm
    assert np.abs(A @ V1 - V1 * w1).max() <= 20 * n * EPS * nrm
    gap = np.min(np.diff(w2))
    assert np.abs(np.abs(np.sum(V1 * V2, axis=0)) - 1).max() <= 1e3 * n * EPS * nrm / gap


def test_errors():
    with pytest.raises(ShapeError):
        lanczos_tridiagonal(np.ones((3, 4)))
    with pytest.raises(ShapeError):
        lanczos_tridiagonal(np.ones((2, 3, 3)))
    with pytest.raises(DomainError):
        lanczos_tridiagonal(np.array([[1.0, np.nan], [np.nan, 1.0]]))
    with pytest.raises(DomainError, match="v0"):
        lanczos_tridiagonal(np.eye(3), np.zeros(3))
    with pytest.raises(ShapeError, match="v0"):
        lanczos_tridiagonal(np.eye(3), np.ones(4))


def test_bare_recurrence(rng):
    """reorthogonalize=False is the textbook three-term recurrence: exact on a few steps (same T as
    the reorthogonalised run from the same start), and on a spectrum with early-converging outliers
    it loses orthogonality and repeats them in T (Paige)."""
    M = rng.standard_normal((6, 6))
    A = M + M.T
    d0, e0, Q0 = lanczos_tridiagonal(A, seed=1)
    d1, e1, Q1 = lanczos_tridiagonal(A, seed=1, reorthogonalize=False)
    np.testing.assert_allclose(d1, d0, atol=1e-10)
    np.testing.assert_allclose(e1, e0, atol=1e-10)
    n = 80
    A = symmetric_with(rng, np.r_[[100.0, 50.0], rng.uniform(0, 1, n - 2)])
    d, e, Q = lanczos_tridiagonal(A, reorthogonalize=False)
    lam = np.linalg.eigvalsh(np.diag(d) + np.diag(e, 1) + np.diag(e, -1))
    assert np.abs(Q.T @ Q - np.eye(n)).max() > 0.1
    assert np.sum(np.abs(lam - 100.0) < 1e-6) >= 2
