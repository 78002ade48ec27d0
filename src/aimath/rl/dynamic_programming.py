"""Dynamic programming on a known MDP: policy evaluation, value iteration, policy iteration.

Curriculum: B16.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import scipy.sparse as sp

from aimath.errors import ConvergenceError, DomainError
from aimath.rl.bellman import as_policy_matrix, greedy_policy, q_from_v

__all__ = ["DPResult", "policy_evaluation", "value_iteration", "q_value_iteration", "policy_iteration",
           "modified_policy_iteration", "stopping_threshold"]

try:  # the accumulating CSR kernel y += A x, a sparse product primitive (one pass, no temporary)
    from scipy.sparse._sparsetools import csr_matvec as _csr_matvec
except ImportError:  # pragma: no cover - older/newer SciPy without the private kernel
    _csr_matvec = None


@dataclasses.dataclass
class DPResult:
    """Outcome of a dynamic-programming solver.

    Attributes
    ----------
    V : array of shape (S,)
        The value function reached.
    policy : int array of shape (S,)
        A policy greedy with respect to ``V``.
    Q : array of shape (S, A)
        Action values of ``V``.
    n_iter : int
        Sweeps (value iteration) or improvement steps (policy iteration).
    history : list of float
        Sup-norm change ‖V_{k+1} − V_k‖∞ per sweep, or the number of states whose action changed
        per improvement step.
    converged : bool
    """

    V: np.ndarray
    policy: np.ndarray
    Q: np.ndarray
    n_iter: int
    history: list
    converged: bool = True

    def __repr__(self) -> str:
        return (f"DPResult(n_iter={self.n_iter}, converged={self.converged}, "
                f"V=array(shape={self.V.shape}, max={self.V.max():.4g}))")


def stopping_threshold(tol: float, gamma: float) -> float:
    r"""Sweep-to-sweep change below which value iteration stops with an ε-optimal answer.

    If :math:`\|V_{k+1} - V_k\|_\infty < \varepsilon (1-\gamma)/(2\gamma)` then
    :math:`\|V_{k+1} - V^*\|_\infty < \varepsilon/2` and the greedy policy of
    :math:`V_{k+1}` is :math:`\varepsilon`-optimal (Williams & Baird's bound).
    """
    return tol * (1 - gamma) / (2 * gamma) if 0 < gamma < 1 else tol


class _Sweeper:
    """Computes Q = r + γ P V as one (A, S) array per sweep, reusing buffers."""

    def __init__(self, mdp):
        self.A, self.S, self.gamma = mdp.n_actions, mdp.n_states, mdp.gamma
        self.r_flat = mdp._r_flat
        self.sparse = mdp.is_sparse
        if self.sparse:
            M = mdp.stack
            self.indptr, self.indices = M.indptr, M.indices
            self.gdata = M.data * self.gamma  # γ folded into the matrix once
            self.M = sp.csr_matrix((self.gdata, self.indices, self.indptr), shape=M.shape)
        else:
            self.P = mdp._dense
            self.rT = mdp.reward.T
        self.buf = np.empty(self.A * self.S)

    def q(self, V: np.ndarray) -> np.ndarray:
        if self.sparse:
            out = self.buf
            out[:] = self.r_flat
            if _csr_matvec is not None:
                _csr_matvec(self.A * self.S, self.S, self.indptr, self.indices, self.gdata, V, out)
            else:  # pragma: no cover
                out += self.M @ V
            return out.reshape(self.A, self.S)
        Q = np.matmul(self.P, V, out=self.buf.reshape(self.A, self.S))
        Q *= self.gamma
        Q += self.rT
        return Q


def value_iteration(mdp, tol: float = 1e-8, max_iter: int = 100_000, V0=None, *, raise_on_failure: bool = True,
                    record: bool = False) -> DPResult:
    r"""Value iteration :math:`V_{k+1} = T V_k` until the answer is ``tol``-optimal.

    .. math::
        V_{k+1}(s) = \max_a \Big[ r(s, a) + \gamma \sum_{s'} P(s' \mid s, a) V_k(s') \Big],
        \qquad \|V_k - V^*\|_\infty \le \gamma^k \|V_0 - V^*\|_\infty .

    Stops when :math:`\|V_{k+1}-V_k\|_\infty < \text{tol}\,(1-\gamma)/(2\gamma)`, which
    guarantees :math:`\|V_{k+1} - V^*\|_\infty < \text{tol}/2` and a ``tol``-optimal greedy
    policy (see :func:`stopping_threshold`).

    Parameters
    ----------
    mdp : MDP
    tol : float
        Optimality tolerance ε.
    max_iter : int
    V0 : array of shape (S,), optional
        Starting values (zeros by default).
    raise_on_failure : bool
        Raise :class:`ConvergenceError` (with the last iterate and history) when ``max_iter``
        sweeps do not meet the threshold; otherwise return with ``converged=False``.
    record : bool
        Also keep every iterate in ``result.iterates`` (for figures and rate measurements).

    Returns
    -------
    DPResult

    Curriculum: B16.

    Examples
    --------
    >>> from aimath.rl import chain_mdp
    >>> res = value_iteration(chain_mdp(5, gamma=0.9))
    >>> res.converged, res.policy.tolist()
    (True, [1, 1, 1, 1, 1])
    """
    if tol <= 0:
        raise DomainError(f"tol must be positive, got {tol}")
    sw = _Sweeper(mdp)
    V = np.zeros(mdp.n_states) if V0 is None else np.array(V0, dtype=np.float64)
    if V.shape != (mdp.n_states,):
        raise DomainError(f"V0 must have shape ({mdp.n_states},), got {V.shape}")
    thresh = stopping_threshold(tol, mdp.gamma)
    history, iterates = [], [V.copy()] if record else None
    for k in range(1, max_iter + 1):
        V_new = sw.q(V).max(axis=0)
        delta = float(np.max(np.abs(V_new - V)))
        history.append(delta)
        V = V_new
        if record:
            iterates.append(V.copy())
        if not math.isfinite(delta):
            raise ConvergenceError(f"value iteration produced non-finite values at sweep {k}", iterate=V,
                                   history=history)
        if delta < thresh:
            break
    converged = history[-1] < thresh
    if not converged and raise_on_failure:
        raise ConvergenceError(f"value iteration did not reach ‖ΔV‖∞ < {thresh:.3g} in {max_iter} sweeps "
                               f"(last change {history[-1]:.3g})", iterate=V, history=history)
    Q = q_from_v(V, mdp)
    res = DPResult(V, greedy_policy(Q), Q, len(history), history, converged)
    if record:
        res.iterates = np.array(iterates)
    return res


def q_value_iteration(mdp, tol: float = 1e-8, max_iter: int = 100_000) -> DPResult:
    r"""Value iteration on action values, :math:`Q_{k+1} = r + \gamma P \max_{a'} Q_k(\cdot, a')`.

    Same stopping rule as :func:`value_iteration` (on :math:`\max_a Q`); returns Q* in ``Q``.

    Curriculum: B16.
    """
    if tol <= 0:
        raise DomainError(f"tol must be positive, got {tol}")
    sw = _Sweeper(mdp)
    Q = np.zeros((mdp.n_actions, mdp.n_states))
    thresh = stopping_threshold(tol, mdp.gamma)
    history = []
    for _ in range(max_iter):
        Q_new = sw.q(Q.max(axis=0)).copy()
        delta = float(np.max(np.abs(Q_new - Q)))
        history.append(delta)
        Q = Q_new
        if delta < thresh:
            break
    else:
        raise ConvergenceError(f"Q-value iteration did not converge in {max_iter} sweeps", iterate=Q.T,
                               history=history)
    Qs = np.ascontiguousarray(Q.T)
    return DPResult(Qs.max(axis=1), greedy_policy(Qs), Qs, len(history), history, True)


def policy_evaluation(mdp, policy, method: str = "auto", *, tol: float = 1e-10, max_iter: int = 1_000_000):
    r"""The value of a policy, :math:`V^\pi = (I - \gamma P^\pi)^{-1} r^\pi`.

    .. math::
        V^\pi(s) = \mathbb E\Big[\sum_{t \ge 0} \gamma^t r(S_t, A_t) \,\Big|\, S_0 = s\Big],
        \qquad (I - \gamma P^\pi) V^\pi = r^\pi .

    Parameters
    ----------
    mdp : MDP
    policy : int array of shape (S,) or array of shape (S, A)
    method : {"auto", "direct", "iterative"}
        ``direct`` solves the linear system with :func:`aimath.linalg.solve` (dense, S up to a
        few thousand); ``iterative`` applies :math:`T^\pi` until the change is below
        ``tol (1-γ)/γ`` (sparse-friendly). ``auto`` picks direct for S ≤ 2000.
    tol : float
        Accuracy of the iterative method (sup norm).

    Returns
    -------
    array of shape (S,)

    Raises
    ------
    DomainError
        Singular system (γ = 1 with a policy that never ends the episode).

    Curriculum: B16.

    Examples
    --------
    >>> from aimath.rl import chain_mdp
    >>> m = chain_mdp(3, gamma=0.5)
    >>> policy_evaluation(m, np.ones(3, dtype=int)).round(3).tolist()
    [0.5, 1.0, 2.0]
    """
    if method not in ("auto", "direct", "iterative"):
        raise ValueError(f"method must be 'auto', 'direct' or 'iterative', got {method!r}")
    S = mdp.n_states
    if method == "auto":
        method = "direct" if S <= 2000 else "iterative"
    P_pi, r_pi = mdp.policy_kernel(policy)
    if method == "direct":
        from aimath.linalg import solve

        dense = P_pi.toarray() if sp.issparse(P_pi) else P_pi
        M = np.eye(S) - mdp.gamma * dense
        try:
            return solve(M, r_pi)
        except DomainError as exc:
            raise DomainError(f"I − γP^π is singular for this policy (γ = {mdp.gamma}): {exc}") from exc
    g = mdp.gamma
    V = np.zeros(S)
    thresh = tol * (1 - g) / g if 0 < g < 1 else tol
    history = []
    for _ in range(max_iter):
        V_new = r_pi + g * (P_pi @ V)
        delta = float(np.max(np.abs(V_new - V)))
        history.append(delta)
        V = V_new
        if delta < thresh:
            return V
    raise ConvergenceError(f"iterative policy evaluation did not converge in {max_iter} sweeps", iterate=V,
                           history=history)


def policy_iteration(mdp, policy0=None, *, max_iter: int = 10_000, eval_method: str = "auto",
                     record: bool = False) -> DPResult:
    r"""Policy iteration: evaluate :math:`\pi_k`, then improve greedily, until the policy is stable.

    .. math::
        V^{\pi_k} = (I - \gamma P^{\pi_k})^{-1} r^{\pi_k}, \qquad
        \pi_{k+1}(s) \in \arg\max_a \Big[ r(s,a) + \gamma \sum_{s'} P(s'|s,a) V^{\pi_k}(s') \Big].

    By the policy improvement theorem :math:`V^{\pi_{k+1}} \ge V^{\pi_k}`; there are finitely
    many policies, so it terminates. The current action is kept unless another is strictly
    better (beyond round-off), which rules out cycling between tied actions.

    Returns
    -------
    DPResult
        ``history`` holds the number of states whose action changed at each step; with
        ``record=True``, ``result.policies`` and ``result.values`` hold every π_k and V^{π_k}.

    Curriculum: B16.

    Examples
    --------
    >>> from aimath.rl import chain_mdp
    >>> policy_iteration(chain_mdp(5, gamma=0.9)).policy.tolist()
    [1, 1, 1, 1, 1]
    """
    S = mdp.n_states
    pi = np.zeros(S, dtype=np.int64) if policy0 is None else np.asarray(policy0, dtype=np.int64).copy()
    as_policy_matrix(pi, mdp)  # validates
    history, policies, values = [], [], []
    for k in range(1, max_iter + 1):
        V = policy_evaluation(mdp, pi, eval_method)
        Q = q_from_v(V, mdp)
        best = Q.max(axis=1)
        current = Q[np.arange(S), pi]
        slack = 1e-12 * (1.0 + np.abs(best))
        improve = best > current + slack
        new_pi = np.where(improve, greedy_policy(Q), pi)
        if record:
            policies.append(pi.copy())
            values.append(V.copy())
        changed = int(np.count_nonzero(new_pi != pi))
        history.append(changed)
        pi = new_pi
        if changed == 0:
            res = DPResult(V, pi, Q, k, history, True)
            if record:
                res.policies, res.values = np.array(policies), np.array(values)
            return res
    raise ConvergenceError(f"policy iteration did not stabilise in {max_iter} steps", iterate=pi, history=history)


def modified_policy_iteration(mdp, m: int = 5, tol: float = 1e-8, max_iter: int = 100_000) -> DPResult:
    r"""Modified policy iteration: improve greedily, then evaluate with ``m`` sweeps of :math:`T^\pi`.

    ``m = 1`` is value iteration and ``m → ∞`` is policy iteration. Stops with the value-iteration
    criterion on :math:`\|TV - V\|_\infty`.

    Curriculum: B16.
    """
    if m < 1:
        raise DomainError(f"m must be a positive integer, got {m}")
    sw = _Sweeper(mdp)
    S = mdp.n_states
    V = np.zeros(S)
    thresh = stopping_threshold(tol, mdp.gamma)
    history = []
    for _ in range(max_iter):
        Q = sw.q(V)
        TV = Q.max(axis=0)
        pi = np.argmax(Q, axis=0)
        delta = float(np.max(np.abs(TV - V)))
        history.append(delta)
        if delta < thresh:
            V = TV
            break
        P_pi, r_pi = mdp.policy_kernel(pi)
        V = TV
        for _ in range(m - 1):
            V = r_pi + mdp.gamma * (P_pi @ V)
    else:
        raise ConvergenceError(f"modified policy iteration did not converge in {max_iter} steps", iterate=V,
                               history=history)
    Qf = q_from_v(V, mdp)
    return DPResult(V, greedy_policy(Qf), Qf, len(history), history, True)
