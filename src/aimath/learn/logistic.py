r"""Logistic regression (binomial and multinomial) by gradient descent, Newton (IRLS) and L-BFGS.

With :math:`\tilde x = (x, 1)`, sample weights :math:`s_i`, :math:`S = \sum_i s_i` and
:math:`\Theta = (W, b)`, the objective (scikit-learn's, divided by :math:`CS`) is

.. math::
    f(\Theta) = \frac1S \sum_i s_i\, \ell_i(\Theta) + \frac{1}{2CS}\|W\|_F^2, \qquad
    \ell_i = \log\Big(\sum_k e^{z_{ik}}\Big) - z_{i y_i}, \quad z_i = \Theta\tilde x_i,

for :math:`K > 2` classes (softmax), and :math:`\ell_i = \log(1 + e^{z_i}) - y_i z_i` with one
score for two classes. Gradient and Hessian are analytic:
:math:`\nabla f = \frac1S (P - Y)^\top \operatorname{diag}(s)\tilde X + W/(CS)`, and for two classes
:math:`\nabla^2 f = \frac1S \tilde X^\top \operatorname{diag}(s\,p(1-p))\tilde X + I_W/(CS)` (IRLS).
The Hessian is bounded by :math:`L = c\,\lambda_{\max}(\tilde X^\top\operatorname{diag}(s)\tilde X)/S +
1/(CS)` with :math:`c = 1/4` (binomial) or :math:`1/2` (softmax), so gradient descent with step
:math:`1/L` never increases :math:`f`.

Curriculum: A2.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.special import expit, log_expit, logsumexp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, validate_data

from aimath.learn._base import LinearClassifierMixin
from aimath.linalg import eigvalsh, solve

__all__ = ["LogisticRegression", "LogisticObjective", "lbfgs_minimize"]


class LogisticObjective:
    """The objective f, its gradient and Hessian at a flat parameter vector (see the module).

    Parameters
    ----------
    X : array of shape (n, d)
    Y : array of shape (n,) with entries in {0, 1} (binomial) or (n, K) one-hot (multinomial)
    sample_weight : array of shape (n,)
    C : float
        Inverse regularisation (``np.inf``: none).
    fit_intercept : bool
    """

    def __init__(self, X, Y, sample_weight, C, fit_intercept):
        self.Xt = np.hstack([X, np.ones((X.shape[0], 1))]) if fit_intercept else X
        self.Y = Y
        self.s = sample_weight
        self.S = float(sample_weight.sum())
        self.lam = 0.0 if not np.isfinite(C) else 1.0 / (C * self.S)
        self.fit_intercept = fit_intercept
        self.multi = Y.ndim == 2
        self.K = Y.shape[1] if self.multi else 1
        self.p = self.Xt.shape[1]
        mask = np.ones(self.p)
        if fit_intercept:
            mask[-1] = 0.0
        self.mask = np.tile(mask, self.K)  # which coordinates the penalty touches

    @property
    def size(self):
        return self.K * self.p

    def _theta(self, v):
        return v.reshape(self.K, self.p)

    def value(self, v):
        """f(v)."""
        Z = self.Xt @ self._theta(v).T
        if self.multi:
            loss = logsumexp(Z, axis=1) - np.sum(Z * self.Y, axis=1)
        else:
            z = Z[:, 0]
            loss = -log_expit(z) + (1.0 - self.Y) * z  # log(1 + e^z) − y z
        return float(self.s @ loss / self.S + 0.5 * self.lam * np.sum(self.mask * v * v))

    def probabilities(self, v):
        Z = self.Xt @ self._theta(v).T
        if self.multi:
            Z = Z - Z.max(axis=1, keepdims=True)
            E = np.exp(Z)
            return E / E.sum(axis=1, keepdims=True)
        return expit(Z[:, 0])

    def value_and_grad(self, v):
        """(f(v), ∇f(v))."""
        P = self.probabilities(v)
        R = (P - self.Y) * (self.s[:, None] if self.multi else self.s)
        g = (R.T @ self.Xt if self.multi else (R @ self.Xt)[None, :]).ravel() / self.S + self.lam * self.mask * v
        return self.value(v), g

    def hessian(self, v):
        """∇²f(v) as a (K p, K p) matrix."""
        P = self.probabilities(v)
        Xs = self.Xt * (self.s / self.S)[:, None]
        if not self.multi:
            H = (Xs * (P * (1 - P))[:, None]).T @ self.Xt
        else:
            K, p = self.K, self.p
            H = np.empty((K, p, K, p))
            for k in range(K):
                for l in range(k, K):
                    w = P[:, k] * ((k == l) - P[:, l])
                    block = (Xs * w[:, None]).T @ self.Xt
                    H[k, :, l, :] = block
                    H[l, :, k, :] = block.T
            H = H.reshape(K * p, K * p)
        H[np.diag_indices_from(H)] += self.lam * self.mask
        return H

    def lipschitz(self):
        """A bound L on the Hessian's largest eigenvalue (step 1/L never increases f)."""
        G = (self.Xt * (self.s / self.S)[:, None]).T @ self.Xt
        lam_max = float(eigvalsh(G)[-1])
        return (0.5 if self.multi else 0.25) * lam_max + self.lam


def lbfgs_minimize(fun_grad, x0, *, m=10, tol=1e-4, max_iter=100):
    r"""Minimise a smooth function by L-BFGS with an Armijo backtracking line search.

    The search direction is :math:`-H_k\nabla f` with :math:`H_k` the limited-memory BFGS inverse
    Hessian built from the last ``m`` pairs :math:`(s_j, y_j) = (x_{j+1}-x_j, \nabla f_{j+1}-\nabla f_j)`
    by the two-loop recursion; pairs with :math:`s^\top y \le 0` are skipped.

    Parameters
    ----------
    fun_grad : callable
        ``x -> (f(x), ∇f(x))``.
    x0 : array of shape (n,)
    m : int
        Memory.
    tol : float
        Stop when :math:`\|\nabla f\|_\infty \le` ``tol``.
    max_iter : int

    Returns
    -------
    x, f, n_iter, history (list of f values), converged (bool)
    """
    x = np.asarray(x0, dtype=np.float64).copy()
    f, g = fun_grad(x)
    S, Yl, rho = [], [], []
    history = [f]
    for it in range(1, max_iter + 1):
        if np.max(np.abs(g)) <= tol:
            return x, f, it - 1, history, True
        q = g.copy()
        alphas = []
        for s, y, r in zip(reversed(S), reversed(Yl), reversed(rho), strict=True):
            a = r * (s @ q)
            alphas.append(a)
            q -= a * y
        gamma = (S[-1] @ Yl[-1]) / (Yl[-1] @ Yl[-1]) if S else 1.0 / max(1.0, np.max(np.abs(g)))
        q *= gamma
        for (s, y, r), a in zip(zip(S, Yl, rho, strict=True), reversed(alphas), strict=True):
            b = r * (y @ q)
            q += (a - b) * s
        d = -q
        slope = g @ d
        if slope >= 0:  # not a descent direction: restart from steepest descent
            S, Yl, rho = [], [], []
            d, slope = -g, -(g @ g)
        t = 1.0
        for _ in range(60):
            x_new = x + t * d
            f_new, g_new = fun_grad(x_new)
            if f_new <= f + 1e-4 * t * slope:
                break
            t *= 0.5
        else:
            return x, f, it, history, False
        s, y = x_new - x, g_new - g
        sy = s @ y
        if sy > 1e-12 * np.sqrt((s @ s) * (y @ y)):
            S.append(s)
            Yl.append(y)
            rho.append(1.0 / sy)
            if len(S) > m:
                S.pop(0)
                Yl.pop(0)
                rho.pop(0)
        x, f, g = x_new, f_new, g_new
        history.append(f)
    return x, f, max_iter, history, bool(np.max(np.abs(g)) <= tol)


def _newton(obj, v, tol, max_iter):
    """Damped Newton (IRLS for the binomial case) with backtracking."""
    K, p = obj.K, obj.p
    extra = np.zeros((K * p, K * p))
    if obj.multi:  # softmax is unchanged by adding one vector to every class: fix that direction
        E = np.zeros((p, p))
        if obj.fit_intercept and obj.lam > 0:
            E[-1, -1] = 1.0
        elif obj.lam == 0:
            E = np.eye(p)
        extra = np.kron(np.ones((K, K)) / K, E)
    f, g = obj.value_and_grad(v)
    history = [f]
    for it in range(1, max_iter + 1):
        if np.max(np.abs(g)) <= tol:
            return v, it - 1, history, True
        step = solve(obj.hessian(v) + extra, g)
        t, slope = 1.0, -(g @ step)
        for _ in range(60):
            f_new, g_new = obj.value_and_grad(v - t * step)
            if f_new <= f + 1e-4 * t * slope:
                break
            t *= 0.5
        v = v - t * step
        f, g = f_new, g_new
        history.append(f)
    return v, max_iter, history, bool(np.max(np.abs(g)) <= tol)


def _gd(obj, v, tol, max_iter):
    """Gradient descent with the constant step 1/L."""
    eta = 1.0 / obj.lipschitz()
    f, g = obj.value_and_grad(v)
    history = [f]
    for it in range(1, max_iter + 1):
        if np.max(np.abs(g)) <= tol:
            return v, it - 1, history, True
        v = v - eta * g
        f, g = obj.value_and_grad(v)
        history.append(f)
    return v, max_iter, history, bool(np.max(np.abs(g)) <= tol)


class LogisticRegression(LinearClassifierMixin, ClassifierMixin, BaseEstimator):
    r"""L2-regularised logistic regression; multinomial (softmax) for more than two classes.

    .. math:: \min_{W, b}\ \tfrac12\|W\|_F^2 + C\sum_i s_i\,\ell_i(W, b)

    Parameters
    ----------
    C : float, default 1.0
        Inverse regularisation strength (``np.inf``: unpenalised).
    fit_intercept : bool, default True
    solver : {"lbfgs", "newton", "gd"}, default "lbfgs"
        L-BFGS (:func:`lbfgs_minimize`), Newton/IRLS with the analytic Hessian solved by
        :func:`aimath.linalg.solve`, or gradient descent with step 1/L.
    tol : float, default 1e-4
        Stop when the largest gradient entry of the scaled objective is ≤ tol.
    max_iter : int, default 100

    Attributes
    ----------
    coef_ : array of shape (1, d) or (n_classes, d)
    intercept_ : array of shape (1,) or (n_classes,)
    classes_ : array
    n_iter_ : array of shape (1,)
    loss_curve_ : list of float
        Objective value (scaled by 1/(CS)) after each iteration.

    Curriculum: A2.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> LogisticRegression(max_iter=500).fit(X, y).score(X, y) > 0.95
    True
    """

    def __init__(self, C=1.0, *, fit_intercept=True, solver="lbfgs", tol=1e-4, max_iter=100):
        self.C = C
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (n, d) and labels ``y`` (n,); returns ``self``."""
        if not (isinstance(self.C, int | float | np.number) and self.C > 0):
            raise ValueError(f"C must be a positive float, got {self.C!r}")
        if self.solver not in ("lbfgs", "newton", "gd"):
            raise ValueError(f"solver must be 'lbfgs', 'newton' or 'gd', got {self.solver!r}")
        if not (isinstance(self.max_iter, int | np.integer) and self.max_iter >= 0):
            raise ValueError(f"max_iter must be a non-negative int, got {self.max_iter!r}")
        if not self.tol > 0:
            raise ValueError(f"tol must be > 0, got {self.tol!r}")
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, yi = np.unique(y, return_inverse=True)
        k = len(self.classes_)
        if k < 2:
            raise ValueError(f"This solver needs samples of at least 2 classes in the data, but the data contains "
                             f"only one class: {self.classes_[0]!r}")
        sw = _check_sample_weight(sample_weight, X)
        Y = (yi == 1).astype(np.float64) if k == 2 else np.eye(k)[yi]
        obj = LogisticObjective(X, Y, sw, float(self.C), self.fit_intercept)
        v0 = np.zeros(obj.size)
        tol, mi = float(self.tol), int(self.max_iter)
        if self.solver == "lbfgs":
            v, _, n_iter, hist, ok = lbfgs_minimize(obj.value_and_grad, v0, tol=tol, max_iter=mi)
        elif self.solver == "newton":
            v, n_iter, hist, ok = _newton(obj, v0, tol, mi)
        else:
            v, n_iter, hist, ok = _gd(obj, v0, tol, mi)
        if not ok:
            warnings.warn(f"{self.solver} did not converge in max_iter={mi} iterations; increase max_iter",
                          ConvergenceWarning, stacklevel=2)
        theta = v.reshape(obj.K, obj.p)
        if self.fit_intercept:
            self.coef_, self.intercept_ = theta[:, :-1].copy(), theta[:, -1].copy()
        else:
            self.coef_, self.intercept_ = theta.copy(), np.zeros(obj.K)
        self.n_iter_ = np.array([n_iter], dtype=np.int32)
        self.loss_curve_ = list(hist)
        return self


    def predict_proba(self, X):
        """Class probabilities, shape (n, n_classes), rows summing to 1."""
        s = self.decision_function(X)
        if s.ndim == 1:
            p = expit(s)
            return np.column_stack([1 - p, p])
        s = s - s.max(axis=1, keepdims=True)
        e = np.exp(s)
        return e / e.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`, computed stably."""
        s = self.decision_function(X)
        if s.ndim == 1:
            return np.column_stack([log_expit(-s), log_expit(s)])
        return s - logsumexp(s, axis=1, keepdims=True)

