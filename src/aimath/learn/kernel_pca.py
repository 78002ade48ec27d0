r"""Kernel principal component analysis (scikit-learn's ``KernelPCA`` API).

PCA in the feature space of a PSD kernel. With the centred Gram matrix
:math:`\tilde K = HKH`, :math:`H = I - \frac1n\mathbf 1\mathbf 1^\top`, and its eigenpairs
:math:`\tilde K v_j = \lambda_j v_j` (:func:`aimath.linalg.eigh`), the projection of a point
:math:`x` on the j-th principal axis is

.. math:: z_j(x) = \frac{1}{\sqrt{\lambda_j}} \sum_i v_{ij}\, \tilde k(x_i, x),

where :math:`\tilde k` is the kernel centred with the training means; on the training points
:math:`z_j = \sqrt{\lambda_j}\, v_j`.

Curriculum: A10.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from aimath.errors import DomainError
from aimath.learn.kernels import make_kernel
from aimath.linalg import eigh

__all__ = ["KernelPCA"]


class KernelPCA(TransformerMixin, BaseEstimator):
    r"""Kernel PCA.

    .. math:: HKH = V\Lambda V^\top, \qquad z(x) = \Lambda^{-1/2} V^\top \tilde k(X, x)

    Parameters
    ----------
    n_components : int or None
        ``None`` keeps every component with a positive eigenvalue.
    kernel : str or callable, default "linear"
    gamma : float, optional
        Default ``1/d``.
    degree : int, default 3
    coef0 : float, default 1
    remove_zero_eig : bool, default False
        Drop components with zero eigenvalue (always done when ``n_components`` is None).

    Attributes
    ----------
    eigenvalues_ : array of shape (n_components,)
    eigenvectors_ : array of shape (n, n_components)
    X_fit_ : array of shape (n, d)

    Raises
    ------
    DomainError
        In ``fit``, when the centred Gram matrix has a clearly negative eigenvalue (the kernel
        is not PSD on the data).

    Curriculum: A10.

    Examples
    --------
    >>> X = np.random.default_rng(0).standard_normal((30, 2))
    >>> KernelPCA(2, kernel="rbf").fit_transform(X).shape
    (30, 2)
    """

    def __init__(self, n_components=None, *, kernel="linear", gamma=None, degree=3, coef0=1, remove_zero_eig=False):
        self.n_components = n_components
        self.kernel = kernel
        self.gamma = gamma
        self.degree = degree
        self.coef0 = coef0
        self.remove_zero_eig = remove_zero_eig

    def _kernel_fn(self):
        return make_kernel(self.kernel, gamma=self.gamma, degree=self.degree, coef0=self.coef0)

    def fit(self, X, y=None):
        """Fit on ``X`` (n, d); returns ``self``."""
        nc = self.n_components
        if nc is not None and not (isinstance(nc, int | np.integer) and nc >= 1):
            raise ValueError(f"n_components must be a positive int or None, got {nc!r}")
        X = validate_data(self, X, dtype=np.float64)
        K = self._kernel_fn()(X, X)
        self._col_means = K.mean(axis=0)
        self._all_mean = float(self._col_means.mean())
        Kc = K - self._col_means[None, :] - self._col_means[:, None] + self._all_mean
        w, V = eigh(0.5 * (Kc + Kc.T))
        order = np.argsort(w)[::-1]
        w, V = w[order], V[:, order]
        scale = max(float(np.abs(w).max(initial=0.0)), 1e-300)
        if w.size and w.min() < -1e-5 * scale and -w.min() > 1e-10:
            raise DomainError(f"kernel {self.kernel!r} must be positive semi-definite on X: the centred Gram matrix "
                              f"has eigenvalue {w.min():.3g} (largest {w.max():.3g})")
        w = np.where(w < 0, 0.0, w)
        k = min(nc, X.shape[0]) if nc is not None else X.shape[0]
        w, V = w[:k], V[:, :k]
        if nc is None or self.remove_zero_eig:
            keep = w > 0
            w, V = w[keep], V[:, keep]
        big = np.argmax(np.abs(V), axis=0) if V.size else np.zeros(0, dtype=int)
        signs = np.sign(V[big, np.arange(V.shape[1])]) if V.size else np.ones(0)
        signs[signs == 0] = 1.0
        self.eigenvalues_ = w
        self.eigenvectors_ = V * signs
        self.X_fit_ = X
        return self

    def fit_transform(self, X, y=None):
        """Fit and return :math:`\\sqrt{\\lambda_j} v_j`, shape (n, n_components)."""
        self.fit(X)
        return self.eigenvectors_ * np.sqrt(self.eigenvalues_)

    def transform(self, X):
        """Projections on the principal axes, shape (n, n_components)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        K = self._kernel_fn()(X, self.X_fit_)
        Kc = K - self._col_means[None, :] - K.mean(axis=1, keepdims=True) + self._all_mean
        nz = self.eigenvalues_ > 0
        scaled = np.zeros_like(self.eigenvectors_)
        scaled[:, nz] = self.eigenvectors_[:, nz] / np.sqrt(self.eigenvalues_[nz])
        return Kc @ scaled
