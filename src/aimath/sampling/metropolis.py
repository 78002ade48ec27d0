"""Random-walk Metropolis and Hamiltonian Monte Carlo, many chains at once.

Curriculum: B18
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

from aimath import backend as B
from aimath.errors import DomainError
from aimath.sampling._target import (
    as_log_prob,
    as_score,
    check_output,
    check_step,
    check_x0,
    normal_like,
    uniform_chains,
)
from aimath.sampling.chain import Kernel, SamplerResult, StepInfo, run_chain

__all__ = ["MHState", "HMCState", "rwm_kernel", "hmc_kernel", "random_walk_metropolis", "hmc", "leapfrog"]


class MHState(NamedTuple):
    """Position and its log-density."""

    x: Any
    log_prob: Any


class HMCState(NamedTuple):
    """Position, its log-density and score."""

    x: Any
    log_prob: Any
    score: Any


def _accept(xp, rng, x, log_alpha):
    log_alpha = xp.where(xp.isfinite(log_alpha), log_alpha, xp.asarray(-math.inf, dtype=x.dtype, device=B.device(x)))
    u = uniform_chains(rng, x)
    return xp.log(u) < log_alpha, xp.exp(xp.minimum(log_alpha, xp.zeros_like(log_alpha)))


def _init_lp(lp_fn, x):
    lp = lp_fn(x)
    check_output(lp, x, "log_prob", per_chain=True)
    xp = B.namespace(x)
    if not bool(xp.all(xp.isfinite(lp))):
        raise DomainError("log_prob must be finite at x0 (every chain must start in the support)")
    return lp


def rwm_kernel(log_prob: Callable, step_size: float) -> Kernel:
    """Random-walk Metropolis: propose ``y = x + σξ``, accept with ``min(1, π(y)/π(x))``.

    Curriculum: B18
    """
    sig = check_step(step_size)
    lp_fn = as_log_prob(log_prob)

    def init(x):
        return MHState(x, _init_lp(lp_fn, x))

    def step(state, rng):
        x, lp = state
        xp = B.namespace(x)
        y = x + sig * normal_like(rng, x)
        lp_y = lp_fn(y)
        accept, prob = _accept(xp, rng, x, lp_y - lp)
        return MHState(xp.where(accept[:, None], y, x), xp.where(accept, lp_y, lp)), StepInfo(accept, prob)

    return Kernel(init, step, "rwm")


def random_walk_metropolis(x0, *, log_prob: Callable, step_size: float, n_samples: int, burn_in: int = 0,
                           thin: int = 1, rng=None, progress=False) -> SamplerResult:
    """Random-walk Metropolis with Gaussian proposals of scale ``step_size``.

    .. math:: y = x + \\sigma\\xi,\\qquad \\alpha = \\min\\big(1, \\pi(y)/\\pi(x)\\big)

    Optimal scaling in high dimension: ``σ ≈ 2.38/√d`` for an iid target, acceptance ≈ 0.234.

    Parameters
    ----------
    x0 : array of shape (n_chains, d)
    log_prob : callable ``(n_chains, d) -> (n_chains,)``
    step_size : float
        Proposal standard deviation ``σ > 0``.
    n_samples, burn_in, thin, rng, progress
        As in :func:`aimath.sampling.ula`.

    Returns
    -------
    SamplerResult

    Raises
    ------
    DomainError
        ``step_size <= 0``; ``log_prob`` non-finite at ``x0``.

    Curriculum: B18

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sampling import random_walk_metropolis
    >>> res = random_walk_metropolis(np.zeros((20, 2)), log_prob=lambda x: -0.5 * (x**2).sum(-1),
    ...                              step_size=1.0, n_samples=50, rng=0)
    >>> res.samples.shape, res.acceptance.shape
    ((50, 20, 2), (20,))
    """
    x0 = check_x0(x0)
    return run_chain(rwm_kernel(log_prob, step_size), x0, n_samples, burn_in=burn_in, thin=thin, rng=rng,
                     progress=progress)


def leapfrog(x, p, score_x, score: Callable, step_size: float, n_steps: int):
    """``n_steps`` leapfrog steps of Hamiltonian dynamics ``ẋ = p, ṗ = ∇log π(x)``.

    .. math:: p_{1/2} = p + \\tfrac{\\varepsilon}{2}\\nabla\\log\\pi(x),\\quad x' = x + \\varepsilon p_{1/2},\\quad
              p' = p_{1/2} + \\tfrac{\\varepsilon}{2}\\nabla\\log\\pi(x')

    Returns ``(x, p, score(x))`` at the end. Symplectic and time-reversible.
    """
    p = p + 0.5 * step_size * score_x
    for i in range(n_steps):
        x = x + step_size * p
        score_x = score(x)
        if i < n_steps - 1:
            p = p + step_size * score_x
    return x, p + 0.5 * step_size * score_x, score_x


def hmc_kernel(log_prob: Callable, step_size: float, n_leapfrog: int, score: Callable | None = None) -> Kernel:
    """Hamiltonian Monte Carlo with identity mass: fresh momentum, ``n_leapfrog`` leapfrog steps,
    accept with ``min(1, exp(H(x, p) − H(x', p')))``, ``H = −log π(x) + ½‖p‖²``.

    Curriculum: B18
    """
    eps = check_step(step_size)
    if isinstance(n_leapfrog, bool) or not isinstance(n_leapfrog, int) or n_leapfrog < 1:
        raise DomainError(f"n_leapfrog must be an integer >= 1, got {n_leapfrog!r}")
    lp_fn, s_fn = as_log_prob(log_prob), as_score(score, log_prob)

    def init(x):
        s = s_fn(x)
        check_output(s, x, "score", per_chain=False)
        return HMCState(x, _init_lp(lp_fn, x), s)

    def step(state, rng):
        x, lp, s = state
        xp = B.namespace(x)
        p = normal_like(rng, x)
        y, q, s_y = leapfrog(x, p, s, s_fn, eps, n_leapfrog)
        lp_y = lp_fn(y)
        log_alpha = lp_y - lp - 0.5 * xp.sum(q * q, axis=-1) + 0.5 * xp.sum(p * p, axis=-1)
        accept, prob = _accept(xp, rng, x, log_alpha)
        a = accept[:, None]
        return HMCState(xp.where(a, y, x), xp.where(accept, lp_y, lp), xp.where(a, s_y, s)), StepInfo(accept, prob)

    return Kernel(init, step, "hmc")


def hmc(x0, *, log_prob: Callable, score: Callable | None = None, step_size: float, n_leapfrog: int = 10,
        n_samples: int, burn_in: int = 0, thin: int = 1, rng=None, progress=False) -> SamplerResult:
    """Hamiltonian Monte Carlo (identity mass matrix), many chains at once (see :func:`hmc_kernel`).

    .. math:: H(x, p) = -\\log\\pi(x) + \\tfrac12\\lVert p\\rVert^2,\\qquad
              \\alpha = \\min\\big(1, e^{H(x,p) - H(x', p')}\\big)

    Parameters
    ----------
    x0 : array of shape (n_chains, d)
    log_prob : callable ``(n_chains, d) -> (n_chains,)``
    score : callable, optional
        ``∇ log π`` (from autodiff of ``log_prob`` when omitted).
    step_size : float
        Leapfrog step ``ε``.
    n_leapfrog : int
        Leapfrog steps per proposal.
    n_samples, burn_in, thin, rng, progress
        As in :func:`aimath.sampling.ula`.

    Returns
    -------
    SamplerResult

    Curriculum: B18

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sampling import hmc
    >>> res = hmc(np.zeros((20, 2)), log_prob=lambda x: -0.5 * (x**2).sum(-1), score=lambda x: -x,
    ...           step_size=0.3, n_leapfrog=5, n_samples=50, rng=0)
    >>> float(res.acceptance.mean()) > 0.9
    True
    """
    x0 = check_x0(x0)
    return run_chain(hmc_kernel(log_prob, step_size, n_leapfrog, score), x0, n_samples, burn_in=burn_in, thin=thin,
                     rng=rng, progress=progress)
