"""The :class:`Module` base class (PyTorch-like) and :class:`Sequential`.

A module owns parameters (aimath.autodiff Tensors with ``requires_grad=True``) and child modules,
registered by attribute assignment; names are dotted paths as in PyTorch (``0.weight``,
``features.3.bias``), so a state dict maps one to one to the PyTorch twin's.

Curriculum: A4.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np

from aimath import backend as B
from aimath.autodiff import Tensor
from aimath.errors import AimathError, ShapeError

__all__ = ["Module", "Sequential", "Parameter"]


def Parameter(data) -> Tensor:  # noqa: N802 - PyTorch's name
    """A trainable Tensor: ``Tensor(data, requires_grad=True)``."""
    return Tensor(data, requires_grad=True)


class Module:
    """Base class of layers and networks.

    Subclasses call ``super().__init__()``, assign parameters (Tensors with ``requires_grad``) and
    sub-modules as attributes, and define ``forward``. Calling the module calls ``forward``.

    Examples
    --------
    >>> from aimath.nn import Linear
    >>> lin = Linear(3, 2, rng=0)
    >>> [name for name, _ in lin.named_parameters()]
    ['weight', 'bias']
    >>> lin.num_parameters()
    8
    """

    def __init__(self):
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    def __setattr__(self, name, value):
        if "_parameters" not in self.__dict__:
            Module.__init__(self)
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        if isinstance(value, Tensor) and value.requires_grad:
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        object.__setattr__(self, name, value)

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    # ------------------------------------------------------------------ traversal
    def named_parameters(self, prefix: str = ""):
        """Yield (dotted name, parameter) pairs, own parameters first, then children's."""
        for name, p in self._parameters.items():
            yield prefix + name, p
        for cname, child in self._modules.items():
            yield from child.named_parameters(prefix + cname + ".")

    def parameters(self):
        """Iterator over every parameter (Tensors with ``requires_grad``)."""
        for _, p in self.named_parameters():
            yield p

    def named_children(self):
        return iter(self._modules.items())

    def children(self):
        """Iterator over the direct sub-modules."""
        return iter(self._modules.values())

    def modules(self):
        """Iterator over this module and all its descendants (pre-order)."""
        yield self
        for child in self._modules.values():
            yield from child.modules()

    def num_parameters(self) -> int:
        """Number of scalar parameters."""
        return sum(math.prod(p.shape) for p in self.parameters())

    # ------------------------------------------------------------------ modes and grads
    def train(self, mode: bool = True):
        """Set training mode (affects Dropout); returns ``self``."""
        for m in self.modules():
            object.__setattr__(m, "training", bool(mode))
        return self

    def eval(self):
        """Set evaluation mode; returns ``self``."""
        return self.train(False)

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to None."""
        for p in self.parameters():
            p.grad = None

    # ------------------------------------------------------------------ state
    def state_dict(self) -> OrderedDict:
        """Copies of the parameters by dotted name (arrays of the backend)."""
        out = OrderedDict()
        for name, p in self.named_parameters():
            d = p.data
            out[name] = d.clone() if B.is_torch(d) else np.array(d, copy=True)
        return out

    def load_state_dict(self, state, strict: bool = True) -> None:
        """Copy arrays into the parameters of the same names (dtype of the parameter kept).

        Raises
        ------
        AimathError
            With ``strict``, when names are missing or unexpected.
        ShapeError
            When an array's shape differs from its parameter's.
        """
        params = dict(self.named_parameters())
        missing = [k for k in params if k not in state]
        unexpected = [k for k in state if k not in params]
        if strict and (missing or unexpected):
            raise AimathError(f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}")
        for name, arr in state.items():
            if name not in params:
                continue
            p = params[name]
            arr = B.to_numpy(arr) if not B.is_torch(p.data) else arr
            if tuple(arr.shape) != tuple(p.shape):
                raise ShapeError(f"load_state_dict: {name} must have shape {tuple(p.shape)}, got {tuple(arr.shape)}")
            if B.is_torch(p.data):
                p.data.copy_(B.asarray(arr, like=p.data))
            else:
                p.data[...] = np.asarray(arr, dtype=p.data.dtype)

    def save(self, path) -> None:
        """Write the state dict to an ``.npz`` file (plain arrays, no pickle)."""
        np.savez(path, **{k: B.to_numpy(v) for k, v in self.state_dict().items()})

    def load(self, path, strict: bool = True):
        """Read a state dict written by :meth:`save` (``allow_pickle=False``); returns ``self``."""
        with np.load(path, allow_pickle=False) as f:
            self.load_state_dict({k: f[k] for k in f.files}, strict=strict)
        return self

    # ------------------------------------------------------------------ repr
    def extra_repr(self) -> str:
        return ""

    def _repr_lines(self, indent: str = "") -> str:
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not self._modules:
            return head + ")"
        lines = [head]
        for name, child in self._modules.items():
            lines.append(f"{indent}  ({name}): {child._repr_lines(indent + '  ')}")
        lines.append(indent + ")")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"{self._repr_lines()}  # {self.num_parameters():,} parameters"


class Sequential(Module):
    """Modules applied in order; children are named ``0``, ``1``, … as in PyTorch.

    Examples
    --------
    >>> from aimath.nn import Linear, ReLU
    >>> net = Sequential(Linear(2, 4, rng=0), ReLU(), Linear(4, 1, rng=1))
    >>> net.num_parameters()
    17
    """

    def __init__(self, *modules: Module):
        super().__init__()
        for i, m in enumerate(modules):
            if not isinstance(m, Module):
                raise TypeError(f"Sequential takes Modules, got {type(m).__name__} at position {i}")
            setattr(self, str(i), m)

    def __len__(self) -> int:
        return len(self._modules)

    def __getitem__(self, i):
        mods = list(self._modules.values())
        if isinstance(i, slice):
            return Sequential(*mods[i])
        return mods[i]

    def __iter__(self):
        return iter(self._modules.values())

    def forward(self, x):
        for m in self._modules.values():
            x = m(x)
        return x
