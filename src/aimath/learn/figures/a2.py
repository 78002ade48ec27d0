"""A2 figures: least squares as an orthogonal projection; the ridge path."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.learn.linear_model import LinearRegression, ridge_solve
from aimath.linalg import norm


@figure("A2.least-squares-projection", "Least squares as an orthogonal projection",
        caption="y ∈ ℝ³ and the plane spanned by the two columns of X. The least-squares fit Xŵ "
                "(computed by aimath.learn.LinearRegression with the QR solver) is the foot of the "
                "perpendicular from y: the residual y − Xŵ meets the plane at a right angle.")
def least_squares_projection():
    X = np.array([[1.0, 0.2], [0.1, 1.0], [0.3, 0.4]])
    y = np.array([0.6, 0.9, 1.6])
    w = LinearRegression(fit_intercept=False).fit(X, y).coef_
    p = X @ w
    fig = Figure(figsize=(5.5, 4.8))
    ax = fig.add_subplot(projection="3d")
    s, t = np.meshgrid(np.linspace(-0.3, 1.2, 8), np.linspace(-0.3, 1.2, 8))
    P = s[..., None] * X[:, 0] + t[..., None] * X[:, 1]
    ax.plot_surface(P[..., 0], P[..., 1], P[..., 2], alpha=0.25, color="C0")
    for v, c, lab in ((X[:, 0], "C0", "columns of X"), (X[:, 1], "C0", None), (y, "C3", "y"), (p, "C2", "Xŵ")):
        ax.quiver(0, 0, 0, *v, color=c, arrow_length_ratio=0.08, label=lab)
    ax.plot(*np.stack([p, y]).T, "k--", label=f"residual (Xᵀr = {norm(X.T @ (y - p)):.0e})")
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title("ŷ = Xŵ is the projection of y onto col(X)")
    return fig


@figure("A2.ridge-path", "The ridge path",
        caption="Coefficients w_λ of ridge regression on the diabetes data (standardised) as λ runs over "
                "ten decades, and ‖w_λ‖, which decreases monotonically from the least-squares solution "
                "to 0.")
def ridge_path():
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    y = y - y.mean()
    lams = np.logspace(-3, 6, 60)
    W = np.stack([ridge_solve(X, y, lam) for lam in lams])
    fig = Figure(figsize=(9, 3.8))
    ax1, ax2 = fig.subplots(1, 2)
    ax1.semilogx(lams, W)
    ax1.set_xlabel("λ")
    ax1.set_ylabel("coefficient")
    ax1.set_title("ridge coefficients w_λ")
    ax2.loglog(lams, norm(W, axis=-1))
    ax2.set_xlabel("λ")
    ax2.set_ylabel("‖w_λ‖")
    ax2.set_title("‖w_λ‖ decreases in λ")
    fig.tight_layout()
    return fig
