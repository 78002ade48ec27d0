"""Sampling environments: a vectorised sampler of an MDP and an adapter for Gymnasium.

Both expose the same small interface used by the temporal-difference learners:
``reset() -> states (n_envs,)`` and ``step(actions) -> (next_states, rewards, done)``, with
episodes restarting automatically (the returned ``next_states`` of a finished episode are the
terminal state reached; the learner does not bootstrap from them, and the environment restarts
it before the next step).

Curriculum: B16.
"""

from __future__ import annotations

import numpy as np

from aimath.backend import as_generator
from aimath.errors import DomainError

__all__ = ["MDPSampler", "GymnasiumSampler", "as_sampler"]


class MDPSampler:
    """Simulate ``n_envs`` independent episodes of an :class:`~aimath.rl.MDP` at once.

    Next states are drawn by inverse-CDF sampling on the rows of the stacked CSR transition
    matrix (one ``searchsorted`` for all environments). A transition ends the episode with
    probability ``p_end[s, a]``. Rewards are the MDP's expected rewards conditioned on whether
    the episode ended (``end_reward``), so every sampled return is unbiased for the MDP's value.

    Parameters
    ----------
    mdp : MDP
    n_envs : int
    rng : int, numpy.random.Generator or None
    max_steps : int, optional
        Truncate episodes after this many steps (counted as time-outs, not terminations).
    """

    def __init__(self, mdp, n_envs: int = 1, rng=None, *, max_steps: int | None = None):
        if n_envs < 1:
            raise DomainError(f"n_envs must be positive, got {n_envs}")
        self.mdp, self.n_envs, self.max_steps = mdp, int(n_envs), max_steps
        self.rng = as_generator(rng)
        M = mdp.stack
        self._indptr, self._indices = M.indptr, M.indices
        self._cum = np.concatenate([[0.0], np.cumsum(M.data)])  # global running sum of probabilities
        S, A = mdp.n_states, mdp.n_actions
        p_end = mdp.p_end if mdp.p_end is not None else np.zeros((S, A))
        self._p_end = p_end
        end_r = mdp.end_reward if mdp.end_reward is not None else np.zeros((S, A))
        with np.errstate(invalid="ignore", divide="ignore"):
            cont_r = np.where(p_end < 1, (mdp.reward - p_end * end_r) / np.where(p_end < 1, 1 - p_end, 1), 0.0)
        self._cont_r, self._end_r = cont_r, end_r
        self._init_cdf = np.cumsum(mdp.initial)
        self.states = None
        self.t = None

    @property
    def n_states(self) -> int:
        return self.mdp.n_states

    @property
    def n_actions(self) -> int:
        return self.mdp.n_actions

    def _draw_start(self, n: int) -> np.ndarray:
        u = self.rng.random(n) * self._init_cdf[-1]
        return np.minimum(np.searchsorted(self._init_cdf, u, side="right"), self.n_states - 1)

    def reset(self) -> np.ndarray:
        """Start every environment afresh; returns the start states (n_envs,)."""
        self.states = self._draw_start(self.n_envs)
        self.t = np.zeros(self.n_envs, dtype=np.int64)
        return self.states.copy()

    def step(self, actions: np.ndarray):
        """Take ``actions`` (n_envs,) in the current states.

        Returns
        -------
        next_states : int array (n_envs,)
        rewards : float array (n_envs,)
        done : bool array (n_envs,)
            True where the episode ended (terminated or truncated); those environments restart.
        terminated : bool array (n_envs,)
            True where it ended by termination (no bootstrapping from the next state).
        """
        s = self.states
        a = np.asarray(actions, dtype=np.int64)
        S = self.n_states
        row = a * S + s
        lo, hi = self._indptr[row], self._indptr[row + 1]
        u = self.rng.random(self.n_envs)
        term = u < self._p_end[s, a]
        # continuation: inverse CDF within the row, conditioned on not ending
        base = self._cum[lo]
        mass = self._cum[hi] - base
        v = self.rng.random(self.n_envs)
        k = np.searchsorted(self._cum, base + v * mass, side="right") - 1
        k = np.clip(k, lo, np.maximum(hi - 1, lo))
        nxt = np.where(hi > lo, self._indices[np.minimum(k, len(self._indices) - 1)], s)
        r = np.where(term, self._end_r[s, a], self._cont_r[s, a])
        self.t += 1
        trunc = np.zeros_like(term) if self.max_steps is None else (self.t >= self.max_steps) & ~term
        done = term | trunc
        nxt = np.where(term, s, nxt)
        self.states = np.where(done, self._draw_start(self.n_envs), nxt)
        self.t = np.where(done, 0, self.t)
        return nxt, r, done, term


class GymnasiumSampler:
    """Adapter running one Gymnasium environment with the :class:`MDPSampler` interface."""

    def __init__(self, env, rng=None):
        self.env = env
        self.n_envs = 1
        self.n_states = int(env.observation_space.n)
        self.n_actions = int(env.action_space.n)
        self._seed = int(as_generator(rng).integers(0, 2**31 - 1))
        self._first = True

    def reset(self) -> np.ndarray:
        s, _ = self.env.reset(seed=self._seed if self._first else None)
        self._first = False
        self.state = int(s)
        return np.array([self.state])

    def step(self, actions):
        s2, r, terminated, truncated, _ = self.env.step(int(np.asarray(actions).reshape(-1)[0]))
        done = terminated or truncated
        nxt = np.array([int(s2)])
        if done:
            self.state, _ = self.env.reset()
            self.state = int(self.state)
        else:
            self.state = int(s2)
        return nxt, np.array([float(r)]), np.array([done]), np.array([terminated])

    @property
    def states(self):
        return np.array([self.state])


def as_sampler(env, rng=None, n_envs: int = 1, max_steps: int | None = None):
    """An :class:`MDPSampler` for an MDP, a :class:`GymnasiumSampler` for a Gymnasium env."""
    from aimath.rl.mdp import MDP

    if isinstance(env, MDP):
        return MDPSampler(env, n_envs, rng, max_steps=max_steps)
    if isinstance(env, MDPSampler | GymnasiumSampler):
        return env
    if hasattr(env, "step") and hasattr(env, "reset") and hasattr(env, "action_space"):
        if n_envs != 1:
            raise DomainError("a Gymnasium environment runs one episode at a time; use n_envs=1 or pass an MDP")
        return GymnasiumSampler(env, rng)
    raise TypeError(f"env must be an MDP or a Gymnasium environment with discrete spaces, got {type(env).__name__}")
