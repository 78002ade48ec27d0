r"""Least squares and ridge regression (scikit-learn's ``LinearRegression`` and ``Ridge``).

Least squares :math:`\min_w \|Xw - y\|_2^2` is solved three ways, all with aimath.linalg:

* **normal equations** :math:`X^\top X w = X^\top y` by Cholesky (fast, squares the condition number);
* **QR**: :math:`X = QR`, :math:`Rw = Q^\top y` (backward stable);
* **SVD / pseudoinverse**: :math:`w = X^+ y = V\Sigma^+U^\top y`, the minimum-norm solution, also
  for rank-deficient :math:`X`.

Geometrically :math:`Xw` is the orthogonal projection of :math:`y` onto the column space: the
residual is orthogonal to every column. Ridge adds :math:`\alpha\|w\|^2`:
:math:`w_\alpha = (X^\top X + \alpha I)^{-1}X^\top y = V \operatorname{diag}(\sigma/(\sigma^2+\alpha)) U^\top y`;
:math:`\|w_\alpha\|` decreases in :math:`\alpha` and :math:`w_\alpha \to X^+y` as :math:`\alpha \to 0`.

Curriculum: A2.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from aimath.errors import DomainError
from aimath.learn._base import center_data, set_intercept
from aimath.linalg import cho_solve, cholesky, qr, solve_triangular, svd

__all__ = ["LinearRegression", "Ridge", "least_squares", "ridge_solve"]

_EPS = np.finfo(np.float64).eps


def _svd_solve(A, b, shrink=None, rcond=None):
    U, s, Vh = svd(A, full_matrices=False)
    Ub = U.T @ b
    if shrink is None:  # pseudoinverse: 1/σ above the cut-off, 0 below
        cut = (rcond if rcond is not None else max(A.shape) * _EPS) * (s[0] if s.size else 0.0)
        keep = s > cut
        d = np.where(keep, 1.0 / np.where(keep, s, 1.0), 0.0)
        rank = int(keep.sum())
    else:  # ridge filter σ/(σ² + α)
        alpha = np.asarray(shrink, dtype=np.float64)
        d = s[:, None] / (s[:, None] ** 2 + alpha) if b.ndim > 1 else s / (s**2 + alpha)
        rank = int(np.sum(s > max(A.shape) * _EPS * (s[0] if s.size else 0.0)))
    coef = Vh.T @ (d * Ub if (b.ndim == 1 or d.ndim == 2) else d[:, None] * Ub)
    return coef, rank, s


def least_squares(A, b, solver="qr"):
    r"""Solve :math:`\min_x \|Ax - b\|_2` by ``"qr"``, ``"normal"`` equations or ``"svd"``.

    .. math:: x = (A^\top A)^{-1}A^\top b = R^{-1}Q^\top b = A^+ b

    The QR and normal-equation solvers need full column rank; when :math:`A` is (numerically)
    rank deficient they hand over to the SVD, which returns the minimum-norm minimiser, as
    ``numpy.linalg.lstsq`` does.

    Parameters
    ----------
    A : array of shape (m, n)
    b : array of shape (m,) or (m, k)
    solver : {"qr", "normal", "svd"}

    Returns
    -------
    x : array of shape (n,) or (n, k)
    rank : int
    singular_values : array or None
        Singular values of ``A`` when the SVD was used.

    Curriculum: A2.

    >>> A = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]); b = np.array([1.0, 2.0, 4.0])
    >>> np.round(least_squares(A, b)[0], 6)
    array([0.833333, 1.5     ])
    """
    m, n = A.shape
    if solver == "svd" or n == 0 or m < n:
        return _svd_solve(A, b)
    if solver == "qr":
        Q, R = qr(A, mode="reduced")
        d = np.abs(np.diag(R))
        if d.size and d.min() > max(m, n) * _EPS * d.max():
            return solve_triangular(R, Q.T @ b), n, None
        return _svd_solve(A, b)
    if solver == "normal":
        try:
            L = cholesky(A.T @ A)
        except DomainError:
            return _svd_solve(A, b)
        d = np.diag(L)
        if d.min() <= np.sqrt(max(m, n) * _EPS) * d.max():  # κ(AᵀA) beyond 1/ε: not trustworthy
            return _svd_solve(A, b)
        return cho_solve((L, True), A.T @ b), n, None
    raise ValueError(f"solver must be 'qr', 'normal' or 'svd', got {solver!r}")


def ridge_solve(A, b, alpha, solver="cholesky"):
    r"""Ridge solution :math:`w = (A^\top A + \alpha I)^{-1}A^\top b`.

    .. math:: w = (A^\top A + \alpha I)^{-1} A^\top b = A^\top (AA^\top + \alpha I)^{-1} b
              = V\,\mathrm{diag}\!\Big(\frac{\sigma_i}{\sigma_i^2+\alpha}\Big) U^\top b

    ``"cholesky"`` factors the smaller of the two Gram matrices (primal when m ≥ n, dual
    otherwise); ``"svd"`` filters the singular values.

    Parameters
    ----------
    A : array of shape (m, n)
    b : array of shape (m,) or (m, k)
    alpha : float > 0, or array of shape (k,) (one per target)
    solver : {"cholesky", "svd"}

    Returns
    -------
    w : array of shape (n,) or (n, k)

    Curriculum: A2.
    """
    alpha = np.asarray(alpha, dtype=np.float64)
    m, n = A.shape
    if solver == "svd" or (alpha.ndim == 1 and alpha.size > 1 and np.unique(alpha).size > 1):
        if solver == "cholesky":  # several alphas: one factorisation per alpha
            return np.stack([ridge_solve(A, b[:, k], alpha[k]) for k in range(b.shape[1])], axis=1)
        return _svd_solve(A, b, shrink=alpha)[0]
    if solver != "cholesky":
        raise ValueError(f"solver must be 'auto', 'cholesky' or 'svd', got {solver!r}")
    a = float(alpha.reshape(-1)[0])
    if n <= m:
        G = A.T @ A
        G[np.diag_indices(n)] += a
        return cho_solve((cholesky(G), True), A.T @ b)
    G = A @ A.T
    G[np.diag_indices(m)] += a
    return A.T @ cho_solve((cholesky(G), True), b)


class LinearRegression(MultiOutputMixin, RegressorMixin, BaseEstimator):
    r"""Ordinary least squares.

    .. math:: \min_{w, b} \sum_i s_i \,(y_i - x_i^\top w - b)^2

    Parameters
    ----------
    fit_intercept : bool, default True
    copy_X : bool, default True
        Kept for scikit-learn compatibility (``X`` is never modified).
    solver : {"qr", "normal", "svd"}, default "qr"
        See :func:`least_squares`.

    Attributes
    ----------
    coef_ : array of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or array of shape (n_targets,)
    rank_ : int
    singular_ : array or None
        Singular values of the centred ``X`` when the SVD was used.

    Curriculum: A2.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]]); y = np.array([1.0, 3.0, 5.0])
    >>> m = LinearRegression().fit(X, y); round(float(m.coef_[0]), 12), round(float(m.intercept_), 12)
    (2.0, 1.0)
    """

    def __init__(self, *, fit_intercept=True, copy_X=True, solver="qr"):
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.solver = solver

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (n, d) and ``y`` (n,) or (n, k); returns ``self``."""
        if self.solver not in ("qr", "normal", "svd"):
            raise ValueError(f"solver must be 'qr', 'normal' or 'svd', got {self.solver!r}")
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True, multi_output=True)
        Xc, yc, xm, ym, _ = center_data(X, y, self.fit_intercept, sample_weight)
        coef, self.rank_, s = least_squares(Xc, yc, self.solver)
        self.singular_ = s
        self.coef_ = coef.T
        self.intercept_ = set_intercept(self.coef_, xm, ym, self.fit_intercept)
        return self

    def predict(self, X):
        """:math:`Xw + b`, shape (n,) or (n, k)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_.T + self.intercept_


class Ridge(MultiOutputMixin, RegressorMixin, BaseEstimator):
    r"""Ridge regression (least squares with an :math:`\ell_2` penalty on :math:`w`).

    .. math:: \min_{w, b} \sum_i s_i\,(y_i - x_i^\top w - b)^2 + \alpha \|w\|_2^2

    Parameters
    ----------
    alpha : float or array of shape (n_targets,), default 1.0
        :math:`\alpha \ge 0`.
    fit_intercept : bool, default True
    copy_X : bool, default True
    solver : {"auto", "cholesky", "svd"}, default "auto"
        ``"auto"`` is ``"cholesky"``; see :func:`ridge_solve`.

    Attributes
    ----------
    coef_ : array of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or array of shape (n_targets,)

    Curriculum: A2.

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [2.0]]); y = np.array([0.0, 1.0, 2.0])
    >>> round(float(Ridge(alpha=2.0).fit(X, y).coef_[0]), 12)  # Σx̃ỹ / (Σx̃² + α) = 2 / 4
    0.5
    """

    def __init__(self, alpha=1.0, *, fit_intercept=True, copy_X=True, solver="auto"):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.copy_X = copy_X
        self.solver = solver

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (n, d) and ``y`` (n,) or (n, k); returns ``self``."""
        if self.solver not in ("auto", "cholesky", "svd"):
            raise ValueError(f"solver must be 'auto', 'cholesky' or 'svd', got {self.solver!r}")
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True, multi_output=True)
        alpha = np.asarray(self.alpha, dtype=np.float64)
        if np.any(~np.isfinite(alpha)) or np.any(alpha < 0):
            raise ValueError(f"alpha must be non-negative and finite, got {self.alpha!r}")
        if alpha.ndim > 1 or (alpha.ndim == 1 and alpha.size not in (1, (y.shape[1] if y.ndim > 1 else 1))):
            raise ValueError(f"alpha must be a float or have one entry per target, got shape {alpha.shape}")
        Xc, yc, xm, ym, _ = center_data(X, y, self.fit_intercept, sample_weight)
        solver = "cholesky" if self.solver == "auto" else self.solver
        if solver == "cholesky" and np.any(alpha == 0):
            solver = "svd"  # α = 0 is plain least squares; the SVD handles rank deficiency
        if solver == "svd" and np.any(alpha == 0):
            coef = least_squares(Xc, yc, "svd")[0] if alpha.size == 1 else _svd_solve(Xc, yc, shrink=alpha)[0]
        else:
            a = alpha if alpha.ndim == 0 or alpha.size == 1 else alpha
            coef = ridge_solve(Xc, yc, a.reshape(-1)[0] if a.size == 1 else a, solver)
        self.coef_ = coef.T
        self.intercept_ = set_intercept(self.coef_, xm, ym, self.fit_intercept)
        self.solver_ = solver
        return self

    def predict(self, X):
        """:math:`Xw + b`, shape (n,) or (n, k)."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_.T + self.intercept_
