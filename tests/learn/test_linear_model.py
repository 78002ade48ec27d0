"""LinearRegression, Ridge and LogisticRegression against scikit-learn, plus their maths."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn import linear_model as sklm
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import StandardScaler

from aimath.learn import LinearRegression, LogisticRegression, Ridge, lbfgs_minimize, least_squares, ridge_solve

LOADERS = {"diabetes": load_diabetes, "breast_cancer": load_breast_cancer, "wine": load_wine, "iris": load_iris,
           "digits": load_digits}


def _rel(a, b):
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300)


@pytest.mark.parametrize("name", list(LOADERS))
@pytest.mark.parametrize("solver", ["qr", "normal", "svd"])
def test_linear_regression_matches_sklearn(name, solver):
    X, y = LOADERS[name](return_X_y=True)
    if name == "digits":
        X, y = X[:500], y[:500]
        X = X[:, X.std(0) > 0]  # constant pixels make X rank deficient
    y = y.astype(float)
    ours = LinearRegression(solver=solver).fit(X, y)
    ref = sklm.LinearRegression().fit(X, y)
    assert _rel(ours.coef_, ref.coef_) < 1e-8
    assert abs(ours.intercept_ - ref.intercept_) < 1e-8 * max(1.0, abs(ref.intercept_))


@pytest.mark.parametrize("name", list(LOADERS))
@pytest.mark.parametrize("solver", ["auto", "svd"])
def test_ridge_matches_sklearn(name, solver):
    X, y = LOADERS[name](return_X_y=True)
    X, y = X[:500], y[:500].astype(float)
    ours = Ridge(alpha=0.7, solver=solver).fit(X, y)
    ref = sklm.Ridge(alpha=0.7).fit(X, y)
    assert _rel(ours.coef_, ref.coef_) < 1e-8
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-8, atol=1e-8)


def test_multi_target_weights_and_no_intercept(rng):
    X = rng.standard_normal((40, 5))
    Y = rng.standard_normal((40, 3))
    w = rng.uniform(0.1, 3.0, 40)
    for fit_intercept in (True, False):
        a = LinearRegression(fit_intercept=fit_intercept).fit(X, Y, sample_weight=w)
        b = sklm.LinearRegression(fit_intercept=fit_intercept).fit(X, Y, sample_weight=w)
        np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(a.intercept_, b.intercept_, atol=1e-12)
        a = Ridge(alpha=[0.1, 1.0, 10.0], fit_intercept=fit_intercept).fit(X, Y, sample_weight=w)
        b = sklm.Ridge(alpha=[0.1, 1.0, 10.0], fit_intercept=fit_intercept).fit(X, Y, sample_weight=w)
        np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-10, atol=1e-12)


def test_least_squares_rank_deficient_gives_min_norm(rng):
    A = rng.standard_normal((20, 3)) @ rng.standard_normal((3, 6))  # rank 3
    b = rng.standard_normal(20)
    ref = np.linalg.lstsq(A, b, rcond=None)[0]
    for solver in ("qr", "normal", "svd"):
        np.testing.assert_allclose(least_squares(A, b, solver)[0], ref, rtol=1e-8, atol=1e-10)
    # wide system: ridge's dual form and the SVD filter agree, and tend to the min-norm solution
    W = rng.standard_normal((5, 12))
    c = rng.standard_normal(5)
    np.testing.assert_allclose(ridge_solve(W, c, 0.3), ridge_solve(W, c, 0.3, "svd"), rtol=1e-10)
    np.testing.assert_allclose(ridge_solve(W, c, 1e-11), np.linalg.pinv(W) @ c, rtol=1e-7)


@pytest.mark.parametrize("name,solver", [("iris", "lbfgs"), ("wine", "lbfgs"), ("breast_cancer", "lbfgs"),
                                         ("digits", "lbfgs"), ("iris", "newton"), ("wine", "newton"),
                                         ("breast_cancer", "newton")])
def test_logistic_matches_sklearn(name, solver):
    X, y = LOADERS[name](return_X_y=True)
    if name == "digits":
        X, y = X[:300], y[:300]
    X = StandardScaler().fit_transform(X)
    ours = LogisticRegression(solver=solver, tol=1e-10, max_iter=2000).fit(X, y)
    ref = sklm.LogisticRegression(tol=1e-12, max_iter=20000).fit(X, y)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-4)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    P = ours.predict_proba(X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.log(P), ours.predict_log_proba(X), atol=1e-10)


def test_logistic_gd_monotone_and_matches_newton(rng):
    X = rng.standard_normal((80, 3))
    y = (X[:, 0] + 0.5 * rng.standard_normal(80) > 0).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gd = LogisticRegression(solver="gd", max_iter=3000, tol=1e-9).fit(X, y)
    nt = LogisticRegression(solver="newton", tol=1e-12).fit(X, y)
    assert np.all(np.diff(gd.loss_curve_) <= 1e-15)
    np.testing.assert_allclose(gd.coef_, nt.coef_, atol=1e-6)
    ref = sklm.LogisticRegression(C=0.3, tol=1e-12).fit(X, y, sample_weight=np.arange(1, 81))
    ours = LogisticRegression(C=0.3, tol=1e-10).fit(X, y, sample_weight=np.arange(1, 81))
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=1e-6)


def test_lbfgs_on_rosenbrock():
    def fg(x):
        f = 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
        g = np.array([-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 200 * (x[1] - x[0] ** 2)])
        return f, g

    x, f, _, hist, ok = lbfgs_minimize(fg, np.array([-1.2, 1.0]), tol=1e-10, max_iter=500)
    assert ok
    np.testing.assert_allclose(x, [1.0, 1.0], atol=1e-8)
    assert np.all(np.diff(hist) <= 0)


def test_bad_input():
    X, y = np.random.default_rng(0).standard_normal((10, 2)), np.arange(10) % 2
    for est in (LinearRegression(), Ridge(), LogisticRegression()):
        with pytest.raises(NotFittedError):
            est.predict(X)
        Xn = X.copy()
        Xn[1, 1] = np.inf
        with pytest.raises(ValueError, match="infinity|inf"):
            est.fit(Xn, y)
    with pytest.raises(ValueError, match="solver"):
        LinearRegression(solver="cg").fit(X, y)
    with pytest.raises(ValueError, match="alpha"):
        Ridge(alpha=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="one class"):
        LogisticRegression().fit(X, np.zeros(10))
    with pytest.raises(ValueError, match="C must"):
        LogisticRegression(C=0).fit(X, y)
