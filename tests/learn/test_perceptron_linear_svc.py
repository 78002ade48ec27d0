"""Perceptron (textbook = fast form, Novikoff) and LinearSVC (dual CD vs liblinear, Pegasos)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import svm as sksvm
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import StandardScaler

from aimath.errors import DomainError
from aimath.learn import LinearSVC, Perceptron, novikoff_bound
from aimath.learn.linear_svc import linear_svc_dual_cd, linear_svm_objective
from aimath.learn.perceptron import perceptron_textbook, perceptron_train


def _separable(rng, n=150, d=3):
    X = rng.standard_normal((n, d))
    u = rng.standard_normal(d)
    s = X @ u + 0.2
    keep = np.abs(s) > 0.4
    return X[keep], np.where(s[keep] > 0, 1.0, -1.0)


def test_perceptron_fast_equals_textbook(rng):
    X, y = _separable(rng)
    order = np.stack([rng.permutation(len(y)) for _ in range(200)])
    a = perceptron_textbook(X, y, max_iter=200, order=order)
    b = perceptron_train(X, y, max_iter=200, order=order)
    np.testing.assert_array_equal(a[0], b[0])
    assert a[1:] == b[1:]
    Xn = X + 0.3 * rng.standard_normal(X.shape)  # not separable: both stop at max_iter
    a = perceptron_textbook(Xn, y, max_iter=5, order=order)
    b = perceptron_train(Xn, y, max_iter=5, order=order)
    np.testing.assert_array_equal(a[0], b[0])
    assert a[2] == b[2]


def test_perceptron_estimator_and_novikoff(rng):
    X, y = _separable(rng)
    clf = Perceptron(random_state=0).fit(X, y)
    assert clf.score(X, y) == 1.0 and clf.converged_[0]
    assert clf.n_updates_[0] <= clf.novikoff_bound_[0]
    bound, R, gamma = novikoff_bound(X, y)
    assert bound == pytest.approx((R / gamma) ** 2)
    # γ from the max-margin separator beats the one from the perceptron's own separator
    w = clf.coef_[0]
    assert bound <= novikoff_bound(X, y, w=w, b=clf.intercept_[0])[0] * (1 + 1e-12)
    with pytest.raises(DomainError):
        novikoff_bound(X, y, w=-w, b=-clf.intercept_[0])
    Xi, yi = load_iris(return_X_y=True)
    m = Perceptron(random_state=0, max_iter=50).fit(Xi, yi)
    assert m.coef_.shape == (3, 4) and m.decision_function(Xi).shape == (150, 3)
    assert m.converged_[0] and np.isfinite(m.novikoff_bound_[0]) and np.isnan(m.novikoff_bound_[1])


@pytest.mark.parametrize("loss", ["hinge", "squared_hinge"])
def test_linear_svc_matches_liblinear(loss):
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    ours = LinearSVC(loss=loss, C=0.5, tol=1e-7, max_iter=3000, random_state=0).fit(X, y)
    ref = sksvm.LinearSVC(loss=loss, C=0.5, tol=1e-10, max_iter=200000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=2e-5)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=2e-5)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def _cancer(n=None):
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    return (X, y) if n is None else (X[:n], y[:n])


@pytest.mark.parametrize("loss", ["hinge", "squared_hinge"])
@pytest.mark.parametrize("shrinking", [True, False])
def test_dual_cd_gram_form_has_the_same_iterates(loss, shrinking):
    """Keeping G = Q̄α − 1 (Gram form) or w = Σ αᵢyᵢxᵢ (primal form) is the same algorithm."""
    X, y = _cancer(200)
    Xa = np.hstack([X, np.ones((len(y), 1))])
    Y = np.stack([np.where(y == 1, 1.0, -1.0), np.where(X[:, 0] > 0, 1.0, -1.0)])
    C = np.linspace(0.05, 0.5, len(y))  # per-sample weights
    out = [linear_svc_dual_cd(Xa, Y, C, loss=loss, tol=1e-6, max_iter=60, rng=3, shrinking=shrinking, gram=g)
           for g in (True, False)]
    np.testing.assert_allclose(out[0][1], out[1][1], rtol=0, atol=1e-11)
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=0, atol=1e-11)
    assert out[0][2] == out[1][2]


@pytest.mark.parametrize("loss", ["hinge", "squared_hinge"])
def test_dual_cd_stops_at_a_kkt_point_with_and_without_shrinking(loss):
    X, y = _cancer(300)
    Xa = np.hstack([X, np.ones((len(y), 1))])
    Y = np.where(y == 1, 1.0, -1.0)[None]
    C, tol = 0.2, 1e-7
    sols = []
    for shrinking in (True, False):
        W, A, _, ok = linear_svc_dual_cd(Xa, Y, C, loss=loss, tol=tol, max_iter=20000, rng=0, shrinking=shrinking)
        assert ok
        a = A[0]
        U, D = (C, 0.0) if loss == "hinge" else (np.inf, 0.5 / C)
        np.testing.assert_allclose(W[0], (a * Y[0]) @ Xa, atol=1e-10)  # w = Σ αᵢyᵢxᵢ, recomputed
        G = Y[0] * (Xa @ W[0]) - 1 + D * a
        PG = np.where(a <= 0, np.minimum(G, 0), np.where(a >= U, np.maximum(G, 0), G))
        # the rule max PG − min PG ≤ tol is met while the last epoch runs (as in liblinear); that
        # epoch's own steps (each |Δαᵢ| ≤ tol/Q̄ᵢᵢ) then move the gradients by O(tol)
        assert PG.max() - PG.min() <= 10 * tol
        assert PG.max() - PG.min() > 0  # and this is a measurement, not an identity
        sols.append(W[0])
    # two KKT points of a strictly convex (in w) problem: the same w up to the tolerance
    np.testing.assert_allclose(sols[0], sols[1], atol=1e-5)


def test_linear_svc_primal_objective_matches_liblinear_on_breast_cancer():
    X, y = _cancer()
    Xa = np.hstack([X, np.ones((len(y), 1))])
    Y = np.where(y == 1, 1.0, -1.0)[None]
    for loss in ("hinge", "squared_hinge"):
        ours = LinearSVC(C=0.1, loss=loss, tol=1e-6, max_iter=20000, random_state=0).fit(X, y)
        ref = sksvm.LinearSVC(C=0.1, loss=loss, tol=1e-8, max_iter=100000, random_state=0).fit(X, y)
        f = [linear_svm_objective(np.c_[m.coef_, m.intercept_], Xa, Y, 0.1, loss)[0] for m in (ours, ref)]
        assert abs(f[0] - f[1]) <= 1e-6 * f[1]
        np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_pegasos_reaches_the_cd_objective():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)[:300]
    y = y[:300]
    cd = LinearSVC(loss="hinge", tol=1e-6, max_iter=2000, random_state=0).fit(X, y)
    pg = LinearSVC(loss="hinge", solver="pegasos", max_iter=100, random_state=0).fit(X, y)
    Xa = np.hstack([X, np.ones((len(y), 1))])
    Y = np.where(y == 1, 1.0, -1.0)[None]
    f_cd = linear_svm_objective(np.c_[cd.coef_, cd.intercept_], Xa, Y, 1.0)[0]
    f_pg = linear_svm_objective(np.c_[pg.coef_, pg.intercept_], Xa, Y, 1.0)[0]
    assert f_cd <= f_pg <= 1.1 * f_cd
    assert abs(pg.score(X, y) - cd.score(X, y)) <= 0.02


def test_bad_input():
    X, y = np.random.default_rng(0).standard_normal((10, 2)), np.arange(10) % 2
    for est in (Perceptron(), LinearSVC()):
        with pytest.raises(NotFittedError):
            est.predict(X)
        with pytest.raises(ValueError, match="NaN"):
            est.fit(np.full((10, 2), np.nan), y)
    with pytest.raises(ValueError, match="pegasos"):
        LinearSVC(solver="pegasos").fit(X, y)
    with pytest.raises(ValueError, match="loss"):
        LinearSVC(loss="log").fit(X, y)
    with pytest.raises(ValueError, match="eta0"):
        Perceptron(eta0=0.0).fit(X, y)
