"""Black-box variational inference with a diagonal Gaussian family.

Curriculum: B15 (stochastic optimisation of the ELBO with Monte Carlo gradients).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from aimath.backend import as_generator
from aimath.optim import adam_init, adam_update
from aimath.prob import Normal
from aimath.vi.elbo import score_function_grad

__all__ = ["bbvi", "BBVIResult"]


class BBVIResult(NamedTuple):
    """The fitted factor ``q`` (a batch of independent Normals), its parameters (Polyak average over
    the last ``average`` fraction of steps) and the Monte Carlo ELBO estimate at every step."""

    q: Normal
    loc: np.ndarray
    log_scale: np.ndarray
    elbo_trace: np.ndarray


def bbvi(log_joint, loc, log_scale, *, grad_log_joint=None, value_and_grad=None, steps: int = 2000,
         lr: float = 0.05, n_samples: int = 16, average: float = 0.25, rng=None) -> BBVIResult:
    r"""Maximise the ELBO over :math:`q = \mathcal N(\mu, \mathrm{diag}\,\sigma^2)` by Adam on Monte Carlo gradients.

    .. math::
        (\mu, \log\sigma) \leftarrow \mathrm{Adam}\big(\widehat{\nabla}\,\mathrm{ELBO}\big), \qquad
        \mathrm{ELBO} = \mathbb E_q[\log p(x, z)] + \textstyle\sum_j \log\sigma_j + \text{const}

    The gradient is the reparameterisation estimator when ``grad_log_joint`` (or
    ``value_and_grad``) is given (lower variance), else the score-function estimator with a
    leave-one-out baseline. The returned parameters average the iterates of the last ``average``
    fraction of steps (Polyak averaging damps the Monte Carlo noise of the final iterates).

    With the pathwise gradient each step draws :math:`\varepsilon_s \sim \mathcal N(0, I)` once,
    :math:`z_s = \mu + \sigma\odot\varepsilon_s`, and uses the same draws for the gradient of
    :func:`~aimath.vi.reparam_grad` (its per-step mean, computed inline without the standard errors)
    and for the ELBO trace :math:`\frac1S\sum_s \log p(x, z_s) + H(q)`.

    Parameters
    ----------
    log_joint : callable
        :math:`z \mapsto \log p(x, z)`, ``(n, d) -> (n,)``.
    loc, log_scale : array of shape (d,)
        Starting :math:`\mu` and :math:`\log\sigma`.
    grad_log_joint : callable, optional
        :math:`z \mapsto \nabla_z \log p(x, z)`, ``(n, d) -> (n, d)``.
    value_and_grad : callable, optional
        :math:`z \mapsto (\log p(x, z), \nabla_z \log p(x, z))` in one call (shares the work of the
        two, as autodiff does); replaces ``log_joint``/``grad_log_joint`` inside the loop.
    steps : int
    lr : float
        Adam's step size (``aimath.optim.adam_update``).
    n_samples : int
        Monte Carlo draws per step.
    average : float
        Fraction of final steps averaged, in (0, 1].
    rng : int, Generator or None

    Returns
    -------
    BBVIResult

    Raises
    ------
    ValueError
        ``steps``, ``n_samples`` or ``average`` out of range.

    Curriculum: B15.

    Examples
    --------
    >>> import numpy as np
    >>> res = bbvi(lambda z: -0.5 * np.sum((z - 3.0) ** 2, -1), np.zeros(1), np.zeros(1),
    ...            grad_log_joint=lambda z: -(z - 3.0), steps=300, rng=0)
    >>> round(float(res.loc[0]), 1), round(float(np.exp(res.log_scale[0])), 1)
    (3.0, 1.0)
    """
    if int(steps) < 1 or not 0 < average <= 1:
        raise ValueError(f"steps must be >= 1 and average in (0, 1], got steps={steps}, average={average}")
    g = as_generator(rng)
    theta = np.concatenate([np.asarray(loc, dtype=float), np.asarray(log_scale, dtype=float)])
    d = theta.size // 2
    state = adam_init(theta)
    keep = max(1, int(round(average * steps)))
    acc = np.zeros_like(theta)
    trace = np.empty(int(steps))
    half_entropy_const = 0.5 * d * (1.0 + math.log(2 * math.pi))
    pathwise = grad_log_joint is not None or value_and_grad is not None
    grad = np.empty_like(theta)
    for t in range(int(steps)):
        mu, ls = theta[:d], theta[d:]
        if pathwise:  # reparam_grad's mean, inline: ∇μ = mean ∇log p(z), ∇logσ = mean ∇log p(z)⊙σ⊙ε + 1
            scale = np.exp(ls)
            eps = g.standard_normal((n_samples, d))
            z = mu + scale * eps
            if value_and_grad is not None:
                lp, gz = value_and_grad(z)
            else:
                lp, gz = log_joint(z), grad_log_joint(z)
            np.mean(gz, axis=0, out=grad[:d])
            np.mean(gz * eps, axis=0, out=grad[d:])
            grad[d:] *= scale
            grad[d:] += 1.0
        else:
            est = score_function_grad(log_joint, mu, ls, g, n_samples)
            grad[:d], grad[d:] = est.loc, est.log_scale
            lp = log_joint(mu + np.exp(ls) * g.standard_normal((n_samples, d)))
        trace[t] = float(np.mean(lp)) + float(np.sum(ls)) + half_entropy_const  # E log p + H(q)
        theta, state = adam_update(theta, grad, state, lr=lr, maximize=True, inplace=True)
        if t >= steps - keep:
            acc += theta
    theta = acc / keep
    mu, ls = theta[:d], theta[d:]
    return BBVIResult(Normal(mu, np.exp(ls)), mu, ls, trace)
