"""GaussianMixture (EM) against scikit-learn, the textbook EM step, and estimator checks."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SkGM
from sklearn.utils.estimator_checks import parametrize_with_checks

from aimath.vi import GaussianMixture, em_step_textbook


def _data(rng, n=300):
    return np.concatenate([rng.normal(-3, 1, (n, 2)), rng.normal(3, 0.7, (n, 2)),
                           rng.normal([0, 5], 0.5, (n // 3, 2))])


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # the 2-step start run
@pytest.mark.parametrize("ct", ["full", "diag", "spherical"])
def test_matches_sklearn_from_same_init(ct, rng):
    X = _data(rng)
    start = SkGM(3, covariance_type=ct, random_state=0, max_iter=2).fit(X)
    init = dict(weights_init=start.weights_, means_init=start.means_, precisions_init=start.precisions_)
    ours = GaussianMixture(3, covariance_type=ct, tol=1e-9, max_iter=60, **init).fit(X)
    ref = SkGM(3, covariance_type=ct, tol=1e-9, max_iter=60, **init).fit(X)
    np.testing.assert_allclose(ours.lower_bound_, ref.lower_bound_, rtol=1e-6)
    assert ours.n_iter_ == ref.n_iter_ and ours.converged_ == ref.converged_
    np.testing.assert_allclose(ours.means_, ref.means_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.covariances_, ref.covariances_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.precisions_, ref.precisions_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.score_samples(X), ref.score_samples(X), rtol=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-6)
    np.testing.assert_allclose(ours.bic(X), ref.bic(X), rtol=1e-6)
    np.testing.assert_allclose(ours.aic(X), ref.aic(X), rtol=1e-6)


def test_own_initialisation_finds_the_clusters(rng):
    X = _data(rng)
    ref = SkGM(3, random_state=1, n_init=2, max_iter=300).fit(X)
    for init in ("kmeans", "k-means++", "random"):
        # random soft assignments start every component at the global mean: EM leaves it slowly
        tol = 1e-9 if init == "random" else 1e-3
        gm = GaussianMixture(3, init_params=init, random_state=1, n_init=2, tol=tol, max_iter=2000).fit(X)
        assert gm.converged_
        np.testing.assert_allclose(gm.score(X), ref.score(X), rtol=1e-4)
        np.testing.assert_allclose(np.sort(gm.means_[:, 0]), np.sort(ref.means_[:, 0]), atol=1e-2)


def test_log_likelihood_never_decreases(rng):
    X = _data(rng)
    gm = GaussianMixture(4, init_params="random", tol=0.0, max_iter=60, random_state=3).fit(X)
    h = np.array(gm.log_likelihood_history_)
    assert len(h) == 60
    assert np.all(np.diff(h) >= -1e-12 * np.abs(h[1:]))


def test_textbook_step_equals_fast_step(rng):
    X = _data(rng, 100)
    gm = GaussianMixture(3, max_iter=1, reg_covar=0.0, random_state=0).fit(X)
    w, m, c = gm.weights_, gm.means_, gm.covariances_
    tw, tm, tc, ll = em_step_textbook(X, w, m, c)
    fast = GaussianMixture(3, max_iter=1, reg_covar=0.0, weights_init=w, means_init=m,
                           precisions_init=np.linalg.inv(c)).fit(X)
    np.testing.assert_allclose(fast.weights_, tw, rtol=1e-10)
    np.testing.assert_allclose(fast.means_, tm, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fast.covariances_, tc, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fast.lower_bound_, ll, rtol=1e-12)


def test_sample_and_predict(rng):
    X = _data(rng)
    gm = GaussianMixture(3, random_state=0).fit(X)
    S, y = gm.sample(2000)
    assert S.shape == (2000, 2) and y.shape == (2000,)
    assert np.mean(gm.predict(S) == y) > 0.95
    assert gm.fit_predict(X).shape == (X.shape[0],)


@pytest.mark.parametrize("kwargs, match", [
    ({"covariance_type": "tied-ish"}, "covariance_type"),
    ({"n_components": 0}, "n_components"),
    ({"tol": -1.0}, "tol"),
    ({"init_params": "magic"}, "init_params"),
    ({"n_components": 50}, "n_samples >= n_components"),
])
def test_bad_parameters(kwargs, match, rng):
    with pytest.raises(ValueError, match=match):
        GaussianMixture(**kwargs).fit(rng.standard_normal((20, 2)))


def test_bad_data():
    X = np.ones((20, 2))
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        GaussianMixture(2).fit(X)
    with pytest.raises(ValueError, match="ill-defined"):
        GaussianMixture(2, reg_covar=0.0, init_params="random", random_state=0).fit(np.ones((20, 2)))


@parametrize_with_checks([GaussianMixture(2, max_iter=20, random_state=0)])
def test_sklearn_compatible(estimator, check):
    check(estimator)
