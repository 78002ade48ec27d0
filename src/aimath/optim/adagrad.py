"""AdaGrad: per-coordinate step sizes from the running sum of squared gradients.

Curriculum: B12.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from aimath.optim.optimizer import Optimizer, array_namespace, check_hyper, fresh

__all__ = ["AdagradState", "adagrad_init", "adagrad_update", "adagrad_textbook", "Adagrad"]


class AdagradState(NamedTuple):
    """State of :func:`adagrad_update`: step count and the sum of squared gradients."""

    step: int
    sum: Any


def adagrad_init(x, *, initial_accumulator_value: float = 0.0) -> AdagradState:
    """The initial state: an accumulator of ``x``'s shape filled with ``initial_accumulator_value``."""
    xp = array_namespace(x)
    return AdagradState(0, xp.zeros_like(x) + initial_accumulator_value)


def adagrad_update(x, g, state: AdagradState, *, lr: float = 1e-2, lr_decay: float = 0.0,
                   weight_decay: float = 0.0, eps: float = 1e-10, maximize: bool = False, inplace: bool = False):
    r"""One AdaGrad step.

    .. math::

        g_k \leftarrow \pm\nabla f(x_k) + \lambda x_k, \qquad
        s_k = s_{k-1} + g_k \odot g_k, \qquad
        x_{k+1} = x_k - \frac{\eta}{1 + k\,d}\,\frac{g_k}{\sqrt{s_k} + \epsilon}

    with :math:`\eta` = ``lr``, :math:`d` = ``lr_decay``, :math:`\lambda` = ``weight_decay``,
    :math:`\epsilon` = ``eps``, :math:`k` the number of earlier steps (as ``torch.optim.Adagrad``).

    Parameters
    ----------
    x, g : array
        Parameters and gradient, same shape.
    state : AdagradState

    inplace : bool
        Update ``x`` and the state arrays in place (what the optimizer class does) instead of returning
        new arrays; the numbers are those of the textbook form either way.

    Returns
    -------
    x_new : array
    state : AdagradState

    Curriculum: B12.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([3.0, -1.0])
    >>> x, st = adagrad_update(x, 2 * x, adagrad_init(x), lr=0.5)   # first step moves each coordinate by lr
    >>> np.round(x, 6)
    array([ 2.5, -0.5])
    """
    xp = array_namespace(x, g)
    if not inplace:
        x, state = xp.asarray(x, copy=True), fresh(state, xp)
    if maximize:
        g = -g
    if weight_decay != 0:
        t = x * weight_decay
        t += g
        g = t
    clr = lr / (1 + state.step * lr_decay)
    s = state.sum
    t = g * g
    s += t
    std = xp.sqrt(s)
    std += eps
    t = g * clr
    t /= std
    x -= t
    return x, AdagradState(state.step + 1, s)

def adagrad_textbook(x, g, state: AdagradState, *, lr: float = 1e-2, lr_decay: float = 0.0,
                     weight_decay: float = 0.0, eps: float = 1e-10, maximize: bool = False):
    """:func:`adagrad_update` line by line as the maths (new arrays every step)."""
    xp = array_namespace(x, g)
    if maximize:
        g = -g
    if weight_decay != 0:
        g = g + weight_decay * x
    s = state.sum + g * g
    return x - lr / (1 + state.step * lr_decay) * g / (xp.sqrt(s) + eps), AdagradState(state.step + 1, s)


class Adagrad(Optimizer):
    """AdaGrad, as ``torch.optim.Adagrad`` (same hyper-parameters, same iterates).

    Parameters
    ----------
    params : iterable
    lr, lr_decay, weight_decay, initial_accumulator_value, eps, maximize
        See :func:`adagrad_update`.

    Raises
    ------
    DomainError
        On negative hyper-parameters.

    Curriculum: B12.

    Examples
    --------
    >>> import numpy as np
    >>> class P:
    ...     def __init__(self, v): self.data, self.grad = np.array(v), None
    >>> p = P([2.0, -2.0]); opt = Adagrad([p], lr=0.5)
    >>> p.grad = np.array([10.0, -0.1]); opt.step(); np.round(p.data, 6)   # both coordinates move by lr
    array([ 1.5, -1.5])
    """

    init = staticmethod(adagrad_init)
    update = staticmethod(adagrad_update)
    hyper = ("lr", "lr_decay", "weight_decay", "eps", "maximize")
    init_hyper = ("initial_accumulator_value",)

    def __init__(self, params, lr: float = 1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps: float = 1e-10, *, maximize: bool = False):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay, eps=eps,
                                      initial_accumulator_value=initial_accumulator_value, maximize=maximize))

    def _validate(self, g: dict) -> None:
        for k in ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"):
            check_hyper(k, g[k])
