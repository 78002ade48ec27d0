r"""Kernel support vector classification, solved in the dual by SMO (scikit-learn's ``SVC`` API).

For two classes with labels :math:`y_t \in \{\pm 1\}` the dual is

.. math::
    \max_\alpha \sum_t \alpha_t - \tfrac12 \sum_{s,t} \alpha_s\alpha_t y_s y_t k(x_s, x_t)
    \quad\text{s.t.}\quad 0 \le \alpha_t \le C,\ \sum_t y_t\alpha_t = 0,

and the classifier is :math:`f(x) = \sum_t y_t\alpha_t k(x_t, x) + b`; the support vectors are the
:math:`x_t` with :math:`\alpha_t > 0`. ``C = np.inf`` gives the hard margin. More than two classes
are handled one-vs-one (a binary SVM for every pair of classes, solved together by
:func:`aimath.learn.smo.smo_batch`) with voting, with scikit-learn's (libsvm's) layout of
``support_``, ``dual_coef_`` and ``intercept_``.

Curriculum: A3, A10.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

from aimath.learn.kernels import make_kernel, resolve_gamma
from aimath.learn.smo import KernelRowCache, smo_batch

__all__ = ["SVC", "ovr_decision_function"]


def ovr_decision_function(votes_for_first, confidences, n_classes):
    r"""Turn one-vs-one decisions into one-vs-rest scores (votes plus a tie-breaking confidence).

    For pair k = (a, b), a < b, ``votes_for_first[:, k]`` says whether a won and
    ``confidences[:, k]`` is the decision value (positive for a). The score of class c is its
    number of votes plus :math:`s_c / (3(|s_c| + 1)) \in (-1/3, 1/3)`, where :math:`s_c` sums
    the confidences in favour of c, so votes decide and confidences only break ties.
    """
    n = votes_for_first.shape[0]
    votes = np.zeros((n, n_classes))
    conf = np.zeros((n, n_classes))
    k = 0
    for a in range(n_classes):
        for b in range(a + 1, n_classes):
            votes[:, a] += votes_for_first[:, k]
            votes[:, b] += ~votes_for_first[:, k]
            conf[:, a] += confidences[:, k]
            conf[:, b] -= confidences[:, k]
            k += 1
    return votes + conf / (3 * (np.abs(conf) + 1))


class SVC(ClassifierMixin, BaseEstimator):
    r"""C-support vector classifier with a kernel, solved by SMO.

    .. math::
        \min_{w,b,\xi} \tfrac12\|w\|^2 + C\sum_t \xi_t \quad\text{s.t.}\quad
        y_t(\langle w, \varphi(x_t)\rangle + b) \ge 1 - \xi_t,\ \xi_t \ge 0

    solved through its dual (see the module docstring) with kernel :math:`k(x, x') =
    \langle\varphi(x), \varphi(x')\rangle`.

    Parameters
    ----------
    C : float, default 1.0
        Penalty :math:`C > 0`; ``np.inf`` for a hard margin (separable data only).
    kernel : {"rbf", "linear", "poly", "sigmoid", "laplacian"} or callable, default "rbf"
        A callable gets ``(A, B)`` and returns their ``(len(A), len(B))`` Gram matrix.
    degree : int, default 3
    gamma : "scale", "auto" or float, default "scale"
        ``"scale"`` is 1/(d·Var X), ``"auto"`` 1/d.
    coef0 : float, default 0.0
    tol : float, default 1e-3
        SMO stops when the maximal KKT violation :math:`\max_{I_{up}}F - \min_{I_{low}}F` < tol.
    cache_size : float, default 200
        Megabytes of kernel rows to keep.
    class_weight : dict or "balanced", optional
        Multiplies C per class.
    max_iter : int, default -1
        Cap on SMO iterations per binary problem (−1: libsvm's default cap).
    decision_function_shape : {"ovr", "ovo"}, default "ovr"
    break_ties : bool, default False
        With ``"ovr"`` and more than two classes, predict the argmax of the decision function.

    Attributes
    ----------
    classes_ : array of shape (n_classes,)
    support_ : int array of shape (n_SV,)
        Indices of the support vectors, grouped by class.
    support_vectors_ : array of shape (n_SV, d)
    n_support_ : int array of shape (n_classes,)
    dual_coef_ : array of shape (n_classes − 1, n_SV)
        :math:`y_t\alpha_t` in libsvm's one-vs-one layout.
    intercept_ : array of shape (n_classes (n_classes − 1) / 2,)
    n_iter_ : int array of shape (n_classes (n_classes − 1) / 2,)
        SMO iterations of each binary problem.
    dual_objective_ : array of shape (n_pairs,)
        The dual objective :math:`\sum\alpha - \frac12\alpha^\top Q\alpha` of each binary problem.

    Curriculum: A3, A10.

    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> X, y = make_moons(100, noise=0.1, random_state=0)
    >>> SVC(C=10.0).fit(X, y).score(X, y) > 0.95
    True
    """

    def __init__(self, C=1.0, kernel="rbf", degree=3, gamma="scale", coef0=0.0, tol=1e-3, cache_size=200,
                 class_weight=None, max_iter=-1, decision_function_shape="ovr", break_ties=False):
        self.C = C
        self.kernel = kernel
        self.degree = degree
        self.gamma = gamma
        self.coef0 = coef0
        self.tol = tol
        self.cache_size = cache_size
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.decision_function_shape = decision_function_shape
        self.break_ties = break_ties

    # ------------------------------------------------------------------ fitting
    def _check_params(self):
        if not (isinstance(self.C, int | float | np.number) and self.C > 0):
            raise ValueError(f"C must be a positive float (np.inf for a hard margin), got {self.C!r}")
        if not (isinstance(self.tol, int | float | np.number) and self.tol > 0):
            raise ValueError(f"tol must be a positive float, got {self.tol!r}")
        if self.decision_function_shape not in ("ovr", "ovo"):
            raise ValueError(f"decision_function_shape must be 'ovr' or 'ovo', got {self.decision_function_shape!r}")
        if not callable(self.kernel) and self.kernel not in ("linear", "poly", "rbf", "sigmoid", "laplacian"):
            raise ValueError(f"kernel must be 'linear', 'poly', 'rbf', 'sigmoid', 'laplacian' or a callable, "
                             f"got {self.kernel!r}")
        if int(self.max_iter) != self.max_iter or (self.max_iter < 1 and self.max_iter != -1):
            raise ValueError(f"max_iter must be a positive int or -1, got {self.max_iter!r}")

    def _kernel_fn(self):
        return make_kernel(self.kernel, gamma=self._gamma, degree=self.degree, coef0=self.coef0)

    def _class_weights(self, y_idx, n_classes):
        cw = np.ones(n_classes)
        if self.class_weight is None:
            return cw
        if isinstance(self.class_weight, str):
            if self.class_weight != "balanced":
                raise ValueError(f"class_weight must be a dict, 'balanced' or None, got {self.class_weight!r}")
            counts = np.bincount(y_idx, minlength=n_classes)
            return len(y_idx) / (n_classes * counts)
        for c, w in self.class_weight.items():
            pos = np.flatnonzero(self.classes_ == c)
            if pos.size == 0:
                raise ValueError(f"class_weight has a label {c!r} that is not in y's classes {self.classes_}")
            cw[pos[0]] = w
        return cw

    def fit(self, X, y, sample_weight=None):
        """Fit the SVM on ``X`` of shape (n, d) and labels ``y`` of shape (n,); returns ``self``."""
        self._check_params()
        X, y = validate_data(self, X, y, dtype=np.float64, order="C")
        check_classification_targets(y)
        self.classes_, y_idx = np.unique(y, return_inverse=True)
        n_classes = len(self.classes_)
        if n_classes < 2:
            raise ValueError(f"The number of classes has to be greater than one; got {n_classes} class")
        sw = _check_sample_weight(sample_weight, X)
        self._gamma = resolve_gamma(self.gamma, X) if not callable(self.kernel) else None
        upper_all = float(self.C) * sw * self._class_weights(y_idx, n_classes)[y_idx]
        if not np.any(upper_all > 0):
            raise ValueError("sample_weight must have at least one positive entry")
        cache = KernelRowCache(X, self._kernel_fn(), cache_size=float(self.cache_size))
        members = [np.flatnonzero(y_idx == c) for c in range(n_classes)]
        pairs = [(a, b) for a in range(n_classes) for b in range(a + 1, n_classes)]
        m = max(len(members[a]) + len(members[b]) for a, b in pairs)
        P = len(pairs)
        S = np.zeros((P, m), dtype=np.int64)
        Y = np.ones((P, m))
        U = np.zeros((P, m))
        for k, (a, b) in enumerate(pairs):
            idx = np.concatenate([members[a], members[b]])
            S[k, : idx.size] = idx
            Y[k, : idx.size] = np.where(np.arange(idx.size) < members[a].size, 1.0, -1.0)
            U[k, : idx.size] = upper_all[idx]
        max_iter = None if self.max_iter == -1 else int(self.max_iter)
        with threadpool_limits(1, user_api="blas"):  # SMO's kernel rows are small products
            res = smo_batch(cache, S, Y, U, tol=float(self.tol), max_iter=max_iter)
        if max_iter is not None and np.any(res.gap >= self.tol):
            warnings.warn(f"SMO stopped at max_iter={max_iter} with KKT violation {float(res.gap.max()):.3g} "
                          f">= tol={self.tol}; consider raising max_iter", ConvergenceWarning, stacklevel=2)
        self._store(X, y_idx, pairs, S, Y, res, n_classes)
        return self

    def _store(self, X, y_idx, pairs, S, Y, res, n_classes):
        n = X.shape[0]
        P = len(pairs)
        coef_by_pair = np.zeros((P, n))  # y_t α_t of sample t in pair k
        for k in range(P):
            np.add.at(coef_by_pair[k], S[k], Y[k] * res.alpha[k])
        is_sv = np.any(coef_by_pair != 0, axis=0)
        order = np.lexsort((np.arange(n), y_idx))
        support = order[is_sv[order]]
        self.support_ = support.astype(np.int32)
        self.support_vectors_ = X[support]
        self.n_support_ = np.bincount(y_idx[support], minlength=n_classes).astype(np.int32)
        sv_class = y_idx[support]
        dual = np.zeros((n_classes - 1, support.size))
        for k, (a, b) in enumerate(pairs):
            in_a, in_b = sv_class == a, sv_class == b
            dual[b - 1, in_a] = coef_by_pair[k, support[in_a]]
            dual[a, in_b] = coef_by_pair[k, support[in_b]]
        self._pair_coef = coef_by_pair[:, support].T  # (n_SV, n_pairs)
        self._intercept = -np.asarray(res.rho, dtype=np.float64)
        self.n_iter_ = np.asarray(res.n_iter, dtype=np.int64)
        # dual objective Σα − ½ αᵀQα = Σα − ½ Σ α_t (G_t + 1) since G = Qα − 1
        self.dual_objective_ = np.sum(res.alpha, axis=1) - 0.5 * np.sum(res.alpha * (res.grad + 1.0), axis=1)
        if n_classes == 2:  # scikit-learn's sign convention: positive decision means classes_[1]
            self.dual_coef_ = -dual
            self.intercept_ = -self._intercept
        else:
            self.dual_coef_ = dual
            self.intercept_ = self._intercept.copy()
        self.fit_status_ = 0
        self.shape_fit_ = X.shape

    # ------------------------------------------------------------------ prediction
    @property
    def coef_(self):
        """Primal weights :math:`w = \\sum_t y_t\\alpha_t x_t` per binary problem (linear kernel only)."""
        check_is_fitted(self)
        if self.kernel != "linear":
            raise AttributeError("coef_ is only available when using a linear kernel")
        w = self._pair_coef.T @ self.support_vectors_
        return -w if len(self.classes_) == 2 else w

    def _pairwise_decision(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, order="C", reset=False)
        K = self._kernel_fn()(X, self.support_vectors_)
        return K @ self._pair_coef + self._intercept  # libsvm's sign: positive means the first class

    def decision_function(self, X):
        """Signed decision values: shape (n,) for two classes (positive means ``classes_[1]``),
        (n, n_classes) for "ovr", (n, n_pairs) for "ovo"."""
        dec = self._pairwise_decision(X)
        if len(self.classes_) == 2:
            return -dec[:, 0]
        if self.decision_function_shape == "ovr":
            return ovr_decision_function(dec > 0, dec, len(self.classes_))
        return dec

    def predict(self, X):
        """Class labels by one-vs-one voting (ties go to the lower class index)."""
        dec = self._pairwise_decision(X)
        nc = len(self.classes_)
        if nc == 2:
            return self.classes_[(dec[:, 0] <= 0).astype(np.int64)]
        if self.break_ties and self.decision_function_shape == "ovr":
            return self.classes_[np.argmax(ovr_decision_function(dec > 0, dec, nc), axis=1)]
        votes = np.zeros((dec.shape[0], nc), dtype=np.int64)
        k = 0
        for a in range(nc):
            for b in range(a + 1, nc):
                votes[:, a] += dec[:, k] > 0
                votes[:, b] += dec[:, k] <= 0
                k += 1
        return self.classes_[np.argmax(votes, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = False
        return tags
