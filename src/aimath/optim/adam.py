"""Adam, AMSGrad and AdamW: bias-corrected first and second moment estimates of the gradient.

Curriculum: B12.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from aimath.optim.optimizer import Optimizer, array_namespace, check_hyper, fresh, lerp, lerp_

__all__ = ["AdamState", "adam_init", "adam_update", "adam_textbook", "Adam", "AdamW"]


class AdamState(NamedTuple):
    """State of :func:`adam_update`: step count, first and second moments, running max (AMSGrad)."""

    step: int
    exp_avg: Any
    exp_avg_sq: Any
    max_exp_avg_sq: Any


def adam_init(x, *, amsgrad: bool = False) -> AdamState:
    """Zero moment estimates of ``x``'s shape."""
    xp = array_namespace(x)
    return AdamState(0, xp.zeros_like(x), xp.zeros_like(x), xp.zeros_like(x) if amsgrad else None)


def adam_update(x, g, state: AdamState, *, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                eps: float = 1e-8, weight_decay: float = 0.0, amsgrad: bool = False, maximize: bool = False,
                decoupled_weight_decay: bool = False, inplace: bool = False):
    r"""One Adam (or AdamW, AMSGrad) step.

    .. math::

        m_k &= \beta_1 m_{k-1} + (1-\beta_1) g_k, \qquad v_k = \beta_2 v_{k-1} + (1-\beta_2)\, g_k\odot g_k, \\
        \hat v_k &= \max(\hat v_{k-1}, v_k) \ \text{(AMSGrad) or } v_k, \\
        x_{k+1} &= x_k - \frac{\eta}{1-\beta_1^k}\, \frac{m_k}{\sqrt{\hat v_k / (1-\beta_2^k)} + \epsilon}

    where :math:`g_k = \pm\nabla f(x_k) + \lambda x_k` (Adam's L2 penalty), or, with
    ``decoupled_weight_decay`` (AdamW), :math:`g_k = \pm\nabla f(x_k)` and :math:`x_k` is first
    shrunk to :math:`(1 - \eta\lambda) x_k`. Symbols: :math:`\eta` = ``lr``,
    :math:`(\beta_1, \beta_2)` = ``betas``, :math:`\epsilon` = ``eps``, :math:`\lambda` =
    ``weight_decay``; the operation order is ``torch.optim.Adam``'s.

    Parameters
    ----------
    x, g : array
        Parameters and gradient, same shape.
    state : AdamState

    inplace : bool
        Update ``x`` and the state arrays in place (what the optimizer class does) instead of returning
        new arrays; the numbers are those of the textbook form either way.

    Returns
    -------
    x_new : array
    state : AdamState

    Curriculum: B12.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0, -1.0])
    >>> x, st = adam_update(x, np.array([4.0, -0.01]), adam_init(x), lr=0.1)  # first step ≈ lr·sign(g)
    >>> np.round(x, 4)
    array([ 0.9, -0.9])
    """
    xp = array_namespace(x, g)
    if not inplace:
        x, state = xp.asarray(x, copy=True), fresh(state, xp)
    if maximize:
        g = -g
    if weight_decay != 0:
        if decoupled_weight_decay:
            x *= 1 - lr * weight_decay
        else:
            t = x * weight_decay
            t += g
            g = t
    b1, b2 = betas
    k = state.step + 1
    m, v, vmax = state.exp_avg, state.exp_avg_sq, state.max_exp_avg_sq
    lerp_(m, g, 1 - b1, xp)
    v *= b2
    t = g * (1 - b2)
    t *= g
    v += t
    if amsgrad:
        vmax[...] = xp.maximum(vmax, v)
    denom = xp.sqrt(vmax if amsgrad else v)
    denom /= (1 - b2**k) ** 0.5
    denom += eps
    t = m * (lr / (1 - b1**k))
    t /= denom
    x -= t
    return x, AdamState(k, m, v, vmax)

def adam_textbook(x, g, state: AdamState, *, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                  eps: float = 1e-8, weight_decay: float = 0.0, amsgrad: bool = False, maximize: bool = False,
                  decoupled_weight_decay: bool = False):
    """:func:`adam_update` line by line as the maths (new arrays every step)."""
    xp = array_namespace(x, g)
    if maximize:
        g = -g
    if weight_decay != 0 and decoupled_weight_decay:
        x = x * (1 - lr * weight_decay)
    elif weight_decay != 0:
        g = g + weight_decay * x
    b1, b2 = betas
    k = state.step + 1
    m = lerp(state.exp_avg, g, 1 - b1)
    v = b2 * state.exp_avg_sq + (1 - b2) * g * g
    vmax = xp.maximum(state.max_exp_avg_sq, v) if amsgrad else None
    denom = xp.sqrt(vmax if amsgrad else v) / (1 - b2**k) ** 0.5 + eps
    return x - lr / (1 - b1**k) * m / denom, AdamState(k, m, v, vmax)


def _check_adam(g: dict) -> None:
    for k in ("lr", "eps", "weight_decay"):
        check_hyper(k, g[k])
    b = g["betas"]
    if len(b) != 2:
        raise TypeError(f"betas must be a pair (beta1, beta2), got {b!r}")
    check_hyper("betas[0]", b[0], low=0.0, high=1.0)
    check_hyper("betas[1]", b[1], low=0.0, high=1.0)


class Adam(Optimizer):
    """Adam (and AMSGrad), as ``torch.optim.Adam``: same hyper-parameters, same iterates.

    Parameters
    ----------
    params : iterable
    lr : float
    betas : (float, float)
        Decay rates of the two moment estimates, each in [0, 1).
    eps : float
    weight_decay : float
        L2 penalty added to the gradient (coupled; see :class:`AdamW` for the decoupled form).
    amsgrad : bool
    maximize : bool

    Raises
    ------
    DomainError
        On negative ``lr``/``eps``/``weight_decay`` or betas outside [0, 1).

    Curriculum: B12.

    Examples
    --------
    >>> import numpy as np
    >>> class P:  # any object with .data and .grad arrays
    ...     def __init__(self, v): self.data, self.grad = np.array(v), None
    >>> p = P([3.0, -1.0]); opt = Adam([p], lr=0.1)
    >>> for _ in range(500):
    ...     p.grad = 2 * p.data     # f = ||x||², minimum at 0
    ...     opt.step()
    >>> bool(np.abs(p.data).max() < 1e-2)
    True
    """

    init = staticmethod(adam_init)
    update = staticmethod(adam_update)
    hyper = ("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "decoupled_weight_decay")
    init_hyper = ("amsgrad",)
    _decoupled = False

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False, *, maximize: bool = False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize, decoupled_weight_decay=self._decoupled))

    def _validate(self, g: dict) -> None:
        _check_adam(g)


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay :math:`x \\leftarrow (1-\\eta\\lambda)x`, as ``torch.optim.AdamW``.

    Same parameters as :class:`Adam`; ``weight_decay`` defaults to ``1e-2``.

    Curriculum: B12.
    """

    _decoupled = True

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         maximize=maximize)
