"""B11/A7 figures: a computational graph with its forward values and backward adjoints, the error
of central differences against the step, and Taylor remainders on log axes."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

import aimath.autodiff as ad
from aimath.autodiff import Tensor
from aimath.figures import figure


def _graph(root):
    """Nodes of the recorded graph (parents before children) and its edges (parent, child)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        stack.extend((p, False) for p in node._parents)
    edges = [(p, n) for n in order for p in n._parents]
    return order, edges


@figure("B11.computational-graph", "A computational graph and its backward pass",
        caption="f(x, y) = (x·y + sin x)² at x = 1.5, y = 0.5, as the engine records it. Each node shows its "
                "forward value v and its adjoint ∂f/∂v from one backward pass (red arrows, right to left): an "
                "adjoint is the sum, over the node's outgoing edges, of the child's adjoint times the local "
                "derivative, so x, used twice, collects two contributions.")
def computational_graph():
    x = Tensor(np.array(1.5), requires_grad=True)
    y = Tensor(np.array(0.5), requires_grad=True)
    a = (x * y).retain_grad()
    b = ad.sin(x).retain_grad()
    c = (a + b).retain_grad()
    f = (c * c).retain_grad()
    names = {id(x): "x", id(y): "y", id(a): "a = x·y", id(b): "b = sin x", id(c): "c = a + b", id(f): "f = c²"}
    order, edges = _graph(f)
    f.backward(retain_graph=True)
    depth = {}
    for n in order:
        depth[id(n)] = 1 + max((depth[id(p)] for p in n._parents), default=-1)
    rows: dict[int, int] = {}
    pos = {}
    for n in order:
        d = depth[id(n)]
        pos[id(n)] = (d, -rows.get(d, 0))
        rows[d] = rows.get(d, 0) + 1
    fig = Figure(figsize=(8.0, 3.6))
    ax = fig.add_subplot()
    for p, n in edges:
        (x0, y0), (x1, y1) = pos[id(p)], pos[id(n)]
        ax.annotate("", xy=(x1 - 0.28, y1), xytext=(x0 + 0.28, y0),
                    arrowprops={"arrowstyle": "->", "color": "0.3", "lw": 1.2})
        ax.annotate("", xy=(x0 + 0.28, y0 - 0.12), xytext=(x1 - 0.28, y1 - 0.12),
                    arrowprops={"arrowstyle": "->", "color": "C3", "lw": 1.0, "ls": "--"})
    for n in order:
        px, py = pos[id(n)]
        label = f"{names[id(n)]}\nv = {float(n.data):.3f}\n∂f/∂v = {float(n.grad):.3f}"
        ax.text(px, py, label, ha="center", va="center", fontsize=8,
                bbox={"boxstyle": "round,pad=0.4", "fc": "C0" if n.is_leaf else "w", "alpha": 0.25 if n.is_leaf
                      else 1.0, "ec": "0.3"})
    ax.set_xlim(-0.6, max(depth.values()) + 0.6)
    ax.set_ylim(-max(rows.values()) + 0.4, 0.6)
    ax.axis("off")
    ax.set_title("forward values (black arrows) and adjoints from one backward pass (red)")
    return fig


@figure("B11.central-difference-error", "Central-difference error against the step h",
        caption="|CD_h − f′| for f(x) = Σ sin(x)·e^{0.3x} in float64: the truncation error falls like h² "
                "(slope 2) until rounding, which grows like ε/h, takes over; the best step is near ε^{1/3}. "
                "The forward difference (slope 1) is shown for contrast.")
def central_difference_error():
    rng = np.random.default_rng(0)
    x, v = rng.standard_normal(4), rng.standard_normal(4)

    def f(z):
        return float(np.sum(np.sin(z) * np.exp(0.3 * z)))

    exact = float(ad.grad(lambda z: (ad.sin(z) * ad.exp(0.3 * z)).sum())(x) @ v)
    hs = np.geomspace(1e-1, 1e-12, 80)
    cd = [abs((f(x + h * v) - f(x - h * v)) / (2 * h) - exact) for h in hs]
    fd = [abs((f(x + h * v) - f(x)) / h - exact) for h in hs]
    fig = Figure(figsize=(5.2, 3.8))
    ax = fig.add_subplot()
    ax.loglog(hs, np.maximum(cd, 1e-17), label="central difference")
    ax.loglog(hs, np.maximum(fd, 1e-17), label="forward difference", alpha=0.7)
    eps = np.finfo(float).eps
    ax.axvline(eps ** (1 / 3), color="0.5", ls=":", label=r"$h = \varepsilon^{1/3}$")
    ax.loglog(hs[:25], 0.5 * cd[0] * (hs[:25] / hs[0]) ** 2, "k--", lw=0.8, label="slope 2")
    ax.set_xlabel("step h")
    ax.set_ylabel("|error| of the directional derivative")
    ax.legend(fontsize=8)
    return fig


@figure("B11.taylor-remainders", "Taylor remainders of orders 2 and 3",
        caption="For f(x) = Σ exp(Ax) and a direction v, the remainders after the linear and the quadratic Taylor "
                "terms (gradient and Hessian–vector product from the engine) fall like h² and h³.")
def taylor_remainders():
    rng = np.random.default_rng(1)
    A = rng.uniform(0.2, 1.0, (5, 5)) / 5
    x, v = rng.standard_normal(5), rng.uniform(0.5, 1.0, 5)

    def f(z):
        return ad.exp(Tensor(A) @ z).sum()

    fv = lambda z: float(f(Tensor(z)).data)  # noqa: E731
    g = ad.grad(f)(x) @ v
    q = ad.hvp(f, x, v) @ v
    hs = np.geomspace(1.0, 1e-3, 40)
    r1 = [abs(fv(x + h * v) - fv(x) - h * g) for h in hs]
    r2 = [abs(fv(x + h * v) - fv(x) - h * g - 0.5 * h * h * q) for h in hs]
    fig = Figure(figsize=(5.2, 3.8))
    ax = fig.add_subplot()
    ax.loglog(hs, r1, label="f(x+hv) − f(x) − h∇f·v")
    ax.loglog(hs, r2, label="… − ½h² vᵀ∇²f v")
    ax.loglog(hs, r1[-1] * (hs / hs[-1]) ** 2, "k--", lw=0.7, label="slopes 2 and 3")
    ax.loglog(hs, r2[-1] * (hs / hs[-1]) ** 3, "k--", lw=0.7)
    ax.set_xlabel("h")
    ax.set_ylabel("remainder")
    ax.legend(fontsize=8)
    return fig
