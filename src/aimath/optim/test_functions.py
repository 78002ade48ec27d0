"""Problems with known answers for optimizers: Rosenbrock, quadratics and least squares with a
prescribed spectrum, the log-cosh regression loss, and ridge-regularised logistic regression.

Each comes with its exact gradient (and Hessian where Newton needs it) and the constants the
convergence theorems use (:math:`\\mu`, :math:`L`, the minimiser). All functions of ``x`` are
batched over leading axes where that makes sense and written with operators only, so they also
run on torch tensors and :class:`aimath.autodiff.Tensor`.

Curriculum: B12, A6.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from aimath.backend import as_generator
from aimath.errors import DomainError, check_array

__all__ = ["rosenbrock", "rosenbrock_grad", "rosenbrock_hess", "random_orthogonal", "Quadratic", "random_quadratic",
           "LeastSquares", "random_least_squares", "logcosh_loss", "logistic_ridge"]


def rosenbrock(x, a: float = 1.0, b: float = 100.0):
    r"""Rosenbrock's banana :math:`f(x) = (a - x_1)^2 + b\,(x_2 - x_1^2)^2`, minimum 0 at :math:`(a, a^2)`.

    Parameters
    ----------
    x : array of shape (..., 2)
        Points (a batch gives one value per point).

    Returns
    -------
    array of shape (...)

    Curriculum: B12.

    Examples
    --------
    >>> import numpy as np
    >>> float(rosenbrock(np.array([1.0, 1.0]))), round(float(rosenbrock(np.array([-1.2, 1.0]))), 12)
    (0.0, 24.2)
    """
    u, v = x[..., 0], x[..., 1]
    return (a - u) ** 2 + b * (v - u * u) ** 2


def rosenbrock_grad(x, a: float = 1.0, b: float = 100.0):
    r"""Gradient of :func:`rosenbrock`, shape (..., 2).

    .. math:: \nabla f(x) = \bigl(-2(a - x_1) - 4b x_1 (x_2 - x_1^2),\ 2b(x_2 - x_1^2)\bigr)
    """
    check_array(x, "x", shape=(2,), finite=False)
    u, v = x[..., 0], x[..., 1]
    r = v - u * u
    out = x * 0
    out[..., 0] = -2 * (a - u) - 4 * b * u * r
    out[..., 1] = 2 * b * r
    return out


def rosenbrock_hess(x, a: float = 1.0, b: float = 100.0):
    """Hessian of :func:`rosenbrock` at one point ``x`` of shape (2,): a (2, 2) array."""
    check_array(x, "x", ndim=1, shape=(2,))
    u, v = float(x[0]), float(x[1])
    return np.array([[2 - 4 * b * (v - u * u) + 8 * b * u * u, -4 * b * u], [-4 * b * u, 2 * b]])


def random_orthogonal(rng, n: int, k: int | None = None):
    """``k`` random orthonormal columns in ``R^n`` (default ``k = n``: a Haar-random orthogonal matrix).

    The reduced Q factor (by :func:`aimath.linalg.qr`, signs fixed so the law is uniform) of an
    ``n × k`` Gaussian matrix.
    """
    from aimath.linalg import qr

    g = as_generator(rng)
    Q, R = qr(g.standard_normal((n, n if k is None else k)))
    return Q * np.sign(np.diagonal(R))


class Quadratic(NamedTuple):
    r""":math:`f(x) = \tfrac12 x^\top A x - b^\top x` with known spectrum.

    Attributes: ``A`` (n, n), ``b`` (n,), ``x_star`` the minimiser :math:`A^{-1}b` (or the
    minimum-norm one when ``A`` is singular), ``f_star``, ``mu`` and ``L`` the smallest and largest
    eigenvalues.
    """

    A: Any
    b: Any
    x_star: Any
    f_star: float
    mu: float
    L: float

    def f(self, x):
        """Value at ``x`` of shape (..., n)."""
        return 0.5 * ((x @ self.A) * x).sum(-1) - x @ self.b

    def grad(self, x):
        """Gradient :math:`Ax - b`."""
        return x @ self.A - self.b


def random_quadratic(rng, n: int, mu: float, L: float, *, eigenvalues=None) -> Quadratic:
    r"""A random quadratic whose Hessian :math:`A = Q\Lambda Q^\top` has eigenvalues in :math:`[\mu, L]`.

    The spectrum is ``eigenvalues`` if given, else :math:`\mu`, :math:`L` and ``n - 2`` uniform
    draws between them; :math:`Q` is a random orthogonal matrix. With ``mu = 0`` the zero
    eigenvalues make a convex, not strongly convex problem; ``b`` then lies in the range of ``A``.

    Curriculum: B12.
    """
    g = as_generator(rng)
    if not 0 <= mu <= L or L <= 0:
        raise DomainError(f"need 0 <= mu <= L and L > 0, got mu={mu}, L={L}")
    lam = np.asarray(eigenvalues, float) if eigenvalues is not None else np.concatenate(
        [[mu, L], g.uniform(mu, L, n - 2)])
    Q = random_orthogonal(g, n)
    A = (Q * lam) @ Q.T
    A = (A + A.T) / 2
    y = g.standard_normal(n) * (lam > 0)
    b = Q @ (lam * y)  # in the range of A
    x_star = Q @ y
    f_star = float(-0.5 * b @ x_star)
    return Quadratic(A, b, x_star, f_star, float(lam.min()), float(lam.max()))


class LeastSquares(NamedTuple):
    r"""Training loss :math:`f(w) = \frac{1}{2m}\|Xw - y\|^2 + \frac{\lambda}{2}\|w\|^2` of a linear model.

    ``X`` (m, d) has prescribed singular values ``s``, so :math:`L = s_{\max}^2/m + \lambda` and
    :math:`\mu = s_{\min}^2/m + \lambda` (:math:`\lambda` when :math:`m < d`) are exact.
    """

    X: Any
    y: Any
    lam: float
    w_star: Any
    f_star: float
    mu: float
    L: float

    def f(self, w):
        r = self.X @ w - self.y
        return 0.5 * (r @ r) / self.X.shape[0] + 0.5 * self.lam * (w @ w)

    def grad(self, w):
        return self.X.T @ (self.X @ w - self.y) / self.X.shape[0] + self.lam * w

    def per_example_grads(self, w):
        r"""Per-example gradients, shape (m, d); their mean is :meth:`grad`.

        Row :math:`i` is :math:`\nabla \ell_i(w) = x_i (x_i^\top w - y_i) + \lambda w`.
        """
        return self.X * (self.X @ w - self.y)[:, None] + self.lam * w


def random_least_squares(rng, m: int, d: int, s_min: float, s_max: float, *, lam: float = 0.0,
                         noise: float = 0.0, w0=None) -> LeastSquares:
    r"""A least-squares problem whose design has singular values spread over :math:`[s_{\min}, s_{\max}]`.

    When ``m < d`` (over-parametrised) with ``lam = 0`` the targets are interpolated (:math:`f^* = 0`)
    and ``w_star`` is the minimiser closest to ``w0`` (default 0), the limit of gradient descent from it.

    Curriculum: A6.
    """
    g = as_generator(rng)
    r = min(m, d)
    s = np.concatenate([[s_min, s_max], g.uniform(s_min, s_max, r - 2)])
    U, V = random_orthogonal(g, m, r), random_orthogonal(g, d, r)
    X = (U * s) @ V.T
    w_true = g.standard_normal(d)
    y = X @ w_true + noise * g.standard_normal(m)
    w0 = np.zeros(d) if w0 is None else np.asarray(w0, float)
    # normal equations in the SVD basis: (S^2/m + lam) c = S U^T y / m on the row space, w0 kept on its complement
    coef = (s * (U.T @ y) / m) / (s * s / m + lam)
    w_star = V @ coef + (w0 - V @ (V.T @ w0)) * (lam == 0)
    res = X @ w_star - y
    f_star = float(0.5 * res @ res / m + 0.5 * lam * w_star @ w_star)
    L = s_max**2 / m + lam
    mu = (s_min**2 / m if m >= d else 0.0) + lam
    return LeastSquares(X, y, lam, w_star, f_star, mu, L)


def logcosh_loss(A, b):
    r"""The robust regression loss :math:`f(x) = \sum_i \log\cosh(a_i^\top x - b_i)` and its gradient.

    Convex and :math:`L`-smooth with :math:`L = \lambda_{\max}(A^\top A)` (since :math:`0 < \log\cosh'' \le 1`),
    not strongly convex when ``A`` has more columns than rows.

    Returns
    -------
    (f, grad) : pair of callables of ``x`` of shape (n,)
    """

    def f(x):
        r = np.abs(A @ x - b)
        return float(np.sum(r + np.log1p(np.exp(-2 * r)) - np.log(2.0)))

    def grad(x):
        return A.T @ np.tanh(A @ x - b)

    return f, grad


def logistic_ridge(X, y, lam: float):
    r"""Regularised logistic regression and its derivatives.

    .. math:: f(w) = \frac1m\sum_i \log(1 + e^{-y_i x_i^\top w}) + \frac\lambda2\|w\|^2

    Labels :math:`y_i \in \{-1, +1\}`. Strongly convex with :math:`\mu \ge \lambda` and smooth with
    :math:`L \le \lambda_{\max}(X^\top X)/(4m) + \lambda`; the Hessian is
    :math:`\frac1m X^\top \operatorname{diag}(\sigma(1-\sigma)) X + \lambda I`.

    Returns
    -------
    (f, grad, hess) : callables of ``w`` of shape (d,)
    """
    m = X.shape[0]

    def f(w):
        z = -y * (X @ w)
        return float(np.mean(np.logaddexp(0.0, z)) + 0.5 * lam * w @ w)

    def grad(w):
        s = 0.5 * (1 + np.tanh(0.5 * (-y * (X @ w))))  # sigma(-y x.w), stable
        return -(X.T @ (y * s)) / m + lam * w

    def hess(w):
        s = 0.5 * (1 + np.tanh(0.5 * (X @ w)))
        return (X.T * (s * (1 - s))) @ X / m + lam * np.eye(X.shape[1])

    return f, grad, hess
