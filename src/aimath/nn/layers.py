"""Dense layers and the :class:`MLP`: Linear, Flatten, Dropout, activation modules.

Curriculum: A4, A7.
"""

from __future__ import annotations

import numpy as np

from aimath import backend as B
from aimath.autodiff import Tensor
from aimath.autodiff import reshape as _reshape
from aimath.errors import AimathError, DomainError, ShapeError
from aimath.nn import functional as F
from aimath.nn.activations import ACTIVATIONS
from aimath.nn.init import INITIALIZERS
from aimath.nn.module import Module, Parameter, Sequential
from aimath.nn.network import Network

__all__ = [
    "Linear", "Flatten", "Dropout", "Identity", "Activation", "ReLU", "LeakyReLU", "Abs", "Sigmoid", "Tanh",
    "Softplus", "GELU", "Softmax", "LogSoftmax", "MLP", "activation_module",
]


def _shape_str(x):
    return tuple(int(s) for s in (x.shape if hasattr(x, "shape") else np.shape(x)))


class Linear(Module):
    """Affine layer y = x Wᵀ + b with PyTorch's parameter names and shapes.

    .. math:: y = x W^\\top + b, \\qquad W \\in \\mathbb R^{\\text{out} \\times \\text{in}},
              \\; b \\in \\mathbb R^{\\text{out}}

    Parameters
    ----------
    in_features, out_features : int
    bias : bool
    init : str
        ``"torch"`` (U(±1/√in) for weight and bias, PyTorch's default), ``"xavier_uniform"``,
        ``"xavier_normal"``, ``"he_uniform"``, ``"he_normal"`` (bias zero for these four).
    rng : seed or generator
    dtype : float32 or float64

    Input (..., in) → output (..., out).

    Raises
    ------
    ShapeError
        On input whose last axis is not ``in_features`` (the message names the layer).

    Curriculum: A4.

    Examples
    --------
    >>> import numpy as np
    >>> lin = Linear(3, 2, rng=0)
    >>> lin.weight.shape, lin(np.ones((5, 3))).shape
    ((2, 3), (5, 2))
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, *, init: str = "torch", rng=None,
                 dtype=np.float64):
        super().__init__()
        if int(in_features) < 1 or int(out_features) < 1:
            raise DomainError(f"Linear needs positive sizes, got in_features={in_features}, "
                              f"out_features={out_features}")
        if init not in INITIALIZERS:
            raise AimathError(f"init must be one of {sorted(INITIALIZERS)}, got {init!r}")
        self.in_features, self.out_features = int(in_features), int(out_features)
        g = B.as_generator(rng)
        self.weight = Parameter(INITIALIZERS[init]((self.out_features, self.in_features), rng=g, dtype=dtype))
        if bias:
            if init == "torch":
                a = 1.0 / np.sqrt(self.in_features)
                b = B.uniform(g, (self.out_features,), low=-a, high=a, dtype=dtype)
            else:
                b = np.zeros(self.out_features, dtype=dtype)
            self.bias = Parameter(b)
        else:
            self.bias = None

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"

    def forward(self, x):
        s = _shape_str(x)
        if len(s) < 1 or s[-1] != self.in_features:
            raise ShapeError(f"{type(self).__name__}({self.extra_repr()}): expected input of shape "
                             f"(..., {self.in_features}), got {s}")
        return F.linear(x, self.weight, self.bias)


class Flatten(Module):
    """Flatten every axis but the first: (n, d₁, d₂, …) → (n, d₁d₂⋯)."""

    def forward(self, x):
        s = _shape_str(x)
        if len(s) < 1:
            raise ShapeError(f"Flatten: expected input with a batch axis, got shape {s}")
        if isinstance(x, Tensor):
            return _reshape(x, (s[0], -1))
        return x.reshape((s[0], -1))


class Identity(Module):
    """y = x."""

    def forward(self, x):
        return x


class Dropout(Module):
    """Inverted dropout, active in training mode only.

    .. math:: y = x \\odot m / (1 - p), \\quad m_i \\sim \\mathrm{Bernoulli}(1 - p)

    Parameters
    ----------
    p : float in [0, 1)
    rng : seed or generator for the masks
    """

    def __init__(self, p: float = 0.5, *, rng=None):
        super().__init__()
        if not 0 <= p < 1:
            raise DomainError(f"Dropout p must lie in [0, 1), got {p}")
        self.p = float(p)
        self._rng = B.as_generator(rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"

    def forward(self, x):
        return F.dropout(x, self.p, self._rng, self.training)


class Activation(Module):
    """An elementwise activation ρ as a module (see :data:`aimath.nn.ACTIVATIONS`)."""

    name = "identity"

    def __init__(self, name: str | None = None, **kwargs):
        super().__init__()
        if name is not None:
            self.name = name
        if self.name not in ACTIVATIONS:
            raise AimathError(f"activation must be one of {sorted(ACTIVATIONS)}, got {self.name!r}")
        self.kwargs = kwargs

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.kwargs.items())

    def forward(self, x):
        return F.apply_activation(x, self.name, **self.kwargs)


class ReLU(Activation):
    """max(x, 0)."""

    name = "relu"


class LeakyReLU(Activation):
    """max(x, 0) + α min(x, 0)."""

    name = "leaky_relu"

    def __init__(self, negative_slope: float = 0.01):
        super().__init__(negative_slope=negative_slope)


class Abs(Activation):
    """|x|."""

    name = "abs"


class Sigmoid(Activation):
    """1/(1 + e⁻ˣ)."""

    name = "sigmoid"


class Tanh(Activation):
    """tanh x."""

    name = "tanh"


class Softplus(Activation):
    """log(1 + eˣ)."""

    name = "softplus"


class GELU(Activation):
    """x Φ(x)."""

    name = "gelu"


class Softmax(Module):
    """Softmax along ``dim`` (default the last axis)."""

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim

    def forward(self, x):
        return F.softmax(x, axis=self.dim)


class LogSoftmax(Softmax):
    """Log-softmax along ``dim``."""

    def forward(self, x):
        return F.log_softmax(x, axis=self.dim)


_MODULES = {"relu": ReLU, "leaky_relu": LeakyReLU, "abs": Abs, "sigmoid": Sigmoid, "tanh": Tanh,
            "softplus": Softplus, "gelu": GELU, "identity": Identity, "linear": Identity, "softmax": Softmax,
            "log_softmax": LogSoftmax}


def activation_module(name: str | None) -> Module:
    """A fresh module for the activation called ``name`` (``None``: Identity)."""
    if name is None:
        return Identity()
    if name not in _MODULES:
        raise AimathError(f"activation must be one of {sorted(_MODULES)}, got {name!r}")
    return _MODULES[name]()


class MLP(Sequential):
    """A dense network x ↦ W_L ρ(⋯ρ(W_1 x + b_1)⋯) + b_L, as a :class:`Sequential` of Linear and
    activation modules (PyTorch names ``0.weight``, ``0.bias``, ``2.weight``, …).

    Parameters
    ----------
    widths : sequence of int
        d_0, d_1, …, d_L (at least two).
    activation : str
        Hidden activation.
    output : str or None
        Optional output activation (``"softmax"`` for a soft classifier; keep ``None`` to train
        with ``cross_entropy`` on logits).
    init, rng, dtype
        Passed to every :class:`Linear` (one generator, layers drawn in order).

    Curriculum: A4.

    Examples
    --------
    >>> net = MLP([4, 8, 3], rng=0)
    >>> net.num_parameters() == (4 + 1) * 8 + (8 + 1) * 3
    True
    """

    def __init__(self, widths, activation: str = "relu", output: str | None = None, *, init: str = "torch",
                 rng=None, dtype=np.float64):
        widths = [int(w) for w in widths]
        if len(widths) < 2:
            raise ShapeError(f"MLP needs at least two widths, got {widths}")
        g = B.as_generator(rng)
        mods = []
        for k, (a, b) in enumerate(zip(widths[:-1], widths[1:], strict=False)):
            mods.append(Linear(a, b, init=init, rng=g, dtype=dtype))
            if k < len(widths) - 2:
                mods.append(activation_module(activation))
        if output is not None:
            mods.append(activation_module(output))
        super().__init__(*mods)
        self.widths, self.activation, self.output = widths, activation, output

    def linears(self) -> list[Linear]:
        """The affine layers in order."""
        return [m for m in self if isinstance(m, Linear)]

    def to_network(self) -> Network:
        """The plain-array :class:`~aimath.nn.Network` with the current weights (shared, not copied)."""
        if self.output in ("softmax", "log_softmax"):
            raise AimathError("to_network: a softmax output is not elementwise; build the MLP with output=None "
                              "and apply softmax to the logits")
        layers = []
        for lin in self.linears():
            b = lin.bias.data if lin.bias is not None else B.namespace(lin.weight.data).zeros(
                lin.out_features, dtype=lin.weight.data.dtype)
            layers.append((lin.weight.data, b))
        return Network(tuple(layers), self.activation, self.output)

    @classmethod
    def from_network(cls, net: Network, *, dtype=None) -> MLP:
        """An MLP holding copies of a :class:`~aimath.nn.Network`'s weights."""
        W0 = net.layers[0][0]
        mlp = cls(net.widths, net.activation, net.output, dtype=dtype or W0.dtype)
        mlp.load_state_dict({f"{2 * k}.{n}": a for k, (W, b) in enumerate(net.layers)
                             for n, a in (("weight", W), ("bias", b))})
        return mlp
