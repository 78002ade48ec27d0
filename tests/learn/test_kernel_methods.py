"""KernelRidge, KernelPCA and PCA against scikit-learn; PSD domain errors."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import decomposition as skd
from sklearn import kernel_ridge as skkr
from sklearn.datasets import load_digits, load_wine
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import StandardScaler

from aimath.errors import DomainError
from aimath.learn import PCA, KernelPCA, KernelRidge


def _wine():
    X, y = load_wine(return_X_y=True)
    return StandardScaler().fit_transform(X), y.astype(float)


@pytest.mark.parametrize("kernel,kw", [("linear", {}), ("rbf", {"gamma": 0.05}), ("poly", {"degree": 2}),
                                       ("laplacian", {"gamma": 0.1})])
def test_kernel_ridge_matches_sklearn(kernel, kw):
    X, y = _wine()
    ours = KernelRidge(alpha=0.3, kernel=kernel, **kw).fit(X[:100], y[:100])
    ref = skkr.KernelRidge(alpha=0.3, kernel=kernel, **kw).fit(X[:100], y[:100])
    np.testing.assert_allclose(ours.dual_coef_, ref.dual_coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-8, atol=1e-10)
    w = np.linspace(0.5, 2.0, 100)
    ours = KernelRidge(alpha=0.3, kernel=kernel, **kw).fit(X[:100], y[:100], sample_weight=w)
    ref = skkr.KernelRidge(alpha=0.3, kernel=kernel, **kw).fit(X[:100], y[:100], sample_weight=w)
    np.testing.assert_allclose(ours.predict(X), ref.predict(X), rtol=1e-8, atol=1e-10)


def test_non_psd_kernel_is_a_domain_error():
    X, y = _wine()
    with pytest.raises(DomainError, match="positive semi-definite"):
        KernelRidge(alpha=1e-3, kernel="sigmoid", gamma=1.0, coef0=-2.0).fit(X[:60], y[:60])
    with pytest.raises(DomainError, match="positive semi-definite"):
        KernelPCA(2, kernel=lambda A, B: -A @ B.T).fit(X[:60])


@pytest.mark.parametrize("kernel,kw", [("rbf", {"gamma": 0.05}), ("poly", {"degree": 2}), ("linear", {})])
def test_kernel_pca_matches_sklearn(kernel, kw):
    X, _ = _wine()
    Xf = X[:70]
    ours = KernelPCA(3, kernel=kernel, **kw).fit(Xf)
    ref = skd.KernelPCA(3, kernel=kernel, **kw).fit(Xf)
    np.testing.assert_allclose(ours.eigenvalues_, ref.eigenvalues_, rtol=1e-9)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), atol=1e-8)
    np.testing.assert_allclose(KernelPCA(3, kernel=kernel, **kw).fit_transform(Xf), ref.transform(Xf), atol=1e-8)


@pytest.mark.parametrize("solver", ["full", "covariance_eigh"])
@pytest.mark.parametrize("whiten", [False, True])
@pytest.mark.parametrize("n_components", [None, 5, 0.9])
def test_pca_matches_sklearn(solver, whiten, n_components):
    X, _ = _wine()
    ours = PCA(n_components, whiten=whiten, svd_solver=solver).fit(X)
    ref = skd.PCA(n_components, whiten=whiten, svd_solver="full").fit(X)
    assert ours.n_components_ == ref.n_components_
    np.testing.assert_allclose(ours.components_, ref.components_, atol=1e-10)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(ours.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=1e-10)
    np.testing.assert_allclose(ours.transform(X), ref.transform(X), atol=1e-9)
    np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X)), ref.inverse_transform(ref.transform(X)),
                               atol=1e-9)


@pytest.mark.parametrize(("shape", "nc", "expected"), [((2000, 20), 5, "covariance_eigh"), ((300, 40), 5, "full"),
                                                       ((520, 60), 10, "randomized"), ((520, 60), 50, "full"),
                                                       ((520, 60), None, "full")])
def test_pca_auto_solver_is_scikit_learns(rng, shape, nc, expected):
    X = rng.standard_normal(shape)
    assert PCA(nc).fit(X)._fit_svd_solver == expected
    if expected != "randomized":  # sklearn's 'randomized' draws other random numbers
        assert skd.PCA(nc).fit(X)._fit_svd_solver == expected


def test_pca_randomized_on_a_decaying_spectrum(rng):
    n, d, k = 600, 80, 6
    U, _ = np.linalg.qr(rng.standard_normal((n, d)))
    V, _ = np.linalg.qr(rng.standard_normal((d, d)))
    X = (U * 0.5 ** np.arange(d)) @ V.T * 100 + 3.0  # σ_i = 100·2^-i: gaps make power iteration exact
    ours = PCA(k, svd_solver="randomized", random_state=0).fit(X)
    ref = skd.PCA(k, svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-10)
    np.testing.assert_allclose(ours.components_, ref.components_, atol=1e-8)
    np.testing.assert_allclose(ours.noise_variance_, ref.noise_variance_, rtol=1e-8)
    np.testing.assert_allclose(ours.fit_transform(X), ref.transform(X), atol=1e-8)
    with pytest.raises(ValueError, match="randomized"):
        PCA(0.9, svd_solver="randomized").fit(X)


def test_pca_covariance_route_squares_the_condition_number(rng):
    """Singular values 1 … 1e-10 (κ = 1e10): the SVD resolves every one to ~ε·σ₁, the covariance
    route only the variances above ~ε·σ₁² — the leading components agree, the tail is noise."""
    n, d = 4000, 12
    U, _ = np.linalg.qr(rng.standard_normal((n, d)))
    V, _ = np.linalg.qr(rng.standard_normal((d, d)))
    sv = np.logspace(0, -10, d)
    X = (U - U.mean(axis=0)) @ np.diag(sv) @ V.T  # centred columns: the sv are those of X - mean
    s_ref = np.linalg.svd(X - X.mean(axis=0), compute_uv=False)
    eps = np.finfo(float).eps
    full = PCA(svd_solver="full").fit(X)
    cov = PCA(svd_solver="covariance_eigh").fit(X)
    assert PCA().fit(X)._fit_svd_solver == "covariance_eigh"  # n ≥ 10 d: auto trades accuracy for speed
    np.testing.assert_allclose(full.singular_values_, s_ref, rtol=0, atol=100 * eps * s_ref[0])
    np.testing.assert_allclose(cov.singular_values_**2, s_ref**2, rtol=0, atol=100 * eps * s_ref[0] ** 2)
    # full resolves the smallest singular value to 1e-5 relative; the covariance route cannot
    assert abs(full.singular_values_[-1] / s_ref[-1] - 1) < 1e-5
    assert abs(cov.singular_values_[-1] / s_ref[-1] - 1) > 1e-2
    # both agree on the leading components (well separated: σ_{i+1}/σ_i ≈ 0.12)
    np.testing.assert_allclose(np.abs(np.sum(cov.components_[:4] * full.components_[:4], axis=1)), 1, atol=1e-12)


@pytest.mark.parametrize("shift", [0.0, 1e3, 1e7])
def test_pca_scatter_far_from_the_origin(rng, shift):
    """The covariance route forms XᵀX − n μμᵀ without a centred copy; a mean far from zero would
    cancel most digits, so it centres first there. Reference: the SVD of the centred data (LAPACK)."""
    import importlib

    pca = importlib.import_module("aimath.learn.pca")
    n, d = 3000, 8
    Z = rng.standard_normal((n, d)) @ np.diag(np.linspace(1, 3, d))
    X = Z + shift
    Xc = X - X.mean(axis=0)
    C = pca._scatter(X, X.mean(axis=0))
    ref = Xc.T @ Xc
    assert np.abs(C - ref).max() <= 1e-12 * np.abs(ref).max()
    ours = PCA(3).fit(X)
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)
    np.testing.assert_allclose(ours.singular_values_, s[:3], rtol=1e-10)
    np.testing.assert_allclose(np.abs(np.sum(ours.components_ * Vt[:3], axis=1)), 1, atol=1e-10)
    np.testing.assert_allclose(ours.transform(X), PCA(3).fit_transform(X), atol=1e-9 * s[0])
    assert ours.explained_variance_ratio_.sum() < 1


def test_pca_covariance_route_selects_leading_eigenpairs(rng):
    """n_components = k forms only the k leading eigenvectors; the result equals the whole
    decomposition's (n_components=None) leading part, and the noise variance the discarded mean."""
    X = rng.standard_normal((2000, 40)) @ rng.standard_normal((40, 40))
    k = 6
    part, full = PCA(k).fit(X), PCA().fit(X)
    assert part._fit_svd_solver == full._fit_svd_solver == "covariance_eigh"
    np.testing.assert_allclose(part.explained_variance_, full.explained_variance_[:k], rtol=1e-12)
    np.testing.assert_allclose(part.components_, full.components_[:k], atol=1e-10)
    np.testing.assert_allclose(part.noise_variance_, full.explained_variance_[k:].mean(), rtol=1e-10)
    assert PCA(0).fit(X).components_.shape == (0, 40)


def test_pca_on_digits_subset():
    X = load_digits().data[:300]
    ours = PCA(10).fit(X)
    ref = skd.PCA(10, svd_solver="full").fit(X)
    np.testing.assert_allclose(ours.explained_variance_, ref.explained_variance_, rtol=1e-9)
    np.testing.assert_allclose(np.abs(ours.components_ @ ref.components_.T), np.eye(10), atol=1e-7)


def test_bad_input():
    X, _ = _wine()
    for est in (PCA(2), KernelPCA(2)):
        with pytest.raises(NotFittedError):
            est.transform(X)
    with pytest.raises(ValueError, match="n_components"):
        PCA(50).fit(X)
    with pytest.raises(ValueError, match="NaN"):
        KernelRidge().fit(np.full((5, 2), np.nan), np.ones(5))
    with pytest.raises(ValueError, match="alpha"):
        KernelRidge(alpha=0.0).fit(X, np.ones(len(X)))
