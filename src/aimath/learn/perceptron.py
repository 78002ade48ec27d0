r"""Rosenblatt's perceptron and Novikoff's mistake bound.

On a mistake, :math:`y_i(w^\top x_i + b) \le 0`, the perceptron updates
:math:`w \leftarrow w + \eta y_i x_i,\ b \leftarrow b + \eta y_i`. If some unit vector
:math:`u` (in the space of :math:`\tilde x = (x, 1)`) separates the data with margin
:math:`\gamma = \min_i y_i u^\top\tilde x_i > 0` and :math:`R = \max_i\|\tilde x_i\|`, Novikoff's
theorem bounds the number of updates, on any order of the data and for as many epochs as it
takes, by :math:`(R/\gamma)^2`.

The textbook form :func:`perceptron_textbook` loops over samples. The fast form
:func:`perceptron_train` produces the same iterates: inside an epoch it finds the *next*
mistake with one vectorised pass over the rest of the epoch, so its cost is
O(updates · n · d) with no Python loop over correctly classified samples.

Curriculum: A3.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import validate_data

from aimath.errors import DomainError
from aimath.learn._base import LinearClassifierMixin

__all__ = ["Perceptron", "perceptron_textbook", "perceptron_train", "novikoff_bound"]


def perceptron_textbook(X, y, *, max_iter=1000, eta0=1.0, fit_intercept=True, order=None):
    """The perceptron, one sample at a time (textbook form).

    Parameters
    ----------
    X : array of shape (n, d)
    y : array of shape (n,)
        Labels ±1.
    max_iter : int
        Maximal number of epochs; stops after the first epoch without a mistake.
    eta0 : float
    fit_intercept : bool
    order : int array of shape (max_iter, n), optional
        Visiting order per epoch (default: 0, 1, …, n − 1 every epoch).

    Returns
    -------
    w, b, n_updates, n_epochs
    """
    n, d = X.shape
    w, b, updates = np.zeros(d), 0.0, 0
    for epoch in range(max_iter):
        mistakes = 0
        for i in (range(n) if order is None else order[epoch]):
            if y[i] * (X[i] @ w + b) <= 0:
                w = w + eta0 * y[i] * X[i]
                b = b + eta0 * y[i] if fit_intercept else b
                mistakes += 1
        updates += mistakes
        if mistakes == 0:
            return w, b, updates, epoch + 1
    return w, b, updates, max_iter


def perceptron_train(X, y, *, max_iter=1000, eta0=1.0, fit_intercept=True, order=None):
    """The perceptron (fast form): same iterates as :func:`perceptron_textbook`, jumping from
    mistake to mistake with vectorised scans. Arguments and returns as there."""
    n, d = X.shape
    w, b, updates = np.zeros(d), 0.0, 0
    for epoch in range(max_iter):
        idx = np.arange(n) if order is None else np.asarray(order[epoch])
        Xe, ye = X[idx], y[idx]
        start, mistakes = 0, 0
        while start < n:
            margins = ye[start:] * (Xe[start:] @ w + b)
            bad = np.flatnonzero(margins <= 0)
            if bad.size == 0:
                break
            i = start + int(bad[0])
            w = w + eta0 * ye[i] * Xe[i]
            if fit_intercept:
                b = b + eta0 * ye[i]
            mistakes += 1
            start = i + 1
        updates += mistakes
        if mistakes == 0:
            return w, b, updates, epoch + 1
    return w, b, updates, max_iter


def novikoff_bound(X, y, *, fit_intercept=True, w=None, b=0.0):
    r"""Novikoff's bound :math:`(R/\gamma)^2` on the number of perceptron updates.

    .. math::
        R = \max_i \|\tilde x_i\|, \qquad \gamma = \min_i \frac{y_i (w^\top x_i + b)}{\|(w, b)\|},
        \qquad \tilde x = (x, 1) \text{ with an intercept, } x \text{ without}

    ``(w, b)`` is a separating hyperplane; by default the hard-margin SVM one (largest margin
    normalised by :math:`\|w\|`, a good choice for :math:`u`). Without an intercept the SVM's
    :math:`w` is used with :math:`b = 0`, which may fail to separate (then DomainError).

    Returns
    -------
    bound, R, gamma

    Raises
    ------
    DomainError
        The data are not linearly separable by ``(w, b)`` (γ ≤ 0).

    Curriculum: A3.
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if w is None:
        from aimath.learn.svc import SVC

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # non-separable data: γ ≤ 0 below
            svm = SVC(kernel="linear", C=np.inf, tol=1e-6, max_iter=100_000).fit(X, y)
        w = svm.coef_[0]
        b = float(svm.intercept_[0]) if fit_intercept else 0.0
    Xt = np.hstack([X, np.ones((X.shape[0], 1))]) if fit_intercept else X
    u = np.append(w, b) if fit_intercept else np.asarray(w)
    gamma = float(np.min(y * (Xt @ u)) / np.sqrt(u @ u))
    if not gamma > 0:
        raise DomainError(f"(w, b) must separate the data with a positive margin, got gamma = {gamma:.3g}")
    R = float(np.sqrt(np.max(np.sum(Xt * Xt, axis=1))))
    return (R / gamma) ** 2, R, gamma


class Perceptron(LinearClassifierMixin, ClassifierMixin, BaseEstimator):
    r"""The perceptron classifier (one-vs-rest for more than two classes).

    .. math:: \text{if } y_i(w^\top x_i + b) \le 0: \quad w \leftarrow w + \eta_0 y_i x_i, \ b \leftarrow b + \eta_0 y_i

    Parameters
    ----------
    max_iter : int, default 1000
        Maximal number of epochs.
    eta0 : float, default 1.0
    fit_intercept : bool, default True
    shuffle : bool, default True
        Visit the samples in a fresh random order each epoch.
    random_state : int, Generator or None

    Attributes
    ----------
    coef_ : array of shape (1, d) or (n_classes, d)
    intercept_ : array of shape (1,) or (n_classes,)
    classes_ : array
    n_iter_ : int
        Epochs run (the largest over the one-vs-rest problems).
    n_updates_ : int array
        Updates (mistakes) of each binary problem.
    converged_ : bool array
        Whether each binary problem ended with an error-free epoch.
    novikoff_bound_ : float array
        :math:`(R/\gamma)^2` for each binary problem that is linearly separable (``nan`` otherwise);
        on separable data ``n_updates_ <= novikoff_bound_``.

    Curriculum: A3.

    Examples
    --------
    >>> X = np.array([[2.0, 1.0], [1.0, 3.0], [-1.0, -2.0], [-2.0, -1.0]]); y = np.array([1, 1, 0, 0])
    >>> clf = Perceptron(random_state=0).fit(X, y)
    >>> clf.score(X, y), bool(clf.n_updates_[0] <= clf.novikoff_bound_[0])
    (1.0, True)
    """

    def __init__(self, *, max_iter=1000, eta0=1.0, fit_intercept=True, shuffle=True, random_state=None):
        self.max_iter = max_iter
        self.eta0 = eta0
        self.fit_intercept = fit_intercept
        self.shuffle = shuffle
        self.random_state = random_state

    def fit(self, X, y):
        """Train on ``X`` (n, d), labels ``y`` (n,); returns ``self``."""
        if not (isinstance(self.max_iter, int | np.integer) and self.max_iter >= 1):
            raise ValueError(f"max_iter must be a positive int, got {self.max_iter!r}")
        if not self.eta0 > 0:
            raise ValueError(f"eta0 must be > 0, got {self.eta0!r}")
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        self.classes_, yi = np.unique(y, return_inverse=True)
        k = len(self.classes_)
        if k < 2:
            raise ValueError(f"The number of classes has to be greater than one; got {k} class")
        n = X.shape[0]
        rng = np.random.default_rng(self.random_state if not isinstance(self.random_state, np.random.RandomState)
                                    else self.random_state.randint(2**31 - 1))
        order = np.stack([rng.permutation(n) for _ in range(self.max_iter)]) if self.shuffle else None
        problems = [1] if k == 2 else range(k)
        coefs, bs, ups, eps, conv = [], [], [], [], []
        for c in problems:
            ys = np.where(yi == c, 1.0, -1.0)
            w, b, u, e = perceptron_train(X, ys, max_iter=self.max_iter, eta0=self.eta0,
                                          fit_intercept=self.fit_intercept, order=order)
            coefs.append(w)
            bs.append(b)
            ups.append(u)
            eps.append(e)
            ok = bool(np.all(ys * (X @ w + b) > 0))
            conv.append(ok)
        self.coef_ = np.asarray(coefs)
        self.intercept_ = np.asarray(bs, dtype=np.float64)
        self.n_updates_ = np.asarray(ups, dtype=np.int64)
        self.n_iter_ = int(max(eps))
        self.converged_ = np.asarray(conv)
        self.novikoff_bound_ = self._bounds(X, yi, problems, conv)
        return self

    def _bounds(self, X, yi, problems, conv):
        out = []
        for c, ok in zip(problems, conv, strict=True):
            if not ok:  # a perceptron that never finished an error-free epoch: do not assert separability
                out.append(np.nan)
                continue
            ys = np.where(yi == c, 1.0, -1.0)
            try:
                out.append(novikoff_bound(X, ys, fit_intercept=self.fit_intercept)[0])
            except (DomainError, ValueError):
                out.append(np.nan)
        return np.asarray(out)


