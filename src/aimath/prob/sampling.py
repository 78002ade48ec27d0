"""Sampling from scratch: inverse-CDF, Box–Muller, rejection sampling, and plain Monte Carlo.

Curriculum: B13.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from aimath.backend import as_generator, namespace
from aimath.backend import uniform as _std_uniform
from aimath.errors import ConvergenceError, DomainError

__all__ = ["inverse_cdf_sample", "box_muller", "rejection_sample", "monte_carlo", "MCEstimate"]


class MCEstimate(NamedTuple):
    """A Monte Carlo estimate with its standard error."""

    estimate: object
    se: object


def _check_n(n, name="n"):
    if int(n) != n or int(n) < 1:
        raise ValueError(f"{name} must be a positive integer, got {n}")
    return int(n)


def inverse_cdf_sample(icdf, rng=None, shape=(), *, dtype=None, like=None):
    r"""Draws :math:`X = F^{-1}(U)`, :math:`U \sim \mathcal U(0, 1)`: inverse transform sampling.

    .. math::
        P(F^{-1}(U) \le x) = P(U \le F(x)) = F(x)

    Parameters
    ----------
    icdf : callable
        The quantile function :math:`F^{-1}`, applied elementwise to an array of uniforms.
    rng : int, Generator or None
    shape : int or tuple of int
        Output shape (of the uniforms).
    dtype, like : optional
        Dtype and library of the uniforms (float64 NumPy by default).

    Returns
    -------
    array of shape ``shape``

    Curriculum: B13.

    Examples
    --------
    >>> import numpy as np
    >>> x = inverse_cdf_sample(lambda u: -np.log1p(-u), rng=0, shape=100_000)  # Exp(1)
    >>> round(float(x.mean()), 1)
    1.0
    """
    u = _std_uniform(rng, shape, dtype=dtype, like=like)
    return icdf(u)


def box_muller(rng=None, shape=(), *, dtype=None, like=None):
    r"""Standard normal draws from pairs of uniforms by the Box–Muller transform.

    .. math::
        R = \sqrt{-2\log U_1}, \quad \Theta = 2\pi U_2, \qquad
        Z_1 = R\cos\Theta, \; Z_2 = R\sin\Theta \;\overset{\text{iid}}{\sim}\; \mathcal N(0, 1)

    with :math:`U_1 \in (0, 1]` (so the logarithm is finite) and :math:`U_2 \in [0, 1)`.

    Parameters
    ----------
    rng : int, Generator or None
    shape : int or tuple of int
    dtype, like : optional
        Dtype and library (float64 NumPy by default).

    Returns
    -------
    array of shape ``shape``

    Curriculum: B13.

    Examples
    --------
    >>> z = box_muller(0, 200_000)
    >>> round(float(z.mean()), 1), round(float(z.std()), 2)
    (0.0, 1.0)
    """
    shape = (int(shape),) if isinstance(shape, int) else tuple(int(s) for s in shape)
    size = math.prod(shape)
    half = (size + 1) // 2
    g = as_generator(rng, like=like)
    u1 = 1.0 - _std_uniform(g, (half,), dtype=dtype, like=like)
    u2 = _std_uniform(g, (half,), dtype=dtype, like=like)
    xp = namespace(u1)
    r = xp.sqrt(-2.0 * xp.log(u1))
    theta = (2.0 * math.pi) * u2
    z = xp.concat([r * xp.cos(theta), r * xp.sin(theta)])[:size]
    return xp.reshape(z, shape)


def rejection_sample(log_target, proposal, log_bound: float, n: int, rng=None, *, batch: int | None = None,
                     max_rounds: int = 10_000, return_rate: bool = False):
    r"""Rejection sampling from an (unnormalised) density :math:`\tilde p \le M q`.

    Propose :math:`x \sim q`, accept with probability :math:`\tilde p(x) / (M q(x))`:

    .. math::
        \log U < \log\tilde p(x) - \log M - \log q(x), \qquad U \sim \mathcal U(0,1)

    Accepted draws are exact samples of :math:`p = \tilde p / Z`; the acceptance rate is
    :math:`Z / M`. Proposals are made in vectorised batches.

    Parameters
    ----------
    log_target : callable
        :math:`\log\tilde p`, vectorised over leading axes of its argument.
    proposal : Distribution
        :math:`q`, with ``sample`` and ``log_prob``.
    log_bound : float
        :math:`\log M`, with :math:`\tilde p(x) \le M q(x)` everywhere.
    n : int
        Number of draws wanted.
    rng : int, Generator or None
    batch : int, optional
        Proposals per round (default ``2 n``, at least 64).
    max_rounds : int
    return_rate : bool
        Also return the observed acceptance rate.

    Returns
    -------
    array of shape ``(n,) + proposal.event_shape`` (and the rate when ``return_rate``)

    Raises
    ------
    DomainError
        A proposal where :math:`\tilde p(x) > M q(x)`: the bound is wrong.
    ConvergenceError
        Fewer than ``n`` acceptances after ``max_rounds`` rounds.

    Curriculum: B13.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.prob import Uniform
    >>> x = rejection_sample(lambda x: np.log(2 * x), Uniform(0.0, 1.0), np.log(2.0), 10_000, rng=0)
    >>> round(float(x.mean()), 2)  # density 2x on [0, 1] has mean 2/3
    0.67
    """
    n = _check_n(n)
    if proposal.batch_shape != ():
        raise ValueError(f"proposal must have batch shape (), got {proposal.batch_shape}")
    g = as_generator(rng, like=proposal._ref)
    batch = max(64, 2 * n) if batch is None else _check_n(batch, "batch")
    chunks, got, proposed = [], 0, 0
    for _ in range(max_rounds):
        x = proposal.sample(g, (batch,))
        xp = namespace(x)
        log_ratio = log_target(x) - proposal.log_prob(x) - log_bound
        worst = float(xp.max(log_ratio))
        if worst > 1e-9 * max(1.0, abs(log_bound)):
            raise DomainError(f"log_bound is too small: log p̃(x) - log q(x) exceeds it by {worst:.3g} at a proposal")
        u = _std_uniform(g, (batch,), dtype=log_ratio.dtype, like=log_ratio)
        keep = xp.log(u) < log_ratio
        acc = x[keep]
        chunks.append(acc)
        got += int(acc.shape[0])
        proposed += batch
        if got >= n:
            out = xp.concat(chunks, axis=0)[:n]
            return (out, got / proposed) if return_rate else out
    raise ConvergenceError(f"rejection_sample: only {got} of {n} draws accepted after {max_rounds} rounds "
                           f"(acceptance rate {got / max(proposed, 1):.3g})", iterate=None)


def monte_carlo(f, dist, n: int, rng=None) -> MCEstimate:
    r"""Monte Carlo estimate of :math:`\mathbb E_{X\sim p}[f(X)]` with its standard error.

    .. math::
        \hat\mu_n = \frac1n\sum_{i=1}^n f(x_i), \qquad
        \mathrm{se} = \frac{\hat s}{\sqrt n}, \quad \hat s^2 = \frac1{n-1}\sum_i (f(x_i) - \hat\mu_n)^2

    The error shrinks like :math:`n^{-1/2}` whatever the dimension (central limit theorem).

    Parameters
    ----------
    f : callable
        Vectorised over the leading (sample) axis: ``f(x)`` of shape ``(n, ...)``.
    dist : Distribution
        The sampling distribution :math:`p`.
    n : int
        Number of draws, at least 2.
    rng : int, Generator or None

    Returns
    -------
    MCEstimate
        ``(estimate, se)``, each of shape ``f(x).shape[1:]``.

    Curriculum: B13.

    Examples
    --------
    >>> from aimath.prob import Normal
    >>> est, se = monte_carlo(lambda x: x**2, Normal(0.0, 1.0), 100_000, rng=0)
    >>> abs(float(est) - 1.0) < 5 * float(se)
    True
    """
    n = _check_n(n)
    if n < 2:
        raise ValueError(f"n must be at least 2 for a standard error, got {n}")
    x = dist.sample(rng, (n,))
    fx = f(x)
    xp = namespace(fx)
    if fx.shape[0] != n:
        raise ValueError(f"f must keep the sample axis first, got output shape {tuple(fx.shape)} for {n} draws")
    est = xp.mean(fx, axis=0)
    se = xp.std(fx, axis=0, correction=1) / math.sqrt(n)
    return MCEstimate(est, se)
