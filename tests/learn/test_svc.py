"""SVC against scikit-learn's libsvm on the shipped data sets, its attributes, duality helpers, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import svm as sksvm
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine, make_moons
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import StandardScaler

from aimath.learn import SVC, kkt_residuals, primal_dual_gap, svm_dual_objective
from aimath.learn.kernels import make_kernel


def _data(name):
    if name == "moons":
        return make_moons(300, noise=0.25, random_state=0)
    X, y = {"iris": load_iris, "wine": load_wine, "breast_cancer": load_breast_cancer,
            "digits": load_digits}[name](return_X_y=True)
    if name == "digits":
        X, y = X[:600], y[:600]
    return StandardScaler().fit_transform(X) if name != "digits" else X, y


def _pair_duals(model, X):
    """Dual objective of each one-vs-one problem, read from scikit-learn's dual_coef_ layout."""
    classes = np.unique(model.classes_)
    sv_class = np.repeat(np.arange(len(classes)), model.n_support_)
    K = make_kernel(model.kernel, gamma=model._gamma, degree=model.degree, coef0=model.coef0)(
        model.support_vectors_, model.support_vectors_)
    out = []
    for a in range(len(classes)):
        for b in range(a + 1, len(classes)):
            v = np.zeros(len(sv_class))
            ia, ib = sv_class == a, sv_class == b
            v[ia] = model.dual_coef_[b - 1, ia]
            v[ib] = model.dual_coef_[a, ib]
            out.append(np.abs(v).sum() - 0.5 * v @ K @ v)
    return np.asarray(out)


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits", "moons"])
@pytest.mark.parametrize("kernel", ["rbf", "linear", "poly"])
def test_against_libsvm(name, kernel):
    X, y = _data(name)
    C = 1.0 if kernel != "linear" else 0.5
    ours = SVC(C=C, kernel=kernel, decision_function_shape="ovo").fit(X, y)
    ref = sksvm.SVC(C=C, kernel=kernel, decision_function_shape="ovo").fit(X, y)
    d_ours, d_ref = _pair_duals(ours, X), _pair_duals(ref, X)
    np.testing.assert_allclose(d_ours, d_ref, rtol=1e-4)
    np.testing.assert_allclose(ours.dual_objective_, d_ours, rtol=1e-10)
    # same support set up to borderline points (α ≈ 0 in one solution)
    diff = np.setxor1d(ours.support_, ref.support_)
    assert len(diff) <= max(3, 0.01 * len(ref.support_))
    acc_o, acc_r = ours.score(X, y), ref.score(X, y)
    assert abs(acc_o - acc_r) <= 0.005
    assert np.mean(ours.predict(X) == ref.predict(X)) >= 0.99
    assert ours.intercept_.shape == ref.intercept_.shape
    assert ours.dual_coef_.shape[0] == ref.dual_coef_.shape[0]
    np.testing.assert_array_equal(np.sort(ours.classes_), ref.classes_)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=0.05)


def test_binary_attributes_match_libsvm_tightly():
    X, y = make_moons(200, noise=0.2, random_state=1)
    ours = SVC(C=3.0, gamma=0.7, tol=1e-8).fit(X, y)
    ref = sksvm.SVC(C=3.0, gamma=0.7, tol=1e-8).fit(X, y)
    np.testing.assert_array_equal(ours.support_, ref.support_)
    np.testing.assert_array_equal(ours.n_support_, ref.n_support_)
    np.testing.assert_allclose(ours.dual_coef_, ref.dual_coef_, atol=1e-5)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=1e-5)
    np.testing.assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-5)
    lin = SVC(kernel="linear", tol=1e-8).fit(X, y)
    lin_ref = sksvm.SVC(kernel="linear", tol=1e-8).fit(X, y)
    np.testing.assert_allclose(lin.coef_, lin_ref.coef_, atol=1e-5)


def test_ovr_shape_break_ties_and_callable_kernel():
    X, y = _data("iris")
    m = SVC(decision_function_shape="ovr").fit(X, y)
    ref = sksvm.SVC(decision_function_shape="ovr").fit(X, y)
    np.testing.assert_allclose(m.decision_function(X), ref.decision_function(X), atol=0.01)
    assert SVC(decision_function_shape="ovo").fit(X, y).decision_function(X).shape == (150, 3)
    bt = SVC(break_ties=True).fit(X, y)
    assert np.mean(bt.predict(X) == np.argmax(bt.decision_function(X), axis=1)) == 1.0
    from aimath.learn.kernels import rbf_kernel

    a = SVC(kernel=lambda A, B: rbf_kernel(A, B, gamma=0.25), tol=1e-10).fit(X, y)
    b = SVC(gamma=0.25, tol=1e-10).fit(X, y)
    np.testing.assert_allclose(a.decision_function(X), b.decision_function(X), atol=1e-7)


def test_kkt_and_gap_helpers():
    X, y = make_moons(120, noise=0.3, random_state=2)
    m = SVC(C=2.0, gamma=1.0, tol=1e-10).fit(X, y)
    r, eq = kkt_residuals(m, X, y)
    assert r.max() < 1e-7 and eq < 1e-10
    gap = primal_dual_gap(m, X, y)
    assert -1e-9 <= gap <= 1e-6 * abs(m.dual_objective_[0])
    loose = SVC(C=2.0, gamma=1.0, tol=0.5).fit(X, y)
    assert primal_dual_gap(loose, X, y) > gap
    assert kkt_residuals(loose, X, y)[0].max() > 1e-3
    v = np.zeros(len(y))
    v[m.support_] = m.dual_coef_[0]
    Kx = make_kernel("rbf", gamma=1.0)(X, X)
    ys = np.where(y == 1, 1.0, -1.0)
    assert svm_dual_objective(ys * v, Kx, ys) == pytest.approx(m.dual_objective_[0], rel=1e-10)
    with pytest.raises(ValueError, match="binary"):
        kkt_residuals(SVC().fit(*_data("iris")), *_data("iris"))


def test_class_weight_and_sample_weight():
    X, y = make_moons(150, noise=0.3, random_state=3)
    a = SVC(class_weight={0: 3.0}).fit(X, y)
    b = sksvm.SVC(class_weight={0: 3.0}).fit(X, y)
    np.testing.assert_allclose(a.dual_objective_, _pair_duals(b, X), rtol=1e-4)
    np.testing.assert_allclose(a.decision_function(X), b.decision_function(X), atol=0.02)
    w = np.random.default_rng(0).uniform(0.2, 3.0, len(y))
    a = SVC().fit(X, y, sample_weight=w)
    b = sksvm.SVC().fit(X, y, sample_weight=w)
    np.testing.assert_allclose(a.decision_function(X), b.decision_function(X), atol=0.02)


def test_bad_input():
    X, y = make_moons(40, random_state=0)
    with pytest.raises(NotFittedError):
        SVC().predict(X)
    Xn = X.copy()
    Xn[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SVC().fit(Xn, y)
    with pytest.raises(ValueError, match="classes has to be greater than one"):
        SVC().fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="C must be"):
        SVC(C=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="kernel"):
        SVC(kernel="nope").fit(X, y)
    m = SVC().fit(X, y)
    with pytest.raises(ValueError, match="features"):
        m.predict(X[:, :1])
    with pytest.raises(AttributeError):
        m.coef_  # noqa: B018
    with pytest.warns(Warning, match="max_iter"):
        SVC(max_iter=2).fit(X, y)
