"""Stochastic gradient descent and its diffusion approximation.

Curriculum: B20.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from aimath.backend import as_generator, namespace, normal
from aimath.errors import DomainError, ShapeError, check_array

__all__ = ["sgd_iterates", "sgd_sde", "sgd_stationary_variance"]


def sgd_iterates(grad_f: Callable, x0, eta: float, steps: int, noise_cov, rng=None, *, n_chains: int | None = None,
                 save_every: int = 1):
    r"""SGD with additive Gaussian gradient noise, many chains at once.

    .. math::
        x_{k+1} = x_k - \eta\big(\nabla f(x_k) + \xi_k\big), \qquad \xi_k \sim \mathcal N(0, \Sigma)

    Parameters
    ----------
    grad_f : callable ``x -> ∇f(x)`` on arrays of shape (n_chains, d)
    x0 : array of shape (d,) or (n_chains, d)
    eta : float
        Step size.
    steps : int
    noise_cov : float or array of shape (d, d)
        Σ; a float means σ² I.
    rng : seed or generator
    n_chains : int, optional
        Replicates ``x0`` of shape (d,) into this many chains.
    save_every : int
        Keep every ``save_every``-th iterate.

    Returns
    -------
    array of shape (steps // save_every + 1, n_chains, d)

    Curriculum: B20.
    """
    if eta <= 0:
        raise DomainError(f"eta must be positive, got {eta}")
    xp = namespace(x0)
    x = x0 if x0.ndim == 2 else xp.broadcast_to(x0, (n_chains or 1, x0.shape[-1]))
    x = x + 0.0
    n, d = x.shape
    L = _noise_factor(noise_cov, d)
    g = as_generator(rng, like=x0)
    out = [x]
    for k in range(1, int(steps) + 1):
        z = normal(g, (n, d), like=x)
        noise = z * L if L.ndim == 0 else z @ xp.asarray(L.T, dtype=x.dtype)
        x = x - eta * (grad_f(x) + noise)
        if k % save_every == 0:
            out.append(x)
    return xp.stack(out)


def _noise_factor(noise_cov, d):
    cov = np.asarray(noise_cov, dtype=np.float64)
    if cov.ndim == 0:
        if cov < 0:
            raise DomainError(f"noise_cov must be non-negative, got {float(cov)}")
        return np.sqrt(cov)
    if cov.shape != (d, d):
        raise ShapeError(f"noise_cov must be a float or have shape ({d}, {d}), got shape {cov.shape}")
    check_array(cov, "noise_cov")
    from aimath.linalg import cholesky

    return cholesky(cov)


def sgd_sde(grad_f: Callable, noise_cov, eta: float):
    r"""The SDE that SGD with step η discretises (first-order diffusion approximation).

    .. math::
        dX_t = -\nabla f(X_t)\, dt + \sqrt{\eta}\, \Sigma^{1/2} dW_t

    One SGD step is an Euler–Maruyama step of size η of this SDE. ``Σ^{1/2}`` is the Cholesky
    factor of ``noise_cov``.

    Returns
    -------
    aimath.sde.SDE (``noise="general"``)

    Curriculum: B20.
    """
    from aimath.sde import SDE

    if eta <= 0:
        raise DomainError(f"eta must be positive, got {eta}")
    cov = np.atleast_2d(np.asarray(noise_cov, dtype=np.float64))
    L = _noise_factor(cov, cov.shape[0]) * np.sqrt(eta)

    def drift(t, x):
        return -grad_f(x)

    def diffusion(t, x):
        xp = namespace(x)
        Lx = xp.asarray(L, dtype=x.dtype)
        return xp.broadcast_to(Lx, (*x.shape, L.shape[1]))

    return SDE(drift, diffusion, noise="general", noise_dim=L.shape[1])


def sgd_stationary_variance(lam: float, eta: float, sigma2: float) -> float:
    r"""Stationary variance of SGD on :math:`f(x) = \lambda x^2/2` with gradient-noise variance σ².

    :math:`x_{k+1} = (1-\eta\lambda)x_k - \eta\sigma\xi_k` has
    :math:`\operatorname{Var} = \eta^2\sigma^2 / (1-(1-\eta\lambda)^2) = \eta\sigma^2 / (\lambda(2-\eta\lambda))`,
    finite iff :math:`0 < \eta\lambda < 2`; the SDE predicts :math:`\eta\sigma^2/(2\lambda)`.

    Curriculum: B20.
    """
    if not 0 < eta * lam < 2:
        raise DomainError(f"SGD on λx²/2 is stable only for 0 < ηλ < 2, got ηλ = {eta * lam:g}")
    return eta * sigma2 / (lam * (2 - eta * lam))
