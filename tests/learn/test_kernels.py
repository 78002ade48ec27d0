"""Kernels, Gram matrices, the explicit polynomial feature map, the PSD test (NumPy and torch)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import pairwise as skp

from aimath.errors import DomainError, ShapeError
from aimath.learn import kernels as K


@pytest.mark.parametrize("name", ["linear", "poly", "rbf", "laplacian", "sigmoid"])
def test_kernels_match_sklearn_on_both_backends(xp, rng, name):
    X, Y = rng.standard_normal((7, 4)), rng.standard_normal((5, 4))
    ref = {"linear": skp.linear_kernel(X, Y), "poly": skp.polynomial_kernel(X, Y, degree=3, gamma=0.3, coef0=1.5),
           "rbf": skp.rbf_kernel(X, Y, gamma=0.3), "laplacian": skp.laplacian_kernel(X, Y, gamma=0.3),
           "sigmoid": skp.sigmoid_kernel(X, Y, gamma=0.3, coef0=0.5)}[name]
    kw = {"linear": {}, "poly": {"degree": 3, "gamma": 0.3, "coef0": 1.5}, "rbf": {"gamma": 0.3},
          "laplacian": {"gamma": 0.3}, "sigmoid": {"gamma": 0.3, "coef0": 0.5}}[name]
    out = K.KERNELS[name](xp.asarray(X), xp.asarray(Y), **kw)
    assert type(out).__module__.split(".")[0] == xp.name
    np.testing.assert_allclose(xp.to_numpy(out), ref, rtol=1e-12, atol=1e-13)
    fast = K.make_kernel(name, **kw)(X, Y)  # the estimators' unvalidated fast path
    np.testing.assert_allclose(fast, ref, rtol=1e-12, atol=1e-13)


def test_float32_kept_and_default_gamma(rng):
    X = rng.standard_normal((6, 3)).astype(np.float32)
    out = K.rbf_kernel(X)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, skp.rbf_kernel(X.astype(float)), rtol=1e-5)
    np.testing.assert_array_equal(np.diag(K.rbf_kernel(rng.standard_normal((9, 3)))), 1.0)


@pytest.mark.parametrize("degree,gamma,coef0", [(2, 1.0, 1.0), (3, 0.5, 2.0), (1, 2.0, 0.0), (4, 1.0, 0.3)])
def test_feature_map_reproduces_polynomial_kernel(xp, rng, degree, gamma, coef0):
    X, Y = rng.standard_normal((6, 3)), rng.standard_normal((4, 3))
    P = K.polynomial_feature_map(xp.asarray(X), degree, gamma=gamma, coef0=coef0)
    Q = K.polynomial_feature_map(xp.asarray(Y), degree, gamma=gamma, coef0=coef0)
    from math import comb

    assert tuple(P.shape) == (6, comb(3 + degree, degree))
    np.testing.assert_allclose(xp.to_numpy(P @ Q.T), (gamma * X @ Y.T + coef0) ** degree, rtol=1e-12, atol=1e-12)


def test_is_psd_kernel(rng):
    X = rng.standard_normal((25, 3))
    for k in ("linear", "poly", "rbf", "laplacian"):
        assert K.is_psd_kernel(k, X)
    assert not K.is_psd_kernel(lambda A, B: -K.rbf_kernel(A, B), X)
    # the sigmoid kernel with a large negative offset is not PSD
    assert not K.is_psd_kernel(lambda A, B: K.sigmoid_kernel(A, B, gamma=1.0, coef0=-3.0), X)
    assert not K.is_psd_kernel(lambda A, B: K.linear_kernel(A, B) + np.arange(len(A))[:, None] * 0.1, X)


def test_bad_input():
    with pytest.raises(ShapeError, match="same number of features"):
        K.rbf_kernel(np.ones((3, 2)), np.ones((3, 4)))
    with pytest.raises(ShapeError, match="X must have 2"):
        K.linear_kernel(np.ones(3))
    with pytest.raises(DomainError, match="finite"):
        K.rbf_kernel(np.array([[np.nan, 1.0]]))
    with pytest.raises(DomainError, match="coef0"):
        K.polynomial_feature_map(np.ones((2, 2)), 2, coef0=-1.0)
    with pytest.raises(DomainError, match="degree"):
        K.polynomial_feature_map(np.ones((2, 2)), 1.5)
    with pytest.raises(ValueError, match="kernel must be one of"):
        K.pairwise_kernel(np.ones((2, 2)), kernel="nope")
    with pytest.raises(ValueError, match="gamma"):
        K.resolve_gamma("bad", np.ones((2, 2)))
