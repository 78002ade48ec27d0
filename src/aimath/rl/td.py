"""Model-free learning: TD(0), SARSA, Q-learning and expected SARSA.

Each learner runs ``n_envs`` episodes side by side (an :class:`~aimath.rl.MDPSampler` of an MDP)
or one Gymnasium environment, with Robbins–Monro step sizes per state(-action) visit count and
ε-greedy exploration. Updates that hit the same entry in one step are averaged before applying,
a standard synchronous form of stochastic approximation.

Curriculum: B16.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from aimath.backend import as_generator
from aimath.errors import DomainError, check_in_range
from aimath.rl.env import as_sampler

__all__ = ["LearningResult", "robbins_monro", "td0", "sarsa", "q_learning", "expected_sarsa"]


def robbins_monro(power: float = 0.65, scale: float = 1.0) -> Callable[[np.ndarray], np.ndarray]:
    r"""Step sizes :math:`\alpha_n = \text{scale} / n^{\omega}` for the n-th visit.

    For :math:`1/2 < \omega \le 1` they satisfy the Robbins–Monro conditions
    :math:`\sum_n \alpha_n = \infty`, :math:`\sum_n \alpha_n^2 < \infty`.
    """
    if not 0.5 < power <= 1.0:
        raise DomainError(f"power must lie in (0.5, 1] for the Robbins–Monro conditions, got {power}")
    return lambda n: scale / np.power(n, power)


@dataclasses.dataclass
class LearningResult:
    """What a model-free learner returns.

    Attributes
    ----------
    Q : array (S, A) or None
        Learned action values (control methods).
    V : array (S,)
        Learned state values (``max_a Q`` for control).
    policy : int array (S,) or None
        Greedy policy of ``Q``.
    history : array of shape (k, 2)
        ``(step, sup-norm error against reference)`` every ``record_every`` steps, when a
        reference was given.
    episode_returns : list of float
        Undiscounted return of each finished episode.
    n_steps : int
    visits : array
        Visit counts per state(-action).
    """

    V: np.ndarray
    Q: np.ndarray | None
    policy: np.ndarray | None
    history: np.ndarray
    episode_returns: list
    n_steps: int
    visits: np.ndarray

    def __repr__(self) -> str:
        return (f"LearningResult(n_steps={self.n_steps}, episodes={len(self.episode_returns)}, "
                f"final_error={self.history[-1, 1] if len(self.history) else float('nan'):.3g})")


def _step_sizes(alpha):
    if alpha == "robbins-monro":
        return robbins_monro()
    if callable(alpha):
        return alpha
    a = float(alpha)
    if not 0 < a <= 1:
        raise DomainError(f"alpha must lie in (0, 1], got {alpha}")
    return lambda n: np.full(np.shape(n), a)


def _eps_greedy(Q, s, eps, g):
    greedy = np.argmax(Q[s], axis=1)
    if eps <= 0:
        return greedy
    explore = g.random(s.shape[0]) < eps
    return np.where(explore, g.integers(0, Q.shape[1], s.shape[0]), greedy)


def _apply(table, idx, td, visits, step):
    """Apply one step's TD errors; ``c`` hits on one entry act like ``c`` sequential updates.

    ``c`` sequential updates towards the same target move an entry by ``1 − Π(1 − α_k)`` of the
    way; with the step size at the middle visit this is ``1 − (1 − α(n + (c+1)/2))^c`` (exact
    for constant steps and for ``c = 1``), applied to the mean TD error of the ``c`` samples.
    """
    if idx.shape[0] == 1:
        visits.flat[idx] += 1
        table.flat[idx] += step(visits.flat[idx]) * td
        return
    if table.size <= 65536:  # dense counting is cheaper than sorting for small tables
        cnt_all = np.bincount(idx, minlength=table.size)
        uniq = np.flatnonzero(cnt_all)
        cnt = cnt_all[uniq]
        mean_td = np.bincount(idx, weights=td, minlength=table.size)[uniq] / cnt
    else:
        uniq, inv, cnt = np.unique(idx, return_inverse=True, return_counts=True)
        mean_td = np.bincount(inv, weights=td) / cnt
    alpha = 1.0 - (1.0 - step(visits.flat[uniq] + (cnt + 1) / 2.0)) ** cnt
    visits.flat[uniq] += cnt
    table.flat[uniq] += alpha * mean_td


def _run(kind, env, n_steps, *, policy=None, gamma=None, alpha="robbins-monro", epsilon=0.1, n_envs=1, rng=None,
         init=None, reference=None, record_every=None, max_steps=None, progress=False):
    if n_steps < 1:
        raise DomainError(f"n_steps must be positive, got {n_steps}")
    check_in_range(epsilon, "epsilon", 0.0, 1.0)
    g = as_generator(rng)
    smp = as_sampler(env, g, n_envs, max_steps)
    if gamma is None:
        gamma = getattr(getattr(smp, "mdp", None), "gamma", None)
        if gamma is None:
            raise DomainError("gamma must be given for a Gymnasium environment")
    check_in_range(gamma, "gamma", 0.0, 1.0)
    S, A = smp.n_states, smp.n_actions
    step = _step_sizes(alpha)
    control = kind != "td0"
    shape = (S, A) if control else (S,)
    table = np.zeros(shape) if init is None else np.array(init, dtype=np.float64)
    if table.shape != shape:
        raise DomainError(f"initial values must have shape {shape}, got {table.shape}")
    visits = np.zeros(shape)
    if not control:
        from aimath.rl.bellman import as_policy_matrix

        if policy is None:
            raise DomainError("td0 needs the policy to evaluate")
        cdf = np.cumsum(as_policy_matrix(policy, _Shape(S, A)), axis=1)
    record_every = record_every or max(1, n_steps // 100)
    hist, returns = [], []
    ep_ret = np.zeros(smp.n_envs)
    s = smp.reset()
    a = _eps_greedy(table, s, epsilon, g) if kind == "sarsa" else None
    bar = None
    if progress:
        from rich.progress import Progress

        bar = Progress(transient=True)
        bar.start()
        task = bar.add_task(kind, total=n_steps)
    try:
        for t in range(1, n_steps + 1):
            if control and kind != "sarsa":
                a = _eps_greedy(table, s, epsilon, g)
            elif not control:
                u = g.random(s.shape[0])[:, None]
                a = np.minimum((u > cdf[s]).sum(axis=1), A - 1)
            s2, r, done, term = smp.step(a)
            cont = ~term
            if kind == "q_learning":
                boot = table[s2].max(axis=1)
            elif kind == "expected_sarsa":
                boot = (1 - epsilon) * table[s2].max(axis=1) + epsilon * table[s2].mean(axis=1)
            elif kind == "sarsa":
                a_boot = _eps_greedy(table, s2, epsilon, g)
                boot = table[s2, a_boot]
            else:
                boot = table[s2]
            target = r + gamma * np.where(cont, boot, 0.0)
            idx = s * A + a if control else s
            td = target - table.flat[idx]
            _apply(table, idx, td, visits, step)
            ep_ret += r
            if done.any():
                returns.extend(ep_ret[done].tolist())
                ep_ret[done] = 0.0
            s = smp.states.copy()
            if kind == "sarsa":
                a = np.where(done, _eps_greedy(table, s, epsilon, g), a_boot)
            if reference is not None and (t % record_every == 0 or t == n_steps):
                hist.append((t, float(np.max(np.abs(table - reference)))))
            if bar is not None and t % 1000 == 0:
                bar.update(task, completed=t)
    finally:
        if bar is not None:
            bar.stop()
    history = np.array(hist).reshape(-1, 2)
    if control:
        return LearningResult(table.max(axis=1), table, np.argmax(table, axis=1), history, returns, n_steps, visits)
    return LearningResult(table, None, None, history, returns, n_steps, visits)


class _Shape:
    def __init__(self, S, A):
        self.n_states, self.n_actions = S, A


_COMMON = """
    Parameters
    ----------
    env : MDP or gymnasium.Env
        An MDP (simulated with ``n_envs`` parallel episodes) or a Gymnasium environment with
        discrete spaces (one episode at a time).
    n_steps : int
        Environment steps (each advances all ``n_envs`` episodes).
    gamma : float, optional
        Discount (the MDP's by default; required for Gymnasium).
    alpha : "robbins-monro", float or callable
        Step size per visit count ``n`` (default ``1/n^0.65``: a slower decay than ``1/n`` keeps
        learning after value information reaches a state late).
    epsilon : float
        Exploration rate of the ε-greedy behaviour.
    n_envs : int
    rng : int, numpy.random.Generator or None
    init : array, optional
        Initial table.
    reference : array, optional
        True values; the sup-norm error is recorded in ``history``.
    record_every : int, optional
    max_steps : int, optional
        Episode time limit for MDP simulation.
    progress : bool
        Show a progress bar.

    Returns
    -------
    LearningResult

    Curriculum: B16.
"""


def q_learning(env, n_steps: int, **kwargs) -> LearningResult:
    r"""Q-learning: off-policy TD control towards the Bellman optimality equation.

    .. math::
        Q(s, a) \leftarrow Q(s, a) + \alpha_n \big[ r + \gamma \max_{a'} Q(s', a') - Q(s, a) \big]
    """
    return _run("q_learning", env, n_steps, **kwargs)


def sarsa(env, n_steps: int, **kwargs) -> LearningResult:
    r"""SARSA: on-policy TD control with the ε-greedy behaviour's next action.

    .. math::
        Q(s, a) \leftarrow Q(s, a) + \alpha_n \big[ r + \gamma Q(s', a') - Q(s, a) \big],
        \quad a' \sim \varepsilon\text{-greedy}(Q(s', \cdot))
    """
    return _run("sarsa", env, n_steps, **kwargs)


def expected_sarsa(env, n_steps: int, **kwargs) -> LearningResult:
    r"""Expected SARSA: the SARSA target averaged over the ε-greedy policy at ``s'``.

    .. math::
        Q(s, a) \leftarrow Q(s, a) + \alpha_n \Big[ r + \gamma \sum_{a'} \pi_\varepsilon(a' \mid s') Q(s', a')
        - Q(s, a) \Big]
    """
    return _run("expected_sarsa", env, n_steps, **kwargs)


def td0(env, policy, n_steps: int, **kwargs) -> LearningResult:
    r"""TD(0) policy evaluation of a fixed ``policy`` (array (S,) or (S, A)).

    .. math::
        V(s) \leftarrow V(s) + \alpha_n \big[ r + \gamma V(s') - V(s) \big], \quad a \sim \pi(\cdot \mid s)
    """
    kwargs.setdefault("epsilon", 0.0)
    return _run("td0", env, n_steps, policy=policy, **kwargs)


for _f in (q_learning, sarsa, expected_sarsa, td0):
    _f.__doc__ += _COMMON
