"""Batched cyclic Jacobi rotations with the round-robin (parallel) ordering.

In each of the ``m − 1`` rounds of a sweep every index meets exactly one partner, so the
``m/2`` rotations of a round touch disjoint rows and columns and are applied together,
vectorised over the pairs and over the batch. Private: used by :mod:`eigh` and :mod:`svd`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from aimath.backend import device, is_torch, namespace
from aimath.errors import ConvergenceError
from aimath.linalg._utils import copy, diag, eps, eye, zeros

_MAX_SWEEPS = 40


@lru_cache(maxsize=64)
def round_robin(m: int):
    """The m − 1 rounds of the circle method for an even number ``m`` of indices."""
    rounds = []
    for r in range(m - 1):
        pairs = [(r, m - 1)]
        for k in range(1, m // 2):
            pairs.append(((r + k) % (m - 1), (r - k) % (m - 1)))
        p = np.array([min(a, b) for a, b in pairs])
        q = np.array([max(a, b) for a, b in pairs])
        rounds.append((p, q))
    return rounds


def _idx(xp, rounds, like):
    if is_torch(like):
        return [(xp.asarray(p, device=device(like)), xp.asarray(q, device=device(like))) for p, q in rounds]
    return rounds


def _rotation(xp, app, aqq, apq):
    """(c, s) of the symmetric Schur rotation that zeroes ``apq`` (Golub & Van Loan 8.4.1)."""
    nz = apq != 0
    safe = xp.where(nz, apq, xp.ones_like(apq))
    with np.errstate(over="ignore"):  # τ = ±inf for a denormal a_pq gives t = 0, as it should
        tau = (aqq - app) / (2 * safe)
        sgn = xp.where(tau >= 0, xp.ones_like(tau), -xp.ones_like(tau))
        t = sgn / (xp.abs(tau) + xp.hypot(xp.ones_like(tau), tau))
    t = xp.where(nz, t, xp.zeros_like(t))
    c = 1 / xp.sqrt(1 + t * t)
    return c, t * c


def _rotate(X, p, q, c, s, axis):
    """Apply the rotations of one round to rows (axis=-2) or columns (axis=-1) of ``X``."""
    if axis == -2:
        Xp, Xq = X[:, p, :], X[:, q, :]
        c, s = c[:, :, None], s[:, :, None]
        X[:, p, :] = c * Xp - s * Xq
        X[:, q, :] = s * Xp + c * Xq
    else:
        Xp, Xq = X[:, :, p], X[:, :, q]
        c, s = c[:, None, :], s[:, None, :]
        X[:, :, p] = c * Xp - s * Xq
        X[:, :, q] = s * Xp + c * Xq


def jacobi_eigh(A, vectors=True):
    """Two-sided Jacobi on a stack ``A`` (B, n, n) of symmetric matrices: ``(w, V)`` unsorted."""
    xp = namespace(A)
    Bn, n = A.shape[0], A.shape[-1]
    m = n + n % 2
    W = zeros(xp, (Bn, m, m), A)
    W[:, :n, :n] = A
    V = eye(xp, m, A, (Bn,)) if vectors else None
    rounds = _idx(xp, round_robin(m), A)
    fro = xp.sqrt(xp.sum(W * W, axis=(-2, -1)))
    tol = eps(A) * fro
    offmask = 1 - eye(xp, m, A)
    for _ in range(_MAX_SWEEPS):
        off = xp.max(xp.abs(W * offmask), axis=(-2, -1))
        if bool(xp.all(off <= tol)):
            break
        for p, q in rounds:
            c, s = _rotation(xp, W[:, p, p], W[:, q, q], W[:, p, q])
            _rotate(W, p, q, c, s, -2)
            _rotate(W, p, q, c, s, -1)
            W[:, p, q] = 0.0
            W[:, q, p] = 0.0
            if vectors:
                _rotate(V, p, q, c, s, -1)
    else:
        raise ConvergenceError(f"Jacobi eigenvalue iteration did not converge in {_MAX_SWEEPS} sweeps",
                               iterate=W)
    d = copy(xp, diag(W)[:, :n])
    return d, (V[:, :n, :n] if vectors else None)


def jacobi_svd(A, vectors=True):
    """One-sided (Hestenes) Jacobi on a stack ``A`` (B, m, n), m ≥ n: ``(U·Σ, V)`` unsorted.

    Columns ``p, q`` of ``U`` are rotated until every pair is orthogonal to working precision;
    the column norms are then the singular values.
    """
    xp = namespace(A)
    Bn, m0, n = A.shape
    npad = n + n % 2
    U = zeros(xp, (Bn, m0, npad), A)
    U[:, :, :n] = A
    V = eye(xp, npad, A, (Bn,)) if vectors else None
    rounds = _idx(xp, round_robin(npad), A)
    tol = eps(A) * max(m0, 1)
    for _ in range(_MAX_SWEEPS):
        worst = 0.0
        for p, q in rounds:
            Up, Uq = U[:, :, p], U[:, :, q]
            alpha = xp.sum(Up * Up, axis=1)
            beta = xp.sum(Uq * Uq, axis=1)
            gamma = xp.sum(Up * Uq, axis=1)
            ab = xp.sqrt(alpha * beta)
            cosine = xp.abs(gamma) / xp.where(ab > 0, ab, xp.ones_like(ab))
            worst = max(worst, float(xp.max(cosine)))
            gamma = xp.where(cosine > tol, gamma, xp.zeros_like(gamma))
            c, s = _rotation(xp, alpha, beta, gamma)
            cc, ss = c[:, None, :], s[:, None, :]
            U[:, :, p] = cc * Up - ss * Uq
            U[:, :, q] = ss * Up + cc * Uq
            if vectors:
                _rotate(V, p, q, c, s, -1)
        if worst <= tol:
            break
    else:
        raise ConvergenceError(f"one-sided Jacobi SVD did not converge in {_MAX_SWEEPS} sweeps", iterate=U)
    return U[:, :, :n], (V[:, :n, :n] if vectors else None)
