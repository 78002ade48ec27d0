"""Energy-based models ``p_θ(x) ∝ exp(−E_θ(x))`` and their training by contrastive divergence.

Curriculum: B17
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from aimath import backend as B
from aimath.errors import DomainError, check_array, check_positive

__all__ = ["EnergyModel", "contrastive_divergence"]


def _module():
    from aimath.nn.module import Module

    return Module


class EnergyModel:
    """An energy-based model around a network ``net`` that maps ``(n, d)`` to energies ``(n,)`` or ``(n, 1)``.

    .. math:: p_\\theta(x) = \\frac{e^{-E_\\theta(x)}}{Z_\\theta},\\qquad
              s_\\theta(x) = \\nabla_x\\log p_\\theta(x) = -\\nabla_x E_\\theta(x)

    The score needs no ``Z_θ``: it is ``−∇E`` by :mod:`aimath.autodiff`. Instances are
    :class:`aimath.nn.module.Module` objects (parameters are those of ``net``).

    Parameters
    ----------
    net : aimath.nn Module (or any callable of Tensors with ``parameters()``)

    Curriculum: B17

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.nn.module import Module, Parameter
    >>> from aimath.score import EnergyModel
    >>> class Quadratic(Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.a = Parameter(np.array([2.0]))
    ...     def forward(self, x):
    ...         return 0.5 * (self.a * x * x).sum(axis=-1)
    >>> ebm = EnergyModel(Quadratic())
    >>> ebm.score(np.array([[1.0, -1.0]]))
    array([[-2.,  2.]])
    """

    def __new__(cls, net):
        Module = _module()

        class _EnergyModel(Module):
            __doc__ = cls.__doc__

            def __init__(self):
                super().__init__()
                self.net = net

            def forward(self, x):
                e = self.net(x)
                if len(e.shape) == 2 and e.shape[1] == 1:
                    e = e.reshape((e.shape[0],))
                return e

            def energy(self, x):
                """Energies as a plain array ``(n,)``."""
                e = self.forward(x)
                return np.asarray(getattr(e, "data", e))

            def score(self, x):
                """``−∇ₓE(x)``, shape ``(n, d)`` (parameters' gradients are left untouched)."""
                from aimath.autodiff import grad

                saved = [p.grad for p in self.parameters()]
                g = grad(lambda z: self.forward(z).sum())(x)
                for p, s in zip(self.parameters(), saved, strict=True):
                    p.grad = s
                return -g

        _EnergyModel.__name__ = _EnergyModel.__qualname__ = "EnergyModel"
        return _EnergyModel()


def contrastive_divergence(model, data, *, n_iter: int = 100, k: int = 10, step_size: float = 0.01,
                           lr: float = 0.01, batch_size: int | None = None, persistent: bool = False, rng=None,
                           callback: Callable | None = None) -> list[float]:
    """Train an :class:`EnergyModel` by contrastive divergence with Langevin negatives.

    .. math:: \\nabla_\\theta\\,\\mathbb E_{p}[-\\log p_\\theta] = \\mathbb E_{p}[\\nabla_\\theta E_\\theta]
              - \\mathbb E_{p_\\theta}[\\nabla_\\theta E_\\theta]

    The second expectation is replaced by ``k`` ULA steps ``x ← x + η s_θ(x) + √(2η) ξ`` started at
    the data batch (CD-k) or at the previous negatives (persistent CD), and θ takes a gradient step
    on ``mean E(data) − mean E(negatives)``.

    Parameters
    ----------
    model : EnergyModel
    data : array of shape (n, d)
    n_iter : int
        Parameter updates.
    k : int
        Langevin steps per update.
    step_size : float
        Langevin step ``η``.
    lr : float
        Gradient step on the parameters.
    batch_size : int, optional
        Minibatch size (full batch by default).
    persistent : bool
        Keep the negative chains between updates.
    rng : seed or generator
    callback : callable ``(iteration, model) -> None``, optional

    Returns
    -------
    list of float
        The CD objective ``mean E(data) − mean E(negatives)`` at each update.

    Raises
    ------
    DomainError
        Non-positive sizes or steps; training that produced non-finite values.

    Curriculum: B17
    """
    x = np.asarray(B.to_numpy(data), dtype=np.float64)
    check_array(x, "data", ndim=2, nonempty=True)
    check_positive(step_size, "step_size")
    check_positive(lr, "lr")
    for name, v in (("n_iter", n_iter), ("k", k)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise DomainError(f"{name} must be an integer >= 1, got {v!r}")
    g = B.as_generator(rng)
    n = x.shape[0]
    b = n if batch_size is None else int(batch_size)
    if not 1 <= b <= n:
        raise DomainError(f"batch_size must be in [1, {n}], got {batch_size!r}")
    neg = None
    history = []
    sq = math.sqrt(2 * step_size)
    for it in range(n_iter):
        batch = x if b == n else x[g.choice(n, b, replace=False)]
        y = batch.copy() if (neg is None or not persistent) else neg
        for _ in range(k):
            y = y + step_size * model.score(y) + sq * g.standard_normal(y.shape)
        if not np.all(np.isfinite(y)):
            raise DomainError(f"Langevin negatives became non-finite at iteration {it}: lower step_size")
        neg = y
        model.zero_grad()
        loss = model(batch).sum() * (1.0 / batch.shape[0]) - model(y).sum() * (1.0 / y.shape[0])
        loss.backward()
        for p in model.parameters():
            if p.grad is not None:
                p.data = p.data - lr * p.grad
        history.append(float(loss.data))
        if callback is not None:
            callback(it, model)
    return history
