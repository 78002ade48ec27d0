"""Test targets for samplers, with log-density, score, exact moments and exact sampling:
an AR(1)-correlated Gaussian, an isotropic Gaussian mixture, Haario's banana and Neal's funnel.

Every function here is written against the array API, so a target works on NumPy arrays and on
torch tensors alike.

Curriculum: B18
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from aimath import backend as B
from aimath.errors import DomainError, ShapeError, check_in_range, check_positive

__all__ = ["Target", "gaussian_ar1", "gaussian_mixture", "banana", "funnel"]


class Target(NamedTuple):
    """A target density: ``log_prob`` (unnormalised), ``score = ∇ log π``, exact ``mean`` and
    ``cov`` (NumPy), and an exact sampler ``sample(rng, n, like=None) -> (n, d)``."""

    name: str
    dim: int
    log_prob: Callable
    score: Callable
    mean: Any
    cov: Any
    sample: Callable

    def __repr__(self) -> str:
        return f"Target({self.name!r}, dim={self.dim})"


def gaussian_ar1(dim: int, rho: float = 0.0, scale: float = 1.0) -> Target:
    """``N(0, Σ)`` with ``Σ_ij = s² ρ^{|i−j|}`` (an AR(1) covariance; ``ρ = 0`` is isotropic).

    .. math:: \\Sigma^{-1} = \\frac{1}{s^2(1-\\rho^2)}\\begin{pmatrix}1&-\\rho&&\\\\-\\rho&1+\\rho^2&-\\rho&\\\\
              &\\ddots&\\ddots&\\ddots\\\\&&-\\rho&1\\end{pmatrix}

    (tridiagonal, so the score costs ``O(d)``). Exact draws by the recursion
    ``x_1 = s z_1``, ``x_i = ρ x_{i−1} + s√(1−ρ²) z_i``.

    Raises
    ------
    DomainError
        ``|ρ| >= 1``, ``scale <= 0`` or ``dim < 1``.
    """
    if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
        raise DomainError(f"dim must be an integer >= 1, got {dim!r}")
    check_in_range(rho, "rho", -1, 1, closed="none")
    check_positive(scale, "scale")
    r, s2 = float(rho), float(scale) ** 2
    c = 1.0 / (s2 * (1 - r * r))

    def prec_times(x):
        xp = B.namespace(x)
        diag = (1 + r * r) * x
        if dim == 1:
            return x / s2
        first = x[:, :1] - r * x[:, 1:2]
        last = x[:, -1:] - r * x[:, -2:-1]
        mid = diag[:, 1:-1] - r * (x[:, :-2] + x[:, 2:])
        return c * xp.concat([first, mid, last], axis=1)

    def score(x):
        return -prec_times(x)

    def log_prob(x):
        xp = B.namespace(x)
        return -0.5 * xp.sum(x * prec_times(x), axis=-1)

    idx = np.arange(dim)
    cov = s2 * r ** np.abs(idx[:, None] - idx[None, :])

    def sample(rng, n, like=None):
        z = B.to_numpy(B.normal(rng, (n, dim)))
        x = np.empty_like(z)
        x[:, 0] = z[:, 0]
        for i in range(1, dim):  # over coordinates, not over samples
            x[:, i] = r * x[:, i - 1] + math.sqrt(1 - r * r) * z[:, i]
        return B.asarray(math.sqrt(s2) * x, like=like)

    return Target(f"gaussian_ar1(d={dim}, rho={r:g})", dim, log_prob, score, np.zeros(dim), cov, sample)


def gaussian_mixture(means, sd: float = 1.0, weights=None) -> Target:
    """Mixture ``Σ_k w_k N(m_k, s² I)`` of isotropic Gaussians.

    .. math:: \\nabla\\log\\pi(x) = \\sum_k r_k(x)\\,\\frac{m_k - x}{s^2},\\qquad
              r_k(x) = \\frac{w_k\\mathcal N(x; m_k, s^2I)}{\\sum_j w_j\\mathcal N(x; m_j, s^2I)}

    Parameters
    ----------
    means : array of shape (k, d)
    sd : float
    weights : array of shape (k,), optional (uniform by default)
    """
    M = np.asarray(B.to_numpy(means), dtype=float)
    if M.ndim != 2:
        raise ShapeError(f"means must have shape (k, d), got {M.shape}")
    k, d = M.shape
    w = np.full(k, 1.0 / k) if weights is None else np.asarray(B.to_numpy(weights), dtype=float)
    if w.shape != (k,) or np.any(w <= 0) or abs(w.sum() - 1) > 1e-10:
        raise DomainError(f"weights must be {k} positive numbers summing to 1, got {w}")
    check_positive(sd, "sd")
    s2 = float(sd) ** 2
    logw = np.log(w)

    const = logw - 0.5 * np.sum(M * M, axis=1) / s2

    def _parts(x):
        # Work in the (k, n) layout: |x − m_k|² = |x|² − 2 m_k·x + |m_k|², and the |x|² term is common to
        # every component, so responsibilities need only M xᵀ (a matmul) and reductions over the short
        # k axis run across contiguous rows (fast), not along a tiny trailing axis.
        xp = B.namespace(x)
        if isinstance(x, np.ndarray) and x.dtype == np.float64:
            Mx, c = M, const
        else:
            Mx, c = B.asarray(M, like=x, dtype=x.dtype), B.asarray(const, like=x, dtype=x.dtype)
        a = c[:, None] + (Mx @ x.T) / s2  # (k, n)
        top = xp.max(a, axis=0)
        e = xp.exp(a - top[None, :])
        return xp, Mx, top, e, xp.sum(e, axis=0)

    def log_prob(x):
        xp, _, top, _, tot = _parts(x)
        ones = xp.ones((x.shape[1],), dtype=x.dtype, device=B.device(x))
        return top + xp.log(tot) - 0.5 * ((x * x) @ ones) / s2

    Ms = M / s2

    def score(x):
        if isinstance(x, np.ndarray) and x.dtype == np.float64:  # NumPy fast path, in place (same maths)
            a = Ms @ x.T
            a += const[:, None]
            a -= a.max(axis=0)
            np.exp(a, out=a)
            a /= a.sum(axis=0)
            out = (Ms.T @ a).T
            out -= x / s2
            return out
        _, Mx, _, e, tot = _parts(x)
        return ((Mx.T @ (e / tot[None, :])).T - x) / s2

    mean = w @ M
    cov = s2 * np.eye(d) + (w[:, None] * (M - mean)).T @ (M - mean)

    def sample(rng, n, like=None):
        g = B.as_generator(rng)
        comp = np.searchsorted(np.cumsum(w), B.to_numpy(B.uniform(g, (n,))), side="right").clip(0, k - 1)
        return B.asarray(M[comp] + math.sqrt(s2) * B.to_numpy(B.normal(g, (n, d))), like=like)

    return Target(f"gaussian_mixture(k={k}, d={d}, sd={sd:g})", d, log_prob, score, mean, cov, sample)


def banana(a: float = 1.0, b: float = 1.0) -> Target:
    """Haario's banana: ``x₁ ~ N(0, a²)``, ``x₂ | x₁ ~ N(b(x₁² − a²), 1)``.

    .. math:: \\log\\pi(x) = -\\frac{x_1^2}{2a^2} - \\frac{(x_2 - b x_1^2 + b a^2)^2}{2}

    Mean 0, ``Var x₁ = a²``, ``Var x₂ = 1 + 2b²a⁴``, uncorrelated (but strongly dependent).
    """
    check_positive(a, "a")
    a2, b = float(a) ** 2, float(b)

    def log_prob(x):
        u = x[:, 1] - b * x[:, 0] ** 2 + b * a2
        return -0.5 * x[:, 0] ** 2 / a2 - 0.5 * u * u

    def score(x):
        xp = B.namespace(x)
        u = x[:, 1] - b * x[:, 0] ** 2 + b * a2
        return xp.stack([-x[:, 0] / a2 + 2 * b * x[:, 0] * u, -u], axis=1)

    def sample(rng, n, like=None):
        z = B.to_numpy(B.normal(rng, (n, 2)))
        x1 = math.sqrt(a2) * z[:, 0]
        return B.asarray(np.stack([x1, z[:, 1] + b * (x1**2 - a2)], axis=1), like=like)

    return Target(f"banana(a={a:g}, b={b:g})", 2, log_prob, score, np.zeros(2),
                  np.diag([a2, 1 + 2 * b * b * a2 * a2]), sample)


def funnel(dim: int = 10, scale: float = 3.0) -> Target:
    """Neal's funnel: ``v ~ N(0, s²)``, ``x_i | v ~ N(0, e^v)`` for ``i = 1 … d−1`` (coordinate 0 is v).

    .. math:: \\log\\pi(v, x) = -\\frac{v^2}{2s^2} - \\frac{\\lVert x\\rVert^2}{2e^{v}} - \\frac{(d-1)v}{2}

    A hard target on purpose: the scale of ``x`` changes by orders of magnitude with ``v``. A sampler
    with one fixed step size cannot both enter the narrow neck (``v ≪ 0``, needs tiny steps) and
    cross the wide mouth, so Langevin samplers and HMC under-sample the neck: the variance of ``v``
    comes out below ``s²`` and R-hat flags the chains. This is a known failure, kept visible in the
    tests and the book, not a bug.
    """
    if isinstance(dim, bool) or not isinstance(dim, int) or dim < 2:
        raise DomainError(f"dim must be an integer >= 2, got {dim!r}")
    check_positive(scale, "scale")
    s2 = float(scale) ** 2

    def log_prob(z):
        xp = B.namespace(z)
        v, x = z[:, 0], z[:, 1:]
        return -0.5 * v * v / s2 - 0.5 * xp.sum(x * x, axis=-1) * xp.exp(-v) - 0.5 * (dim - 1) * v

    def score(z):
        xp = B.namespace(z)
        v, x = z[:, 0], z[:, 1:]
        ev = xp.exp(-v)
        sv = -v / s2 + 0.5 * xp.sum(x * x, axis=-1) * ev - 0.5 * (dim - 1)
        return xp.concat([sv[:, None], -x * ev[:, None]], axis=1)

    def sample(rng, n, like=None):
        z = B.to_numpy(B.normal(rng, (n, dim)))
        v = math.sqrt(s2) * z[:, :1]
        return B.asarray(np.concatenate([v, np.exp(v / 2) * z[:, 1:]], axis=1), like=like)

    cov = np.diag([s2] + [math.exp(s2 / 2)] * (dim - 1))  # Var x_i = E e^v = e^{s²/2}
    return Target(f"funnel(d={dim}, scale={scale:g})", dim, log_prob, score, np.zeros(dim), cov, sample)
