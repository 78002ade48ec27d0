"""B16 model-free learning: convergence to the dynamic-programming answer and sampler statistics."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest

from aimath.errors import DomainError
from aimath.rl import (
    MDP,
    MDPSampler,
    chain_mdp,
    expected_sarsa,
    gridworld,
    policy_evaluation,
    q_learning,
    q_value_iteration,
    robbins_monro,
    sarsa,
    td0,
)


def test_sampler_transition_frequencies():
    mdp = gridworld((3, 3), slip=0.4, gamma=0.9)
    smp = MDPSampler(mdp, n_envs=200_000, rng=0)
    smp.reset()
    smp.states[:] = 4  # centre cell
    a = np.full(200_000, 2)  # right
    nxt, r, done, term = smp.step(a)
    freq = np.bincount(nxt[~term], minlength=9) / nxt.size
    expected = mdp.P[2, 4]
    se = np.sqrt(expected * (1 - expected) / nxt.size)
    assert np.all(np.abs(freq - expected) <= 5 * se + 1e-12)
    # episodes end only by entering the goal (cell 8) — impossible from the centre in one step
    assert not term.any()


def test_td0_estimates_policy_value():
    mdp = chain_mdp(5, gamma=0.8, slip=0.2)
    pi = np.ones(5, dtype=np.int64)
    ref = policy_evaluation(mdp, pi)
    res = td0(mdp, pi, 6000, n_envs=32, rng=1, reference=ref)
    assert res.history[-1, 1] < 0.05 * np.abs(ref).max()


@pytest.mark.parametrize("learner", [q_learning, sarsa, expected_sarsa])
def test_control_learns_the_optimal_policy(learner):
    mdp = gridworld((3, 4), slip=0.1, gamma=0.9)
    q_star = q_value_iteration(mdp, tol=1e-12).Q
    res = learner(mdp, 3000, n_envs=32, rng=2, epsilon=0.2, reference=q_star)
    assert res.history[-1, 1] < res.history[0, 1]
    # greedy actions agree with Q* wherever Q* separates the best action clearly
    gap = np.sort(q_star, axis=1)[:, -1] - np.sort(q_star, axis=1)[:, -2]
    clear = gap > 0.05
    assert np.array_equal(res.policy[clear], q_star.argmax(1)[clear])
    if learner is q_learning:
        assert res.history[-1, 1] < 0.03


def test_q_learning_on_gymnasium_env():
    env = gym.make("FrozenLake-v1", is_slippery=False)
    mdp = MDP.from_gymnasium(env, gamma=0.9)
    q_star = q_value_iteration(mdp, tol=1e-12).Q
    res = q_learning(env, 20_000, gamma=0.9, rng=0, epsilon=0.5, alpha=0.5)
    assert len(res.episode_returns) > 100
    reach = mdp.initial @ q_star.max(1)
    assert res.V[0] == pytest.approx(reach, abs=1e-6)


def test_bad_input():
    mdp = chain_mdp(3)
    with pytest.raises(DomainError, match=r"epsilon must lie in \[0, 1\]"):
        q_learning(mdp, 10, epsilon=1.5)
    with pytest.raises(DomainError, match="n_steps must be positive"):
        sarsa(mdp, 0)
    with pytest.raises(DomainError, match=r"alpha must lie in \(0, 1\]"):
        q_learning(mdp, 10, alpha=2.0)
    with pytest.raises(DomainError, match="power must lie"):
        robbins_monro(0.4)
    with pytest.raises(DomainError, match="gamma must be given"):
        q_learning(gym.make("FrozenLake-v1"), 10)
    with pytest.raises(TypeError, match="env must be an MDP"):
        q_learning(object(), 10)
