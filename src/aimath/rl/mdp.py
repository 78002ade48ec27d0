"""Finite Markov decision processes.

An MDP is a tuple :math:`(\\mathcal S, \\mathcal A, P, r, \\gamma)`: finitely many states and
actions, transition probabilities :math:`P(s' \\mid s, a)`, expected rewards :math:`r(s, a)` and a
discount :math:`\\gamma`. Episodic tasks (Gymnasium's toy-text environments) end with some
probability after a transition; aimath keeps that probability as ``p_end[s, a]`` so that the
continuation kernel ``P[a, s, :]`` sums to :math:`1 - p_\\text{end}(s, a)` and the value of
"after the end" is zero.

Curriculum: B16.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from aimath.errors import DomainError, ShapeError, check_array, shape_of

__all__ = ["MDP"]


def _is_sparse(x) -> bool:
    return sp.issparse(x)


class MDP:
    r"""A finite Markov decision process with dense or sparse transitions.

    .. math::
        Q(s, a) = r(s, a) + \gamma \sum_{s'} P(s' \mid s, a)\, V(s')

    Parameters
    ----------
    P : array of shape (A, S, S), a sequence of A scipy.sparse (S, S) matrices, or one sparse (A·S, S)
        ``P[a, s, s']`` is the probability of moving from ``s`` to ``s'`` under action ``a``
        (without the episode ending). The stacked sparse form (row ``a·S + s``) needs
        ``n_actions``.
    R : array of shape (S, A) or (A, S, S)
        Expected reward ``R[s, a]`` of taking ``a`` in ``s``, or the reward ``R[a, s, s']`` of
        each transition (then ``r(s, a) = Σ_{s'} P[a, s, s'] R[a, s, s']``).
    gamma : float
        Discount, ``0 <= gamma < 1``; ``gamma = 1`` is allowed when the episode can end from
        every state (``p_end``).
    p_end : array of shape (S, A), optional
        Probability that the episode ends after taking ``a`` in ``s``. Rows of ``P`` must sum to
        ``1 - p_end`` (within ``atol``). Default: no termination.
    end_reward : array of shape (S, A), optional
        Expected reward of a terminating transition (used only by samplers; it is already part
        of ``R``).
    initial : array of shape (S,), optional
        Start-state distribution for samplers (uniform by default).
    atol : float
        Tolerance of the row-sum check.

    Attributes
    ----------
    n_states, n_actions : int
    reward : array of shape (S, A)
        The expected reward r(s, a).
    gamma : float
    is_sparse : bool

    Raises
    ------
    ShapeError
        Mismatched shapes.
    DomainError
        Negative or non-finite probabilities, rows not summing to one, non-finite rewards,
        gamma outside [0, 1) (or 1 without reachable termination).

    Curriculum: B16.

    Examples
    --------
    >>> import numpy as np
    >>> P = np.array([[[0.9, 0.1], [0.0, 1.0]], [[0.0, 1.0], [1.0, 0.0]]])
    >>> R = np.array([[0.0, 1.0], [2.0, 0.0]])
    >>> MDP(P, R, gamma=0.9)
    MDP(n_states=2, n_actions=2, gamma=0.9, dense)
    """

    def __init__(self, P, R, gamma: float, *, p_end=None, end_reward=None, initial=None, atol: float = 1e-8,
                 n_actions: int | None = None):
        self._stack = self._dense = None
        if _is_sparse(P):
            if n_actions is None or P.shape[0] != n_actions * P.shape[1]:
                raise ShapeError("a single sparse P must be the stack of shape (A·S, S) and come with n_actions; "
                                 f"got shape {P.shape} and n_actions={n_actions}")
            P = sp.csr_matrix(P, dtype=np.float64)
            A, S = int(n_actions), P.shape[1]
            self._stack = P
        elif isinstance(P, list | tuple) and P and _is_sparse(P[0]):
            mats = [sp.csr_matrix(p, dtype=np.float64) for p in P]
            S = mats[0].shape[0]
            for a, m in enumerate(mats):
                if m.shape != (S, S):
                    raise ShapeError(f"P[{a}] must have shape ({S}, {S}), got {m.shape}")
            self._stack = sp.vstack(mats, format="csr")
            A = len(mats)
        if self._stack is not None:
            self._stack.sum_duplicates()
            data = self._stack.data
        else:
            P = np.asarray(P, dtype=np.float64)
            if P.ndim != 3 or P.shape[1] != P.shape[2]:
                raise ShapeError(f"P must have shape (A, S, S), got shape {P.shape}")
            A, S = P.shape[0], P.shape[1]
            self._dense = P
            data = P
        if A == 0 or S == 0:
            raise ShapeError(f"an MDP needs at least one state and one action, got S={S}, A={A}")
        check_array(data, "P")
        lo = float(data.min()) if data.size else 0.0
        if lo < 0:
            raise DomainError(f"P must be non-negative, got minimum entry {lo:.3g}")
        self.n_states, self.n_actions = S, A
        rows = self._row_sums()  # (A, S)
        if p_end is None:
            p_end_arr = np.zeros((S, A))
        else:
            p_end_arr = np.asarray(p_end, dtype=np.float64)
            if p_end_arr.shape != (S, A):
                raise ShapeError(f"p_end must have shape ({S}, {A}), got shape {p_end_arr.shape}")
            check_array(p_end_arr, "p_end")
            if p_end_arr.min() < -atol or p_end_arr.max() > 1 + atol:
                raise DomainError(f"p_end must lie in [0, 1], got range [{p_end_arr.min():.6g}, {p_end_arr.max():.6g}]")
            p_end_arr = np.clip(p_end_arr, 0.0, 1.0)
        dev = np.abs(rows + p_end_arr.T - 1.0)
        if dev.max() > atol:
            a, s = np.unravel_index(int(np.argmax(dev)), dev.shape)
            what = "1 - p_end" if p_end is not None else "1"
            raise DomainError(
                f"rows of P must sum to {what}: row (action {a}, state {s}) sums to {rows[a, s]:.6g}"
                f"{f' with p_end {p_end_arr[s, a]:.6g}' if p_end is not None else ''} (tolerance {atol:g})"
            )
        self.p_end = p_end_arr if p_end is not None else None
        self.reward = self._expected_reward(R)
        self._r_flat = np.ascontiguousarray(self.reward.T).reshape(-1)  # (A*S,), index a*S + s
        g = float(gamma)
        if not (0.0 <= g <= 1.0) or g != g:
            raise DomainError(f"gamma must lie in [0, 1), got {gamma}")
        if g == 1.0 and not self._termination_reachable():
            raise DomainError("gamma = 1 needs an episode end reachable from every state (p_end); "
                              "got states from which no episode ends")
        self.gamma = g
        self.end_reward = None if end_reward is None else np.asarray(end_reward, dtype=np.float64)
        if initial is None:
            self.initial = np.full(S, 1.0 / S)
        else:
            self.initial = np.asarray(initial, dtype=np.float64)
            if self.initial.shape != (S,) or abs(self.initial.sum() - 1) > 1e-8 or self.initial.min() < 0:
                raise DomainError(f"initial must be a probability vector of length {S}")

    # ------------------------------------------------------------------ construction helpers
    def _row_sums(self) -> np.ndarray:
        if self._dense is not None:
            return self._dense.sum(axis=2)
        return np.asarray(self._stack.sum(axis=1)).reshape(self.n_actions, self.n_states)

    def _expected_reward(self, R) -> np.ndarray:
        S, A = self.n_states, self.n_actions
        if isinstance(R, list | tuple) and R and _is_sparse(R[0]):
            if self._stack is None:
                raise TypeError("sparse R needs sparse P")
            Rs = sp.vstack([sp.csr_matrix(r) for r in R], format="csr")
            prod = self._stack.multiply(Rs)
            out = np.asarray(prod.sum(axis=1)).reshape(A, S).T
            check_array(out, "R")
            return np.ascontiguousarray(out)
        R = np.asarray(R, dtype=np.float64)
        check_array(R, "R")
        if R.shape == (S, A):
            return R.copy()
        if R.shape == (A, S, S):
            if self._dense is not None:
                return np.ascontiguousarray(np.einsum("ast,ast->sa", self._dense, R))
            coo = self._stack.tocoo()
            vals = coo.data * R.reshape(A * S, S)[coo.row, coo.col]
            return np.bincount(coo.row, weights=vals, minlength=A * S).reshape(A, S).T.copy()
        raise ShapeError(f"R must have shape ({S}, {A}) or ({A}, {S}, {S}), got shape {shape_of(R)}")

    def _termination_reachable(self) -> bool:
        """True when from every state some sequence of actions ends the episode with positive probability."""
        if self.p_end is None:
            return False
        can_end = self.p_end.max(axis=1) > 0
        adj = (self.stack > 0).astype(np.int8)  # (A*S, S)
        S, A = self.n_states, self.n_actions
        reach = can_end.copy()
        for _ in range(S):
            nxt = np.asarray(adj @ reach.astype(np.int8)).reshape(A, S).max(axis=0) > 0
            new = reach | nxt
            if (new == reach).all():
                break
            reach = new
        return bool(reach.all())

    # ------------------------------------------------------------------ views used by algorithms
    @property
    def is_sparse(self) -> bool:
        return self._dense is None

    @property
    def P(self):
        """Transitions: the dense (A, S, S) array, or a list of A sparse (S, S) CSR matrices."""
        if self._dense is not None:
            return self._dense
        S = self.n_states
        return [self._stack[a * S:(a + 1) * S] for a in range(self.n_actions)]

    @property
    def stack(self) -> sp.csr_matrix:
        """All actions' transitions stacked as one CSR matrix of shape (A·S, S), row a·S + s."""
        if self._stack is None:
            self._stack = sp.csr_matrix(self._dense.reshape(self.n_actions * self.n_states, self.n_states))
        return self._stack

    def expected_next(self, V: np.ndarray) -> np.ndarray:
        r""":math:`\sum_{s'} P(s' \mid s, a) V(s')` for ``V`` of shape (S,) or (S, m); returns (A, S[, m])."""
        S, A = self.n_states, self.n_actions
        if self._dense is not None:
            return self._dense @ V
        out = self._stack @ V
        return out.reshape((A, S) + V.shape[1:])

    def policy_kernel(self, policy) -> tuple:
        r"""The Markov chain of a policy: :math:`(P^\pi, r^\pi)`.

        :math:`P^\pi(s, s') = \sum_a \pi(a \mid s) P(s' \mid s, a)` and
        :math:`r^\pi(s) = \sum_a \pi(a \mid s) r(s, a)`. ``P^π`` is dense for a dense MDP and
        CSR for a sparse one.
        """
        from aimath.rl.bellman import as_policy_matrix

        S = self.n_states
        pi = as_policy_matrix(policy, self)
        r_pi = np.sum(pi * self.reward, axis=1)
        det = np.asarray(policy).ndim == 1
        if self._dense is not None:
            if det:
                P_pi = self._dense[np.asarray(policy), np.arange(S), :]
            else:
                P_pi = np.einsum("sa,ast->st", pi, self._dense)
            return P_pi, r_pi
        if det:
            rows = np.asarray(policy) * S + np.arange(S)
            return self._stack[rows], r_pi
        P_pi = sp.csr_matrix((S, S))
        for a in range(self.n_actions):
            P_pi = P_pi + sp.diags(pi[:, a]) @ self._stack[a * S:(a + 1) * S]
        return P_pi.tocsr(), r_pi

    def __repr__(self) -> str:
        kind = f"sparse, nnz={self.stack.nnz}" if self.is_sparse else "dense"
        return f"MDP(n_states={self.n_states}, n_actions={self.n_actions}, gamma={self.gamma:g}, {kind})"

    # ------------------------------------------------------------------ Gymnasium
    @classmethod
    def from_gymnasium(cls, env, gamma: float = 0.99) -> MDP:
        """Build the MDP of a Gymnasium toy-text environment from its model ``env.unwrapped.P``.

        ``P[s][a]`` lists ``(prob, next_state, reward, terminated)`` tuples, taken at their word:
        a terminated transition ends the episode (its reward counts, the next state's value does
        not). The start distribution is ``env.unwrapped.initial_state_distrib`` when present.

        Raises
        ------
        DomainError
            The environment has no tabular model (``env.unwrapped.P``).
        """
        u = getattr(env, "unwrapped", env)
        model = getattr(u, "P", None)
        if not isinstance(model, dict):
            raise DomainError(f"{type(u).__name__} has no tabular model env.unwrapped.P; "
                              "only environments with a known model can be turned into an MDP")
        S = int(env.observation_space.n)
        A = int(env.action_space.n)
        rows, cols, probs, rew = [], [], [], []
        p_end = np.zeros((S, A))
        r_exp = np.zeros((S, A))
        end_r = np.zeros((S, A))
        for s in range(S):
            for a in range(A):
                for prob, s2, r, term in model[s][a]:
                    prob, r = float(prob), float(r)
                    r_exp[s, a] += prob * r
                    if term:
                        p_end[s, a] += prob
                        end_r[s, a] += prob * r
                    else:
                        rows.append(a * S + s)
                        cols.append(int(s2))
                        probs.append(prob)
                        rew.append(r)
        stack = sp.csr_matrix((probs, (rows, cols)), shape=(A * S, S))
        with np.errstate(invalid="ignore", divide="ignore"):
            end_r = np.where(p_end > 0, end_r / np.where(p_end > 0, p_end, 1), 0.0)
        init = getattr(u, "initial_state_distrib", None)
        init = None if init is None else np.asarray(init, dtype=np.float64) / np.sum(init)
        mats = [stack[a * S:(a + 1) * S] for a in range(A)]
        return cls(mats, r_exp, gamma, p_end=p_end if p_end.any() else None, end_reward=end_r, initial=init)
