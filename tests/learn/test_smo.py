"""SMO: the textbook and batched forms agree, the kernel-row cache, agreement with libsvm."""

from __future__ import annotations

import numpy as np
from sklearn import svm as sksvm

from aimath.learn.duality import svm_dual_objective
from aimath.learn.kernels import rbf_kernel
from aimath.learn.smo import KernelRowCache, smo, smo_batch


def _problem(rng, n=80):
    X = rng.standard_normal((n, 2))
    y = np.where(X[:, 0] * X[:, 1] + 0.3 * rng.standard_normal(n) > 0, 1.0, -1.0)
    return X, y


def test_textbook_equals_batched_and_lru(rng):
    kern = lambda A, B: rbf_kernel(A, B, gamma=0.8)
    probs = [_problem(rng, n) for n in (60, 80, 45)]
    m = 80
    S = np.zeros((3, m), dtype=np.int64)
    Y = np.ones((3, m))
    U = np.zeros((3, m))
    Xall = np.vstack([p[0] for p in probs])
    off = 0
    for k, (_X, y) in enumerate(probs):
        S[k, : len(y)] = off + np.arange(len(y))
        Y[k, : len(y)] = y
        U[k, : len(y)] = 2.0
        off += len(y)
    for cache_size in (200.0, 0.0001):  # full buffer, then an LRU of a few rows
        cache = KernelRowCache(Xall, kern, cache_size=cache_size)
        assert (cache.full is None) == (cache_size < 1)
        res = smo_batch(cache, S, Y, U, tol=1e-3)
        for k, (X, y) in enumerate(probs):
            ref = smo(kern(X, X), y, 2.0, tol=1e-3)
            np.testing.assert_allclose(res.alpha[k, : len(y)], ref.alpha, atol=1e-12)
            np.testing.assert_allclose(res.rho[k], ref.rho, atol=1e-12)
            assert res.n_iter[k] == ref.n_iter
            assert np.all(res.alpha[k, len(y):] == 0)


def test_matches_libsvm_dual_objective(rng):
    X, y = _problem(rng, 150)
    K = rbf_kernel(X, gamma=0.5)
    for C in (0.1, 1.0, 20.0):
        ours = smo(K, y, C, tol=1e-3)
        ref = sksvm.SVC(C=C, gamma=0.5, tol=1e-3).fit(X, y)
        a = np.zeros(len(y))
        a[ref.support_] = np.abs(ref.dual_coef_[0])
        d_ours, d_ref = svm_dual_objective(ours.alpha, K, y), svm_dual_objective(a, K, y)
        assert abs(d_ours - d_ref) <= 1e-4 * abs(d_ref)
        assert np.all(ours.alpha >= 0) and np.all(ours.alpha <= C)
        assert abs(ours.alpha @ y) < 1e-10
        np.testing.assert_allclose(-ours.rho, ref.intercept_[0], atol=5e-3)  # f = Σ yαk − ρ


def test_hard_margin_separable(rng):
    X = rng.standard_normal((60, 2))
    y = np.where(X[:, 0] + 0.5 * X[:, 1] > 0, 1.0, -1.0)
    X = X + 0.3 * y[:, None] * np.array([1.0, 0.5])  # open a gap
    res = smo(X @ X.T, y, np.inf, tol=1e-10)
    w = (res.alpha * y) @ X
    margins = y * (X @ w - res.rho)
    assert margins.min() > 1 - 1e-8
    np.testing.assert_allclose(margins[res.alpha > 0], 1.0, atol=1e-8)
