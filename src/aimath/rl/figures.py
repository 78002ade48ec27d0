"""B16 figures: gridworld values and policy, value-iteration error, policy-iteration steps,
Q-learning learning curve."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from aimath.figures import figure
from aimath.rl.builders import gridworld, random_mdp
from aimath.rl.dynamic_programming import policy_iteration, q_value_iteration, value_iteration
from aimath.rl.td import q_learning

_WALLS = [(1, 1), (1, 2), (3, 3), (2, 3)]
_ARROWS = {0: (-1, 0), 1: (0, -1), 2: (1, 0), 3: (0, 1)}  # left, down, right, up in plot coordinates


def _draw_grid(ax, V, policy, shape, walls, goal, title):
    nr, nc = shape
    img = V.reshape(nr, nc).copy()
    mask = np.zeros_like(img, dtype=bool)
    for w in walls:
        mask[w] = True
    ax.imshow(np.ma.masked_array(img, mask), cmap="viridis", origin="upper")
    for s in range(nr * nc):
        r, c = divmod(s, nc)
        if mask[r, c]:
            ax.add_patch(_rect(c, r, "0.3"))
            continue
        if (r, c) == goal:
            ax.text(c, r, "G", ha="center", va="center", color="white", fontsize=11, weight="bold")
            continue
        dx, dy = _ARROWS[int(policy[s])]
        ax.arrow(c - 0.25 * dx, r + 0.25 * dy, 0.5 * dx, -0.5 * dy, head_width=0.15, color="white",
                 length_includes_head=True)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=9)


def _rect(c, r, color):
    from matplotlib.patches import Rectangle

    return Rectangle((c - 0.5, r - 0.5), 1, 1, color=color)


@figure("B16.gridworld-values", "Optimal values and greedy policy on a gridworld",
        caption="Value iteration on a 5×5 gridworld with walls (grey), 10 % slip, γ = 0.9 and a terminal goal G: "
                "the colour is V*(s) and each arrow the greedy action.")
def gridworld_values():
    shape, goal = (5, 5), (4, 4)
    mdp = gridworld(shape, goal, walls=_WALLS, slip=0.1, gamma=0.9)
    res = value_iteration(mdp, tol=1e-10)
    fig = Figure(figsize=(4.4, 4.2))
    ax = fig.add_subplot()
    _draw_grid(ax, res.V, res.policy, shape, _WALLS, goal, "V* and greedy policy")
    return fig


@figure("B16.value-iteration-error", "Value-iteration error against γ^k",
        caption="‖V_k − V*‖∞ for value iteration on a random 80-state MDP (γ = 0.9, 0.95, 0.99) on a log axis, "
                "with the a-priori bound γ^k‖V_0 − V*‖∞ dashed: the error decays at exactly the rate γ.")
def vi_error():
    fig = Figure(figsize=(5.6, 3.8))
    ax = fig.add_subplot()
    for i, gamma in enumerate((0.9, 0.95, 0.99)):
        mdp = random_mdp(80, 4, 8, np.random.default_rng(1), gamma=gamma, sparse=False)
        V_star = policy_iteration(mdp).V
        res = value_iteration(mdp, tol=1e-9, record=True)
        err = np.abs(res.iterates - V_star).max(axis=1)
        k = np.arange(err.size)
        ax.semilogy(k, err, color=f"C{i}", label=f"γ = {gamma}")
        ax.semilogy(k, gamma**k * err[0], color=f"C{i}", ls="--", lw=0.8)
    ax.set_xlabel("sweep k")
    ax.set_ylabel("‖V_k − V*‖∞")
    ax.set_ylim(1e-10, None)
    ax.legend()
    return fig


@figure("B16.policy-iteration-steps", "Policy iteration, step by step",
        caption="The values V^{π_k} and policies π_k of policy iteration from the all-left policy on a 5×5 "
                "gridworld: each improvement raises the value everywhere, and the policy is optimal after a "
                "handful of steps.")
def pi_steps():
    shape, goal = (5, 5), (4, 4)
    mdp = gridworld(shape, goal, walls=_WALLS, slip=0.1, gamma=0.9)
    res = policy_iteration(mdp, record=True)
    n = min(len(res.policies), 4)
    fig = Figure(figsize=(2.6 * n, 2.9))
    for i in range(n):
        ax = fig.add_subplot(1, n, i + 1)
        title = f"π_{i}: mean V = {res.values[i].mean():.3f}"
        _draw_grid(ax, res.values[i], res.policies[i], shape, _WALLS, goal, title)
    return fig


@figure("B16.q-learning-curve", "Q-learning converging to the dynamic-programming optimum",
        caption="Sup-norm distance between Q-learning's table and Q* (from Q-value iteration) on a slippery 4×4 "
                "gridworld, 64 parallel episodes, ε = 0.3, for step sizes 1/n^0.65 and 1/n^0.9.")
def q_curve():
    mdp = gridworld((4, 4), slip=0.1, gamma=0.9)
    Q_star = q_value_iteration(mdp, tol=1e-12).Q
    fig = Figure(figsize=(5.6, 3.8))
    ax = fig.add_subplot()
    from aimath.rl.td import robbins_monro

    for power in (0.65, 0.9):
        res = q_learning(mdp, 3000, n_envs=64, rng=3, epsilon=0.3, reference=Q_star, record_every=100,
                         alpha=robbins_monro(power))
        ax.loglog(res.history[:, 0] * 64, res.history[:, 1], label=f"α_n = 1/n^{power}")
    ax.axhline(1e-2, color="0.5", ls=":", label="1e-2")
    ax.set_xlabel("transitions")
    ax.set_ylabel("‖Q − Q*‖∞")
    ax.legend()
    return fig
