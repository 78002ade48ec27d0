"""Book A's constructions of deep networks (A4): linear collapse, exact ReLU interpolation,
a constructive universal approximant, the sawtooth of depth k, counting linear pieces, and XOR.

Every construction returns a :class:`~aimath.nn.Network` of plain arrays.

Curriculum: A4.
"""

from __future__ import annotations

import numpy as np

from aimath import backend as B
from aimath.errors import DomainError, ShapeError, check_array
from aimath.nn.activations import activation as _activation
from aimath.nn.network import Network, as_network

__all__ = [
    "collapse_linear", "relu_interpolant", "universal_approximant", "sawtooth_network", "count_linear_pieces",
    "xor_network",
]


def collapse_linear(mlp) -> Network:
    """The single affine map a network computes when its activation is the identity.

    .. math:: W = W_L W_{L-1} \\cdots W_1, \\qquad
              b = b_L + W_L b_{L-1} + W_L W_{L-1} b_{L-2} + \\cdots + W_L \\cdots W_2 b_1

    The activation of ``mlp`` is ignored: the result equals ``mlp`` with ρ = identity, which is
    why depth without non-linearity adds no expressive power.

    Parameters
    ----------
    mlp : Network or MLP

    Returns
    -------
    Network
        One layer, ``W`` of shape (d_L, d_0), ``b`` of shape (d_L,).

    Curriculum: A4.

    Examples
    --------
    >>> import numpy as np
    >>> net = Network(((2 * np.eye(2), np.ones(2)), (np.ones((1, 2)), np.zeros(1))), "identity")
    >>> collapse_linear(net).layers[0][0]
    array([[2., 2.]])
    """
    net = as_network(mlp)
    W, b = net.layers[0]
    for Wk, bk in net.layers[1:]:
        W, b = Wk @ W, Wk @ b + bk
    return Network(((W, b),), "identity", net.output)


def _knots(xs, ys):
    check_array(xs, "xs", ndim=1, nonempty=True)
    check_array(ys, "ys", ndim=1)
    if xs.shape != ys.shape:
        raise ShapeError(f"xs and ys must have the same shape, got {tuple(xs.shape)} and {tuple(ys.shape)}")
    if xs.shape[0] < 2:
        raise ShapeError(f"xs needs at least two knots, got {xs.shape[0]}")
    xp = B.namespace(xs)
    if not bool(xp.all(xs[1:] > xs[:-1])):
        raise DomainError("xs must be strictly increasing")


def relu_interpolant(xs, ys) -> Network:
    """A one-hidden-layer ReLU network through the knots (x_i, y_i): the piecewise-linear interpolant.

    .. math:: f(x) = y_0 + s_0 \\left(\\rho(x - x_0) - \\rho(x_0 - x)\\right)
              + \\sum_{i=1}^{m-2} (s_i - s_{i-1})\\, \\rho(x - x_i), \\qquad s_i = \\frac{y_{i+1}-y_i}{x_{i+1}-x_i}

    with ρ = ReLU: exact at every knot, linear between knots and extrapolated linearly outside.

    Parameters
    ----------
    xs : array of shape (m,), strictly increasing, m ≥ 2
    ys : array of shape (m,)

    Returns
    -------
    Network
        Widths 1 → m → 1.

    Raises
    ------
    ShapeError, DomainError
        Mismatched or too few knots; knots not increasing.

    Curriculum: A4.

    Examples
    --------
    >>> import numpy as np
    >>> net = relu_interpolant(np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 0.0]))
    >>> net(np.array([[0.5], [1.0], [1.5]]))[:, 0]
    array([0.5, 1. , 0.5])
    """
    _knots(xs, ys)
    xp = B.namespace(xs)
    s = (ys[1:] - ys[:-1]) / (xs[1:] - xs[:-1])
    one = xp.ones(1, dtype=xs.dtype)
    W1 = xp.concat([one, -one, xp.ones(xs.shape[0] - 2, dtype=xs.dtype)])[:, None]
    b1 = xp.concat([-xs[:1], xs[:1], -xs[1:-1]])
    W2 = xp.concat([s[:1], -s[:1], s[1:] - s[:-1]])[None, :]
    b2 = ys[:1]
    return Network(((W1, b1), (W2, b2)), "relu")


def universal_approximant(f, n_units: int, activation: str = "relu", *, interval=(0.0, 1.0)) -> Network:
    """A constructive one-hidden-layer approximant of a continuous f on an interval.

    - ``relu``: the piecewise-linear interpolant on ``n_units`` uniform knots (:func:`relu_interpolant`),
      sup-error ≤ h² ‖f″‖∞ / 8 with h = (b − a)/(n_units − 1), an O(n⁻²) rate;
    - ``sigmoid``/``tanh``: a staircase of steep steps,

    .. math:: f_n(x) = f(x_0) + \\sum_{i=1}^{n} (f(x_i) - f(x_{i-1}))\\,
              H_k\\!\\left(x - \\tfrac{x_{i-1}+x_i}{2}\\right),

      with H_k a sigmoid step of slope k = 40 n/(b − a) (tanh rescaled to (0, 1)): an O(n⁻¹) rate.

    Parameters
    ----------
    f : callable
        Vectorised function of a 1-D array.
    n_units : int ≥ 2
        Hidden units (about; the ReLU form uses n_units + 1 with its linear term).
    activation : {'relu', 'sigmoid', 'tanh'}
    interval : (a, b)

    Returns
    -------
    Network with widths 1 → hidden → 1.

    Raises
    ------
    DomainError
        If ``n_units < 2``, the interval is empty or the activation unsupported.

    Curriculum: A4.

    Examples
    --------
    >>> import numpy as np
    >>> net = universal_approximant(np.sin, 50, interval=(0, np.pi))
    >>> x = np.linspace(0, np.pi, 7)[:, None]
    >>> bool(np.abs(net(x)[:, 0] - np.sin(x[:, 0])).max() < 1e-3)
    True
    """
    a, b = float(interval[0]), float(interval[1])
    if not b > a:
        raise DomainError(f"interval must satisfy a < b, got {interval}")
    if int(n_units) != n_units or n_units < 2:
        raise DomainError(f"n_units must be an integer ≥ 2, got {n_units!r}")
    n = int(n_units)
    if activation == "relu":
        xs = np.linspace(a, b, n)
        return relu_interpolant(xs, np.asarray(f(xs), dtype=np.float64))
    if activation not in ("sigmoid", "tanh"):
        raise DomainError(f"activation must be 'relu', 'sigmoid' or 'tanh', got {activation!r}")
    xs = np.linspace(a, b, n + 1)
    fx = np.asarray(f(xs), dtype=np.float64)
    k = 40.0 * n / (b - a)
    mids = 0.5 * (xs[1:] + xs[:-1])
    jumps = fx[1:] - fx[:-1]
    if activation == "sigmoid":
        W1, b1, W2, b2 = k * np.ones((n, 1)), -k * mids, jumps[None, :], fx[:1]
    else:  # tanh(u/2) = 2σ(u) − 1  ⇒  σ(u) = (tanh(u/2) + 1)/2
        W1, b1 = 0.5 * k * np.ones((n, 1)), -0.5 * k * mids
        W2, b2 = 0.5 * jumps[None, :], fx[:1] + 0.5 * jumps.sum(keepdims=True)
    return Network(((W1, b1), (W2, b2)), activation)


def sawtooth_network(k: int) -> Network:
    """The depth-k ReLU network computing the k-fold composition of the tent map on [0, 1].

    .. math:: g(x) = 2\\rho(x) - 4\\rho(x - \\tfrac12), \\qquad
              g^{\\circ k} = g \\circ \\cdots \\circ g \\text{ has } 2^k \\text{ linear pieces on } [0, 1]

    with 2 units per hidden layer: 2k hidden units, 6k + 1 parameters. A one-hidden-layer ReLU
    network needs at least 2^k − 1 units for as many pieces (depth beats width).

    Parameters
    ----------
    k : int ≥ 1

    Returns
    -------
    Network with widths 1 → 2 → … → 2 → 1 (k hidden layers).

    Raises
    ------
    DomainError
        If ``k < 1``.

    Curriculum: A4.

    Examples
    --------
    >>> import numpy as np
    >>> sawtooth_network(2)(np.array([[0.0], [0.25], [0.5], [0.75], [1.0]]))[:, 0]
    array([0., 1., 0., 1., 0.])
    """
    if int(k) != k or k < 1:
        raise DomainError(f"k must be a positive integer, got {k!r}")
    first = (np.array([[1.0], [1.0]]), np.array([0.0, -0.5]))
    middle = (np.array([[2.0, -4.0], [2.0, -4.0]]), np.array([0.0, -0.5]))
    last = (np.array([[2.0, -4.0]]), np.array([0.0]))
    return Network((first,) + (middle,) * (int(k) - 1) + (last,), "relu")


def count_linear_pieces(net, interval=(0.0, 1.0), *, rtol: float = 1e-9) -> int:
    """The exact number of linear pieces of a scalar piecewise-linear network on an interval.

    The breakpoints are found layer by layer: on each current piece every earlier layer is affine,
    so a unit's pre-activation is affine there and changes sign at most once, at a point found by
    linear interpolation; that point is a new candidate breakpoint. Finally adjacent pieces with
    equal slopes (to ``rtol``) are merged.

    Parameters
    ----------
    net : Network or MLP
        Input and output dimension 1; activation relu, leaky_relu, abs or identity.
    interval : (a, b)

    Returns
    -------
    int

    Raises
    ------
    ShapeError, DomainError
        Not a scalar network, or not piecewise linear.

    Curriculum: A4.

    Examples
    --------
    >>> count_linear_pieces(sawtooth_network(3))
    8
    """
    net = as_network(net)
    if net.widths[0] != 1 or net.widths[-1] != 1:
        raise ShapeError(f"count_linear_pieces needs a network ℝ → ℝ, got widths {net.widths}")
    piecewise = ("relu", "leaky_relu", "abs", "identity", "linear")
    if net.activation not in piecewise or net.output not in (None, "identity"):
        raise DomainError(f"count_linear_pieces needs a piecewise-linear activation, got {net.activation!r}")
    a, b = float(interval[0]), float(interval[1])
    if not b > a:
        raise DomainError(f"interval must satisfy a < b, got {interval}")
    layers = [(B.to_numpy(W).astype(np.float64), B.to_numpy(bb).astype(np.float64)) for W, bb in net.layers]
    rho = _activation(net.activation)
    pts = np.array([a, b])
    for depth in range(len(layers) - 1):
        h = pts[:, None]
        for W, bb in layers[:depth]:
            h = rho(h @ W.T + bb)
        z = h @ layers[depth][0].T + layers[depth][1]  # (points, units), affine on each piece
        zl, zr = z[:-1], z[1:]
        cross = (zl * zr) < 0
        t = np.where(cross, zl / np.where(cross, zl - zr, 1.0), 0.0)
        new = (pts[:-1, None] + t * (pts[1:] - pts[:-1])[:, None])[cross]
        pts = np.unique(np.concatenate([pts, new]))
    y = Network(tuple(layers), net.activation)(pts[:, None])[:, 0]
    slopes = np.diff(y) / np.diff(pts)
    scale = max(1.0, float(np.abs(slopes).max()))
    changes = np.abs(np.diff(slopes)) > rtol * scale
    return int(1 + changes.sum())


def xor_network() -> Network:
    """A two-unit ReLU network computing XOR on {0, 1}², which no affine map can.

    .. math:: f(x) = \\rho(x_1 + x_2) - 2\\rho(x_1 + x_2 - 1)

    Curriculum: A4.

    Examples
    --------
    >>> import numpy as np
    >>> xor_network()(np.array([[0., 0.], [0., 1.], [1., 0.], [1., 1.]]))[:, 0]
    array([0., 1., 1., 0.])
    """
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([0.0, -1.0])
    W2 = np.array([[1.0, -2.0]])
    return Network(((W1, b1), (W2, np.zeros(1))), "relu")
