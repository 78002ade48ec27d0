r"""The SVM dual objective, KKT residuals and the primal–dual gap of a fitted binary SVC.

For a binary kernel SVM with dual variables :math:`\alpha`, :math:`v_t = y_t\alpha_t` and the
decision function :math:`f(x) = \sum_t v_t k(x_t, x) + b`:

.. math::
    D(\alpha) = \sum_t \alpha_t - \tfrac12 v^\top K v, \qquad
    P(w, b) = \tfrac12\|w\|^2 + C\sum_t \max(0, 1 - y_t f(x_t)), \quad \|w\|^2 = v^\top K v .

Weak duality gives :math:`P \ge D`; at the optimum they are equal (strong duality) and the KKT
conditions hold: :math:`\alpha_t = 0 \Rightarrow y_tf(x_t) \ge 1`,
:math:`0 < \alpha_t < C \Rightarrow y_tf(x_t) = 1`, :math:`\alpha_t = C \Rightarrow y_tf(x_t) \le 1`,
:math:`0 \le \alpha \le C`, :math:`y^\top\alpha = 0`.

Curriculum: A3.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted

__all__ = ["svm_dual_objective", "svm_primal_objective", "kkt_residuals", "primal_dual_gap"]


def svm_dual_objective(alpha, K, y):
    r"""The SVM dual objective :math:`D(\alpha) = \sum_t\alpha_t - \frac12\sum_{s,t}\alpha_s\alpha_t y_sy_tK_{st}`.

    Parameters
    ----------
    alpha : array of shape (n,)
    K : array of shape (n, n)
    y : array of shape (n,), labels ±1

    Returns
    -------
    float

    Curriculum: A3.

    >>> svm_dual_objective(np.array([1.0, 1.0]), np.eye(2), np.array([1.0, -1.0]))
    1.0
    """
    v = np.asarray(alpha, dtype=np.float64) * np.asarray(y, dtype=np.float64)
    return float(np.sum(alpha) - 0.5 * v @ np.asarray(K) @ v)


def _binary_parts(svc, X, y):
    check_is_fitted(svc)
    if len(svc.classes_) != 2:
        raise ValueError(f"a binary SVC is required, got {len(svc.classes_)} classes")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    ys = np.where(y == svc.classes_[1], 1.0, -1.0)
    n = X.shape[0]
    v = np.zeros(n)
    v[svc.support_] = svc.dual_coef_[0]  # y_t α_t in scikit-learn's sign (positive ↔ classes_[1])
    K = svc._kernel_fn()(X, X)
    C = float(svc.C)
    return ys, v, K, C


def svm_primal_objective(svc, X, y):
    r"""The primal objective :math:`\frac12 v^\top Kv + C\sum_t\max(0, 1 - y_tf(x_t))` of a fitted binary SVC
    on its training data (``inf`` for a hard margin with a margin violation)."""
    ys, v, K, C = _binary_parts(svc, X, y)
    f = K @ v + svc.intercept_[0]
    hinge = np.maximum(0.0, 1.0 - ys * f)
    loss = C * hinge.sum() if np.isfinite(C) else (0.0 if np.all(hinge <= 0) else np.inf)
    return float(0.5 * v @ K @ v + loss)


def primal_dual_gap(svc, X, y):
    r"""Duality gap :math:`P(w, b) - D(\alpha) \ge 0` of a fitted binary SVC on its training data.

    Curriculum: A3.
    """
    ys, v, K, _ = _binary_parts(svc, X, y)
    alpha = ys * v
    return svm_primal_objective(svc, X, y) - svm_dual_objective(alpha, K, ys)


def kkt_residuals(svc, X, y):
    r"""Per-sample violation of the KKT conditions of a fitted binary SVC on its training data.

    .. math::
        r_t = \begin{cases} \max(0, 1 - m_t) & \alpha_t = 0 \\ |m_t - 1| & 0 < \alpha_t < C \\
        \max(0, m_t - 1) & \alpha_t = C \end{cases}, \qquad m_t = y_t f(x_t),

    plus box violations :math:`\max(0, -\alpha_t, \alpha_t - C)`. The equality constraint
    :math:`|y^\top\alpha|` is returned separately.

    Returns
    -------
    residuals : array of shape (n,)
    equality : float
        :math:`|\sum_t y_t\alpha_t|`.

    Curriculum: A3.
    """
    ys, v, K, C = _binary_parts(svc, X, y)
    alpha = ys * v
    m = ys * (K @ v + svc.intercept_[0])
    Ct = np.full_like(alpha, C)
    at_zero = alpha <= 0
    at_c = alpha >= Ct
    r = np.where(at_zero, np.maximum(0.0, 1.0 - m), np.where(at_c, np.maximum(0.0, m - 1.0), np.abs(m - 1.0)))
    box = np.maximum(0.0, np.maximum(-alpha, alpha - Ct))
    return r + box, float(abs(np.sum(v)))
