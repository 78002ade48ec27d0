"""RMSProp: gradients scaled by a running root-mean-square, optionally centred and with momentum.

Curriculum: B12.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from aimath.optim.optimizer import Optimizer, array_namespace, check_hyper, fresh, lerp, lerp_

__all__ = ["RMSpropState", "rmsprop_init", "rmsprop_update", "rmsprop_textbook", "RMSprop"]


class RMSpropState(NamedTuple):
    """State of :func:`rmsprop_update`: step count, mean square, mean gradient (centred), momentum buffer."""

    step: int
    square_avg: Any
    grad_avg: Any
    momentum_buffer: Any


def rmsprop_init(x, *, momentum: float = 0.0, centered: bool = False) -> RMSpropState:
    """Zero running averages of ``x``'s shape (``grad_avg``/``momentum_buffer`` only when used)."""
    xp = array_namespace(x)
    return RMSpropState(0, xp.zeros_like(x), xp.zeros_like(x) if centered else None,
                        xp.zeros_like(x) if momentum > 0 else None)


def rmsprop_update(x, g, state: RMSpropState, *, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                   weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False,
                   maximize: bool = False, inplace: bool = False):
    r"""One RMSProp step.

    .. math::

        v_k &= \alpha v_{k-1} + (1-\alpha)\, g_k \odot g_k, \qquad
        m_k = \alpha m_{k-1} + (1-\alpha)\, g_k \ \text{(centred only)}, \\
        d_k &= \sqrt{v_k - m_k \odot m_k} + \epsilon \ \text{(centred) or } \sqrt{v_k} + \epsilon, \\
        b_k &= \mu b_{k-1} + g_k / d_k, \qquad x_{k+1} = x_k - \eta\, b_k \ \ (\text{or } x_k - \eta\, g_k/d_k
        \text{ when } \mu = 0)

    where :math:`g_k = \pm\nabla f(x_k) + \lambda x_k`, :math:`\alpha` = ``alpha``, :math:`\mu` =
    ``momentum``, :math:`\eta` = ``lr``, :math:`\lambda` = ``weight_decay`` (``torch.optim.RMSprop``).

    Parameters
    ----------
    x, g : array
        Parameters and gradient, same shape.
    state : RMSpropState

    inplace : bool
        Update ``x`` and the state arrays in place (what the optimizer class does) instead of returning
        new arrays; the numbers are those of the textbook form either way.

    Returns
    -------
    x_new : array
    state : RMSpropState

    Curriculum: B12.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0])
    >>> x, st = rmsprop_update(x, np.array([0.1]), rmsprop_init(x), lr=0.01, alpha=0.0)  # g/|g| step
    >>> np.round(x, 6)
    array([0.99])
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
    v = state.square_avg
    v *= alpha
    t = g * (1 - alpha)
    t *= g
    v += t
    m = state.grad_avg
    if centered:
        lerp_(m, g, 1 - alpha, xp)
        d = m * m
        d *= -1
        d += v
        d = xp.sqrt(d)
    else:
        d = xp.sqrt(v)
    d += eps
    buf = state.momentum_buffer
    if momentum > 0:
        buf *= momentum
        t = g / d
        buf += t
        t = buf * lr
    else:
        t = g * lr
        t /= d
    x -= t
    return x, RMSpropState(state.step + 1, v, m, buf)

def rmsprop_textbook(x, g, state: RMSpropState, *, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                     weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False,
                     maximize: bool = False):
    """:func:`rmsprop_update` line by line as the maths (new arrays every step)."""
    xp = array_namespace(x, g)
    if maximize:
        g = -g
    if weight_decay != 0:
        g = g + weight_decay * x
    v = alpha * state.square_avg + (1 - alpha) * g * g
    m = lerp(state.grad_avg, g, 1 - alpha) if centered else None
    d = (xp.sqrt(v - m * m) if centered else xp.sqrt(v)) + eps
    buf = momentum * state.momentum_buffer + g / d if momentum > 0 else None
    x_new = x - lr * buf if momentum > 0 else x - lr * g / d
    return x_new, RMSpropState(state.step + 1, v, m, buf)


class RMSprop(Optimizer):
    """RMSProp, as ``torch.optim.RMSprop`` (same hyper-parameters, same iterates).

    Parameters
    ----------
    params : iterable
    lr, alpha, eps, weight_decay, momentum, centered, maximize
        See :func:`rmsprop_update`.

    Raises
    ------
    DomainError
        On a negative ``lr``, ``eps``, ``momentum`` or ``weight_decay``, or ``alpha`` outside [0, 1].

    Curriculum: B12.

    Examples
    --------
    >>> import numpy as np
    >>> class P:
    ...     def __init__(self, v): self.data, self.grad = np.array(v), None
    >>> p = P([1.0]); opt = RMSprop([p], lr=0.01, centered=True)
    >>> p.grad = np.array([5.0]); opt.step(); bool(p.data[0] < 1.0)
    True
    """

    init = staticmethod(rmsprop_init)
    update = staticmethod(rmsprop_update)
    hyper = ("lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize")
    init_hyper = ("momentum", "centered")

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8, weight_decay: float = 0.0,
                 momentum: float = 0.0, centered: bool = False, *, maximize: bool = False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                                      centered=centered, maximize=maximize))

    def _validate(self, g: dict) -> None:
        for k in ("lr", "eps", "weight_decay", "momentum"):
            check_hyper(k, g[k])
        check_hyper("alpha", g["alpha"], low=0.0, high=1.0, closed="both")
