r"""Linear support vector classification in the primal (scikit-learn's ``LinearSVC`` API).

With the intercept folded into the weights as liblinear does (:math:`\tilde x = (x, s)`,
:math:`s` = ``intercept_scaling``, :math:`\tilde w = (w, b/s)`), the problem is

.. math::
    \min_{\tilde w}\; \tfrac12\|\tilde w\|^2 + C \sum_i \ell\big(y_i \tilde w^\top \tilde x_i\big),
    \qquad \ell(m) = \max(0, 1 - m) \ \text{(hinge)} \ \text{or}\ \max(0, 1 - m)^2 \ \text{(squared hinge)}.

Two solvers:

* ``"pegasos"`` — the textbook primal stochastic subgradient method (Shalev-Shwartz et al.):
  with :math:`\lambda = 1/(Cn)`, step :math:`\eta_t = 1/(\lambda t)`, a mini-batch subgradient
  :math:`\lambda w - \frac1{|B|}\sum_{i\in B,\ y_i w^\top x_i<1} y_i x_i` and a projection onto
  the ball of radius :math:`1/\sqrt\lambda`; returns the averaged iterate (hinge loss only).
* ``"cd"`` (default) — dual coordinate descent (Hsieh et al. 2008, liblinear): the dual
  :math:`\min_\alpha \frac12\alpha^\top(\bar Q)\alpha - \mathbf 1^\top\alpha`,
  :math:`\bar Q = Q + D`, :math:`0\le\alpha_i\le U`, is minimised one coordinate at a time in closed
  form, :math:`\alpha_i \leftarrow \operatorname{clip}(\alpha_i - G_i/\bar Q_{ii}, 0, U)` with
  :math:`G_i = y_i w^\top x_i - 1 + D_{ii}\alpha_i`, keeping :math:`w = \sum_i \alpha_i y_i x_i`.
  (:math:`U = C, D = 0` for the hinge; :math:`U = \infty, D_{ii} = 1/(2C)` for the squared hinge.)
  Each coordinate step is O(d) scalar work.

Curriculum: A3.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import validate_data

from aimath.learn._base import LinearClassifierMixin

__all__ = ["LinearSVC", "linear_svc_dual_cd", "pegasos", "linear_svm_objective"]


def linear_svm_objective(W, X, Y, C, loss="hinge"):
    r"""Primal objective :math:`\frac12\|w\|^2 + C\sum_i \ell(y_i w^\top x_i)` for each row of ``W``.

    ``W`` (K, d), ``X`` (n, d) already augmented, ``Y`` (K, n) labels ±1. Returns shape (K,)."""
    m = Y * (W @ X.T)
    h = np.maximum(0.0, 1.0 - m)
    pen = h if loss == "hinge" else h * h
    return 0.5 * np.sum(W * W, axis=1) + C * pen.sum(axis=1)


GRAM_MAX_SAMPLES = 4000  # the n×n Gram matrix of the fast form: at most 128 MB


def _cd_one(U, Dd, Qd, tol, max_iter, rng, shrinking, Q=None, rows=None, d=0):
    r"""Dual coordinate descent for one binary problem, scalar Python per coordinate.

    With ``Q`` (list of the rows of :math:`Q_{ij} = y_iy_jx_i^\top x_j`) the gradient
    :math:`G = Q\alpha - \mathbf 1` is kept up to date (:math:`G \mathrel{+}= \Delta\alpha_i Q_{i\cdot}`),
    so reading :math:`G_i` is O(1); otherwise (``rows``: the list of :math:`y_ix_i`)
    :math:`w = \sum_i\alpha_iy_ix_i` is kept and :math:`G_i = w^\top (y_ix_i) - 1`. Plus
    :math:`D_{ii}\alpha_i` in both. Shrinking as in liblinear (Hsieh et al. 2008, Algorithm 3).
    """
    n = len(U)
    full = [i for i in range(n) if U[i] > 0.0]
    a = [0.0] * n
    G = -np.ones(n) if Q is not None else None
    w = np.zeros(d) if Q is None else None
    inf = float("inf")
    pmax_old, pmin_old = inf, -inf
    active = full
    for epoch in range(max_iter):
        pmax, pmin = -inf, inf
        keep = []
        for i in rng.permutation(active).tolist():
            ai, Ui = a[i], U[i]
            if Q is not None:
                g = G[i] + Dd[i] * ai
            else:
                g = w.dot(rows[i]) - 1.0 + Dd[i] * ai
            if ai == 0.0:
                if shrinking and g > pmax_old:
                    continue  # at the lower bound and pushed against it: drop from the active set
                pg = g if g < 0.0 else 0.0
            elif ai >= Ui:
                if shrinking and g < pmin_old:
                    continue
                pg = g if g > 0.0 else 0.0
            else:
                pg = g
            keep.append(i)
            if pg > pmax:
                pmax = pg
            if pg < pmin:
                pmin = pg
            if pg > 1e-12 or pg < -1e-12:
                new = ai - g / Qd[i]
                new = 0.0 if new < 0.0 else (Ui if new > Ui else new)
                step = new - ai
                if step != 0.0:
                    a[i] = new
                    if Q is not None:
                        G += step * Q[i]
                    else:
                        w += step * rows[i]
        active = keep
        if pmax - pmin <= tol:
            if len(active) == len(full) or not shrinking:
                return a, epoch + 1, True
            active, pmax_old, pmin_old = full, inf, -inf  # un-shrink and check the whole set
            continue
        pmax_old = pmax if pmax > 0.0 else inf
        pmin_old = pmin if pmin < 0.0 else -inf
    return a, max_iter, False


def linear_svc_dual_cd(X, Y, C, *, loss="squared_hinge", tol=1e-4, max_iter=1000, rng=None, shrinking=True,
                       gram=None):
    r"""Dual coordinate descent for K binary linear SVMs sharing ``X`` (fast form).

    The dual :math:`\min_\alpha \frac12\alpha^\top\bar Q\alpha - \mathbf 1^\top\alpha`,
    :math:`0 \le \alpha_i \le U_i`, is minimised one coordinate at a time in closed form,
    :math:`\alpha_i \leftarrow \operatorname{clip}(\alpha_i - G_i/\bar Q_{ii}, 0, U_i)`. Two ways to
    get the partial derivative :math:`G_i = (\bar Q\alpha)_i - 1`, the same iterates:

    * *Gram* (chosen when :math:`n \le 5d` and :math:`n \le` ``GRAM_MAX_SAMPLES``): keep the whole
      gradient vector, updated by :math:`\Delta\alpha_i\,\bar Q_{i\cdot}` after each change — reading
      :math:`G_i` is one scalar, and a coordinate that does not move costs no array operation;
    * *primal* (liblinear's form, any :math:`n`; cheaper per change when :math:`n \gg d`): keep
      :math:`w = \sum_i \alpha_iy_ix_i` and compute :math:`G_i = y_iw^\top x_i - 1 + D_{ii}\alpha_i`
      in O(d).

    With ``shrinking``, a variable at a bound whose gradient pushes it further out than the
    previous epoch's extreme projected gradient leaves the active set; when the active set meets
    the stopping rule, the whole set is checked again (liblinear's rule, so the same ``tol`` stops
    at the same accuracy).

    Parameters
    ----------
    X : array of shape (n, d)
        Samples (already augmented with the intercept column if wanted).
    Y : array of shape (K, n)
        Labels ±1 of each binary problem.
    C : float or array of shape (n,)
        Penalty (per sample when weighted).
    loss : {"hinge", "squared_hinge"}
    tol : float
        Stop when the projected-gradient spread :math:`\max PG - \min PG` of an epoch over the
        whole set is at most ``tol`` (per problem).
    max_iter : int
        Maximal number of epochs.
    rng : seed or Generator
        For the random visiting order.
    shrinking : bool, default True
    gram : bool or None
        Force the Gram (True) or primal (False) form; None chooses by ``n``.

    Returns
    -------
    W : array of shape (K, d)
    alpha : array of shape (K, n)
    n_iter : int
        Epochs run (the largest over the K problems).
    converged : bool
    """
    rng = np.random.default_rng(rng)
    n, d = X.shape
    K = Y.shape[0]
    Cv = np.broadcast_to(np.asarray(C, dtype=np.float64), (n,))
    if loss == "hinge":
        U, Dd = Cv.copy(), np.zeros(n)
    else:
        U, Dd = np.where(Cv > 0, np.inf, 0.0), np.where(Cv > 0, 0.5 / np.where(Cv > 0, Cv, 1.0), 0.0)
    Qd = (np.einsum("ij,ij->i", X, X) + Dd).tolist()
    U, Dd = U.tolist(), Dd.tolist()
    if gram is None:
        gram = n <= GRAM_MAX_SAMPLES and n <= 5 * d
    KX = X @ X.T if gram else None
    A = np.zeros((K, n))
    n_iter, converged = 0, True
    for k in range(K):
        y = Y[k]
        if gram:
            Q, rows = list(KX * np.outer(y, y)), None
        else:
            Q, rows = None, list(X * y[:, None])
        a, it, ok = _cd_one(U, Dd, Qd, float(tol), int(max_iter), rng, shrinking, Q=Q, rows=rows, d=d)
        A[k] = a
        n_iter, converged = max(n_iter, it), converged and ok
    W = (A * Y) @ X
    return W, A, n_iter, converged


def pegasos(X, Y, C, *, max_iter=1000, batch_size=32, rng=None):
    r"""Pegasos, the primal stochastic subgradient method for the hinge loss (textbook form).

    .. math::
        w_{t+1} = \Pi_{\|w\|\le 1/\sqrt\lambda}\Big(w_t - \eta_t\big(\lambda w_t -
        \tfrac1{|B_t|}\textstyle\sum_{i\in B_t:\, y_iw_t^\top x_i < 1} y_i x_i\big)\Big),
        \quad \eta_t = \frac1{\lambda t},\ \lambda = \frac1{Cn}

    minimises :math:`\frac\lambda2\|w\|^2 + \frac1n\sum_i\max(0, 1 - y_iw^\top x_i)` (the
    :math:`C`-problem divided by :math:`Cn`). Vectorised over the K problems of ``Y``.

    Parameters
    ----------
    X : array of shape (n, d)
    Y : array of shape (K, n)
    C : float
    max_iter : int
        Number of epochs (``n / batch_size`` steps each).
    batch_size : int
    rng : seed or Generator

    Returns
    -------
    W : array of shape (K, d)
        The average of the second half of the iterates.
    """
    rng = np.random.default_rng(rng)
    n, d = X.shape
    K = Y.shape[0]
    lam = 1.0 / (C * n)
    W = np.zeros((K, d))
    W_avg = np.zeros((K, d))
    steps = max(1, max_iter * max(1, n // batch_size))
    n_avg = 0
    for t in range(1, steps + 1):
        B = rng.integers(0, n, batch_size)
        Xb, Yb = X[B], Y[:, B]
        viol = (Yb * (W @ Xb.T)) < 1.0
        sub = lam * W - ((Yb * viol) @ Xb) / batch_size
        W = W - sub / (lam * t)
        norms = np.sqrt(np.sum(W * W, axis=1, keepdims=True))
        W = W * np.minimum(1.0, (1.0 / np.sqrt(lam)) / np.maximum(norms, 1e-300))
        if t > steps // 2:
            n_avg += 1
            W_avg += (W - W_avg) / n_avg
    return W_avg


class LinearSVC(LinearClassifierMixin, ClassifierMixin, BaseEstimator):
    r"""Linear support vector classifier (one-vs-rest), solved by dual coordinate descent or Pegasos.

    .. math:: \min_{w,b}\ \tfrac12\|(w, b/s)\|^2 + C\sum_i \ell\big(y_i(w^\top x_i + b)\big)

    Parameters
    ----------
    C : float, default 1.0
    loss : {"squared_hinge", "hinge"}, default "squared_hinge"
    tol : float, default 1e-4
    fit_intercept : bool, default True
    intercept_scaling : float, default 1.0
        The constant :math:`s` appended to each sample (the intercept is penalised, as in liblinear).
    class_weight : dict, "balanced" or None
    max_iter : int, default 1000
        Epochs.
    solver : {"cd", "pegasos"}, default "cd"
        Pegasos supports the hinge loss only.
    random_state : int, Generator or None

    Attributes
    ----------
    coef_ : array of shape (1, d) or (n_classes, d)
    intercept_ : array of shape (1,) or (n_classes,)
    classes_ : array
    n_iter_ : int

    Curriculum: A3.

    Examples
    --------
    >>> X = np.array([[2.0, 1.0], [1.0, 3.0], [-1.0, -2.0], [-2.0, -1.0]]); y = np.array([1, 1, 0, 0])
    >>> LinearSVC(random_state=0).fit(X, y).score(X, y)
    1.0
    """

    def __init__(self, C=1.0, *, loss="squared_hinge", tol=1e-4, fit_intercept=True, intercept_scaling=1.0,
                 class_weight=None, max_iter=1000, solver="cd", random_state=None):
        self.C = C
        self.loss = loss
        self.tol = tol
        self.fit_intercept = fit_intercept
        self.intercept_scaling = intercept_scaling
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.solver = solver
        self.random_state = random_state

    def _augment(self, X):
        if not self.fit_intercept:
            return X
        return np.hstack([X, np.full((X.shape[0], 1), float(self.intercept_scaling))])

    def fit(self, X, y, sample_weight=None):
        """Fit on ``X`` (n, d) and labels ``y`` (n,); returns ``self``."""
        if not (isinstance(self.C, int | float | np.number) and self.C > 0 and np.isfinite(self.C)):
            raise ValueError(f"C must be a positive finite float, got {self.C!r}")
        if self.loss not in ("hinge", "squared_hinge"):
            raise ValueError(f"loss must be 'hinge' or 'squared_hinge', got {self.loss!r}")
        if self.solver not in ("cd", "pegasos"):
            raise ValueError(f"solver must be 'cd' or 'pegasos', got {self.solver!r}")
        if self.solver == "pegasos" and self.loss != "hinge":
            raise ValueError("solver='pegasos' supports loss='hinge' only")
        if not (isinstance(self.max_iter, int | np.integer) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be a positive int, got {self.max_iter!r}")
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, yi = np.unique(y, return_inverse=True)
        k = len(self.classes_)
        if k < 2:
            raise ValueError(f"The number of classes has to be greater than one; got {k} class")
        from sklearn.utils.validation import _check_sample_weight

        sw = _check_sample_weight(sample_weight, X)
        cw = np.ones(k)
        if self.class_weight == "balanced":
            cw = len(yi) / (k * np.bincount(yi, minlength=k))
        elif isinstance(self.class_weight, dict):
            for c, w in self.class_weight.items():
                cw[np.flatnonzero(self.classes_ == c)] = w
        elif self.class_weight is not None:
            raise ValueError(f"class_weight must be a dict, 'balanced' or None, got {self.class_weight!r}")
        Xa = self._augment(X)
        classes = [1] if k == 2 else list(range(k))
        Y = np.stack([np.where(yi == c, 1.0, -1.0) for c in classes])
        rs = self.random_state
        rng = rs.randint(2**31 - 1) if isinstance(rs, np.random.RandomState) else rs
        if self.solver == "cd":
            Cs = float(self.C) * sw * cw[yi]
            W, _, self.n_iter_, ok = linear_svc_dual_cd(Xa, Y, Cs, loss=self.loss, tol=float(self.tol),
                                                       max_iter=int(self.max_iter), rng=rng)
            if not ok:
                warnings.warn("Dual coordinate descent did not reach tol; increase max_iter", ConvergenceWarning,
                              stacklevel=2)
        else:
            W = pegasos(Xa, Y, float(self.C), max_iter=int(self.max_iter), rng=rng)
            self.n_iter_ = int(self.max_iter)
        if self.fit_intercept:
            self.coef_ = W[:, :-1].copy()
            self.intercept_ = W[:, -1] * float(self.intercept_scaling)
        else:
            self.coef_ = W
            self.intercept_ = np.zeros(W.shape[0])
        return self


