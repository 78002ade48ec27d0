"""Learning-rate schedules: step decay, exponential decay, cosine annealing and linear warm-up.

Each schedule is one pure function of the step count ``k`` (closed form); the PyTorch-like
scheduler classes (:class:`StepLR`, :class:`ExponentialLR`, :class:`CosineAnnealingLR`,
:class:`LinearLR`) call it to set the learning rate of every parameter group, and
:func:`aimath.optim.minimize` accepts the same functions (``lr=partial(cosine_annealing_lr, ...)``
or the ``*_schedule`` factories) as a step-size sequence.

Curriculum: B12, A6.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from aimath.optim.optimizer import check_hyper

__all__ = [
    "step_lr", "exponential_lr", "cosine_annealing_lr", "linear_lr",
    "LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "schedule",
]


def step_lr(k: int, base_lr: float, step_size: int, gamma: float = 0.1) -> float:
    r"""Step decay :math:`\eta_k = \eta_0\, \gamma^{\lfloor k / s \rfloor}` (``step_size`` = s)."""
    return base_lr * gamma ** (k // step_size)


def exponential_lr(k: int, base_lr: float, gamma: float) -> float:
    r"""Exponential decay :math:`\eta_k = \eta_0\, \gamma^k`."""
    return base_lr * gamma**k


def cosine_annealing_lr(k: int, base_lr: float, T_max: int, eta_min: float = 0.0) -> float:
    r"""Cosine annealing :math:`\eta_k = \eta_{\min} + \tfrac12(\eta_0 - \eta_{\min})(1 + \cos(\pi k / T))`."""
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * k / T_max)) / 2


def linear_lr(k: int, base_lr: float, start_factor: float = 1 / 3, end_factor: float = 1.0,
              total_iters: int = 5) -> float:
    r"""Linear warm-up :math:`\eta_k = \eta_0\,(a + (b - a)\min(k, n)/n)`.

    Here :math:`a, b` = ``start_factor``, ``end_factor`` and :math:`n` = ``total_iters``.
    """
    return base_lr * (start_factor + (end_factor - start_factor) * min(k, total_iters) / total_iters)


_FUNCS = {"step": step_lr, "exponential": exponential_lr, "cosine": cosine_annealing_lr, "linear": linear_lr}


def schedule(kind: str, base_lr: float, **kwargs) -> Callable[[int], float]:
    """The schedule ``k -> lr`` of ``kind`` (``"step"``, ``"exponential"``, ``"cosine"``, ``"linear"``).

    Examples
    --------
    >>> lr = schedule("step", 0.1, step_size=10, gamma=0.5)
    >>> lr(0), lr(10), lr(25)
    (0.1, 0.05, 0.025)
    """
    if kind not in _FUNCS:
        raise ValueError(f"kind must be one of {sorted(_FUNCS)}, got {kind!r}")
    f = _FUNCS[kind]
    f(0, base_lr, **kwargs)  # fail early on bad keywords

    def lr(k: int) -> float:
        return f(k, base_lr, **kwargs)

    lr.__name__ = f"{kind}_schedule"
    return lr


class LRScheduler:
    """Base scheduler: after ``k`` calls of :meth:`step`, each group's ``lr`` is ``rule(k, base_lr)``.

    Parameters
    ----------
    optimizer : aimath.optim.Optimizer
        Whose groups' ``lr`` is set (their ``initial_lr`` is recorded at construction).
    """

    def __init__(self, optimizer, last_epoch: int = -1):
        self.optimizer = optimizer
        for g in optimizer.param_groups:
            g.setdefault("initial_lr", g["lr"])
        self.base_lrs = [g["initial_lr"] for g in optimizer.param_groups]
        self.last_epoch = last_epoch
        self.step()

    def rule(self, k: int, base_lr: float) -> float:  # pragma: no cover - overridden
        raise NotImplementedError

    def step(self) -> None:
        """Advance one epoch (or iteration) and set the learning rates."""
        self.last_epoch += 1
        for g, base in zip(self.optimizer.param_groups, self.base_lrs, strict=True):
            g["lr"] = self.rule(self.last_epoch, base)

    def get_last_lr(self) -> list[float]:
        """The learning rate of each group after the last :meth:`step`."""
        return [g["lr"] for g in self.optimizer.param_groups]

    def state_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state: dict) -> None:
        self.__dict__.update(state)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, lr={self.get_last_lr()})"


class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs (:func:`step_lr`).

    Curriculum: A6.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.optim import SGD
    >>> class P: data, grad = np.zeros(1), None
    >>> opt = SGD([P()], lr=1.0); sch = StepLR(opt, step_size=2, gamma=0.5)
    >>> for _ in range(3): sch.step()
    >>> sch.get_last_lr()
    [0.5]
    """

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1):
        if int(step_size) != step_size or step_size < 1:
            from aimath.errors import DomainError

            raise DomainError(f"step_size must be a positive integer, got {step_size!r}")
        check_hyper("gamma", gamma)
        self.step_size, self.gamma = int(step_size), gamma
        super().__init__(optimizer, last_epoch)

    def rule(self, k, base_lr):
        return step_lr(k, base_lr, self.step_size, self.gamma)


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every epoch (:func:`exponential_lr`). Curriculum: A6."""

    def __init__(self, optimizer, gamma: float, last_epoch: int = -1):
        check_hyper("gamma", gamma)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def rule(self, k, base_lr):
        return exponential_lr(k, base_lr, self.gamma)


class CosineAnnealingLR(LRScheduler):
    """Cosine annealing from the base rate to ``eta_min`` over ``T_max`` epochs (:func:`cosine_annealing_lr`).

    Curriculum: A6.
    """

    def __init__(self, optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1):
        check_hyper("T_max", T_max, closed="none")
        check_hyper("eta_min", eta_min)
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def rule(self, k, base_lr):
        return cosine_annealing_lr(k, base_lr, self.T_max, self.eta_min)


class LinearLR(LRScheduler):
    """Linear warm-up (or decay) of the factor from ``start_factor`` to ``end_factor`` over ``total_iters``.

    Curriculum: A6.
    """

    def __init__(self, optimizer, start_factor: float = 1 / 3, end_factor: float = 1.0, total_iters: int = 5,
                 last_epoch: int = -1):
        check_hyper("start_factor", start_factor, low=0.0, high=1.0, closed="right")
        check_hyper("end_factor", end_factor, low=0.0, high=1.0, closed="both")
        check_hyper("total_iters", total_iters, closed="none")
        self.start_factor, self.end_factor, self.total_iters = start_factor, end_factor, int(total_iters)
        super().__init__(optimizer, last_epoch)

    def rule(self, k, base_lr):
        return linear_lr(k, base_lr, self.start_factor, self.end_factor, self.total_iters)
