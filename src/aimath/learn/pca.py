r"""Principal component analysis (scikit-learn's ``PCA`` API).

With the centred data :math:`X_c = X - \mathbf 1\mu^\top = U\Sigma V^\top`, the principal axes are
the rows of :math:`V^\top`, the explained variances :math:`\sigma_i^2/(n-1)` and the scores
:math:`X_cV = U\Sigma`. Whitening divides the scores by :math:`\sigma_i/\sqrt{n-1}` so they have
unit variance. Three routes, all with aimath.linalg, named as scikit-learn names them:

* ``"full"``: the SVD of :math:`X_c` (:func:`aimath.linalg.svd`), backward stable: each
  :math:`\sigma_i` is found to about :math:`\varepsilon\,\sigma_1` absolutely;
* ``"covariance_eigh"``: the eigendecomposition of the :math:`d\times d` matrix
  :math:`X_c^\top X_c = V\Sigma^2V^\top` (:func:`aimath.linalg.eigh`): :math:`O(nd^2)` work in one
  matrix product plus a small eigenproblem, far cheaper when :math:`n \gg d`. The price: the
  eigenvalues :math:`\sigma_i^2` are found to about :math:`\varepsilon\,\sigma_1^2` absolutely, so
  the condition number is squared — a component with :math:`\sigma_i/\sigma_1 \lesssim
  \sqrt\varepsilon \approx 10^{-8}` is lost in rounding (its variance and axis are noise), while
  ``"full"`` still resolves it. The leading components, the ones PCA keeps, are unaffected.
  The matrix is formed as :math:`X^\top X - n\mu\mu^\top` without a centred copy of ``X``
  (centred first where that subtraction would cancel more than four digits), and with an integer
  ``n_components`` only the leading eigenvectors are formed (``eigh(..., subset_by_index=...)``).
* ``"randomized"``: the randomized range finder with power iterations
  (:func:`aimath.linalg.randomized_svd`, Halko–Martinsson–Tropp), for few components of a large
  matrix; approximate, its accuracy depends on the spectral gap after ``n_components``.

``"auto"`` follows scikit-learn's rule: ``"covariance_eigh"`` when :math:`d \le 1000` and
:math:`n \ge 10d`; else ``"full"`` when :math:`\max(n, d) \le 500`; else ``"randomized"`` when
``n_components`` is an integer below :math:`0.8\min(n, d)`; else ``"full"``.

Signs follow scikit-learn: the largest-magnitude entry of each component is positive.

Curriculum: A10 (and B10).
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import assert_all_finite
from sklearn.utils.validation import check_is_fitted, validate_data

from aimath.linalg import eigh, randomized_svd, svd

__all__ = ["PCA"]


_CANCEL = 1e4  # the uncentred scatter loses log10 of this many digits at most, else centre first


def _scatter(X, mean):
    r"""The centred scatter matrix :math:`X_c^\top X_c = X^\top X - n\,\mu\mu^\top` without the
    centred copy of ``X`` (one pass less over the data). The subtraction cancels about
    :math:`\log_{10}\max_j (X^\top X)_{jj} / (X_c^\top X_c)_{jj}` digits: beyond ``_CANCEL``
    (a mean far from zero relative to the spread) the data are centred first."""
    n = X.shape[0]
    G = X.T @ X
    C = G - n * np.outer(mean, mean)
    C = 0.5 * (C + C.T)
    g, c = np.diag(G), np.diag(C)
    if np.any(g > _CANCEL * np.maximum(c, np.finfo(np.float64).tiny)):
        Xc = X - mean
        C = Xc.T @ Xc
    return C


class PCA(TransformerMixin, BaseEstimator):
    r"""Principal component analysis by SVD.

    .. math:: X - \mathbf 1\mu^\top = U\Sigma V^\top, \qquad z = V_k^\top (x - \mu)
              \ \big(\text{whitened: } \sqrt{n-1}\,\Sigma_k^{-1} V_k^\top (x-\mu)\big)

    Parameters
    ----------
    n_components : int, float in (0, 1) or None
        Number of components; a float keeps the fewest components explaining that fraction of
        the variance; ``None`` keeps ``min(n, d)``.
    whiten : bool, default False
    svd_solver : {"auto", "full", "covariance_eigh", "randomized"}, default "auto"
        See the module docstring; ``"auto"`` chooses as scikit-learn does. Prefer ``"full"`` for
        ill-conditioned data: ``"covariance_eigh"`` squares the condition number.
    iterated_power : int or "auto", default "auto"
        Power iterations of ``"randomized"`` ("auto": 7 if ``n_components < 0.1 min(n, d)``, else 4).
    n_oversamples : int, default 10
        Extra random columns of ``"randomized"``.
    random_state : int, Generator or None
        For ``"randomized"``.

    Attributes
    ----------
    components_ : array of shape (n_components, d)
    explained_variance_, explained_variance_ratio_, singular_values_ : arrays of shape (n_components,)
    mean_ : array of shape (d,)
    n_components_ : int
    noise_variance_ : float
        Mean of the discarded variances.

    Curriculum: A10.

    Examples
    --------
    >>> X = np.random.default_rng(0).standard_normal((100, 3)) * [3.0, 1.0, 0.1]
    >>> PCA(2).fit(X).explained_variance_ratio_.round(2)
    array([0.91, 0.09])
    """

    def __init__(self, n_components=None, *, whiten=False, svd_solver="auto", iterated_power="auto",
                 n_oversamples=10, random_state=None):
        self.n_components = n_components
        self.whiten = whiten
        self.svd_solver = svd_solver
        self.iterated_power = iterated_power
        self.n_oversamples = n_oversamples
        self.random_state = random_state

    def fit(self, X, y=None):
        """Fit on ``X`` (n, d); returns ``self``."""
        self._fit(X)
        return self

    def _fit(self, X):
        solvers = ("auto", "full", "covariance_eigh", "randomized")
        if self.svd_solver not in solvers:
            raise ValueError(f"svd_solver must be one of {solvers}, got {self.svd_solver!r}")
        X = validate_data(self, X, dtype=np.float64, ensure_min_samples=2, ensure_all_finite=False)
        n, d = X.shape
        k_max = min(n, d)
        nc = self.n_components
        if nc is not None:
            if isinstance(nc, numbers.Integral) and not isinstance(nc, bool):
                if not 0 <= nc <= k_max:
                    raise ValueError(f"n_components={nc} must be between 0 and min(n_samples, n_features)={k_max}")
            elif isinstance(nc, numbers.Real) and not isinstance(nc, bool):
                if not 0 < nc < 1:
                    raise ValueError(f"n_components as a float must lie in (0, 1), got {nc}")
            else:
                raise ValueError(f"n_components must be an int, a float in (0, 1) or None, got {nc!r}")
        # the column sums as one matrix-vector product; a non-finite sum sends X to scikit-learn's
        # entrywise check (NaN/inf raise its ValueError); finite data pass on with their sums
        sums = np.ones(n) @ X
        if not np.all(np.isfinite(sums)):
            assert_all_finite(X, input_name="X")
        self.mean_ = sums / n
        solver = self.svd_solver
        if solver == "auto":
            if d <= 1000 and n >= 10 * d:
                solver = "covariance_eigh"
            elif max(n, d) <= 500 or nc is None:
                solver = "full"
            elif isinstance(nc, numbers.Integral) and 1 <= nc < 0.8 * k_max:
                solver = "randomized"
            else:
                solver = "full"
        self._fit_svd_solver = solver
        if solver == "randomized" and not (isinstance(nc, numbers.Integral) and nc >= 1):
            raise ValueError(f"svd_solver='randomized' needs an integer n_components >= 1, got {nc!r}")
        Xc = None
        if solver == "covariance_eigh":
            C = _scatter(X, self.mean_)
            if isinstance(nc, numbers.Integral) and nc == 0:
                w, V = np.zeros(0), np.zeros((d, 0))
            elif isinstance(nc, numbers.Integral):  # only the leading eigenvectors are formed
                w, V = eigh(C, subset_by_index=(d - int(nc), d - 1))
            else:
                w, V = eigh(C)
            w, V = np.clip(w[::-1], 0.0, None), V[:, ::-1]  # eigh is ascending
            s, Vt = np.sqrt(w), V.T
            U = None
            total = float(np.trace(C))
        elif solver == "full":
            Xc = X - self.mean_
            U, s, Vt = svd(Xc, full_matrices=False)
            total = float(np.sum(s * s))
        else:
            Xc = X - self.mean_
            q = self.iterated_power
            if q == "auto":
                q = 7 if nc < 0.1 * k_max else 4
            U, s, Vt = randomized_svd(Xc, int(nc), oversample=int(self.n_oversamples), n_iter=int(q),
                                      rng=self.random_state)
            total = float(np.sum(Xc * Xc))
        # sign convention: the largest |entry| of each component is positive
        big = np.argmax(np.abs(Vt), axis=1) if Vt.shape[0] else np.zeros(0, dtype=int)
        signs = np.sign(Vt[np.arange(Vt.shape[0]), big])
        signs[signs == 0] = 1.0
        Vt = Vt * signs[:, None]
        if U is not None:
            U = U * signs
        var = s**2 / (n - 1)
        total /= n - 1
        ratio = var / total if total > 0 else np.zeros_like(var)
        if nc is None:
            k = k_max
        elif isinstance(nc, numbers.Integral):
            k = int(nc)
        else:
            k = int(np.searchsorted(np.cumsum(ratio), nc, side="right") + 1)
            k = min(k, k_max)
        self.components_ = Vt[:k]
        self.explained_variance_ = var[:k]
        self.explained_variance_ratio_ = ratio[:k]
        self.singular_values_ = s[:k]
        self.n_components_ = k
        self.n_samples_ = n
        # mean discarded variance: (total − kept)/(k_max − k), which needs no discarded eigenvalue
        self.noise_variance_ = max(0.0, (total - float(var[:k].sum())) / (k_max - k)) if k < k_max else 0.0
        return X, Xc, U

    def fit_transform(self, X, y=None):
        """Fit and return the scores, shape (n, n_components)."""
        X, Xc, U = self._fit(X)
        if U is not None:
            Z = U[:, : self.n_components_] * self.singular_values_
        elif Xc is not None:
            Z = Xc @ self.components_.T
        else:
            Z = X @ self.components_.T - self.mean_ @ self.components_.T
        if self.whiten:
            Z = Z / np.sqrt(np.maximum(self.explained_variance_, 1e-300))
        return Z

    def transform(self, X):
        """Scores :math:`V_k^\\top(x - \\mu)` (whitened if asked), shape (n, n_components)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        Z = (X - self.mean_) @ self.components_.T
        if self.whiten:
            Z = Z / np.sqrt(np.maximum(self.explained_variance_, 1e-300))
        return Z

    def inverse_transform(self, Z):
        """Back to the data space: :math:`\\mu + V_k z` (undoing the whitening)."""
        check_is_fitted(self)
        Z = np.asarray(Z, dtype=np.float64)
        if self.whiten:
            Z = Z * np.sqrt(self.explained_variance_)
        return Z @ self.components_ + self.mean_
