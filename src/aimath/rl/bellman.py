"""Bellman operators, action values and greedy policies.

Policies are arrays: deterministic ``(S,)`` of action indices, or stochastic ``(S, A)`` with rows
on the probability simplex. Value functions ``V`` have shape ``(S,)`` or ``(S, m)`` (m value
functions at once, column by column).

Curriculum: B16.
"""

from __future__ import annotations

import numpy as np

from aimath.errors import DomainError, ShapeError, check_array, check_probability_vector, shape_of

__all__ = ["as_policy_matrix", "q_from_v", "bellman_expectation", "bellman_optimality", "greedy_policy"]


def as_policy_matrix(policy, mdp) -> np.ndarray:
    """The ``(S, A)`` matrix of action probabilities of a deterministic or stochastic policy.

    Raises
    ------
    ShapeError, DomainError
        Wrong shape, actions out of range, or rows not on the simplex.
    """
    S, A = mdp.n_states, mdp.n_actions
    pi = np.asarray(policy)
    if pi.shape == (S,):
        if not np.issubdtype(pi.dtype, np.integer):
            raise TypeError(f"a deterministic policy must hold integer actions, got dtype {pi.dtype}")
        if pi.min() < 0 or pi.max() >= A:
            raise DomainError(f"policy actions must lie in [0, {A}), got range [{pi.min()}, {pi.max()}]")
        out = np.zeros((S, A))
        out[np.arange(S), pi] = 1.0
        return out
    if pi.shape == (S, A):
        check_probability_vector(pi, "policy", axis=-1)
        return pi.astype(np.float64, copy=False)
    raise ShapeError(f"policy must have shape ({S},) or ({S}, {A}), got shape {pi.shape}")


def _check_v(V, mdp) -> np.ndarray:
    V = np.asarray(V, dtype=np.float64)
    if V.ndim not in (1, 2) or V.shape[0] != mdp.n_states:
        raise ShapeError(f"V must have shape ({mdp.n_states},) or ({mdp.n_states}, m), got shape {shape_of(V)}")
    check_array(V, "V")
    return V


def q_from_v(V, mdp) -> np.ndarray:
    r"""Action values of ``V``: :math:`Q(s, a) = r(s, a) + \gamma \sum_{s'} P(s' \mid s, a) V(s')`.

    Parameters
    ----------
    V : array of shape (S,) or (S, m)
    mdp : MDP

    Returns
    -------
    array of shape (S, A) or (S, A, m)

    Curriculum: B16.

    Examples
    --------
    >>> from aimath.rl import chain_mdp
    >>> q_from_v(np.zeros(3), chain_mdp(3, gamma=0.5)).shape
    (3, 2)
    """
    V = _check_v(V, mdp)
    EV = mdp.expected_next(V)  # (A, S[, m])
    Q = mdp.gamma * EV + (mdp.reward.T if V.ndim == 1 else mdp.reward.T[..., None])
    return np.moveaxis(Q, 0, 1)


def bellman_expectation(V, mdp, policy) -> np.ndarray:
    r"""The Bellman expectation operator :math:`T^\pi`.

    .. math::
        (T^\pi V)(s) = \sum_a \pi(a \mid s) \Big[ r(s, a) + \gamma \sum_{s'} P(s' \mid s, a) V(s') \Big]

    A :math:`\gamma`-contraction in the sup norm whose fixed point is :math:`V^\pi`.

    Returns
    -------
    array of the shape of ``V``

    Curriculum: B16.

    Examples
    --------
    >>> from aimath.rl import chain_mdp
    >>> m = chain_mdp(3, gamma=0.5)
    >>> bellman_expectation(np.zeros(3), m, np.zeros(3, dtype=int)).shape
    (3,)
    """
    pi = as_policy_matrix(policy, mdp)
    Q = q_from_v(V, mdp)
    return np.einsum("sa,sa...->s...", pi, Q)


def bellman_optimality(V, mdp) -> np.ndarray:
    r"""The Bellman optimality operator :math:`T`.

    .. math::
        (TV)(s) = \max_a \Big[ r(s, a) + \gamma \sum_{s'} P(s' \mid s, a) V(s') \Big]

    A :math:`\gamma`-contraction in the sup norm whose fixed point is the optimal value
    :math:`V^*`.

    Curriculum: B16.

    Examples
    --------
    >>> from aimath.rl import chain_mdp
    >>> bellman_optimality(np.zeros(3), chain_mdp(3, gamma=0.5)).shape
    (3,)
    """
    return q_from_v(V, mdp).max(axis=1)


def greedy_policy(Q, *, tie_break: str = "first") -> np.ndarray:
    r"""A deterministic policy greedy in ``Q``: :math:`\pi(s) = \arg\max_a Q(s, a)`.

    Parameters
    ----------
    Q : array of shape (S, A)
        Action values (use :func:`q_from_v` to get them from a state-value function).
    tie_break : {"first"}
        Ties go to the lowest action index.

    Returns
    -------
    int array of shape (S,)

    Curriculum: B16.
    """
    Q = np.asarray(Q, dtype=np.float64)
    if Q.ndim != 2:
        raise ShapeError(f"Q must have shape (S, A), got shape {Q.shape}")
    if tie_break != "first":
        raise ValueError(f"tie_break must be 'first', got {tie_break!r}")
    check_array(Q, "Q", nonempty=True)
    return np.argmax(Q, axis=1).astype(np.int64)
