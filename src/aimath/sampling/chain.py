"""Driving a Markov kernel for many chains at once: the ``init``/``step`` protocol and the result.

A kernel is a pair of pure functions (as in blackjax): ``init(x) -> state`` and
``step(state, rng) -> (state, info)`` where ``state.x`` has shape ``(n_chains, d)`` and ``info``
carries per-chain ``accepted`` (bool) and ``accept_prob`` arrays. :func:`run_chain` iterates a
kernel, stores the draws and reports per-chain acceptance rates.

Curriculum: B18
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from aimath import backend as B
from aimath.errors import ConvergenceError, DomainError

__all__ = ["Kernel", "StepInfo", "SamplerResult", "run_chain"]


class Kernel(NamedTuple):
    """A Markov kernel: ``init(x) -> state`` and ``step(state, rng) -> (state, StepInfo)``."""

    init: Callable
    step: Callable
    name: str = "kernel"


class StepInfo(NamedTuple):
    """Per-chain outcome of one step: ``accepted`` (bool) and ``accept_prob`` (in [0, 1])."""

    accepted: Any
    accept_prob: Any


class SamplerResult(NamedTuple):
    """Draws ``samples`` (n_samples, n_chains, d), per-chain ``acceptance`` rate (fraction of
    accepted proposals after burn-in), per-chain mean Metropolis ``accept_prob`` and the final
    kernel ``state`` (to continue sampling)."""

    samples: Any
    acceptance: Any
    accept_prob: Any
    state: Any

    def __repr__(self) -> str:
        n, c, d = tuple(self.samples.shape)
        acc = float(B.to_numpy(self.acceptance).mean())
        return f"SamplerResult(n_samples={n}, n_chains={c}, d={d}, mean acceptance={acc:.3f})"


def _int(v, name, low):
    if isinstance(v, bool) or not isinstance(v, int) or v < low:
        raise DomainError(f"{name} must be an integer >= {low}, got {v!r}")
    return v


def _progress(progress, total, name):
    if progress is False or progress is None:
        return None, None
    if callable(progress):
        return (lambda i: progress(i, total)), None
    from rich.progress import Progress

    bar = Progress(transient=True)
    bar.start()
    task = bar.add_task(name, total=total)
    return (lambda i: bar.update(task, completed=i)), bar


def run_chain(kernel: Kernel, x0, n_samples: int, *, burn_in: int = 0, thin: int = 1, rng=None,
              progress: bool | Callable = False) -> SamplerResult:
    """Run ``kernel`` from ``x0`` for ``burn_in + n_samples·thin`` steps, keeping every ``thin``-th
    state after burn-in.

    Parameters
    ----------
    kernel : Kernel
    x0 : array of shape (n_chains, d)
    n_samples, burn_in, thin : int
    rng : int, Generator, torch.Generator or None
    progress : bool or callable
        ``True`` shows a progress bar; a callable is called as ``progress(step, total)``.

    Returns
    -------
    SamplerResult

    Raises
    ------
    ConvergenceError
        A chain's state became non-finite; the message names the step and the chain.

    Curriculum: B18
    """
    _int(n_samples, "n_samples", 1)
    _int(burn_in, "burn_in", 0)
    _int(thin, "thin", 1)
    g = B.as_generator(rng, like=x0)
    xp = B.namespace(x0)
    state = kernel.init(x0)
    n_chains, d = x0.shape
    samples = xp.empty((n_samples, n_chains, d), dtype=x0.dtype, device=B.device(x0))
    n_acc = xp.zeros((n_chains,), dtype=x0.dtype, device=B.device(x0))
    sum_prob = xp.zeros((n_chains,), dtype=x0.dtype, device=B.device(x0))
    total = burn_in + n_samples * thin
    tick, bar = _progress(progress, total, kernel.name)
    try:
        for k in range(total):
            state, info = kernel.step(state, g)
            if not bool(xp.all(xp.isfinite(state.x))):
                bad = xp.any(~xp.isfinite(state.x), axis=-1)
                c = int(B.to_numpy(bad).nonzero()[0][0])
                raise ConvergenceError(f"{kernel.name}: chain {c} became non-finite at step {k} "
                                       "(non-finite score or step size too large)", iterate=state.x, history=[k])
            if k >= burn_in:
                n_acc += xp.astype(info.accepted, x0.dtype)
                sum_prob += info.accept_prob
                j = k - burn_in
                if (j + 1) % thin == 0:
                    samples[j // thin] = state.x
            if tick is not None and (k % 50 == 0 or k == total - 1):
                tick(k + 1)
    finally:
        if bar is not None:
            bar.stop()
    steps = n_samples * thin
    return SamplerResult(samples, n_acc / steps, sum_prob / steps, state)
