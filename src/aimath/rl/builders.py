"""Ready-made MDPs: a chain, a gridworld and random sparse MDPs of any size.

Curriculum: B16.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from aimath.backend import as_generator
from aimath.errors import DomainError, ShapeError, check_in_range
from aimath.rl.mdp import MDP

__all__ = ["chain_mdp", "gridworld", "random_mdp", "GRID_ACTIONS"]

GRID_ACTIONS = ("left", "down", "right", "up")
"""Action names of :func:`gridworld`, in Gymnasium FrozenLake's order."""

_MOVES = np.array([[0, -1], [1, 0], [0, 1], [-1, 0]])  # (drow, dcol) for left, down, right, up


def chain_mdp(n: int, gamma: float = 0.9, *, slip: float = 0.0) -> MDP:
    r"""A chain of ``n`` states with actions left (0) and right (1).

    Moving right from the last state keeps it there with reward 1; every other transition pays 0.
    With probability ``slip`` the opposite move happens. The optimal policy is "always right".

    Curriculum: B16.

    Examples
    --------
    >>> chain_mdp(4)
    MDP(n_states=4, n_actions=2, gamma=0.9, dense)
    """
    if n < 1:
        raise DomainError(f"n must be a positive integer, got {n}")
    check_in_range(slip, "slip", 0.0, 1.0)
    s = np.arange(n)
    left, right = np.maximum(s - 1, 0), np.minimum(s + 1, n - 1)
    P = np.zeros((2, n, n))
    np.add.at(P[0], (s, left), 1 - slip)
    np.add.at(P[0], (s, right), slip)
    np.add.at(P[1], (s, right), 1 - slip)
    np.add.at(P[1], (s, left), slip)
    R = np.zeros((n, 2))
    R[n - 1, 1] = 1.0 - slip
    R[n - 1, 0] = slip
    return MDP(P, R, gamma)


def gridworld(shape=(4, 4), goal=None, *, walls=(), slip: float = 0.0, step_reward: float = 0.0,
              goal_reward: float = 1.0, gamma: float = 0.9, sparse: bool | None = None) -> MDP:
    r"""A rectangular gridworld whose episode ends on reaching the goal.

    States are cells numbered row-major (``s = row * ncols + col``); actions are left, down,
    right, up (FrozenLake's order, :data:`GRID_ACTIONS`). A move into a wall or off the grid
    leaves the agent in place. With probability ``slip`` the move is replaced by a uniformly
    random one of the four. Each step pays ``step_reward``; entering the goal pays
    ``goal_reward`` and ends the episode; the goal cell itself is terminal.

    Parameters
    ----------
    shape : (int, int)
    goal : (int, int), optional
        Goal cell (bottom-right by default).
    walls : sequence of (int, int)
        Cells that cannot be entered.
    slip : float in [0, 1]
    step_reward, goal_reward, gamma : float
    sparse : bool, optional
        Store transitions sparsely (default: when there are more than 2000 cells).

    Curriculum: B16.

    Examples
    --------
    >>> gridworld((3, 4), walls=[(1, 1)])
    MDP(n_states=12, n_actions=4, gamma=0.9, dense)
    """
    nr, nc = (int(shape[0]), int(shape[1]))
    if nr < 1 or nc < 1:
        raise ShapeError(f"shape must hold two positive sizes, got {shape}")
    check_in_range(slip, "slip", 0.0, 1.0)
    goal = (nr - 1, nc - 1) if goal is None else tuple(goal)
    S = nr * nc
    blocked = np.zeros((nr, nc), dtype=bool)
    for w in walls:
        if not (0 <= w[0] < nr and 0 <= w[1] < nc):
            raise DomainError(f"wall {tuple(w)} lies outside the {nr}×{nc} grid")
        blocked[w] = True
    if not (0 <= goal[0] < nr and 0 <= goal[1] < nc) or blocked[goal]:
        raise DomainError(f"goal must be a free cell of the {nr}×{nc} grid, got {goal}")
    g = goal[0] * nc + goal[1]
    rows, cols = np.divmod(np.arange(S), nc)
    dest = np.empty((4, S), dtype=np.int64)  # where each move leads
    for a, (dr, dc) in enumerate(_MOVES):
        r2, c2 = rows + dr, cols + dc
        inside = (r2 >= 0) & (r2 < nr) & (c2 >= 0) & (c2 < nc)
        r2, c2 = np.where(inside, r2, rows), np.where(inside, c2, cols)
        hit = blocked[r2, c2]
        dest[a] = np.where(hit, np.arange(S), r2 * nc + c2)
    # P(move b | action a) = (1 - slip)[a == b] + slip / 4
    mix = (1 - slip) * np.eye(4) + slip / 4
    A_idx, S_idx, B_idx = np.meshgrid(np.arange(4), np.arange(S), np.arange(4), indexing="ij")
    prob = mix[A_idx, B_idx]
    nxt = dest[B_idx, S_idx]
    ends = nxt == g
    from_goal = S_idx == g
    cont = ~ends & ~from_goal
    p_end = np.zeros((S, 4))
    np.add.at(p_end, (S_idx[~cont], A_idx[~cont]), prob[~cont])
    R = np.full((S, 4), float(step_reward))
    reward_end = np.zeros((S, 4))
    np.add.at(reward_end, (S_idx[ends & ~from_goal], A_idx[ends & ~from_goal]), prob[ends & ~from_goal])
    R = R * (1 - reward_end) + reward_end * goal_reward  # expected reward: step or goal payment
    R[g] = 0.0
    stack = sp.csr_matrix((prob[cont], (A_idx[cont] * S + S_idx[cont], nxt[cont])), shape=(4 * S, S))
    with np.errstate(invalid="ignore", divide="ignore"):
        end_reward = np.where(p_end > 0, reward_end * goal_reward / np.where(p_end > 0, p_end, 1), 0.0)
    if sparse is None:
        sparse = S > 2000
    P = stack if sparse else stack.toarray().reshape(4, S, S)
    return MDP(P, R, gamma, p_end=p_end, end_reward=end_reward, n_actions=4 if sparse else None)


def random_mdp(n_states: int, n_actions: int, n_successors: int, rng=None, *, gamma: float = 0.9,
               sparse: bool | None = None) -> MDP:
    r"""A random MDP: each (s, a) moves to at most ``n_successors`` uniformly drawn states.

    Transition probabilities are Dirichlet(1) over the successors (repeated draws merge),
    rewards are uniform on [0, 1). Built directly in CSR form, so 10⁵ states take a fraction of a
    second.

    Parameters
    ----------
    n_states, n_actions, n_successors : int
    rng : int, numpy.random.Generator or None
    gamma : float
    sparse : bool, optional
        Default: sparse when ``n_states > 2000``.

    Curriculum: B16.

    Examples
    --------
    >>> random_mdp(1000, 4, 10, rng=0, sparse=True)
    MDP(n_states=1000, n_actions=4, gamma=0.9, sparse, nnz=...)
    """
    if min(n_states, n_actions, n_successors) < 1:
        raise DomainError("n_states, n_actions and n_successors must be positive, got "
                          f"{n_states}, {n_actions}, {n_successors}")
    g = as_generator(rng)
    S, A, k = int(n_states), int(n_actions), int(min(n_successors, n_states))
    cols = g.integers(0, S, size=(A * S, k))
    w = g.exponential(size=(A * S, k))
    w /= w.sum(axis=1, keepdims=True)
    indptr = np.arange(0, A * S * k + 1, k)
    stack = sp.csr_matrix((w.ravel(), cols.ravel(), indptr), shape=(A * S, S))
    R = g.random((S, A))
    if sparse is None:
        sparse = S > 2000
    if sparse:
        return MDP(stack, R, gamma, n_actions=A)
    return MDP(stack.toarray().reshape(A, S, S), R, gamma)
