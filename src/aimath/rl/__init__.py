"""Bellman equations and reinforcement learning (curriculum B16).

MDPs with dense or sparse transitions, Bellman operators, dynamic programming (policy
evaluation, value iteration, policy iteration, modified policy iteration) and model-free
temporal-difference learning (TD(0), SARSA, Q-learning, expected SARSA).

Curriculum: B16.
"""

from aimath.rl.bellman import as_policy_matrix, bellman_expectation, bellman_optimality, greedy_policy, q_from_v
from aimath.rl.builders import GRID_ACTIONS, chain_mdp, gridworld, random_mdp
from aimath.rl.dynamic_programming import (
    DPResult,
    modified_policy_iteration,
    policy_evaluation,
    policy_iteration,
    q_value_iteration,
    stopping_threshold,
    value_iteration,
)
from aimath.rl.env import GymnasiumSampler, MDPSampler, as_sampler
from aimath.rl.mdp import MDP
from aimath.rl.td import LearningResult, expected_sarsa, q_learning, robbins_monro, sarsa, td0

__all__ = [
    "MDP", "DPResult", "LearningResult", "MDPSampler", "GymnasiumSampler", "GRID_ACTIONS",
    "as_policy_matrix", "as_sampler", "bellman_expectation", "bellman_optimality", "chain_mdp", "expected_sarsa",
    "greedy_policy", "gridworld", "modified_policy_iteration", "policy_evaluation", "policy_iteration", "q_from_v",
    "q_learning", "q_value_iteration", "random_mdp", "robbins_monro", "sarsa", "stopping_threshold", "td0",
    "value_iteration",
]
