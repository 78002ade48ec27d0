"""Gradient descent with momentum: plain GD, Polyak's heavy ball and Nesterov's accelerated gradient.

One rule, :func:`sgd_update`, written as PyTorch's ``torch.optim.SGD`` defines it (so that the
iterates agree to round-off), serves :class:`SGD` and :func:`aimath.optim.minimize` with
``method="gd"``, ``"heavy_ball"`` and ``"nesterov"``.

Curriculum: B12, A6.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from aimath.optim.optimizer import Optimizer, array_namespace, check_hyper, fresh

__all__ = ["SGDState", "sgd_init", "sgd_update", "sgd_textbook", "SGD"]


class SGDState(NamedTuple):
    """State of :func:`sgd_update`: the step count and the momentum buffer (``None`` before use)."""

    step: int
    momentum_buffer: Any


def sgd_init(x) -> SGDState:
    """The initial state for parameters ``x`` (no buffer yet)."""
    return SGDState(0, None)


def sgd_update(x, g, state: SGDState, *, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
               nesterov: bool = False, weight_decay: float = 0.0, maximize: bool = False,
               next_momentum: float | None = None, inplace: bool = False):
    r"""One step of (stochastic) gradient descent with momentum.

    .. math::

        g_k &\leftarrow \pm\nabla f(x_k) + \lambda x_k, \\
        b_k &= \mu b_{k-1} + (1 - \tau) g_k \quad (b_0 = g_0), \\
        x_{k+1} &= x_k - \eta\,\begin{cases} b_k & \text{heavy ball} \\
                                  g_k + \mu' b_k & \text{Nesterov} \end{cases}

    with :math:`\eta` = ``lr``, :math:`\mu` = ``momentum``, :math:`\tau` = ``dampening``,
    :math:`\lambda` = ``weight_decay``, :math:`\mu'` = ``next_momentum`` (default :math:`\mu`) and
    the sign − when ``maximize``. With :math:`\mu = 0` this is plain gradient descent
    :math:`x_{k+1} = x_k - \eta g_k`. For constant :math:`\eta` the heavy-ball form equals Polyak's
    :math:`x_{k+1} = x_k - \eta g_k + \mu (x_k - x_{k-1})`. The Nesterov form is the accelerated
    gradient :math:`z_{k+1} = y_k - \eta\nabla f(y_k)`, :math:`y_{k+1} = z_{k+1} + \mu_{k+1}(z_{k+1} - z_k)`
    written in the look-ahead point :math:`x = y`; a momentum schedule :math:`\mu_k` is followed
    exactly by passing ``momentum`` :math:`=\mu_k` and ``next_momentum`` :math:`=\mu_{k+1}`, and
    :math:`z_{k+1} = y_{k+1} + \eta\mu_{k+1} b_k` recovers the other sequence.

    Parameters
    ----------
    x, g : array of any shape
        Parameters and the gradient at ``x`` (same shape; NumPy or torch).
    state : SGDState
        From :func:`sgd_init` or the previous call.
    lr, momentum, dampening, nesterov, weight_decay, maximize
        As in ``torch.optim.SGD``.
    next_momentum : float, optional
        The momentum of the next step, used by the Nesterov look-ahead (default ``momentum``).
    inplace : bool
        Update ``x`` and the state's buffer in place (what :class:`SGD` does) instead of returning
        new arrays. Either way the numbers are those of :func:`sgd_textbook`.

    Returns
    -------
    x_new : array
    state : SGDState

    Curriculum: B12, A6.

    Examples
    --------
    >>> import numpy as np
    >>> x, st = np.array([1.0, -2.0]), sgd_init(None)
    >>> x, st = sgd_update(x, 2 * x, st, lr=0.25)   # f = ||x||^2, gradient 2x
    >>> x
    array([ 0.5, -1. ])
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
    buf = state.momentum_buffer
    if momentum != 0 or nesterov:
        if buf is None:
            buf = xp.asarray(g, copy=True)
        else:
            buf *= momentum
            buf += g if dampening == 0 else g * (1 - dampening)  # 1·g is exact: skip the product
        if nesterov:
            t = buf * (momentum if next_momentum is None else next_momentum)
            t += g
            g = t
        else:
            g = buf
    t = g * lr
    x -= t
    return x, SGDState(state.step + 1, buf)


def sgd_textbook(x, g, state: SGDState, *, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 nesterov: bool = False, weight_decay: float = 0.0, maximize: bool = False,
                 next_momentum: float | None = None):
    """:func:`sgd_update` written line by line as the maths (new arrays every step; the fast form is in place)."""
    if maximize:
        g = -g
    if weight_decay != 0:
        g = g + weight_decay * x
    buf = state.momentum_buffer
    if momentum != 0 or nesterov:
        buf = g if buf is None else momentum * buf + (1 - dampening) * g
        g = g + (momentum if next_momentum is None else next_momentum) * buf if nesterov else buf
    return x - lr * g, SGDState(state.step + 1, buf)


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum, dampening, Nesterov and weight decay.

    The PyTorch optimizer ``torch.optim.SGD`` with the same hyper-parameters and the same iterates;
    each step applies :func:`sgd_update` to every parameter.

    Parameters
    ----------
    params : iterable
        Parameters (objects with ``.data`` and ``.grad``) or parameter groups.
    lr : float
        Step size :math:`\\eta \\ge 0`.
    momentum, dampening : float
        :math:`\\mu \\ge 0` and :math:`\\tau`.
    nesterov : bool
        Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).
    weight_decay : float
        L2 penalty :math:`\\lambda` added to the gradient.
    maximize : bool
        Ascend instead of descend.

    Raises
    ------
    DomainError
        On a negative ``lr``, ``momentum`` or ``weight_decay``, or Nesterov without momentum.

    Curriculum: B12, A6.

    Examples
    --------
    >>> import numpy as np
    >>> class P:  # any object with .data and .grad
    ...     def __init__(self, v): self.data, self.grad = np.array(v), None
    >>> p = P([1.0, 2.0]); opt = SGD([p], lr=0.1, momentum=0.9)
    >>> p.grad = 2 * p.data; opt.step(); p.data
    array([0.8, 1.6])
    """

    init = staticmethod(sgd_init)
    update = staticmethod(sgd_update)
    hyper = ("lr", "momentum", "dampening", "nesterov", "weight_decay", "maximize")

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 nesterov: bool = False, weight_decay: float = 0.0, *, maximize: bool = False):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,
                                      weight_decay=weight_decay, maximize=maximize))

    def _validate(self, g: dict) -> None:
        check_hyper("lr", g["lr"])
        check_hyper("momentum", g["momentum"])
        check_hyper("dampening", g["dampening"], low=-1e300)
        check_hyper("weight_decay", g["weight_decay"])
        if g["nesterov"] and (g["momentum"] <= 0 or g["dampening"] != 0):
            from aimath.errors import DomainError

            raise DomainError(f"nesterov momentum needs momentum > 0 and dampening = 0, "
                              f"got momentum={g['momentum']}, dampening={g['dampening']}")
