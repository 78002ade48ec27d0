r"""Kernel ridge regression (scikit-learn's ``KernelRidge`` API).

Ridge regression in the feature space of a PSD kernel :math:`k(x, x') = \langle\varphi(x),\varphi(x')\rangle`:
by the representer theorem the minimiser of
:math:`\sum_i (y_i - \langle w, \varphi(x_i)\rangle)^2 + \alpha\|w\|^2` is
:math:`w = \sum_i c_i\varphi(x_i)` with

.. math:: (K + \alpha I)\,c = y, \qquad f(x) = \sum_i c_i\, k(x_i, x),

solved here by a Cholesky factorisation (aimath.linalg). No intercept, as in scikit-learn.

Curriculum: A10.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from aimath.errors import DomainError
from aimath.learn.kernels import make_kernel
from aimath.linalg import cho_solve, cholesky

__all__ = ["KernelRidge"]


class KernelRidge(MultiOutputMixin, RegressorMixin, BaseEstimator):
    r"""Kernel ridge regression.

    .. math:: c = (K + \alpha I)^{-1} y, \qquad \hat y(x) = \sum_i c_i k(x_i, x)

    Parameters
    ----------
    alpha : float, default 1.0
        Regularisation :math:`\alpha > 0`.
    kernel : str or callable, default "linear"
        A name of :data:`aimath.learn.kernels.KERNELS` or ``k(A, B)``.
    gamma : float, optional
        Default ``1/d`` for the kernels that use it.
    degree : int, default 3
    coef0 : float, default 1

    Attributes
    ----------
    dual_coef_ : array of shape (n,) or (n, k)
    X_fit_ : array of shape (n, d)

    Raises
    ------
    DomainError
        In ``fit``, when :math:`K + \alpha I` is not positive definite (the kernel is not PSD on
        the training points, e.g. the sigmoid kernel).

    Curriculum: A10.

    Examples
    --------
    >>> X = np.linspace(0, 1, 20)[:, None]; y = np.sin(3 * X[:, 0])
    >>> m = KernelRidge(alpha=1e-3, kernel="rbf", gamma=10.0).fit(X, y)
    >>> float(np.abs(m.predict(X) - y).max()) < 1e-2
    True
    """

    def __init__(self, alpha=1.0, *, kernel="linear", gamma=None, degree=3, coef0=1):
        self.alpha = alpha
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0

    def _kernel_fn(self):
        return make_kernel(self.kernel, gamma=self.gamma, degree=self.degree, coef0=self.coef0)

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (n, d) and targets ``y`` (n,) or (n, k); returns ``self``."""
        if not (isinstance(self.alpha, int | float | np.number) and self.alpha > 0):
            raise ValueError(f"alpha must be a positive float, got {self.alpha!r}")
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True, multi_output=True)
        sw = _check_sample_weight(sample_weight, X)
        K = self._kernel_fn()(X, X)
        root = np.sqrt(sw)
        Kw = K * np.outer(root, root)
        Kw[np.diag_indices_from(Kw)] += float(self.alpha)
        yw = y * (root[:, None] if y.ndim == 2 else root)
        try:
            L = cholesky(Kw)
        except DomainError as exc:
            raise DomainError(f"kernel {self.kernel!r} must be positive semi-definite on X: K + alpha*I is not "
                              f"positive definite (alpha={self.alpha})") from exc
        c = cho_solve((L, True), yw)
        self.dual_coef_ = c * (root[:, None] if c.ndim == 2 else root)
        self.X_fit_ = X
        return self

    def predict(self, X):
        """:math:`\\sum_i c_i k(x_i, x)`, shape (n,) or (n, k)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return self._kernel_fn()(X, self.X_fit_) @ self.dual_coef_
