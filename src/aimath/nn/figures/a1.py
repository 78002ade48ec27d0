"""A1 figures: decision boundaries of trained MLPs; under- and overfitting in a degree sweep."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.data import circles, moons
from aimath.figures import figure
from aimath.nn.classification import polynomial_degree_sweep
from aimath.nn.figures._util import single_thread
from aimath.nn.layers import MLP
from aimath.nn.training import fit, predict
from aimath.optim import Adam


@figure("A1.decision-boundaries", "Decision boundaries of a trained MLP on moons and circles",
        caption="An MLP 2-32-32-2 (ReLU) trained by aimath.nn.fit with Adam on 300 points; the colour is the soft "
                "classifier's probability of class 1, the line its 0.5 level set (the hard classifier's boundary).")
def decision_boundaries():
    fig = Figure(figsize=(9, 4))
    g = np.linspace(-2.0, 2.5, 200)
    G = np.stack(np.meshgrid(g, g), axis=-1).reshape(-1, 2)
    with single_thread():
        for i, (name, (X, y)) in enumerate((("moons", moons(300, 0.15, rng=0)),
                                            ("circles", circles(300, 0.08, rng=0, factor=0.4)))):
            X = X - X.mean(0) if name == "moons" else X * 1.5
            net = MLP([2, 32, 32, 2], rng=0)
            fit(net, X, y, optimizer=Adam(net.parameters(), lr=0.01), epochs=150, batch_size=32, rng=0,
                progress=False)
            logits = predict(net, G)
            p = np.exp(logits[:, 1] - np.logaddexp(logits[:, 0], logits[:, 1])).reshape(200, 200)
            ax = fig.add_subplot(1, 2, i + 1)
            ax.contourf(g, g, p, levels=20, cmap="RdBu_r", alpha=0.6)
            ax.contour(g, g, p, levels=[0.5], colors="k")
            ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu_r", s=8, edgecolors="k", linewidths=0.3)
            ax.set_title(name)
            ax.set_aspect("equal")
    return fig


@figure("A1.degree-sweep", "Under- and overfitting: a polynomial degree sweep",
        caption="Least-squares polynomials of degree 0…13 fitted to 14 noisy samples of sin 3x: the training error "
                "falls monotonically to 0 (interpolation), the test error is U-shaped.")
def degree_sweep():
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(-1, 1, 14))
    y = np.sin(3 * x) + 0.2 * rng.standard_normal(14)
    xt = rng.uniform(-1, 1, 3000)
    yt = np.sin(3 * xt) + 0.2 * rng.standard_normal(3000)
    d = np.arange(14)
    tr, te = polynomial_degree_sweep(x, y, xt, yt, d)
    fig = Figure(figsize=(5.5, 3.6))
    ax = fig.add_subplot()
    ax.semilogy(d, np.maximum(tr, 1e-20), "o-", label="training MSE")
    ax.semilogy(d, te, "s-", label="test MSE")
    ax.set_xlabel("degree")
    ax.legend()
    return fig
