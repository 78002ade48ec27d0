"""Positive semi-definite kernels, their Gram matrices and an explicit polynomial feature map.

A kernel k(x, y) is PSD when every Gram matrix K_ij = k(x_i, x_j) is positive semi-definite;
then k(x, y) = ⟨φ(x), φ(y)⟩ for a feature map φ into a Hilbert space (the kernel trick). The
functions follow ``sklearn.metrics.pairwise`` (``kernel(X, Y=None, ...)`` returns the
``(n_X, n_Y)`` Gram matrix) and run on NumPy arrays and torch tensors alike.

Curriculum: A10.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import numpy as np

from aimath.backend import namespace
from aimath.errors import DomainError, ShapeError, check_array

__all__ = [
    "linear_kernel",
    "polynomial_kernel",
    "rbf_kernel",
    "laplacian_kernel",
    "sigmoid_kernel",
    "pairwise_kernel",
    "KERNELS",
    "squared_distances",
    "polynomial_feature_map",
    "is_psd_kernel",
    "gram_min_eigenvalue",
    "make_kernel",
    "resolve_gamma",
]


def _pair(X, Y):
    check_array(X, "X", ndim=2)
    if Y is None:
        return X, X
    check_array(Y, "Y", ndim=2)
    if X.shape[1] != Y.shape[1]:
        raise ShapeError(f"X and Y must have the same number of features, got {X.shape[1]} and {Y.shape[1]}")
    return X, Y


def _float(X, Y):
    xp = namespace(X, Y)
    dt = X.dtype if xp.isdtype(X.dtype, "real floating") else xp.float64
    return xp, xp.astype(X, dt, copy=False), xp.astype(Y, dt, copy=False)


def _gamma(gamma, X):
    return 1.0 / X.shape[1] if gamma is None else float(gamma)


def linear_kernel(X, Y=None):
    r"""The linear kernel (plain inner products).

    .. math:: k(x, y) = x^\top y

    Parameters
    ----------
    X : array of shape (n_X, d)
    Y : array of shape (n_Y, d), optional
        Defaults to ``X``.

    Returns
    -------
    K : array of shape (n_X, n_Y)

    Curriculum: A10.

    >>> linear_kernel(np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]]))
    array([[11.]])
    """
    X, Y = _pair(X, Y)
    xp, X, Y = _float(X, Y)
    return X @ xp.permute_dims(Y, (1, 0))


def polynomial_kernel(X, Y=None, degree=3, gamma=None, coef0=1.0):
    r"""The polynomial kernel.

    .. math:: k(x, y) = (\gamma\, x^\top y + c_0)^p

    with :math:`\gamma` = ``gamma`` (default ``1/d``), :math:`c_0` = ``coef0``, :math:`p` = ``degree``.

    Returns
    -------
    K : array of shape (n_X, n_Y)

    Curriculum: A10.

    >>> float(polynomial_kernel(np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]]), degree=2, gamma=1.0)[0, 0])
    144.0
    """
    K = linear_kernel(X, Y)
    return (_gamma(gamma, X) * K + coef0) ** degree


def squared_distances(X, Y=None):
    r"""Squared Euclidean distances :math:`\|x_i - y_j\|^2 = \|x_i\|^2 + \|y_j\|^2 - 2x_i^\top y_j`,
    clipped at 0 (exactly 0 on the diagonal when ``Y`` is ``X``)."""
    X, Y0 = _pair(X, Y)
    xp, X, Yf = _float(X, Y0)
    xx = xp.sum(X * X, axis=1)
    yy = xx if Y is None else xp.sum(Yf * Yf, axis=1)
    if isinstance(X, np.ndarray):  # in place: one n_X × n_Y buffer
        D = X @ Yf.T
        D *= -2.0
        D += xx[:, None]
        D += yy[None, :]
        np.maximum(D, 0.0, out=D)
    else:
        D = xx[:, None] + yy[None, :] - 2.0 * (X @ xp.permute_dims(Yf, (1, 0)))
        D = xp.where(D > 0, D, xp.zeros_like(D))
    if Y is None:
        n = X.shape[0]
        idx = xp.arange(n)
        D[idx, idx] = 0.0
    return D


def rbf_kernel(X, Y=None, gamma=None):
    r"""The Gaussian (RBF) kernel.

    .. math:: k(x, y) = \exp(-\gamma \|x - y\|_2^2)

    with :math:`\gamma` = ``gamma`` (default ``1/d``).

    Returns
    -------
    K : array of shape (n_X, n_Y)

    Curriculum: A10.

    >>> round(float(rbf_kernel(np.array([[0.0, 0.0]]), np.array([[1.0, 1.0]]), gamma=0.5)[0, 0]), 12)  # e^{-1}
    0.367879441171
    """
    D = squared_distances(X, Y)
    if isinstance(D, np.ndarray):
        D *= -_gamma(gamma, X)
        return np.exp(D, out=D)
    xp = namespace(D)
    return xp.exp(-_gamma(gamma, X) * D)


def laplacian_kernel(X, Y=None, gamma=None):
    r"""The Laplacian kernel.

    .. math:: k(x, y) = \exp(-\gamma \|x - y\|_1)

    Computed in row blocks so memory stays ``O(block · n_Y · d)``.

    Returns
    -------
    K : array of shape (n_X, n_Y)

    Curriculum: A10.

    >>> round(float(laplacian_kernel(np.array([[0.0, 0.0]]), np.array([[1.0, -1.0]]), gamma=0.5)[0, 0]), 12)
    0.367879441171
    """
    X, Y = _pair(X, Y)
    xp, X, Y = _float(X, Y)
    g = _gamma(gamma, X)
    block = max(1, int(2**22 // max(1, Y.shape[0] * X.shape[1])))
    parts = [xp.sum(xp.abs(X[s : s + block, None, :] - Y[None, :, :]), axis=2) for s in range(0, X.shape[0], block)]
    D = xp.concat(parts, axis=0) if parts else xp.zeros((0, Y.shape[0]), dtype=X.dtype)
    return xp.exp(-g * D)


def sigmoid_kernel(X, Y=None, gamma=None, coef0=1.0):
    r"""The sigmoid (hyperbolic tangent) kernel; not PSD in general.

    .. math:: k(x, y) = \tanh(\gamma\, x^\top y + c_0)

    Returns
    -------
    K : array of shape (n_X, n_Y)

    Curriculum: A10.

    >>> float(sigmoid_kernel(np.array([[0.0]]), np.array([[0.0]]), coef0=0.0)[0, 0])
    0.0
    """
    K = linear_kernel(X, Y)
    xp = namespace(K)
    return xp.tanh(_gamma(gamma, X) * K + coef0)


KERNELS: dict[str, Callable] = {
    "linear": linear_kernel,
    "poly": polynomial_kernel,
    "polynomial": polynomial_kernel,
    "rbf": rbf_kernel,
    "laplacian": laplacian_kernel,
    "sigmoid": sigmoid_kernel,
}
"""Kernel names accepted by the estimators, mapped to their functions."""

_PARAMS = {
    "linear": (),
    "poly": ("degree", "gamma", "coef0"),
    "polynomial": ("degree", "gamma", "coef0"),
    "rbf": ("gamma",),
    "laplacian": ("gamma",),
    "sigmoid": ("gamma", "coef0"),
}


def pairwise_kernel(X, Y=None, kernel="rbf", **params):
    """The Gram matrix of a named kernel (see :data:`KERNELS`) or of a callable ``kernel(X, Y)``.

    Parameters not used by the named kernel are ignored (as estimators pass all of
    ``gamma``, ``degree``, ``coef0``); a callable receives none of them.

    Raises
    ------
    ValueError
        Unknown kernel name.
    """
    if callable(kernel):
        K = kernel(X, X if Y is None else Y)
        return np.asarray(K, dtype=np.float64) if not hasattr(K, "shape") else K
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {sorted(KERNELS)} or a callable, got {kernel!r}")
    kw = {k: v for k, v in params.items() if k in _PARAMS[kernel]}
    return KERNELS[kernel](X, Y, **kw)


def _monomials(d: int, degree: int):
    """Exponent vectors (k_0, k_1, …, k_d) with k_0 + … + k_d = degree (k_0 for the constant)."""
    rows = []
    for combo in itertools.combinations_with_replacement(range(d + 1), degree):
        rows.append(np.bincount(np.asarray(combo, dtype=np.int64), minlength=d + 1))
    return np.asarray(rows, dtype=np.int64).reshape(-1, d + 1)


def polynomial_feature_map(X, degree=2, gamma=1.0, coef0=1.0):
    r"""The explicit feature map of the polynomial kernel.

    By the multinomial theorem, with :math:`x_0 = \sqrt{c_0}` and the other coordinates scaled
    by :math:`\sqrt\gamma`,

    .. math::
        (\gamma\, x^\top y + c_0)^p = \sum_{|k| = p} \binom{p}{k_0, \dots, k_d}
        c_0^{k_0}\gamma^{p-k_0} \prod_{i\ge1} x_i^{k_i} y_i^{k_i} = \langle \varphi(x), \varphi(y)\rangle,
        \quad \varphi_k(x) = \sqrt{\tbinom{p}{k}\, c_0^{k_0} \gamma^{p-k_0}} \prod_{i\ge1} x_i^{k_i},

    one feature per multi-index :math:`k`, :math:`\binom{d+p}{p}` in all.

    Parameters
    ----------
    X : array of shape (n, d)
    degree : int
        :math:`p \ge 0`.
    gamma : float
        :math:`\gamma > 0`.
    coef0 : float
        :math:`c_0 \ge 0`.

    Returns
    -------
    Phi : array of shape (n, C(d + p, p))
        Rows φ(x_i); ``Phi @ Phi.T`` equals ``polynomial_kernel(X, degree=p, gamma=γ, coef0=c₀)``.

    Raises
    ------
    DomainError
        ``coef0 < 0``, ``gamma <= 0`` or ``degree < 0`` (no real feature map).

    Curriculum: A10.

    >>> X = np.array([[1.0, 2.0], [0.5, -1.0]])
    >>> Phi = polynomial_feature_map(X, degree=2)
    >>> bool(np.allclose(Phi @ Phi.T, (X @ X.T + 1) ** 2))
    True
    """
    check_array(X, "X", ndim=2)
    if int(degree) != degree or degree < 0:
        raise DomainError(f"degree must be a non-negative integer, got {degree!r}")
    if coef0 < 0:
        raise DomainError(f"coef0 must be >= 0 for a real feature map, got {coef0}")
    if gamma <= 0:
        raise DomainError(f"gamma must be > 0, got {gamma}")
    degree = int(degree)
    xp = namespace(X)
    dt = X.dtype if xp.isdtype(X.dtype, "real floating") else xp.float64
    X = xp.astype(X, dt)
    n, d = X.shape
    K = _monomials(d, degree)
    coef = np.array([math.factorial(degree) / math.prod(math.factorial(int(k)) for k in row) for row in K])
    scale = np.sqrt(coef * float(coef0) ** K[:, 0] * float(gamma) ** (degree - K[:, 0]))
    # prod_i x_i^{k_i} for every monomial: exp-free, by repeated products over the exponents
    powers = [xp.ones((n, d), dtype=dt)]
    for _ in range(degree):
        powers.append(powers[-1] * X)
    P = xp.stack(powers, axis=0)  # (p+1, n, d)
    cols = xp.ones((n, K.shape[0]), dtype=dt)
    for i in range(d):
        ki = xp.asarray(K[:, i + 1], device=P.device) if xp is not np else K[:, i + 1]
        cols = cols * xp.permute_dims(xp.take(P[:, :, i], ki, axis=0), (1, 0))
    return cols * xp.asarray(scale, dtype=dt)


def gram_min_eigenvalue(K) -> float:
    """The smallest eigenvalue of a symmetric Gram matrix (via :func:`aimath.linalg.eigh`)."""
    from aimath.backend import to_numpy
    from aimath.linalg import eigh

    K = np.asarray(to_numpy(K), dtype=np.float64)
    w = eigh(0.5 * (K + K.T))[0]
    return float(np.min(w))


def is_psd_kernel(k, X, *, tol: float = 1e-10) -> bool:
    r"""Whether the Gram matrix of ``k`` on the points ``X`` is symmetric positive semi-definite.

    .. math:: K_{ij} = k(x_i, x_j), \qquad K = K^\top, \qquad \lambda_{\min}(K) \ge -\text{tol}\cdot\max(1, \|K\|_2)

    A necessary condition for ``k`` to be a PSD kernel (every finite Gram matrix PSD); a single
    counter-example ``X`` proves a kernel is not PSD.

    Parameters
    ----------
    k : callable or str
        ``k(X, Y) -> (n_X, n_Y)`` array, or a kernel name of :data:`KERNELS`.
    X : array of shape (n, d)
    tol : float
        Relative tolerance for rounding errors.

    Returns
    -------
    bool

    Curriculum: A10.

    >>> X = np.random.default_rng(0).standard_normal((20, 3))
    >>> is_psd_kernel(rbf_kernel, X), is_psd_kernel(lambda A, B: -linear_kernel(A, B), X)
    (True, False)
    """
    K = pairwise_kernel(X, None, kernel=k) if isinstance(k, str) else k(X, X)
    from aimath.backend import to_numpy

    K = np.asarray(to_numpy(K), dtype=np.float64)
    if K.shape != (X.shape[0], X.shape[0]):
        raise ShapeError(f"k(X, X) must have shape {(X.shape[0], X.shape[0])}, got {K.shape}")
    scale = max(1.0, float(np.max(np.abs(K))) * K.shape[0]) if K.size else 1.0
    if np.max(np.abs(K - K.T), initial=0.0) > 1e-12 * scale:
        return False
    return gram_min_eigenvalue(K) >= -tol * scale


class _NamedKernel:
    """``k(A, B)`` for a named kernel with fixed parameters (what :func:`make_kernel` returns).

    On NumPy float arrays it skips input validation (estimators have validated already), works
    in one buffer, and remembers the squared norms of the last ``B`` (the training set, asked
    for row after row by SMO's kernel cache).
    """

    def __init__(self, name, gamma, degree, coef0):
        self.name, self.gamma, self.degree, self.coef0 = name, gamma, degree, coef0
        self._last = (None, None)

    def _sqnorms(self, B):
        if self._last[0] is not B:
            self._last = (B, np.einsum("ij,ij->i", B, B))
        return self._last[1]

    def __call__(self, A, B):
        fast = isinstance(A, np.ndarray) and isinstance(B, np.ndarray) and A.dtype == B.dtype == np.float64
        if not fast or self.name == "laplacian":
            kw = {"gamma": self.gamma, "degree": self.degree, "coef0": self.coef0}
            return KERNELS[self.name](A, B, **{k: kw[k] for k in _PARAMS[self.name]})
        g = 1.0 / A.shape[1] if self.gamma is None else self.gamma
        K = A @ B.T
        if self.name == "linear":
            return K
        if self.name == "rbf":  # exp(−γ(‖a‖² + ‖b‖² − 2a·b)), clipped so that K ≤ 1
            K *= 2.0 * g
            K -= g * np.einsum("ij,ij->i", A, A)[:, None]
            K -= g * self._sqnorms(B)[None, :]
            np.minimum(K, 0.0, out=K)
            return np.exp(K, out=K)
        K *= g
        K += self.coef0
        if self.name == "sigmoid":
            return np.tanh(K, out=K)
        return np.power(K, self.degree, out=K)

    def __repr__(self) -> str:
        return f"kernel({self.name!r}, gamma={self.gamma}, degree={self.degree}, coef0={self.coef0})"


def make_kernel(kernel="rbf", *, gamma=None, degree=3, coef0=0.0):
    """A two-argument kernel ``k(A, B)`` from an estimator's kernel name and parameters.

    ``gamma`` must already be a number (or ``None`` for ``1/d``); a callable ``kernel`` is
    returned wrapped so that it always yields a float64 array.

    Raises
    ------
    ValueError
        Unknown kernel name.
    """
    if callable(kernel):
        return lambda A, B: np.asarray(kernel(A, B), dtype=np.float64)
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {sorted(KERNELS)} or a callable, got {kernel!r}")
    name = "poly" if kernel == "polynomial" else kernel
    return _NamedKernel(name, gamma, degree, coef0)


def resolve_gamma(gamma, X):
    """``gamma`` as a float: ``"scale"`` → 1/(d·Var X) (1 if Var X = 0), ``"auto"`` → 1/d."""
    if isinstance(gamma, str):
        if gamma == "scale":
            var = float(np.asarray(X).var())
            return 1.0 / (X.shape[1] * var) if var != 0 else 1.0
        if gamma == "auto":
            return 1.0 / X.shape[1]
        raise ValueError(f"gamma must be 'scale', 'auto' or a positive float, got {gamma!r}")
    if gamma is None:
        return None
    g = float(gamma)
    if not g > 0:
        raise ValueError(f"gamma must be 'scale', 'auto' or a positive float, got {gamma!r}")
    return g
