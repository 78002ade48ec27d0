"""B16 dynamic programming against independent solutions: a linear program for V*, dense solves
for V^π, and agreement of the sparse and dense code paths."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import linprog

from aimath.errors import ConvergenceError, DomainError
from aimath.rl import (
    MDP,
    bellman_expectation,
    chain_mdp,
    gridworld,
    modified_policy_iteration,
    policy_evaluation,
    policy_iteration,
    q_value_iteration,
    random_mdp,
    value_iteration,
)


def lp_optimal_values(mdp: MDP) -> np.ndarray:
    """V* as the solution of min Σ_s V(s) s.t. V(s) ≥ r(s,a) + γ Σ P(s'|s,a) V(s') (HiGHS)."""
    S, A = mdp.n_states, mdp.n_actions
    P = mdp.stack.toarray()  # (A·S, S), row a·S + s
    rows = np.tile(np.eye(S), (A, 1))
    A_ub = mdp.gamma * P - rows
    b_ub = -mdp.reward.T.reshape(-1)
    res = linprog(np.ones(S), A_ub=A_ub, b_ub=b_ub, bounds=[(None, None)] * S, method="highs")
    assert res.status == 0, res.message
    return res.x


@pytest.mark.parametrize("name", ["FrozenLake-v1", "FrozenLake8x8-v1", "Taxi-v4", "CliffWalking-v1"])
def test_gymnasium_optimal_values_match_linear_program(name):
    env = gym.make(name)
    mdp = MDP.from_gymnasium(env, gamma=0.95)
    v_lp = lp_optimal_values(mdp)
    vi = value_iteration(mdp, tol=1e-9)
    pi = policy_iteration(mdp)
    scale = max(1.0, np.abs(v_lp).max())
    np.testing.assert_allclose(vi.V, v_lp, atol=1e-7 * scale)
    np.testing.assert_allclose(pi.V, v_lp, atol=1e-7 * scale)
    # the greedy policies are optimal: their values equal V*
    np.testing.assert_allclose(policy_evaluation(mdp, vi.policy), v_lp, atol=1e-6 * scale)


def test_from_gymnasium_model():
    env = gym.make("FrozenLake-v1")
    mdp = MDP.from_gymnasium(env, gamma=0.9)
    assert (mdp.n_states, mdp.n_actions) == (16, 4) and mdp.is_sparse
    assert mdp.p_end[15].tolist() == [1.0, 1.0, 1.0, 1.0]  # the goal is terminal
    assert mdp.reward[14, 2] == pytest.approx(1 / 3)  # right from 14 reaches the goal w.p. 1/3
    np.testing.assert_allclose(mdp.initial, np.eye(16)[0])
    with pytest.raises(DomainError, match="no tabular model"):
        MDP.from_gymnasium(gym.make("CartPole-v1"))


def test_policy_evaluation_against_dense_solve(rng):
    mdp = random_mdp(50, 3, 5, rng, gamma=0.9, sparse=False)
    pi = rng.integers(0, 3, 50)
    P_pi = mdp.P[pi, np.arange(50)]
    r_pi = mdp.reward[np.arange(50), pi]
    ref = np.linalg.solve(np.eye(50) - 0.9 * P_pi, r_pi)
    for method in ("direct", "iterative"):
        np.testing.assert_allclose(policy_evaluation(mdp, pi, method, tol=1e-12), ref, rtol=1e-9)
    w = rng.exponential(size=(50, 3))
    w /= w.sum(1, keepdims=True)
    ref_st = np.linalg.solve(np.eye(50) - 0.9 * np.einsum("sa,ast->st", w, mdp.P), (w * mdp.reward).sum(1))
    np.testing.assert_allclose(policy_evaluation(mdp, w), ref_st, rtol=1e-10)


def test_sparse_and_dense_paths_agree(rng):
    dense = random_mdp(300, 4, 7, 5, gamma=0.93, sparse=False)
    sparse = MDP(list(sp.csr_matrix(p) for p in dense.P), dense.reward, 0.93)
    assert sparse.is_sparse and not dense.is_sparse
    V = rng.standard_normal(300)
    pi = rng.integers(0, 4, 300)
    np.testing.assert_allclose(bellman_expectation(V, sparse, pi), bellman_expectation(V, dense, pi), rtol=1e-13)
    a, b = value_iteration(dense, tol=1e-10), value_iteration(sparse, tol=1e-10)
    np.testing.assert_allclose(a.V, b.V, rtol=1e-12)
    np.testing.assert_array_equal(a.policy, b.policy)
    np.testing.assert_allclose(policy_evaluation(sparse, pi, "iterative", tol=1e-12),
                               policy_evaluation(dense, pi, "direct"), rtol=1e-9)
    stacked = MDP(sparse.stack, dense.reward, 0.93, n_actions=4)
    np.testing.assert_allclose(value_iteration(stacked, tol=1e-10).V, a.V, rtol=1e-12)


def test_all_solvers_agree_on_gridworld():
    mdp = gridworld((6, 5), walls=[(2, 2), (3, 2)], slip=0.2, gamma=0.95)
    vi = value_iteration(mdp, tol=1e-10)
    for res in (policy_iteration(mdp), modified_policy_iteration(mdp, m=4, tol=1e-10), q_value_iteration(mdp, 1e-10)):
        np.testing.assert_allclose(res.V, vi.V, atol=1e-8)
    # sparse gridworld agrees with the dense one
    big = gridworld((6, 5), walls=[(2, 2), (3, 2)], slip=0.2, gamma=0.95, sparse=True)
    np.testing.assert_allclose(value_iteration(big, tol=1e-10).V, vi.V, atol=1e-12)


def test_chain_closed_form():
    g = 0.8
    mdp = chain_mdp(6, gamma=g)
    V = value_iteration(mdp, tol=1e-12).V
    np.testing.assert_allclose(V, g ** np.arange(5, -1, -1) / (1 - g), rtol=1e-10)


def test_episodic_gamma_one():
    mdp = gridworld((3, 3), gamma=1.0, step_reward=-1.0, goal_reward=0.0)
    V = value_iteration(mdp, tol=1e-10).V
    dist = np.array([4, 3, 2, 3, 2, 1, 2, 1, 0])  # Manhattan distance to the corner goal
    # every step pays −1 except the one entering the goal, which pays goal_reward = 0
    np.testing.assert_allclose(V, -np.maximum(dist - 1, 0), atol=1e-9)


def test_bad_input():
    P = np.array([[[0.5, 0.5], [0.2, 0.8]]])
    with pytest.raises(DomainError, match=r"rows of P must sum to 1: row \(action 0, state 1\) sums to 1.1"):
        MDP(np.array([[[0.5, 0.5], [0.3, 0.8]]]), np.zeros((2, 1)), 0.9)
    with pytest.raises(DomainError, match="P must be non-negative, got minimum entry -0.1"):
        MDP(np.array([[[1.1, -0.1], [0.2, 0.8]]]), np.zeros((2, 1)), 0.9)
    with pytest.raises(DomainError, match=r"gamma must lie in \[0, 1\), got 1.5"):
        MDP(P, np.zeros((2, 1)), 1.5)
    with pytest.raises(DomainError, match="gamma = 1 needs an episode end"):
        MDP(P, np.zeros((2, 1)), 1.0)
    with pytest.raises(DomainError, match="R must be finite"):
        MDP(P, np.array([[np.nan], [0.0]]), 0.9)
    with pytest.raises(Exception, match=r"R must have shape \(2, 1\) or \(1, 2, 2\), got shape \(3,\)"):
        MDP(P, np.zeros(3), 0.9)
    with pytest.raises(Exception, match=r"P must have shape \(A, S, S\), got shape \(2, 2\)"):
        MDP(P[0], np.zeros((2, 1)), 0.9)
    m = MDP(P, np.zeros((2, 1)), 0.9)
    with pytest.raises(DomainError, match=r"policy actions must lie in \[0, 1\)"):
        policy_evaluation(m, np.array([0, 1]))
    with pytest.raises(Exception, match=r"policy must have shape \(2,\) or \(2, 1\)"):
        policy_evaluation(m, np.array([0, 0, 0]))
    with pytest.raises(ConvergenceError) as info:
        value_iteration(random_mdp(20, 2, 3, 0, gamma=0.99), tol=1e-12, max_iter=5)
    assert len(info.value.history) == 5 and info.value.iterate.shape == (20,)


def test_reward_per_transition(rng):
    P = random_mdp(10, 2, 3, rng, sparse=False).P
    R3 = rng.standard_normal((2, 10, 10))
    m = MDP(P, R3, 0.9)
    np.testing.assert_allclose(m.reward, np.einsum("ast,ast->sa", P, R3))
    ms = MDP([sp.csr_matrix(p) for p in P], R3, 0.9)
    np.testing.assert_allclose(ms.reward, m.reward, rtol=1e-13)
