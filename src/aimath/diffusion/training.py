r"""Denoising score matching: training a noise-prediction network for a forward process.

With :math:`x_t = \alpha(t)x_0 + \sigma(t)\varepsilon` and the score model
:math:`s_\theta(x, t) = -\hat\varepsilon_\theta(x, t/T)/\sigma(t)`, denoising score matching with the
weighting :math:`\lambda(t) = \sigma(t)^2` of Song et al. (2021) is exactly the ε-prediction loss of
Ho et al. (2020):

.. math:: \mathcal L(\theta)
          = \mathbb E_{t, x_0, \varepsilon}\,\sigma(t)^2\,\Big\|s_\theta(x_t, t) + \frac{\varepsilon}{\sigma(t)}\Big\|^2
          = \mathbb E_{t, x_0, \varepsilon}\,\big\|\hat\varepsilon_\theta(x_t, t/T) - \varepsilon\big\|^2,
          \qquad t \sim U(\epsilon, T),

and its minimiser over all functions is :math:`s_\theta(x, t) = \nabla_x \log p_t(x)` (Vincent 2011:
the conditional score :math:`-\varepsilon/\sigma` averages to the marginal score). :func:`dsm_loss`
evaluates the per-coordinate mean (the loss above divided by the data dimension);
:func:`train_score_model` minimises it by mini-batch steps and keeps an exponential moving average
of the weights,

.. math:: \bar\theta_k = \mu\,\bar\theta_{k-1} + (1 - \mu)\,\theta_k,\qquad \bar\theta_0 = \theta_0.

Curriculum: B21
"""

from __future__ import annotations

import copy
import math

import numpy as np

from aimath import backend as B
from aimath.autodiff import mean
from aimath.diffusion.forward import DDPMSchedule, ForwardProcess
from aimath.errors import ConvergenceError, DomainError, ShapeError, check_array
from aimath.nn.module import Module

__all__ = ["dsm_loss", "ema_update", "sample_times", "train_score_model"]


def sample_times(sde, n: int, rng, *, eps: float = 1e-3, like=None):
    """Training times: ``U(eps, T)`` for a continuous SDE, uniform integers in ``{1, …, T}`` for DDPM."""
    like = np.zeros(0) if like is None else like
    if isinstance(sde, DDPMSchedule):
        t = B.integers(rng, 1, sde.T + 1, (n,), like=like)
        return B.namespace(like).asarray(t, dtype=B.float_dtype(like))
    return B.uniform(rng, (n,), low=eps * sde.T, high=sde.T, like=like, dtype=B.float_dtype(like))


def dsm_loss(model, x0, t, noise, sde):
    r"""The σ²-weighted denoising score-matching loss (ε-prediction MSE) on one batch.

    .. math:: \ell = \frac{1}{n\,d} \sum_{i=1}^n \big\|\hat\varepsilon_\theta\big(\alpha(t_i)x_{0,i}
              + \sigma(t_i)\varepsilon_i,\ t_i/T\big) - \varepsilon_i\big\|^2
              = \frac{1}{n\,d}\sum_{i=1}^n \sigma(t_i)^2 \Big\|s_\theta(x_{t_i}, t_i)
              + \frac{\varepsilon_i}{\sigma(t_i)}\Big\|^2

    Parameters
    ----------
    model : callable ``model(x, tau) -> Tensor`` (a noise predictor, e.g. :class:`ScoreNet`)
    x0 : array of shape (n, ...)
        Clean data.
    t : array of shape (n,)
        Times in ``[0, T]``.
    noise : array of x0's shape
        The standard normal draws ε.
    sde : ForwardProcess

    Returns
    -------
    Tensor (scalar), differentiable with respect to the model's parameters.

    Raises
    ------
    ShapeError
        ``t`` not of shape (n,), ``noise`` not of x0's shape.
    DomainError
        Times outside ``[0, T]``; non-finite inputs.
    """
    if not isinstance(sde, ForwardProcess):
        raise DomainError(f"sde must be a ForwardProcess, got {type(sde).__name__}")
    check_array(x0, "x0", min_ndim=2)
    check_array(noise, "noise")
    n = int(x0.shape[0])
    if tuple(noise.shape) != tuple(x0.shape):
        raise ShapeError(f"noise must have the shape of x0 {tuple(x0.shape)}, got {tuple(noise.shape)}")
    if tuple(getattr(t, "shape", ())) != (n,):
        raise ShapeError(f"t must have shape ({n},), got {tuple(getattr(t, 'shape', ()))}")
    _, _, a, s = sde.coefficients(t, like=x0)
    xp = B.namespace(x0)
    bshape = (n,) + (1,) * (x0.ndim - 1)
    xt = xp.reshape(a, bshape) * x0 + xp.reshape(s, bshape) * noise
    eps_hat = model(xt, t / sde.T)
    r = eps_hat - noise
    return mean(r * r)


def ema_update(ema_params, params, decay: float) -> None:
    r"""In place :math:`\bar\theta \leftarrow \mu\bar\theta + (1 - \mu)\theta` for matching lists of arrays."""
    for e, p in zip(ema_params, params, strict=True):
        e *= decay
        e += (1.0 - decay) * p


def _progress(progress, steps):
    if not progress:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("DSM {task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    transient=True)


def train_score_model(model, data, sde, optimizer, steps: int, batch_size: int, rng=None, progress: bool = True,
                      ema: float | None = 0.999, *, eps: float = 1e-3, scheduler=None, callback=None):
    r"""Train a noise-prediction network by denoising score matching (see the module docstring).

    Each step draws a batch of ``batch_size`` data points with replacement, times
    :math:`t \sim U(\epsilon T, T)` (integers in ``{1, …, T}`` for a :class:`DDPMSchedule`) and noise
    :math:`\varepsilon \sim \mathcal N(0, I)`, takes one ``optimizer`` step on :func:`dsm_loss`, then
    updates the moving average :math:`\bar\theta \leftarrow \mu\bar\theta + (1-\mu)\theta` of the
    weights.

    Parameters
    ----------
    model : Module
        A noise predictor ``model(x, tau)`` (:class:`ScoreNet`, :class:`ScoreUNet`).
    data : array of shape (n, ...)
        Training samples, in the shape the model takes.
    sde : ForwardProcess
    optimizer : aimath.optim.Optimizer
        Built on ``model.parameters()``.
    steps, batch_size : int
    rng : seed or Generator
    progress : bool
        Show a (transient) rich progress bar.
    ema : float in [0, 1) or None
        Decay µ of the exponential moving average; ``None`` or 0 returns the trained model itself.
    eps : float
        Smallest training time as a fraction of ``T`` (continuous SDEs).
    scheduler : aimath.optim.LRScheduler, optional
        Stepped once after every optimizer step (e.g. ``CosineAnnealingLR(optimizer, steps)``).
    callback : callable ``callback(step, loss)``, optional

    Returns
    -------
    ema_model : Module
        A copy of ``model`` holding the averaged weights (``model`` itself keeps the last iterate).
    losses : array of shape (steps,)
        The loss of every step (before its update).

    Raises
    ------
    DomainError
        Bad ``steps``, ``batch_size``, ``ema``, ``eps``, ``sde``; non-finite data.
    ConvergenceError
        If the loss becomes NaN or infinite (carries the loss history).

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.diffusion import VPSDE, ScoreNet
    >>> from aimath.optim import Adam
    >>> data = np.random.default_rng(0).normal(size=(256, 2))
    >>> net = ScoreNet(2, hidden=16, depth=2, rng=0)
    >>> ema_net, losses = train_score_model(net, data, VPSDE(), Adam(net.parameters(), lr=1e-2), steps=20,
    ...                                     batch_size=64, rng=0, progress=False)
    >>> losses.shape
    (20,)
    """
    if not isinstance(model, Module):
        raise DomainError(f"model must be an aimath.nn Module, got {type(model).__name__}")
    if not isinstance(sde, ForwardProcess):
        raise DomainError(f"sde must be a ForwardProcess, got {type(sde).__name__}")
    for name, v in (("steps", steps), ("batch_size", batch_size)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 1:
            raise DomainError(f"{name} must be a positive integer, got {v!r}")
    if ema is not None and not (isinstance(ema, int | float) and 0 <= ema < 1):
        raise DomainError(f"ema must be None or a decay in [0, 1), got {ema!r}")
    if not (isinstance(eps, int | float) and 0 < eps < 1):
        raise DomainError(f"eps must lie in (0, 1), got {eps!r}")
    data = B.asarray(data, dtype="float")
    check_array(data, "data", min_ndim=2)
    n = int(data.shape[0])
    g = B.as_generator(rng, like=data)
    params = list(model.parameters())
    use_ema = bool(ema)
    ema_params = [B.namespace(p.data).asarray(p.data, copy=True) for p in params] if use_ema else None
    losses = np.empty(int(steps))
    bar = _progress(progress, steps)
    task = bar.add_task("", total=int(steps)) if bar is not None else None
    if bar is not None:
        bar.start()
    model.train()
    try:
        for k in range(int(steps)):
            idx = B.integers(g, 0, n, (int(batch_size),), like=data)
            x0 = data[idx]
            t = sample_times(sde, int(batch_size), g, eps=eps, like=data)
            noise = B.normal(g, tuple(x0.shape), like=x0)
            loss = dsm_loss(model, x0, t, noise, sde)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            v = float(loss.data)
            losses[k] = v
            if not math.isfinite(v):
                raise ConvergenceError(f"score training diverged at step {k}: loss {v}", history=losses[:k + 1])
            if scheduler is not None:
                scheduler.step()
            if use_ema:
                ema_update(ema_params, [p.data for p in params], float(ema))
            if callback is not None:
                callback(k, v)
            if bar is not None and (k % 10 == 0 or k == steps - 1):
                bar.update(task, completed=k + 1, description=f"loss={np.mean(losses[max(0, k - 99):k + 1]):.4f}")
    finally:
        if bar is not None:
            bar.stop()
    if not use_ema:
        return model, losses
    out = copy.deepcopy(model)
    for p, e in zip(out.parameters(), ema_params, strict=True):
        if B.is_torch(p.data):
            p.data.copy_(e)
        else:
            p.data[...] = e
    out.eval()
    return out, losses

