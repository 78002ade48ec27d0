"""Langevin samplers: the unadjusted Langevin algorithm (ULA), its Metropolis-adjusted version
(MALA), stochastic-gradient Langevin dynamics (SGLD) and annealed Langevin dynamics.

All are the Euler–Maruyama discretisation of the overdamped Langevin diffusion
``dX = ∇log π(X) dt + √2 dW``, whose stationary law is π, with step ``η``:

.. math:: x_{k+1} = x_k + \\eta\\,\\nabla\\log\\pi(x_k) + \\sqrt{2\\eta}\\,\\xi_k,\\qquad \\xi_k\\sim\\mathcal N(0, I)

ULA keeps every proposal (bias ``O(η)`` in the stationary law); MALA accepts it with the
Metropolis–Hastings probability, which removes the bias.

Curriculum: B18
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

from aimath import backend as B
from aimath.errors import DomainError, check_positive
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

__all__ = ["LangevinState", "MALAState", "ula_kernel", "mala_kernel", "sgld_kernel", "ula", "mala", "sgld",
           "minibatch_score", "annealed_langevin"]


class LangevinState(NamedTuple):
    """Position ``x`` (n_chains, d), its score, and the step counter ``k``."""

    x: Any
    score: Any
    k: int = 0


class MALAState(NamedTuple):
    """Position ``x``, its log-density and score."""

    x: Any
    log_prob: Any
    score: Any


def _ones(x):
    xp = B.namespace(x)
    return xp.ones((x.shape[0],), dtype=xp.bool, device=B.device(x)), xp.ones((x.shape[0],), dtype=x.dtype,
                                                                             device=B.device(x))


def ula_kernel(score: Callable, step_size: float) -> Kernel:
    """The ULA kernel ``x ↦ x + η s(x) + √(2η) ξ``; ``step(state, rng, noise=None)`` accepts fixed
    standard-normal ``noise`` (to couple chains).

    Curriculum: B18
    """
    eta = check_step(step_size)
    sq = math.sqrt(2 * eta)

    def init(x):
        s = score(x)
        check_output(s, x, "score", per_chain=False)
        return LangevinState(x, s, 0)

    def step(state, rng, noise=None):
        if noise is None:  # a fresh draw we own: build the update in place, no temporaries
            y = normal_like(rng, state.x)
            y *= sq
        else:
            y = sq * noise
        y += state.x
        y += eta * state.score
        return LangevinState(y, score(y), state.k + 1), StepInfo(*_ones(y))

    return Kernel(init, step, "ula")


def mala_kernel(log_prob: Callable, step_size: float, score: Callable | None = None) -> Kernel:
    """The MALA kernel: a ULA proposal accepted with the Metropolis–Hastings probability

    .. math:: \\alpha = \\min\\Big(1, \\frac{\\pi(y)\\,q(x\\mid y)}{\\pi(x)\\,q(y\\mid x)}\\Big),\\qquad
              q(y\\mid x) \\propto \\exp\\Big(-\\frac{\\lVert y - x - \\eta\\nabla\\log\\pi(x)\\rVert^2}{4\\eta}\\Big)

    A proposal with a non-finite log-density or score is rejected.

    Curriculum: B18
    """
    eta = check_step(step_size)
    sq = math.sqrt(2 * eta)
    lp_fn, s_fn = as_log_prob(log_prob), as_score(score, log_prob)

    def init(x):
        lp, s = lp_fn(x), s_fn(x)
        check_output(lp, x, "log_prob", per_chain=True)
        check_output(s, x, "score", per_chain=False)
        xp = B.namespace(x)
        if not bool(xp.all(xp.isfinite(lp))):
            raise DomainError("log_prob must be finite at x0 (every chain must start in the support)")
        return MALAState(x, lp, s)

    def step(state, rng):
        x, lp, s = state
        xp = B.namespace(x)
        z = normal_like(rng, x)
        y = x + eta * s + sq * z
        lp_y, s_y = lp_fn(y), s_fn(y)
        back = x - y - eta * s_y
        log_alpha = lp_y - lp + 0.5 * xp.sum(z * z, axis=-1) - xp.sum(back * back, axis=-1) / (4 * eta)
        log_alpha = xp.where(xp.isfinite(log_alpha) & xp.all(xp.isfinite(s_y), axis=-1), log_alpha,
                             xp.asarray(-math.inf, dtype=x.dtype, device=B.device(x)))
        u = uniform_chains(rng, x)
        accept = xp.log(u) < log_alpha
        prob = xp.exp(xp.minimum(log_alpha, xp.zeros_like(log_alpha)))
        a = accept[:, None]
        return MALAState(xp.where(a, y, x), xp.where(accept, lp_y, lp), xp.where(a, s_y, s)), StepInfo(accept, prob)

    return Kernel(init, step, "mala")


def ula(x0, *, score: Callable | None = None, log_prob: Callable | None = None, step_size: float,
        n_samples: int, burn_in: int = 0, thin: int = 1, rng=None, progress=False) -> SamplerResult:
    """Unadjusted Langevin algorithm, many chains at once.

    .. math:: x_{k+1} = x_k + \\eta\\,\\nabla\\log\\pi(x_k) + \\sqrt{2\\eta}\\,\\xi_k

    Its stationary law is π only as ``η → 0``: the bias is ``O(η)`` (for a Gaussian target of
    variance σ² the stationary variance is ``σ²/(1 − η/(2σ²))``).

    Parameters
    ----------
    x0 : array of shape (n_chains, d)
        Initial states (NumPy or torch).
    score : callable ``(n_chains, d) -> (n_chains, d)``, optional
        ``∇ log π``; if omitted it is computed from ``log_prob`` by :mod:`aimath.autodiff`.
    log_prob : callable ``(n_chains, d) -> (n_chains,)``, optional
        Unnormalised log-density (only used to get the score).
    step_size : float
        ``η > 0``.
    n_samples, burn_in, thin : int
        Draws kept, initial steps discarded, keep every ``thin``-th step.
    rng : int, Generator, torch.Generator or None
    progress : bool or callable

    Returns
    -------
    SamplerResult
        ``samples`` (n_samples, n_chains, d); ``acceptance`` is 1 (every move is kept).

    Raises
    ------
    DomainError
        ``step_size <= 0``; non-finite ``x0``.
    ShapeError
        ``x0`` not 2-D or a score of the wrong shape.
    ConvergenceError
        A chain became non-finite (named with its step).

    Curriculum: B18

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sampling import ula
    >>> res = ula(np.zeros((100, 2)), score=lambda x: -x, step_size=0.1, n_samples=200, burn_in=100, rng=0)
    >>> res.samples.shape
    (200, 100, 2)
    """
    x0 = check_x0(x0)
    return run_chain(ula_kernel(as_score(score, log_prob), step_size), x0, n_samples, burn_in=burn_in, thin=thin,
                     rng=rng, progress=progress)


def mala(x0, *, log_prob: Callable, score: Callable | None = None, step_size: float, n_samples: int,
         burn_in: int = 0, thin: int = 1, rng=None, progress=False) -> SamplerResult:
    """Metropolis-adjusted Langevin algorithm, many chains at once (see :func:`mala_kernel`).

    The chain is reversible with respect to π for every ``η``, so its draws are unbiased whatever
    the step; the step only trades acceptance for move size (optimal: acceptance ≈ 0.574 in high
    dimension, with ``η ∝ d^{-1/3}``).

    Parameters
    ----------
    x0 : array of shape (n_chains, d)
    log_prob : callable ``(n_chains, d) -> (n_chains,)``
        Unnormalised log-density (needed for the accept/reject step).
    score : callable, optional
        ``∇ log π``; from autodiff of ``log_prob`` when omitted.
    step_size : float
    n_samples, burn_in, thin, rng, progress
        As in :func:`ula`.

    Returns
    -------
    SamplerResult

    Raises
    ------
    DomainError, ShapeError
        As in :func:`ula`; ``log_prob`` non-finite at ``x0``.

    Curriculum: B18

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sampling import mala
    >>> res = mala(np.zeros((50, 3)), log_prob=lambda x: -0.5 * (x**2).sum(-1), score=lambda x: -x,
    ...            step_size=0.5, n_samples=100, rng=0)
    >>> 0.5 < float(res.acceptance.mean()) < 1.0
    True
    """
    x0 = check_x0(x0)
    return run_chain(mala_kernel(log_prob, step_size, score), x0, n_samples, burn_in=burn_in, thin=thin, rng=rng,
                     progress=progress)


def sgld_kernel(stochastic_score: Callable, step_size: float | Callable[[int], float]) -> Kernel:
    """SGLD kernel ``x ↦ x + η_k ŝ(x) + √(2η_k) ξ`` with an unbiased noisy score ``ŝ(x, rng)``.

    Curriculum: B18
    """
    sched = step_size if callable(step_size) else (lambda k, e=check_step(step_size): e)

    def init(x):
        return LangevinState(x, None, 0)

    def step(state, rng):
        eta = float(sched(state.k))
        check_positive(eta, f"step_size at step {state.k}")
        x = state.x
        z = normal_like(rng, x)
        y = x + eta * stochastic_score(x, rng) + math.sqrt(2 * eta) * z
        return LangevinState(y, None, state.k + 1), StepInfo(*_ones(y))

    return Kernel(init, step, "sgld")


def minibatch_score(grad_log_prior: Callable, grad_log_lik: Callable, data, batch_size: int) -> Callable:
    """An unbiased minibatch estimate of the posterior score (Welling & Teh, 2011).

    .. math:: \\hat s(\\theta) = \\nabla\\log p(\\theta)
              + \\frac{N}{n}\\sum_{i\\in S}\\nabla_\\theta\\log p(x_i\\mid\\theta),
              \\qquad S \\text{ drawn uniformly with replacement}, |S| = n

    Parameters
    ----------
    grad_log_prior : callable ``theta (n_chains, d) -> (n_chains, d)``
    grad_log_lik : callable ``(theta (n_chains, d), batch (n_chains, n, ...)) -> (n_chains, d)``
        Gradient of the log-likelihood of each chain's own batch, summed over the batch.
    data : array of shape (N, ...)
    batch_size : int

    Each chain draws its own minibatch, so independent chains stay independent (a batch shared by
    all chains would correlate them and make the MCSE over chains too small).

    Returns
    -------
    callable ``(theta, rng) -> (n_chains, d)``
    """
    N = int(data.shape[0])
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or not 1 <= batch_size <= N:
        raise DomainError(f"batch_size must be an integer in [1, {N}], got {batch_size!r}")

    def s_hat(theta, rng):
        idx = B.integers(rng, 0, N, (theta.shape[0], batch_size), like=data)
        return grad_log_prior(theta) + (N / batch_size) * grad_log_lik(theta, data[idx])

    return s_hat


def sgld(x0, *, stochastic_score: Callable, step_size: float | Callable[[int], float], n_samples: int,
         burn_in: int = 0, thin: int = 1, rng=None, progress=False) -> SamplerResult:
    """Stochastic-gradient Langevin dynamics: ULA with an unbiased noisy score.

    .. math:: x_{k+1} = x_k + \\eta_k\\,\\hat s(x_k) + \\sqrt{2\\eta_k}\\,\\xi_k

    (Welling & Teh write ``Δθ = (ε/2)ŝ + N(0, ε)``: the same with ``ε = 2η``.) With decreasing
    steps (``Σ η_k = ∞, Σ η_k² < ∞``) the chain targets the posterior exactly; with a fixed step it
    carries ULA's bias plus the gradient-noise bias.

    Parameters
    ----------
    x0 : array of shape (n_chains, d)
    stochastic_score : callable ``(x, rng) -> (n_chains, d)``
        An unbiased estimate of ``∇ log π(x)``, e.g. from :func:`minibatch_score`.
    step_size : float or callable ``k -> η_k``
    n_samples, burn_in, thin, rng, progress
        As in :func:`ula`.

    Returns
    -------
    SamplerResult

    Curriculum: B18

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sampling import sgld
    >>> noisy = lambda x, rng: -x + 0.1 * rng.standard_normal(x.shape)
    >>> sgld(np.zeros((10, 1)), stochastic_score=noisy, step_size=0.01, n_samples=5, rng=0).samples.shape
    (5, 10, 1)
    """
    x0 = check_x0(x0)
    if not callable(stochastic_score):
        raise DomainError("stochastic_score must be a callable (x, rng) -> (n_chains, d)")
    return run_chain(sgld_kernel(stochastic_score, step_size), x0, n_samples, burn_in=burn_in, thin=thin,
                     rng=rng, progress=progress)


def annealed_langevin(score: Callable, sigmas, x0, *, steps_per_level: int = 100, step_scale: float = 2e-5,
                      rng=None, progress=False) -> SamplerResult:
    """Annealed Langevin dynamics (Song & Ermon, 2019) with a noise-conditional score ``s(x, σ)``.

    .. math:: \\alpha_i = \\epsilon\\,\\sigma_i^2/\\sigma_L^2,\\qquad
              x \\leftarrow x + \\tfrac{\\alpha_i}{2} s(x, \\sigma_i) + \\sqrt{\\alpha_i}\\,\\xi
              \\quad (T \\text{ steps at each } \\sigma_1 > \\dots > \\sigma_L)

    Parameters
    ----------
    score : callable ``(x (n_chains, d), sigma: float) -> (n_chains, d)``
        Score of the data law convolved with ``N(0, σ²I)``.
    sigmas : sequence of float
        Decreasing noise levels ``σ_1 > … > σ_L > 0``.
    x0 : array of shape (n_chains, d)
    steps_per_level : int
        ``T``.
    step_scale : float
        ``ε``.
    rng, progress
        As in :func:`ula`.

    Returns
    -------
    SamplerResult
        ``samples`` (n_levels, n_chains, d): the state at the end of each noise level (the last is
        the output); ``acceptance`` is 1.

    Raises
    ------
    DomainError
        ``sigmas`` not positive and strictly decreasing; ``step_scale <= 0``.

    Curriculum: B18

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sampling import annealed_langevin
    >>> s = lambda x, sig: -x / (1 + sig**2)          # data N(0, I)
    >>> res = annealed_langevin(s, [3.0, 1.0, 0.1], np.zeros((10, 2)), steps_per_level=20, step_scale=0.1, rng=0)
    >>> res.samples.shape
    (3, 10, 2)
    """
    x0 = check_x0(x0)
    sig = [float(s) for s in B.to_numpy(sigmas).ravel()]
    if not sig or min(sig) <= 0 or any(b >= a for a, b in zip(sig[:-1], sig[1:], strict=True)):
        raise DomainError(f"sigmas must be positive and strictly decreasing, got {sig}")
    eps = check_step(step_scale, "step_scale")
    if isinstance(steps_per_level, bool) or not isinstance(steps_per_level, int) or steps_per_level < 1:
        raise DomainError(f"steps_per_level must be an integer >= 1, got {steps_per_level!r}")
    levels = []
    for s in sig:
        eta = eps * s**2 / sig[-1] ** 2 / 2  # α/2 in the x + η s + √(2η) ξ form
        levels += [(s, eta)] * steps_per_level

    def init(x):
        return LangevinState(x, None, 0)

    def step(state, rng):
        s, eta = levels[state.k]
        x = state.x
        y = x + eta * score(x, s) + math.sqrt(2 * eta) * normal_like(rng, x)
        return LangevinState(y, None, state.k + 1), StepInfo(*_ones(y))

    res = run_chain(Kernel(init, step, "annealed_langevin"), x0, len(sig), thin=steps_per_level, rng=rng,
                    progress=progress)
    return res
