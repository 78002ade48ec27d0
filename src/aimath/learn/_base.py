"""Shared plumbing of the linear estimators: centring with sample weights, the intercept, and the
scores/labels of linear classifiers."""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

__all__ = ["LinearClassifierMixin", "center_data", "set_intercept"]


def center_data(X, y, fit_intercept, sample_weight=None):
    r"""Centre ``X`` and ``y`` on their (weighted) means and scale rows by :math:`\sqrt{w_i}`.

    Least squares with an intercept, :math:`\min_{w,b} \sum_i s_i (y_i - x_i^\top w - b)^2`, has
    :math:`b = \bar y - \bar x^\top w` with :math:`s`-weighted means, and :math:`w` solves the
    problem without intercept on :math:`\sqrt{s_i}(x_i - \bar x)`, :math:`\sqrt{s_i}(y_i - \bar y)`.

    Returns
    -------
    Xc, yc, x_mean, y_mean, sqrt_sw
    """
    sw = _check_sample_weight(sample_weight, X)
    if fit_intercept:
        total = sw.sum()
        x_mean = sw @ X / total
        y_mean = sw @ y / total
        Xc = X - x_mean
        yc = y - y_mean
    else:
        x_mean = np.zeros(X.shape[1])
        y_mean = np.zeros(y.shape[1:]) if y.ndim > 1 else 0.0
        Xc, yc = X.copy(), y.copy()
    root = np.sqrt(sw)
    if sample_weight is not None:
        Xc *= root[:, None]
        yc = yc * (root[:, None] if yc.ndim > 1 else root)
    return Xc, yc, x_mean, y_mean, root


def set_intercept(coef, x_mean, y_mean, fit_intercept):
    """:math:`b = \\bar y - \\bar x^\\top w` (0 without intercept); ``coef`` is (d,) or (k, d)."""
    if not fit_intercept:
        return 0.0 if coef.ndim == 1 else np.zeros(coef.shape[0])
    return y_mean - coef @ x_mean


class LinearClassifierMixin:
    """Scores and labels of a fitted linear classifier with ``coef_`` (k, d), ``intercept_`` (k,), ``classes_``.

    One score column (k = 1) means two classes, decided by the sign; otherwise the largest score wins.
    """

    def decision_function(self, X):
        """Scores :math:`Wx + b`: shape (n,) for two classes, (n, n_classes) otherwise."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        s = X @ self.coef_.T + self.intercept_
        return s[:, 0] if s.shape[1] == 1 else s

    def predict(self, X):
        """Class labels: the sign of the score for two classes, the argmax otherwise."""
        s = self.decision_function(X)
        if s.ndim == 1:
            return self.classes_[(s > 0).astype(np.int64)]
        return self.classes_[np.argmax(s, axis=1)]

