r"""Principal component analysis (scikit-learn's ``PCA`` API).

With the centred data :math:`X_c = X - \mathbf 1\mu^\top = U\Sigma V^\top`, the principal axes are
the rows of :math:`V^\top`, the explained variances :math:`\sigma_i^2/(n-1)` and the scores
:math:`X_cV = U\Sigma`. Whitening divides the scores by :math:`\sigma_i/\sqrt{n-1}` so they have
unit variance. Two routes, both with aimath.linalg:

* ``"full"``: the SVD of :math:`X_c` (:func:`aimath.linalg.svd`);
* ``"covariance_eigh"``: the eigendecomposition of :math:`X_c^\top X_c = V\Sigma^2V^\top`
  (:func:`aimath.linalg.eigh`), cheaper when :math:`n \gg d`.

Signs follow scikit-learn: the largest-magnitude entry of each component is positive.

Curriculum: A10 (and B10).
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from aimath.linalg import eigh, svd

__all__ = ["PCA"]


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
    svd_solver : {"auto", "full", "covariance_eigh"}, default "auto"
        ``"auto"`` uses ``"covariance_eigh"`` when n ≥ 10 d, else ``"full"``.

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

    def __init__(self, n_components=None, *, whiten=False, svd_solver="auto"):
        self.n_components = n_components
        self.whiten = whiten
        self.svd_solver = svd_solver

    def fit(self, X, y=None):
        """Fit on ``X`` (n, d); returns ``self``."""
        self._fit(X)
        return self

    def _fit(self, X):
        if self.svd_solver not in ("auto", "full", "covariance_eigh"):
            raise ValueError(f"svd_solver must be 'auto', 'full' or 'covariance_eigh', got {self.svd_solver!r}")
        X = validate_data(self, X, dtype=np.float64, ensure_min_samples=2)
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
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        solver = self.svd_solver
        if solver == "auto":
            solver = "covariance_eigh" if n >= 10 * d else "full"
        if solver == "full":
            U, s, Vt = svd(Xc, full_matrices=False)
        else:
            w, V = eigh(Xc.T @ Xc)
            order = np.argsort(w)[::-1]
            w, V = np.clip(w[order], 0.0, None), V[:, order]
            s, Vt = np.sqrt(w), V.T
            U = None
        # sign convention: the largest |entry| of each component is positive
        big = np.argmax(np.abs(Vt), axis=1)
        signs = np.sign(Vt[np.arange(Vt.shape[0]), big])
        signs[signs == 0] = 1.0
        Vt = Vt * signs[:, None]
        if U is not None:
            U = U * signs
        var = s**2 / (n - 1)
        total = var.sum() if solver == "full" else float(np.sum(Xc * Xc)) / (n - 1)
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
        rest = var[k:k_max] if solver == "full" else var[k:]
        self.noise_variance_ = float(rest.mean()) if k < k_max and rest.size else 0.0
        return Xc, U

    def fit_transform(self, X, y=None):
        """Fit and return the scores, shape (n, n_components)."""
        Xc, U = self._fit(X)
        if U is not None:
            Z = U[:, : self.n_components_] * self.singular_values_
        else:
            Z = Xc @ self.components_.T
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
