"""A deep neural network exactly as Book A defines it: a list of affine maps and one activation.

.. math:: f(x) = W_L\\, \\rho(\\cdots \\rho(W_2\\, \\rho(W_1 x + b_1) + b_2) \\cdots) + b_L

:class:`Network` holds plain arrays (no autodiff), is callable on a batch of rows and is what the
constructions of A4 return; :class:`aimath.nn.MLP` converts to and from it.

Curriculum: A4.
"""

from __future__ import annotations

import dataclasses

from aimath import backend as B
from aimath.errors import ShapeError, check_array, shape_of
from aimath.nn.activations import activation as _activation

__all__ = ["Network", "as_network", "parameter_count"]


def parameter_count(widths) -> int:
    """Number of weights and biases of a dense network with layer widths d_0, …, d_L.

    .. math:: P = \\sum_{k=1}^{L} (d_{k-1} + 1)\\, d_k

    Examples
    --------
    >>> parameter_count([2, 3, 1])
    13
    """
    w = [int(d) for d in widths]
    if len(w) < 2 or min(w) < 1:
        raise ShapeError(f"widths must list at least two positive layer sizes, got {list(widths)}")
    return sum((a + 1) * b for a, b in zip(w[:-1], w[1:], strict=False))


@dataclasses.dataclass(frozen=True)
class Network:
    """A dense network given by its affine maps and activation.

    Parameters
    ----------
    layers : tuple of (W, b)
        ``W_k`` of shape (d_k, d_{k−1}) (PyTorch's ``Linear.weight`` layout), ``b_k`` of shape (d_k,).
    activation : str
        Name of ρ, applied after every layer but the last (see :data:`aimath.nn.ACTIVATIONS`).
    output : str or None
        Optional activation applied to the last layer.

    Examples
    --------
    >>> import numpy as np
    >>> net = Network(((np.ones((2, 1)), np.zeros(2)), (np.ones((1, 2)), np.zeros(1))), "relu")
    >>> net(np.array([[1.5]]))
    array([[3.]])
    """

    layers: tuple
    activation: str = "relu"
    output: str | None = None

    def __post_init__(self):
        layers = tuple((W, b) for W, b in self.layers)
        if not layers:
            raise ShapeError("a Network needs at least one layer")
        for k, (W, b) in enumerate(layers, 1):
            check_array(W, f"layer {k} weight", ndim=2)
            check_array(b, f"layer {k} bias", shape=(shape_of(W)[0],))
            if k > 1 and shape_of(W)[1] != shape_of(layers[k - 2][0])[0]:
                raise ShapeError(f"layer {k} weight must have {shape_of(layers[k - 2][0])[0]} columns to follow "
                                 f"layer {k - 1}, got shape {shape_of(W)}")
        _activation(self.activation)
        _activation(self.output)
        object.__setattr__(self, "layers", layers)

    @property
    def widths(self) -> list[int]:
        """d_0, d_1, …, d_L."""
        return [shape_of(self.layers[0][0])[1]] + [shape_of(W)[0] for W, _ in self.layers]

    @property
    def depth(self) -> int:
        """L, the number of affine maps."""
        return len(self.layers)

    def n_params(self) -> int:
        """Number of scalar parameters, :func:`parameter_count` of the widths."""
        return parameter_count(self.widths)

    def forward(self, x, *, keep: bool = False):
        """Evaluate on rows ``x`` of shape (n, d_0); with ``keep=True`` also return the
        pre-activations z_k and activations a_k (a_0 = x) of every layer."""
        check_array(x, "x", ndim=2)
        if shape_of(x)[1] != self.widths[0]:
            raise ShapeError(f"x must have {self.widths[0]} features, got shape {shape_of(x)}")
        rho, out = _activation(self.activation), _activation(self.output)
        a, zs, acts = x, [], [x]
        for k, (W, b) in enumerate(self.layers):
            z = a @ B.namespace(W).matrix_transpose(W) + b
            a = rho(z) if k < len(self.layers) - 1 else out(z)
            zs.append(z)
            acts.append(a)
        return (a, zs, acts) if keep else a

    def __call__(self, x):
        return self.forward(x)

    def __repr__(self) -> str:
        w = "→".join(str(d) for d in self.widths)
        tail = f", output={self.output!r}" if self.output else ""
        return f"Network({w}, activation={self.activation!r}{tail}, params={self.n_params()})"


def as_network(net) -> Network:
    """A :class:`Network` view of ``net`` (a Network, an :class:`aimath.nn.MLP`, or anything with
    ``to_network()``)."""
    if isinstance(net, Network):
        return net
    if hasattr(net, "to_network"):
        return net.to_network()
    raise TypeError(f"expected a Network or an MLP, got {type(net).__name__}")
