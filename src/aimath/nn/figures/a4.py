"""A4 figures: activations and their derivatives, universal approximation with growing width,
the sawtooth and its linear pieces."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.nn.activations import activation, derivative
from aimath.nn.constructions import count_linear_pieces, sawtooth_network, universal_approximant


@figure("A4.activations", "Activation functions and their derivatives",
        caption="ρ (top) and ρ′ (bottom) for ReLU, leaky ReLU, |x|, sigmoid, tanh, softplus and GELU, evaluated "
                "by aimath.nn.activation and aimath.nn.derivative: the ρ′ that Book A's backpropagation "
                "multiplies by.")
def activations():
    z = np.linspace(-4, 4, 801)
    names = ["relu", "leaky_relu", "abs", "sigmoid", "tanh", "softplus", "gelu"]
    fig = Figure(figsize=(9, 5.2))
    ax1, ax2 = fig.add_subplot(2, 1, 1), fig.add_subplot(2, 1, 2)
    for k, name in enumerate(names):
        f = activation(name)
        df = derivative(name)
        kw = {"negative_slope": 0.1} if name == "leaky_relu" else {}
        ax1.plot(z, f(z, **kw), color=f"C{k}", label=name)
        ax2.plot(z, df(z, **kw), color=f"C{k}")
    ax1.set_ylim(-1.5, 4)
    ax1.set_ylabel("ρ(z)")
    ax2.set_ylabel("ρ′(z)")
    ax2.set_xlabel("z")
    ax1.legend(ncol=4, fontsize=8)
    for ax in (ax1, ax2):
        ax.axhline(0, color="0.8", lw=0.6)
        ax.axvline(0, color="0.8", lw=0.6)
    return fig


@figure("A4.universal-approximation", "Constructive universal approximation with growing width",
        caption="The one-hidden-layer ReLU network through n uniform knots (aimath.nn.universal_approximant) of "
                "f(x) = sin 6x + 0.3 cos 2.3x for n = 4, 8, 16 (left) and its sup-error against n with the sigmoid "
                "staircase (right): slopes −2 and −1 on log–log axes.")
def universal():
    def f(x):
        return np.sin(6 * x) + 0.3 * np.cos(2.3 * x)

    x = np.linspace(0, 1, 2001)
    fig = Figure(figsize=(9, 3.6))
    ax, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    ax.plot(x, f(x), color="k", lw=2, label="f")
    for k, n in enumerate((4, 8, 16)):
        ax.plot(x, universal_approximant(f, n + 1)(x[:, None])[:, 0], color=f"C{k}", label=f"{n} pieces")
    ax.legend(fontsize=8)
    ax.set_xlabel("x")
    ns = np.array([4, 8, 16, 32, 64, 128, 256])
    for act, c in (("relu", "C0"), ("sigmoid", "C3")):
        errs = [np.abs(universal_approximant(f, int(n) + (act == "relu"), act)(x[:, None])[:, 0] - f(x)).max()
                for n in ns]
        ax2.loglog(ns, errs, "o-", color=c, label=act)
    ax2.loglog(ns, 3 * ns ** -2.0, "--", color="0.5", label="n⁻²")
    ax2.loglog(ns, 3 * ns ** -1.0, ":", color="0.5", label="n⁻¹")
    ax2.set_xlabel("hidden units n")
    ax2.set_ylabel("sup |f − f_n|")
    ax2.legend(fontsize=8)
    return fig


@figure("A4.sawtooth", "Depth beats width: the sawtooth network",
        caption="The depth-k ReLU network g∘…∘g of the tent map (2 units per layer) for k = 1, 2, 3, 5; "
                "count_linear_pieces finds exactly 2^k linear pieces, while one hidden layer needs 2^k − 1 units.")
def sawtooth():
    x = np.linspace(0, 1, 4001)
    fig = Figure(figsize=(9, 3.2))
    for i, k in enumerate((1, 2, 3, 5)):
        ax = fig.add_subplot(1, 4, i + 1)
        net = sawtooth_network(k)
        ax.plot(x, net(x[:, None])[:, 0], color="C0")
        ax.set_title(f"k = {k}: {count_linear_pieces(net)} pieces", fontsize=9)
        ax.set_yticks([0, 1])
    return fig
