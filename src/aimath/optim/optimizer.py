"""The stateful face of the optimizers: a PyTorch-like :class:`Optimizer` over parameter objects.

Every update rule of :mod:`aimath.optim` is written once, as a pair of pure functions on arrays,
``init(x) -> state`` and ``step(x, g, state, **hyper) -> (x_new, state_new)`` (see
:mod:`aimath.optim.sgd`, :mod:`aimath.optim.adam`, ...). :func:`aimath.optim.minimize` calls them
on a single array; the classes built on :class:`Optimizer` call the very same functions on every
parameter of a model, PyTorch style::

    opt = Adam(model.parameters(), lr=1e-3)
    for batch in data:
        opt.zero_grad()
        loss(batch).backward()
        opt.step()

A *parameter* is any object with two attributes holding arrays of the backend: ``data`` (the
value, updated in place by :meth:`Optimizer.step`) and ``grad`` (its gradient, or ``None`` to skip
it). ``aimath.autodiff.Tensor`` and ``torch.nn.Parameter`` both qualify.

Curriculum: B12, A6.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import numpy as np

from aimath.backend import is_torch, namespace
from aimath.errors import DomainError, ShapeError, shape_of

__all__ = ["Optimizer", "check_hyper", "lerp", "lerp_", "array_namespace", "fresh"]


def check_hyper(name: str, value: Any, *, low: float = 0.0, high: float = math.inf, closed: str = "left") -> None:
    """Raise :class:`DomainError` unless the hyper-parameter ``value`` is a real number in the interval.

    ``closed`` is ``"both"``, ``"left"`` (``[low, high)``), ``"right"`` or ``"none"``.
    """
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__}") from None
    lo_ok = v >= low if closed in ("both", "left") else v > low
    hi_ok = v <= high if closed in ("both", "right") else v < high
    if not (lo_ok and hi_ok and v == v):
        lb = "[" if closed in ("both", "left") else "("
        rb = "]" if closed in ("both", "right") else ")"
        raise DomainError(f"{name} must lie in {lb}{low:g}, {high:g}{rb}, got {value!r}")


_NP = namespace(np.empty(0))


def array_namespace(*arrays):
    """:func:`aimath.backend.namespace`, with a fast path for NumPy arrays (called on every step)."""
    if all(type(a) is np.ndarray for a in arrays):
        return _NP
    return namespace(*arrays)


def lerp(a, b, w: float):
    r"""The running average :math:`a + w(b - a) = (1-w)a + wb`, evaluated as ``torch.lerp`` does
    (from the nearer end: :math:`b - (1-w)(b - a)` when :math:`w \ge 1/2`) so iterates match PyTorch's."""
    return a + w * (b - a) if w < 0.5 else b - (b - a) * (1 - w)


def lerp_(a, b, w: float, xp) -> None:
    """In-place :func:`lerp`: overwrite ``a`` with the running average, with the same rounding."""
    t = b - a if w < 0.5 else a - b
    if w < 0.5:
        t *= w
        a += t
    else:
        t *= 1 - w
        t += b
        a[...] = t


def fresh(state, xp):
    """A copy of a rule's state NamedTuple whose arrays may be updated in place (``None`` entries kept)."""
    return type(state)(*(xp.asarray(v, copy=True) if hasattr(v, "shape") else v for v in state))


def _write(param, new) -> None:
    """Store ``new`` into ``param.data`` in place (so every holder of the array sees the update)."""
    data = param.data
    if is_torch(data):
        data.copy_(new)
        return
    try:
        data[...] = new
    except (TypeError, ValueError):  # read-only or not an ndarray: rebind instead
        param.data = new


class Optimizer:
    """Base class: parameter groups, per-parameter state, ``step``, ``zero_grad``, ``state_dict``.

    Subclasses set ``init`` and ``update`` (the pure functions of their rule), ``hyper`` (the
    names of the hyper-parameters passed to ``update``) and ``init_hyper`` (those passed to
    ``init``), and validate their hyper-parameters in ``__init__``.

    Parameters
    ----------
    params : iterable of parameters, or of dicts
        Objects with ``.data`` and ``.grad`` arrays; or parameter groups, dicts with a ``"params"``
        entry and per-group hyper-parameters overriding ``defaults``.
    defaults : dict
        The default hyper-parameters.

    Raises
    ------
    ShapeError
        If ``params`` is empty.
    TypeError
        If a parameter lacks ``data``/``grad`` attributes.
    """

    init: ClassVar[Callable]
    update: ClassVar[Callable]
    hyper: ClassVar[tuple[str, ...]] = ()
    init_hyper: ClassVar[tuple[str, ...]] = ()

    def __init__(self, params: Iterable, defaults: dict):
        params = list(params)
        if not params:
            raise ShapeError(f"{type(self).__name__} got an empty parameter list")
        groups = params if isinstance(params[0], dict) else [{"params": params}]
        self.defaults = dict(defaults)
        self.param_groups: list[dict] = []
        self.state: dict[int, Any] = {}
        for g in groups:
            self.add_param_group(g)

    # ------------------------------------------------------------------ groups
    def add_param_group(self, group: dict) -> None:
        """Add a group of parameters, with hyper-parameters defaulting to ``self.defaults``."""
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError("a parameter group must be a dict with a 'params' entry")
        ps = group["params"]
        ps = [ps] if hasattr(ps, "data") else list(ps)
        for i, p in enumerate(ps):
            if not (hasattr(p, "data") and hasattr(p, "grad")):
                raise TypeError(
                    f"params[{i}] must have .data and .grad attributes (a Tensor or Parameter), "
                    f"got {type(p).__name__}"
                )
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in ps):
            raise ValueError("some parameters appear in more than one parameter group")
        full = {**self.defaults, **{k: v for k, v in group.items() if k != "params"}, "params": ps}
        self._validate(full)
        self.param_groups.append(full)

    def _validate(self, group: dict) -> None:  # pragma: no cover - overridden
        """Check one group's hyper-parameters (subclasses raise DomainError)."""

    # ------------------------------------------------------------------ the step
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: to ``None`` (default, as PyTorch) or to zeros."""
        for g in self.param_groups:
            for p in g["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    p.grad = p.grad * 0

    def step(self, closure: Callable[[], Any] | None = None):
        """Apply one update to every parameter whose ``grad`` is not ``None``.

        ``closure``, if given, re-evaluates the loss (and gradients) first; its value is returned.
        """
        loss = closure() if closure is not None else None
        for group in self.param_groups:
            hp = {k: group[k] for k in self.hyper}
            ihp = {k: group[k] for k in self.init_hyper}
            for p in group["params"]:
                g = p.grad
                if g is None:
                    continue
                if shape_of(g) != shape_of(p.data):
                    raise ShapeError(f"grad of a parameter must have its shape {shape_of(p.data)}, "
                                     f"got {shape_of(g)}")
                st = self.state.get(id(p))
                if st is None:
                    st = type(self).init(p.data, **ihp)
                data = p.data
                new, st = type(self).update(data, g, st, inplace=True, **hp)
                if new is not data:  # pragma: no cover - rules update in place
                    _write(p, new)
                self.state[id(p)] = st
        return loss

    # ------------------------------------------------------------------ (de)serialisation
    def state_dict(self) -> dict:
        """The state as in PyTorch: ``{"state": {index: {...}}, "param_groups": [{..., "params": [index]}]}``.

        Parameters are numbered in the order of the groups; each state is the rule's NamedTuple
        as a dict (arrays are the live state arrays, not copies).
        """
        state, groups, idx = {}, [], 0
        for g in self.param_groups:
            ids = []
            for p in g["params"]:
                if id(p) in self.state:
                    state[idx] = self.state[id(p)]._asdict()
                ids.append(idx)
                idx += 1
            groups.append({**{k: v for k, v in g.items() if k != "params"}, "params": ids})
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore hyper-parameters and per-parameter state saved by :meth:`state_dict`."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups) or any(
            len(a["params"]) != len(b["params"]) for a, b in zip(groups, self.param_groups, strict=True)
        ):
            raise ShapeError("loaded state dict has a different number of groups or parameters")
        st_type = type(type(self).init(self.param_groups[0]["params"][0].data,
                                       **{k: self.param_groups[0][k] for k in self.init_hyper}))
        for saved, group in zip(groups, self.param_groups, strict=True):
            for k, v in saved.items():
                if k != "params":
                    group[k] = v
            for i, p in zip(saved["params"], group["params"], strict=True):
                if i in state_dict["state"]:  # copies: the loaded state must not alias the saved one
                    st = st_type(**state_dict["state"][i])
                    self.state[id(p)] = fresh(st, array_namespace(p.data))

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, g in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for k in sorted(g):
                if k != "params":
                    lines.append(f"    {k}: {g[k]}")
        lines.append(")")
        return "\n".join(lines)
