"""Gaussian mixture models fitted by expectation–maximisation.

Curriculum: B15 (EM for Gaussian mixtures: the E-step computes the posterior over the latent
component, the M-step maximises the expected complete-data log-likelihood; the log-likelihood
never decreases).
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from aimath.backend import as_generator
from aimath.errors import DomainError
from aimath.linalg import cholesky, solve_triangular
from aimath.prob import MultivariateNormal
from aimath.prob._common import logsumexp

__all__ = ["GaussianMixture", "em_step_textbook", "kmeans_init"]

_TYPES = ("full", "diag", "spherical")
_LOG_2PI = math.log(2 * math.pi)


def kmeans_init(X, k, rng, *, n_iter: int = 20):
    """Greedy k-means++ seeding followed by Lloyd iterations; returns the labels ``(n,)``.

    Seeding draws candidates for each new centre with probability proportional to the squared
    distance to the nearest centre chosen so far and keeps the candidate (of ``2 + log k``) that
    lowers the total squared distance most; Lloyd's iterations alternate nearest-centre assignment
    and centre = mean of its points (an empty cluster keeps its centre).
    """
    n = X.shape[0]
    sq = np.einsum("ij,ij->i", X, X)
    centres = np.empty((k, X.shape[1]))
    centres[0] = X[rng.integers(n)]
    d2 = np.maximum(sq - 2 * X @ centres[0] + centres[0] @ centres[0], 0.0)
    trials = 2 + int(math.log(k))
    for j in range(1, k):
        total = d2.sum()
        cand = rng.choice(n, size=trials, p=d2 / total) if total > 0 else rng.integers(n, size=trials)
        dc = np.maximum(sq[None, :] - 2 * X[cand] @ X.T + sq[cand, None], 0.0)  # (trials, n)
        pot = np.minimum(d2[None, :], dc)
        best = int(np.argmin(pot.sum(axis=1)))
        centres[j] = X[cand[best]]
        d2 = pot[best]
    labels = None
    for _ in range(n_iter):
        dist = sq[:, None] - 2 * X @ centres.T + np.einsum("ij,ij->i", centres, centres)[None, :]
        new = np.argmin(dist, axis=1)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        counts = np.bincount(labels, minlength=k)
        sums = np.zeros_like(centres)
        np.add.at(sums, labels, X)
        nonempty = counts > 0
        centres[nonempty] = sums[nonempty] / counts[nonempty, None]
    return labels


def _precision_cholesky(cov, covariance_type):
    """sklearn's ``precisions_cholesky_``: U with Σ⁻¹ = U Uᵀ (U = L⁻ᵀ for Σ = LLᵀ)."""
    if covariance_type == "full":
        try:
            L = cholesky(cov)
        except DomainError:
            raise ValueError("Fitting the mixture model failed because some components have ill-defined "
                             "empirical covariance (for instance caused by singleton or collapsed samples). "
                             "Try to decrease the number of components, or increase reg_covar.") from None
        eye = np.broadcast_to(np.eye(cov.shape[-1]), cov.shape)
        return np.swapaxes(solve_triangular(L, eye, lower=True), -1, -2)
    if np.any(cov <= 0):
        raise ValueError("Fitting the mixture model failed because some components have ill-defined empirical "
                         "covariance. Try to decrease the number of components, or increase reg_covar.")
    return 1.0 / np.sqrt(cov)


def _estimate_parameters(X, resp, reg_covar, covariance_type):
    """M-step: ``(nk, means, covariances)`` from responsibilities ``resp`` (n, k)."""
    nk = resp.sum(axis=0) + 10 * np.finfo(resp.dtype).eps
    means = (resp.T @ X) / nk[:, None]
    if covariance_type == "full":
        k, d = means.shape
        cov = np.empty((k, d, d))
        for j in range(k):  # a loop over components, each a (d, n) @ (n, d) product
            diff = X - means[j]
            cov[j] = (resp[:, j] * diff.T) @ diff / nk[j]
            cov[j].flat[:: d + 1] += reg_covar
        return nk, means, cov
    avg_x2 = (resp.T @ (X * X)) / nk[:, None]
    var = avg_x2 - 2 * means * ((resp.T @ X) / nk[:, None]) + means * means + reg_covar
    if covariance_type == "diag":
        return nk, means, var
    return nk, means, var.mean(axis=1)


def _log_gaussian(X, means, prec_chol, covariance_type):
    """``log N(x_i; μ_j, Σ_j)`` for all i, j: array (n, k)."""
    n, d = X.shape
    k = means.shape[0]
    if covariance_type == "full":
        log_det = np.sum(np.log(np.diagonal(prec_chol, axis1=-2, axis2=-1)), axis=1)
        maha = np.empty((n, k))
        for j in range(k):
            y = X @ prec_chol[j] - means[j] @ prec_chol[j]
            maha[:, j] = np.einsum("ij,ij->i", y, y)
    elif covariance_type == "diag":
        log_det = np.sum(np.log(prec_chol), axis=1)
        p2 = prec_chol**2
        maha = (X * X) @ p2.T - 2 * X @ (means * p2).T + np.sum(means**2 * p2, axis=1)
    else:
        log_det = d * np.log(prec_chol)
        p2 = prec_chol**2
        maha = (np.einsum("ij,ij->i", X, X)[:, None] - 2 * X @ means.T + np.sum(means**2, axis=1)) * p2
    return -0.5 * (d * _LOG_2PI + maha) + log_det


def em_step_textbook(X, weights, means, covariances):
    r"""One EM iteration for a full-covariance Gaussian mixture, line by line (the textbook form).

    .. math::
        \text{E: } r_{ij} = \frac{\pi_j \mathcal N(x_i; \mu_j, \Sigma_j)}{\sum_l \pi_l \mathcal N(x_i; \mu_l, \Sigma_l)}
        \qquad
        \text{M: } N_j = \sum_i r_{ij},\; \pi_j = \frac{N_j}{n},\; \mu_j = \frac{1}{N_j}\sum_i r_{ij} x_i,\;
        \Sigma_j = \frac{1}{N_j}\sum_i r_{ij}(x_i - \mu_j)(x_i - \mu_j)^\top

    Parameters
    ----------
    X : array of shape (n, d)
    weights : array of shape (k,)
    means : array of shape (k, d)
    covariances : array of shape (k, d, d)

    Returns
    -------
    (weights, means, covariances, log_likelihood)
        Updated parameters and the mean log-likelihood :math:`\frac1n\sum_i \log p(x_i)` at the
        *input* parameters.

    Curriculum: B15.
    """
    n = X.shape[0]
    k = len(weights)
    log_terms = np.stack([math.log(weights[j]) + MultivariateNormal(means[j], covariance=covariances[j]).log_prob(X)
                          for j in range(k)], axis=1)
    log_px = logsumexp(log_terms, axis=1)
    r = np.exp(log_terms - log_px[:, None])
    new_w, new_m, new_c = np.empty(k), np.empty_like(means), np.empty_like(covariances)
    for j in range(k):
        Nj = r[:, j].sum()
        new_w[j] = Nj / n
        new_m[j] = r[:, j] @ X / Nj
        diff = X - new_m[j]
        new_c[j] = (r[:, j, None] * diff).T @ diff / Nj
    return new_w, new_m, new_c, float(log_px.mean())


class GaussianMixture(DensityMixin, BaseEstimator):
    r"""Gaussian mixture :math:`p(x) = \sum_j \pi_j \mathcal N(x; \mu_j, \Sigma_j)` fitted by EM.

    scikit-learn's estimator API and attribute names (``weights_``, ``means_``, ``covariances_``,
    ``precisions_``, ``precisions_cholesky_``, ``converged_``, ``n_iter_``, ``lower_bound_``), the
    same update order and stopping rule (change of the mean log-likelihood below ``tol``), so the
    two agree iterate by iterate from the same initialisation. The EM algorithm is written here:

    .. math::
        r_{ij} \propto \pi_j \mathcal N(x_i; \mu_j, \Sigma_j), \quad
        \pi_j = \tfrac{N_j}{n}, \quad \mu_j = \tfrac{1}{N_j}\textstyle\sum_i r_{ij}x_i, \quad
        \Sigma_j = \tfrac{1}{N_j}\textstyle\sum_i r_{ij}(x_i-\mu_j)(x_i-\mu_j)^\top + \epsilon I

    Each iteration cannot decrease :math:`\frac1n\sum_i\log p(x_i)`; the values are kept in
    ``log_likelihood_history_``.

    Parameters
    ----------
    n_components : int
    covariance_type : {"full", "diag", "spherical"}
    tol : float
        Stop when the mean log-likelihood changes by less than this.
    reg_covar : float
        :math:`\epsilon` added to the diagonal of every covariance.
    max_iter : int
    n_init : int
        Restarts; the best log-likelihood wins.
    init_params : {"kmeans", "k-means++", "random"}
        Initial responsibilities: a k-means partition (k-means++ seeding + Lloyd), the k-means++
        seeding's nearest-centre partition, or random soft assignments.
    weights_init, means_init, precisions_init : arrays, optional
        Fixed starting parameters (as in scikit-learn).
    random_state : int, Generator or None

    Attributes
    ----------
    weights_ : array (k,)
    means_ : array (k, d)
    covariances_ : array (k, d, d), (k, d) or (k,)
    precisions_cholesky_ : array like ``covariances_``
    converged_ : bool
    n_iter_ : int
    lower_bound_ : float
        Mean log-likelihood at the last E-step of the best run.
    log_likelihood_history_ : list of float
        Mean log-likelihood at each E-step of the best run.

    Raises
    ------
    ValueError
        Invalid hyper-parameters, fewer samples than components, NaN/inf input, or a covariance
        that is not positive definite (increase ``reg_covar``).

    Curriculum: B15.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.concatenate([rng.normal(-3, 1, (200, 2)), rng.normal(3, 1, (200, 2))])
    >>> gm = GaussianMixture(2, random_state=0).fit(X)
    >>> np.round(np.sort(gm.means_[:, 0]))
    array([-3.,  3.])
    """

    def __init__(self, n_components=1, *, covariance_type="full", tol=1e-3, reg_covar=1e-6, max_iter=100,
                 n_init=1, init_params="kmeans", weights_init=None, means_init=None, precisions_init=None,
                 random_state=None):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state

    # ------------------------------------------------------------------ checks
    def _check_params(self, X):
        if self.covariance_type not in _TYPES:
            raise ValueError(f"covariance_type must be one of {_TYPES}, got {self.covariance_type!r}")
        if self.init_params not in ("kmeans", "k-means++", "random"):
            raise ValueError(f"init_params must be 'kmeans', 'k-means++' or 'random', got {self.init_params!r}")
        for name, lo in (("n_components", 1), ("max_iter", 1), ("n_init", 1)):
            v = getattr(self, name)
            if not isinstance(v, int | np.integer) or v < lo:
                raise ValueError(f"{name} must be an integer >= {lo}, got {v!r}")
        for name in ("tol", "reg_covar"):
            v = getattr(self, name)
            if not (isinstance(v, int | float | np.floating) and v >= 0):
                raise ValueError(f"{name} must be a non-negative number, got {v!r}")
        if X.shape[0] < self.n_components:
            raise ValueError(f"Expected n_samples >= n_components but got n_components = {self.n_components}, "
                             f"n_samples = {X.shape[0]}")

    # ------------------------------------------------------------------ EM
    def _initialize(self, X, rng):
        n, k = X.shape[0], self.n_components
        if self.init_params == "random":
            resp = rng.uniform(size=(n, k))
            resp /= resp.sum(axis=1, keepdims=True)
        else:
            labels = kmeans_init(X, k, rng, n_iter=20 if self.init_params == "kmeans" else 0)
            if labels is None:  # k-means++ only: assign to the nearest seed
                labels = kmeans_init(X, k, rng, n_iter=1)
            resp = np.zeros((n, k))
            resp[np.arange(n), labels] = 1.0
        nk, means, cov = _estimate_parameters(X, resp, self.reg_covar, self.covariance_type)
        self.weights_ = nk / n if self.weights_init is None else np.asarray(self.weights_init, dtype=float)
        self.means_ = means if self.means_init is None else np.asarray(self.means_init, dtype=float)
        if self.precisions_init is None:
            self.covariances_ = cov
            self.precisions_cholesky_ = _precision_cholesky(cov, self.covariance_type)
        else:
            P = np.asarray(self.precisions_init, dtype=float)
            if self.covariance_type == "full":
                self.precisions_cholesky_ = _upper_from_precision(P)
            else:
                self.precisions_cholesky_ = np.sqrt(P)
            self.covariances_ = cov

    def _e_step(self, X):
        weighted = _log_gaussian(X, self.means_, self.precisions_cholesky_, self.covariance_type) + np.log(
            self.weights_)
        log_norm = logsumexp(weighted, axis=1)
        return float(np.mean(log_norm)), weighted - log_norm[:, None]

    def _m_step(self, X, log_resp):
        nk, self.means_, self.covariances_ = _estimate_parameters(X, np.exp(log_resp), self.reg_covar,
                                                                  self.covariance_type)
        self.weights_ = nk / nk.sum()
        self.precisions_cholesky_ = _precision_cholesky(self.covariances_, self.covariance_type)

    def fit(self, X, y=None):
        """Fit by EM (``n_init`` restarts); returns ``self``."""
        self.fit_predict(X, y)
        return self

    def fit_predict(self, X, y=None):
        """Fit and return the component labels of ``X``."""
        X = validate_data(self, X, dtype=[np.float64, np.float32], ensure_min_samples=2)
        self._check_params(X)
        X64 = np.asarray(X, dtype=np.float64)
        rng = as_generator(self.random_state)
        best, best_params = -np.inf, None
        for _ in range(self.n_init):
            self._initialize(X64, rng)
            lower, history, converged, it = -np.inf, [], False, 0
            while it < self.max_iter:
                it += 1
                prev = lower
                lower, log_resp = self._e_step(X64)
                history.append(lower)
                self._m_step(X64, log_resp)
                if abs(lower - prev) < self.tol:
                    converged = True
                    break
            if lower > best or best_params is None:
                best = lower
                best_params = (self.weights_, self.means_, self.covariances_, self.precisions_cholesky_, it,
                               converged, history)
        (self.weights_, self.means_, self.covariances_, self.precisions_cholesky_, self.n_iter_, self.converged_,
         self.log_likelihood_history_) = best_params
        self.lower_bound_ = best
        if self.covariance_type == "full":
            self.precisions_ = self.precisions_cholesky_ @ np.swapaxes(self.precisions_cholesky_, -1, -2)
        else:
            self.precisions_ = self.precisions_cholesky_**2
        _, log_resp = self._e_step(X64)
        return np.argmax(log_resp, axis=1)

    # ------------------------------------------------------------------ inference
    def _validate(self, X):
        check_is_fitted(self)
        return np.asarray(validate_data(self, X, dtype=[np.float64, np.float32], reset=False), dtype=np.float64)

    def score_samples(self, X):
        """:math:`\\log p(x_i)` for each row, shape (n,)."""
        X = self._validate(X)
        return logsumexp(_log_gaussian(X, self.means_, self.precisions_cholesky_, self.covariance_type)
                         + np.log(self.weights_), axis=1)

    def score(self, X, y=None):
        """Mean log-likelihood of ``X``."""
        return float(np.mean(self.score_samples(X)))

    def predict_proba(self, X):
        """Responsibilities :math:`r_{ij}`, shape (n, k)."""
        X = self._validate(X)
        return np.exp(self._e_step(X)[1])

    def predict(self, X):
        """Most probable component of each row."""
        return np.argmax(self.predict_proba(X), axis=1)

    def sample(self, n_samples=1):
        """Draw ``(X, y)``: ``n_samples`` points and their components."""
        check_is_fitted(self)
        if n_samples < 1:
            raise ValueError(f"n_samples must be >= 1, got {n_samples}")
        rng = as_generator(self.random_state)
        counts = rng.multinomial(n_samples, self.weights_)
        d = self.means_.shape[1]
        Xs, ys = [], []
        for j, c in enumerate(counts):
            z = rng.standard_normal((c, d))
            if self.covariance_type == "full":
                L = cholesky(self.covariances_[j])
                Xs.append(self.means_[j] + z @ L.T)
            else:
                sd = np.sqrt(self.covariances_[j])
                Xs.append(self.means_[j] + z * sd)
            ys.append(np.full(c, j))
        return np.concatenate(Xs), np.concatenate(ys)

    def _n_parameters(self):
        k, d = self.means_.shape
        cov = {"full": k * d * (d + 1) / 2, "diag": k * d, "spherical": k}[self.covariance_type]
        return int(cov + k * d + k - 1)

    def bic(self, X):
        """Bayesian information criterion :math:`-2\\log L + p\\log n`."""
        return -2 * self.score(X) * X.shape[0] + self._n_parameters() * np.log(X.shape[0])

    def aic(self, X):
        """Akaike information criterion :math:`-2\\log L + 2p`."""
        return -2 * self.score(X) * X.shape[0] + 2 * self._n_parameters()


def _upper_from_precision(P):
    """U upper triangular with ``P = U Uᵀ`` (sklearn's precision Cholesky): flip, factor, flip."""
    flip = P[..., ::-1, ::-1]
    L = cholesky(flip)
    return L[..., ::-1, ::-1]
