import numpy as np
import pytest

from aimath.errors import DomainError, ShapeError
from aimath.nn import (
    Network,
    collapse_linear,
    count_linear_pieces,
    parameter_count,
    relu_interpolant,
    sawtooth_network,
    universal_approximant,
    xor_network,
)


def test_network_repr_widths_and_validation():
    rng = np.random.default_rng(0)
    net = Network(((rng.standard_normal((4, 3)), np.zeros(4)), (rng.standard_normal((2, 4)), np.zeros(2))), "tanh")
    assert net.widths == [3, 4, 2] and net.n_params() == parameter_count([3, 4, 2]) == 26
    assert "3→4→2" in repr(net) and "params=26" in repr(net)
    with pytest.raises(ShapeError, match="layer 2 weight must have 4 columns"):
        Network(((np.zeros((4, 3)), np.zeros(4)), (np.zeros((2, 5)), np.zeros(2))))
    with pytest.raises(ShapeError, match="layer 1 bias"):
        Network(((np.zeros((4, 3)), np.zeros(3)),))
    with pytest.raises(ShapeError, match="widths"):
        parameter_count([3])


def test_collapse_linear_matches_a_hand_product():
    rng = np.random.default_rng(1)
    Ws = [rng.standard_normal((3, 2)), rng.standard_normal((4, 3)), rng.standard_normal((1, 4))]
    bs = [rng.standard_normal(3), rng.standard_normal(4), rng.standard_normal(1)]
    net = Network(tuple(zip(Ws, bs, strict=True)), "relu")  # activation is ignored by the collapse
    (W, b), = collapse_linear(net).layers
    np.testing.assert_allclose(W, Ws[2] @ Ws[1] @ Ws[0], rtol=1e-14)
    np.testing.assert_allclose(b, Ws[2] @ (Ws[1] @ bs[0] + bs[1]) + bs[2], rtol=1e-14)


def test_relu_interpolant_extrapolates_linearly_and_checks_knots():
    xs, ys = np.array([0.0, 1.0, 3.0]), np.array([1.0, 3.0, 2.0])
    net = relu_interpolant(xs, ys)
    x = np.array([[-1.0], [2.0], [5.0]])
    np.testing.assert_allclose(net(x)[:, 0], [-1.0, 2.5, 1.0])
    assert net.widths == [1, 3, 1]
    with pytest.raises(DomainError, match="strictly increasing"):
        relu_interpolant(np.array([0.0, 0.0]), np.array([1.0, 2.0]))
    with pytest.raises(ShapeError, match="at least two knots"):
        relu_interpolant(np.array([0.0]), np.array([1.0]))
    with pytest.raises(ShapeError, match="same shape"):
        relu_interpolant(np.array([0.0, 1.0]), np.array([1.0]))


def test_universal_approximant_error_bound():
    f = np.cos
    for n in (5, 20, 80):
        net = universal_approximant(f, n, "relu", interval=(-1, 2))
        x = np.linspace(-1, 2, 3001)
        h = 3 / (n - 1)
        assert np.abs(net(x[:, None])[:, 0] - f(x)).max() <= h**2 / 8 * 1.0 + 1e-12
    tanh_net = universal_approximant(f, 50, "tanh", interval=(-1, 2))
    sig_net = universal_approximant(f, 50, "sigmoid", interval=(-1, 2))
    x = np.linspace(-1, 2, 101)[:, None]
    np.testing.assert_allclose(tanh_net(x), sig_net(x), atol=1e-12)
    with pytest.raises(DomainError, match="n_units"):
        universal_approximant(f, 1)
    with pytest.raises(DomainError, match="activation"):
        universal_approximant(f, 4, "gelu")


def test_sawtooth_values_and_piece_counting():
    net = sawtooth_network(3)
    x = np.arange(9)[:, None] / 8
    np.testing.assert_allclose(net(x)[:, 0], [0, 1, 0, 1, 0, 1, 0, 1, 0])
    assert net.n_params() == 6 * 3 + 1
    # counting by a fine grid agrees with the exact count on a random leaky-ReLU net
    rng = np.random.default_rng(2)
    rnd = Network(((rng.standard_normal((6, 1)), rng.standard_normal(6)), (rng.standard_normal((5, 6)),
                   rng.standard_normal(5)), (rng.standard_normal((1, 5)), rng.standard_normal(1))), "leaky_relu")
    g = np.linspace(-3, 3, 200001)
    y = rnd(g[:, None])[:, 0]
    slopes = np.diff(y) / np.diff(g)
    kinks = np.abs(np.diff(slopes)) > 1e-6 * np.abs(slopes).max()
    # each kink shows up as one or two consecutive grid flags
    grid_count = 1 + np.sum(kinks[1:] & ~kinks[:-1]) + kinks[0]
    assert count_linear_pieces(rnd, (-3, 3)) == grid_count
    with pytest.raises(DomainError, match="piecewise-linear"):
        count_linear_pieces(Network(rnd.layers, "tanh"))
    with pytest.raises(ShapeError, match="ℝ → ℝ"):
        count_linear_pieces(xor_network())
    with pytest.raises(DomainError, match="k must"):
        sawtooth_network(0)
