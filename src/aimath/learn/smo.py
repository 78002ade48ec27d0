r"""Sequential minimal optimisation (SMO) for the SVM dual, with second-order working-set selection.

The soft-margin SVM dual with labels :math:`y_t \in \{\pm1\}`, Gram matrix :math:`K` and box
bounds :math:`U_t` (:math:`= C`, or :math:`C` times a sample weight) is

.. math::
    \min_\alpha\; f(\alpha) = \tfrac12 \alpha^\top Q \alpha - \mathbf 1^\top \alpha, \quad
    Q_{st} = y_s y_t K_{st}, \qquad 0 \le \alpha_t \le U_t, \quad y^\top \alpha = 0 .

SMO moves two coordinates at a time along the direction that keeps :math:`y^\top\alpha = 0`:
:math:`\alpha_i \mathrel{+}= y_i s,\ \alpha_j \mathrel{-}= y_j s`. With :math:`G = \nabla f = Q\alpha - \mathbf 1`
and :math:`F_t = -y_t G_t`, the KKT conditions read :math:`\max_{I_{up}} F \le \min_{I_{low}} F`, where
:math:`I_{up} = \{t : y_t = 1, \alpha_t < U_t \text{ or } y_t = -1, \alpha_t > 0\}` and
:math:`I_{low}` the mirror set. Working-set selection (Fan, Chen & Lin 2005, as in libsvm):

.. math::
    i = \arg\max_{t \in I_{up}} F_t, \qquad
    j = \arg\min_{t \in I_{low},\, b_t > 0} -\frac{b_t^2}{a_t}, \quad
    b_t = F_i - F_t,\ a_t = K_{ii} + K_{tt} - 2K_{it},

the pair giving the largest decrease of the second-order model. The step is
:math:`s = \min(b_j/a_j,\ \text{room to the box})`, and the gradient update is
:math:`G \mathrel{+}= s\, y \odot (K_{:i} - K_{:j})` — one kernel row each for i and j, O(n) work.
The stopping rule is libsvm's: :math:`\max_{I_{up}} F - \min_{I_{low}} F < \text{tol}`.

Two forms are kept: :func:`smo` is the textbook loop for one problem with a full Gram matrix;
:func:`smo_batch` runs many independent problems (the one-vs-one pairs of a multiclass SVC) in
lockstep, vectorised over problems, with kernel rows served by a :class:`KernelRowCache`.
Tests check the two agree.

Curriculum: A3.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

import numpy as np

__all__ = ["smo", "smo_batch", "SMOResult", "KernelRowCache", "dual_intercept", "TAU"]

TAU = 1e-12
"""Curvature used when :math:`a_t \\le 0` (non-PSD kernels), as in libsvm."""


class SMOResult(NamedTuple):
    """Solution of an SVM dual: ``alpha``, the gradient ``G`` = Qα − 1, the offset ``rho``
    (decision f(x) = Σ y_t α_t k(x_t, x) − ρ), the number of iterations and the final KKT gap."""

    alpha: np.ndarray
    grad: np.ndarray
    rho: np.ndarray
    n_iter: np.ndarray
    gap: np.ndarray


def dual_intercept(alpha, grad, y, upper):
    r"""libsvm's offset ρ, batched over leading axes.

    .. math::
        \rho = \operatorname{mean}_{0<\alpha_t<U_t} y_t G_t \quad\text{if there are free } \alpha_t,
        \text{ else } \tfrac12\big(\min_{\text{ub}} y_tG_t + \max_{\text{lb}} y_tG_t\big)

    where the "ub" set holds the coordinates that may not move up in :math:`y_tG_t` and "lb" the
    others (see libsvm's ``calculate_rho``). Padding coordinates have ``upper == 0`` and ``y = 1``
    and are ignored. The intercept of the decision function is :math:`b = -\rho`.
    """
    yG = y * grad
    at_upper = alpha >= upper
    at_lower = alpha <= 0
    pad = upper <= 0
    free = ~at_upper & ~at_lower & ~pad
    n_free = free.sum(axis=-1)
    mean_free = np.where(free, yG, 0.0).sum(axis=-1) / np.maximum(n_free, 1)
    to_ub = ((at_upper & (y < 0)) | (at_lower & (y > 0))) & ~pad
    to_lb = ((at_upper & (y > 0)) | (at_lower & (y < 0))) & ~pad
    ub = np.where(to_ub, yG, np.inf).min(axis=-1)
    lb = np.where(to_lb, yG, -np.inf).max(axis=-1)
    with np.errstate(invalid="ignore"):  # ±inf when one of the sets is empty
        mid = np.where(np.isfinite(ub) & np.isfinite(lb), 0.5 * (ub + lb), np.where(np.isfinite(ub), ub, lb))
    mid = np.where(np.isfinite(mid), mid, 0.0)
    return np.where(n_free > 0, mean_free, mid)


def smo(K, y, C, *, tol=1e-3, max_iter=None):
    r"""Solve one SVM dual by SMO with second-order working-set selection (textbook form).

    Parameters
    ----------
    K : array of shape (n, n)
        Gram matrix :math:`K_{st} = k(x_s, x_t)`.
    y : array of shape (n,)
        Labels in {−1, +1}.
    C : float or array of shape (n,)
        Box bounds :math:`U_t` (``np.inf`` for a hard margin).
    tol : float
        Stop when :math:`\max_{I_{up}}F - \min_{I_{low}}F <` ``tol``.
    max_iter : int, optional
        Iteration cap (default: libsvm's ``max(10**7, 100 n)``).

    Returns
    -------
    SMOResult
        with scalar ``rho``, ``n_iter`` and ``gap``.

    Curriculum: A3.

    >>> K = np.array([[1.0, 0.0], [0.0, 1.0]]); y = np.array([1.0, -1.0])
    >>> smo(K, y, 10.0).alpha  # both points are support vectors with α = 1
    array([1., 1.])
    """
    K = np.asarray(K, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = y.shape[0]
    U = np.broadcast_to(np.asarray(C, dtype=np.float64), (n,))
    max_iter = max(10_000_000, 100 * n) if max_iter is None else int(max_iter)
    alpha = np.zeros(n)
    F = y.copy()  # F = −y ⊙ G, and the gradient G = Qα − 1 is −1 at α = 0
    diagK = np.diag(K)
    gap = np.inf
    it = 0
    for it in range(max_iter):  # noqa: B007 - the count is reported
        up = ((y > 0) & (alpha < U)) | ((y < 0) & (alpha > 0))
        low = ((y < 0) & (alpha < U)) | ((y > 0) & (alpha > 0))
        if not up.any() or not low.any():
            gap = 0.0
            break
        i = int(np.argmax(np.where(up, F, -np.inf)))
        F_max = F[i]
        gap = F_max - np.min(F[low])
        if gap < tol:
            break
        b = F_max - F  # first-order decrease of moving the pair (i, t)
        a = np.maximum(K[i, i] + diagK - 2.0 * K[i], TAU)  # curvature along that direction
        j = int(np.argmax(np.where(low & (b > 0), (b * b) / a, 0.0)))
        room_i = U[i] - alpha[i] if y[i] > 0 else alpha[i]
        room_j = alpha[j] if y[j] > 0 else U[j] - alpha[j]
        s = min(b[j] / a[j], room_i, room_j)
        alpha[i] += y[i] * s
        alpha[j] -= y[j] * s
        if s == room_i:  # land exactly on the bound
            alpha[i] = U[i] if y[i] > 0 else 0.0
        if s == room_j:
            alpha[j] = 0.0 if y[j] > 0 else U[j]
        F -= s * (K[i] - K[j])  # G += s y ⊙ (K_i − K_j)
    else:
        it = max_iter
    G = -y * F
    rho = dual_intercept(alpha, G, y, U)
    return SMOResult(alpha, G, np.asarray(rho), np.asarray(it), np.asarray(gap))


class KernelRowCache:
    """Rows of the Gram matrix ``K = kernel(X, X)``, computed on demand and cached.

    When the whole matrix fits in ``cache_size`` megabytes, an ``n × n`` buffer is kept and each
    row is computed the first time it is asked for (SMO touches only a fraction of the rows —
    about the support vectors). Otherwise rows live in an LRU cache of ``cache_size`` megabytes.
    Missing rows are always computed together, in one kernel call.

    Parameters
    ----------
    X : array of shape (n, d)
    kernel : callable
        ``kernel(A, B) -> (len(A), len(B))``.
    cache_size : float
        Megabytes for cached rows.

    Attributes
    ----------
    diag : array of shape (n,)
        The diagonal :math:`k(x_t, x_t)`.
    computed : int
        Number of rows computed so far (misses).
    """

    def __init__(self, X, kernel, cache_size=200.0):
        self.X = X
        self.kernel = kernel
        n = X.shape[0]
        self.n = n
        self.capacity = max(2, int(cache_size * 2**20 // (8 * max(n, 1))))
        self.computed = 0
        block = 256
        self.diag = np.concatenate(
            [np.diag(np.asarray(kernel(X[s : s + block], X[s : s + block]), dtype=np.float64))
             for s in range(0, n, block)]) if n else np.zeros(0)
        if self.capacity >= n:
            self.full = np.empty((n, n))
            self._have = np.zeros(n, dtype=bool)
        else:
            self.full = None
            self._rows: OrderedDict[int, np.ndarray] = OrderedDict()

    def _compute(self, idx):
        self.computed += len(idx)
        return np.asarray(self.kernel(self.X[idx], self.X), dtype=np.float64)

    def _ensure(self, idx):
        need = idx[~self._have[idx]]
        if need.size:
            need = np.unique(need)
            self.full[need] = self._compute(need)
            self._have[need] = True

    def rows(self, idx):
        """``K[idx, :]`` as an array of shape (len(idx), n)."""
        idx = np.asarray(idx, dtype=np.int64)
        if self.full is not None:
            self._ensure(idx)
            return self.full[idx]
        missing = [t for t in dict.fromkeys(idx.tolist()) if t not in self._rows]
        if missing:
            for t, row in zip(missing, self._compute(np.asarray(missing)), strict=True):
                self._rows[t] = row
        out = np.empty((len(idx), self.n))
        for r, t in enumerate(idx.tolist()):
            out[r] = self._rows[t]
            self._rows.move_to_end(t)
        while len(self._rows) > self.capacity:
            self._rows.popitem(last=False)
        return out

    def gather(self, idx, S):
        """``K[idx[p], S[p, :]]`` for each problem p, shape (P, m)."""
        if self.full is not None:
            self._ensure(idx)
            return self.full[idx[:, None], S]
        return np.take_along_axis(self.rows(idx), S, axis=1)

    def __repr__(self) -> str:
        mode = "full" if self.full is not None else f"lru(capacity={self.capacity})"
        return f"KernelRowCache(n={self.n}, mode={mode}, computed={self.computed})"


def smo_batch(cache, S, y, upper, *, tol=1e-3, max_iter=None):
    r"""Solve P independent SVM duals by SMO in lockstep (fast form of :func:`smo`).

    Problem p uses the samples ``S[p]`` (global indices into the cache's data), labels ``y[p]``
    and bounds ``upper[p]``; shorter problems are padded with ``upper = 0``, ``y = +1`` so the
    padding is never selected. Every iteration does one SMO step in each unfinished problem
    with whole-array operations; finished problems drop out.

    Parameters
    ----------
    cache : KernelRowCache
    S : int array of shape (P, m)
    y : array of shape (P, m)
        Labels ±1.
    upper : array of shape (P, m)
    tol, max_iter : see :func:`smo`.

    Returns
    -------
    SMOResult
        with arrays of shape (P, m) for ``alpha``/``grad`` and (P,) for the rest.
    """
    S = np.asarray(S, dtype=np.int64)
    Y = np.asarray(y, dtype=np.float64)
    U = np.asarray(upper, dtype=np.float64)
    P, m = S.shape
    max_iter = max(10_000_000, 100 * m) if max_iter is None else int(max_iter)
    real = U > 0
    A_out = np.zeros((P, m))
    F_out = np.where(real, Y, 0.0)  # F = −y ⊙ G and G = −1 at α = 0
    it_out = np.zeros(P, dtype=np.int64)
    gap_out = np.zeros(P)
    act = np.arange(P)
    A, F, Ya, Ua, Sa = A_out.copy(), F_out.copy(), Y.copy(), U.copy(), S.copy()
    Da = cache.diag[Sa]
    up = (Ya > 0) & real  # I_up at α = 0: positive samples
    low = (Ya < 0) & real  # I_low at α = 0: negative samples
    it = 0
    while act.size:
        Fu = np.where(up, F, -np.inf)
        i = np.argmax(Fu, axis=1)
        r = np.arange(act.size)
        F_max = Fu[r, i]
        Fl = np.where(low, F, np.inf)
        gap = F_max - Fl.min(axis=1)
        done = ~(gap >= tol) | (it >= max_iter)
        if done.any():
            d = act[done]
            A_out[d], F_out[d], it_out[d] = A[done], F[done], it
            gap_out[d] = np.where(np.isnan(gap[done]), 0.0, gap[done])
            keep = ~done
            act, A, F, Ya, Ua, Sa, Da, up, low = (v[keep] for v in (act, A, F, Ya, Ua, Sa, Da, up, low))
            i, F_max, Fl = i[keep], F_max[keep], Fl[keep]
            if not act.size:
                break
            r = np.arange(act.size)
        Ki = cache.gather(Sa[r, i], Sa)
        bpos = np.subtract(F_max[:, None], Fl)  # b_t = F_i − F_t on I_low, −inf elsewhere
        np.maximum(bpos, 0.0, out=bpos)
        a = Da[r, i][:, None] + Da  # a_t = K_ii + K_tt − 2K_it
        a -= 2.0 * Ki
        np.maximum(a, TAU, out=a)
        np.multiply(bpos, bpos, out=bpos)
        bpos /= a
        j = np.argmax(bpos, axis=1)  # largest b²/a
        Kj = cache.gather(Sa[r, j], Sa)
        yi, yj = Ya[r, i], Ya[r, j]
        Ui, Uj, Ai, Aj = Ua[r, i], Ua[r, j], A[r, i], A[r, j]
        room_i = np.where(yi > 0, Ui - Ai, Ai)
        room_j = np.where(yj > 0, Aj, Uj - Aj)
        step = (F_max - F[r, j]) / a[r, j]
        s = np.minimum(step, np.minimum(room_i, room_j))
        ai = np.where(s == room_i, np.where(yi > 0, Ui, 0.0), Ai + yi * s)
        aj = np.where(s == room_j, np.where(yj > 0, 0.0, Uj), Aj - yj * s)
        A[r, i] = ai
        A[r, j] = aj
        up[r, i] = np.where(yi > 0, ai < Ui, ai > 0)
        low[r, i] = np.where(yi > 0, ai > 0, ai < Ui)
        up[r, j] = np.where(yj > 0, aj < Uj, aj > 0)
        low[r, j] = np.where(yj > 0, aj > 0, aj < Uj)
        Ki -= Kj  # F −= s (K_i − K_j), the gradient update in F = −y ⊙ G form
        Ki *= s[:, None]
        F -= Ki
        it += 1
    Yp = np.where(real, Y, 1.0)
    G_out = np.where(real, -Yp * F_out, 0.0)
    rho = dual_intercept(A_out, G_out, Yp, U)
    return SMOResult(A_out, G_out, rho, it_out, gap_out)
