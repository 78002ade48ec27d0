"""SDEs with closed-form solutions: Ornstein–Uhlenbeck, geometric Brownian motion, Brownian motion
with drift. Each acts coordinatewise on states of shape ``(n_paths, dim)`` with diagonal noise.

Curriculum: B19
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from aimath import backend as B
from aimath.errors import DomainError, check_array, check_positive
from aimath.sde.sde import SDE

__all__ = ["Gaussian", "OrnsteinUhlenbeck", "GeometricBrownianMotion", "BrownianWithDrift"]

_LOG_2PI = math.log(2 * math.pi)


class Gaussian(NamedTuple):
    """A coordinatewise Gaussian ``N(mean, var)`` (independent coordinates)."""

    mean: Any
    var: Any

    def logpdf(self, x):
        """Joint log-density over the last axis of ``x`` (shape ``x.shape[:-1]``)."""
        xp = B.namespace(x)
        var = B.asarray(self.var, like=x, dtype=x.dtype) if not hasattr(self.var, "shape") else self.var
        lp = -0.5 * ((x - self.mean) ** 2 / var + xp.log(var * 1.0) + _LOG_2PI)
        return xp.sum(lp, axis=-1)

    def pdf(self, x):
        """Joint density over the last axis of ``x``."""
        return B.namespace(x).exp(self.logpdf(x))

    def sample(self, rng, shape, *, like=None):
        """Draws of shape ``shape`` (the last axis is the dimension)."""
        z = B.normal(rng, shape, like=like)
        return self.mean + (self.var ** 0.5) * z


def _times(t):
    t = float(t)
    if not math.isfinite(t) or t < 0:
        raise DomainError(f"t must be a finite time >= 0, got {t}")
    return t


def _state(x0, name="x0"):
    x0 = B.asarray(x0, dtype="float")
    check_array(x0, name, min_ndim=1)
    return x0


class _ClosedForm(SDE):
    """Shared machinery: exact transition sampling and densities from the Gaussian (log-)transition."""

    def _transition(self, x0, t):  # -> (mean, var) of the Gaussian variable Y with X = h(Y)
        raise NotImplementedError

    def exact_sample(self, x0, t: float, rng=None, *, noise=None):
        """Draw ``X_t`` given ``X_0 = x0`` from the exact transition law.

        Parameters
        ----------
        x0 : array of shape (n_paths, dim)
        t : float
            Elapsed time (≥ 0).
        rng : int, Generator, torch.Generator or None
        noise : array of shape x0.shape, optional
            Standard normal draws to use instead of ``rng`` (for couplings).

        Returns
        -------
        array of shape x0.shape
        """
        x0 = _state(x0)
        t = _times(t)
        mean, var = self._transition(x0, t)
        z = B.normal(rng, tuple(x0.shape), like=x0) if noise is None else noise
        return self._from_gaussian(mean + (var ** 0.5) * z)

    def exact_path(self, x0, ts, rng=None):
        """Sample the exact Markov chain ``X_{t_0}, X_{t_1}, …`` (shape ``(len(ts), n_paths, dim)``)."""
        x0 = _state(x0)
        xp = B.namespace(x0)
        ts = [float(v) for v in B.to_numpy(ts)]
        g = B.as_generator(rng, like=x0)
        out = xp.zeros((len(ts), *x0.shape), dtype=x0.dtype, device=B.device(x0))
        out[0] = x0
        for k in range(1, len(ts)):
            if ts[k] <= ts[k - 1]:
                raise DomainError(f"ts must be strictly increasing, got ts[{k - 1}]={ts[k - 1]}, ts[{k}]={ts[k]}")
            out[k] = self.exact_sample(out[k - 1], ts[k] - ts[k - 1], g)
        return out

    def _from_gaussian(self, y):
        return y

    def transition_density(self, x, t: float, x0, *, log: bool = False):
        """Density ``p_t(x | x0)`` of the transition, joint over the last axis (shape ``x.shape[:-1]``)."""
        x = B.asarray(x, dtype="float")
        x0 = B.asarray(x0, dtype="float", like=x)
        t = _times(t)
        if t == 0:
            raise DomainError("transition_density needs t > 0 (at t = 0 the law is a point mass)")
        mean, var = self._transition(x0, t)
        lp = self._log_density(x, mean, var)
        return lp if log else B.namespace(lp).exp(lp)

    def _log_density(self, x, mean, var):
        return Gaussian(mean, var).logpdf(x)

    def stationary(self) -> Gaussian:
        """The stationary law, where it exists."""
        raise DomainError(f"{type(self).__name__} has no stationary distribution")


class OrnsteinUhlenbeck(_ClosedForm):
    """Ornstein–Uhlenbeck process ``dX = θ(μ − X) dt + σ dW``.

    .. math:: X_t \\mid X_0 \\sim \\mathcal N\\Big(\\mu + (X_0-\\mu)e^{-\\theta t},\\
              \\frac{\\sigma^2}{2\\theta}(1 - e^{-2\\theta t})\\Big),\\qquad
              X_\\infty \\sim \\mathcal N(\\mu, \\sigma^2/(2\\theta))

    Parameters
    ----------
    theta : float
        Mean-reversion rate (> 0).
    mu : float
        Long-run mean.
    sigma : float
        Noise scale (> 0).

    Raises
    ------
    DomainError
        ``theta <= 0`` or ``sigma <= 0``.

    Curriculum: B19

    Examples
    --------
    >>> from aimath.sde import OrnsteinUhlenbeck
    >>> ou = OrnsteinUhlenbeck(theta=2.0, mu=1.0, sigma=0.5)
    >>> ou.stationary().var
    0.0625
    """

    def __init__(self, theta: float = 1.0, mu: float = 0.0, sigma: float = 1.0):
        check_positive(theta, "theta")
        check_positive(sigma, "sigma")
        self.theta, self.mu, self.sigma = float(theta), float(mu), float(sigma)
        th, m, s = self.theta, self.mu, self.sigma
        super().__init__(lambda t, x: th * (m - x), lambda t, x: s + 0 * x,
                         diffusion_derivative=lambda t, x: 0 * x)

    def _transition(self, x0, t):
        e = math.exp(-self.theta * t)
        return self.mu + (x0 - self.mu) * e, self.sigma**2 * -math.expm1(-2 * self.theta * t) / (2 * self.theta)

    def stationary(self) -> Gaussian:
        """``N(μ, σ²/(2θ))``."""
        return Gaussian(self.mu, self.sigma**2 / (2 * self.theta))

    def __repr__(self) -> str:
        return f"OrnsteinUhlenbeck(theta={self.theta:g}, mu={self.mu:g}, sigma={self.sigma:g})"


class GeometricBrownianMotion(_ClosedForm):
    """Geometric Brownian motion ``dX = μX dt + σX dW``.

    .. math:: X_t = X_0 \\exp\\big((\\mu - \\tfrac12\\sigma^2)t + \\sigma W_t\\big),\\qquad
              \\mathbb E X_t = X_0 e^{\\mu t}

    Parameters
    ----------
    mu : float
        Drift rate.
    sigma : float
        Volatility (> 0).

    Raises
    ------
    DomainError
        ``sigma <= 0``; :meth:`stationary` (GBM has none).

    Curriculum: B19

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sde import GeometricBrownianMotion
    >>> gbm = GeometricBrownianMotion(mu=0.1, sigma=0.3)
    >>> float(gbm.solution(np.ones((1, 1)), 1.0, np.zeros((1, 1)))[0, 0]) == float(np.exp(0.1 - 0.045))
    True
    """

    def __init__(self, mu: float = 0.0, sigma: float = 1.0):
        check_positive(sigma, "sigma")
        self.mu, self.sigma = float(mu), float(sigma)
        m, s = self.mu, self.sigma
        super().__init__(lambda t, x: m * x, lambda t, x: s * x, diffusion_derivative=lambda t, x: s + 0 * x)

    def solution(self, x0, t, W):
        """The pathwise solution ``X_t`` driven by ``W_t`` (broadcasting ``t`` against ``W``)."""
        xp = B.namespace(W)
        return x0 * xp.exp((self.mu - 0.5 * self.sigma**2) * t + self.sigma * W)

    def _transition(self, x0, t):  # log X_t ~ N(log x0 + (μ − σ²/2)t, σ²t)
        xp = B.namespace(x0)
        if bool(xp.any(x0 <= 0)):
            raise DomainError("GBM transition needs x0 > 0")
        return xp.log(x0) + (self.mu - 0.5 * self.sigma**2) * t, self.sigma**2 * t

    def _from_gaussian(self, y):
        return B.namespace(y).exp(y)

    def _log_density(self, x, mean, var):
        xp = B.namespace(x)
        if bool(xp.any(x <= 0)):
            raise DomainError("GBM transition density is defined for x > 0")
        return Gaussian(mean, var).logpdf(xp.log(x)) - xp.sum(xp.log(x), axis=-1)

    def __repr__(self) -> str:
        return f"GeometricBrownianMotion(mu={self.mu:g}, sigma={self.sigma:g})"


class BrownianWithDrift(_ClosedForm):
    """Brownian motion with drift ``dX = μ dt + σ dW``: ``X_t = X_0 + μt + σW_t``.

    .. math:: X_t \\mid X_0 \\sim \\mathcal N(X_0 + \\mu t, \\sigma^2 t)

    Parameters
    ----------
    mu : float
    sigma : float
        (> 0).

    Curriculum: B19

    Examples
    --------
    >>> from aimath.sde import BrownianWithDrift
    >>> BrownianWithDrift(mu=1.0, sigma=2.0)
    BrownianWithDrift(mu=1, sigma=2)
    """

    def __init__(self, mu: float = 0.0, sigma: float = 1.0):
        check_positive(sigma, "sigma")
        self.mu, self.sigma = float(mu), float(sigma)
        m, s = self.mu, self.sigma
        super().__init__(lambda t, x: m + 0 * x, lambda t, x: s + 0 * x, diffusion_derivative=lambda t, x: 0 * x)

    def solution(self, x0, t, W):
        """The pathwise solution ``x0 + μt + σW_t``."""
        return x0 + self.mu * t + self.sigma * W

    def _transition(self, x0, t):
        return x0 + self.mu * t, self.sigma**2 * t

    def __repr__(self) -> str:
        return f"BrownianWithDrift(mu={self.mu:g}, sigma={self.sigma:g})"
