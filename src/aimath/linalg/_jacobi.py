r"""Batched cyclic Jacobi rotations, all rotations of a round at once.

In each of the ``m − 1`` rounds of a sweep every index meets exactly one partner, so the
``m/2`` rotations of a round touch disjoint rows and columns and are applied together,
vectorised over the pairs and over the batch. Private: used by :mod:`eigh` and :mod:`svd`.

Two forms, tested to agree:

* the plain form (:func:`jacobi_eigh_round_robin`, :func:`jacobi_svd_round_robin`): the
  circle-method (round-robin) rounds, rows and columns gathered by index; any backend;
* the fast form for NumPy stacks (:func:`jacobi_eigh`, :func:`jacobi_svd` dispatch to it): the
  batch axis is put last, the order is padded to :math:`N = 2^k`, and round :math:`d = 1, \dots,
  N-1` pairs :math:`i` with :math:`i \oplus d` (XOR). Seen through the reshape
  :math:`(N,) \to (2,)^k` the rows :math:`p` with bit :math:`h(d)` (the top bit of :math:`d`)
  clear and their partners :math:`p \oplus d` are two *strided views* (index that axis at 0 or 1,
  reverse the axes of the other bits of :math:`d`), so a round is six in-place elementwise
  operations on half of the stack per rotated array, with no gathers and no copies. Both use
  one-sided (Hestenes) rotations: the SVD on ``A`` itself, the eigenproblem on the positive
  definite, well-conditioned :math:`A + \sigma I` (see :func:`_eigh_last`), which rotates one
  array per round instead of the three (rows, columns, vectors) of the two-sided form.
  Converged matrices leave the working set after each sweep, convergence is confirmed on the
  Gram matrix instead of by a last sweep that rotates nothing, and the stack is processed in
  chunks of ``_CHUNK`` matrices to bound the scratch memory.
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


def jacobi_eigh_round_robin(A, vectors=True):
    """Two-sided Jacobi on a stack ``A`` (B, n, n) of symmetric matrices: ``(w, V)`` unsorted.

    The plain form: round-robin rounds applied by gathering rows and columns; any backend.
    """
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


def jacobi_svd_round_robin(A, vectors=True):
    """One-sided (Hestenes) Jacobi on a stack ``A`` (B, m, n), m ≥ n: ``(U·Σ, V)`` unsorted (plain form).

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
            ab = xp.sqrt(alpha) * xp.sqrt(beta)  # alpha * beta may underflow
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


_NEAR = 1e-8  # after a sweep whose largest cosine was below this, test convergence on the Gram matrix
_CHUNK = 4096  # matrices per chunk of the fast form (bounds the scratch memory; fewer calls per matrix)


def jacobi_eigh(A, vectors=True):
    """Jacobi eigendecomposition of a stack ``A`` (B, n, n) of symmetric matrices: ``(w, V)`` unsorted.

    ``w`` (B, n), ``V`` (B, n, n) with ``A V = V diag(w)`` (``V`` is None when ``vectors`` is
    False). NumPy stacks take the batch-last, XOR-ordered one-sided form on ``A + σI``
    (:func:`_eigh_last`); other backends the plain two-sided round-robin form.
    """
    if not isinstance(A, np.ndarray) or A.shape[0] == 0:
        return jacobi_eigh_round_robin(A, vectors)
    return _by_chunks(_eigh_last, A, vectors)


def jacobi_svd(A, vectors=True):
    """One-sided (Hestenes) Jacobi on a stack ``A`` (B, m, n), m ≥ n: ``(U·Σ, V)`` unsorted.

    Columns ``p, q`` of ``U`` are rotated until every pair is orthogonal to working precision;
    the column norms are then the singular values. NumPy stacks take the batch-last XOR-ordered
    fast form, others the plain form.
    """
    if not isinstance(A, np.ndarray) or A.shape[0] == 0:
        return jacobi_svd_round_robin(A, vectors)
    return _by_chunks(_svd_last, A, vectors)


def _by_chunks(kernel, A, vectors):
    """``kernel`` on chunks of ``_CHUNK`` matrices, written into one pair of outputs."""
    if A.shape[0] <= _CHUNK:
        return kernel(A, vectors)
    first, rest = None, None
    for i in range(0, A.shape[0], _CHUNK):
        a, b = kernel(A[i : i + _CHUNK], vectors)
        if first is None:
            first = np.empty((A.shape[0], *a.shape[1:]), a.dtype)
            rest = np.empty((A.shape[0], *b.shape[1:]), b.dtype) if vectors else None
        first[i : i + len(a)] = a
        if vectors:
            rest[i : i + len(b)] = b
    return first, rest


@lru_cache(maxsize=16)
def xor_rounds(N: int):
    """The N − 1 rounds of the XOR ordering for N = 2**k, as views of one axis group.

    Round ``d`` pairs ``p`` (bit ``h(d)`` clear) with ``q = p ^ d``. Returns, per round, the index
    tuples selecting ``p`` and ``q`` from an axis group reshaped to ``(2,) * k`` (``q``'s has the
    axes of the lower set bits of ``d`` reversed), and ``p``, ``q`` as flat indices in the order
    the views enumerate them.
    """
    k = N.bit_length() - 1
    idx = np.arange(N).reshape((2,) * k)
    rounds = []
    for d in range(1, N):
        h = d.bit_length() - 1
        sp, sq = [slice(None)] * k, [slice(None)] * k
        sp[k - 1 - h], sq[k - 1 - h] = 0, 1
        for b in range(h):
            if d >> b & 1:
                sq[k - 1 - b] = slice(None, None, -1)
        rounds.append((tuple(sp), tuple(sq), idx[tuple(sp)].ravel(), idx[tuple(sq)].ravel()))
    return rounds


def _pow2(n):
    return max(2, 1 << (n - 1).bit_length())


def _schur(app, aqq, apq):
    """(c, s, t) of :func:`_rotation` (t = s/c) for NumPy arrays, in fewer passes; ``apq = 0``
    gives (1, 0, 0)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        tau = (aqq - app) / (2 * apq)
        t = 1 / (np.abs(tau) + np.sqrt(1 + tau * tau))  # τ = ±inf (tiny a_pq) gives t = 0
        np.copysign(t, tau, out=t)
    t[apq == 0] = 0.0
    c = 1 / np.sqrt(1 + t * t)
    return c, t * c, t


def _rot(P, Q, c, s, T1, T2):
    """``(P, Q) ← (cP − sQ, sP + cQ)`` in place, with scratch arrays ``T1``, ``T2`` like ``P``."""
    np.multiply(s, Q, out=T1)
    np.multiply(s, P, out=T2)
    P *= c
    P -= T1
    Q *= c
    Q += T2


def _pow2_scale(X):
    """Per-matrix exponents ``k`` (X (…, B)) such that ``ldexp(X, k)`` has max|X| of each matrix in
    [1/2, 1), so no square or product of entries under- or overflows; 0 for a zero matrix. Applied
    with ``ldexp`` (exact), never as a factor ``2**k``, which overflows for subnormal input."""
    mx = np.abs(X).reshape(-1, X.shape[-1]).max(axis=0) if X.size else np.zeros(X.shape[-1], X.dtype)
    return -np.frexp(mx)[1]


def _eye_last(N, Bn, dt):
    V = np.zeros((N, N, Bn), dt)
    for i in range(N):
        V[i, i] = 1
    return V


def _eigh_last(A, vectors):
    r"""The fast form of :func:`jacobi_eigh` on one chunk: one-sided Jacobi on a shifted matrix.

    With :math:`\sigma = \tfrac32 \max_i \sum_j |a_{ij}| \ge \tfrac32\|A\|_2` (Gershgorin) the
    matrix :math:`X = A + \sigma I` is positive definite with :math:`\kappa(X) \le 5`, so its SVD is
    its eigendecomposition. Hestenes' rotations (the XOR rounds, as in :func:`_svd_last`) make the
    columns of :math:`XV` mutually orthogonal; then :math:`XV = V\operatorname{diag}(\lambda + \sigma)`,
    the normalised columns are the eigenvectors and the Rayleigh quotients
    :math:`v_i^\top A v_i` the eigenvalues. Only :math:`X` is rotated (the eigenvectors come out of
    it), so a round costs one rotation instead of three in the two-sided form; the small
    condition number keeps the result backward stable.
    """
    Bn, n = A.shape[0], A.shape[-1]
    N = _pow2(n)
    dt = A.dtype
    X = np.zeros((n, N, Bn), dt)
    X[:, :n] = np.moveaxis(A, 0, -1)
    k = _pow2_scale(X)
    X = np.ldexp(X, k)
    shift = 1.5 * np.abs(X).sum(axis=0).max(axis=0)
    shift[shift == 0] = 1.0
    for i in range(n):
        X[i, i] += shift
    X_out = np.empty((Bn, n, n), dt)
    X_out[...] = np.moveaxis(_one_sided(X, n, eps(A) * max(n, 1)), -1, 0)
    lam = np.sqrt(np.einsum("bij,bij->bj", X_out, X_out))
    V = X_out / lam[:, None, :]
    As = np.ldexp(A, k[:, None, None])  # (scaled by the same power of two: A·V cannot overflow)
    w = np.ldexp(np.einsum("bij,bij->bj", V, As @ V), -k[:, None])  # Rayleigh quotients with A itself
    return w, (V if vectors else None)


def _one_sided(U, n, tol, V=None):
    """Hestenes rotations on the columns of ``U`` (m, N, B) (and of ``V`` (N, N, B) if given) until
    all pairs of its first ``n`` columns have cosines ≤ ``tol``; returns ``U[:, :n]`` (and
    ``V[:n, :n]``) of every matrix, in the input order, batch last.

    A column whose norm has fallen to ``tol``·‖U‖_F or below (rank deficiency) is numerically
    zero: it is not rotated any more (its direction is rounding noise, and rotating noise against
    a large column can take many sweeps to settle) and is returned as exactly zero, which changes
    ``U`` by no more than its backward error.
    """
    m, N, Bn = U.shape
    small = (tol * tol) * np.einsum("ijb,ijb->b", U, U)  # squared column norms at or below: zero
    k = N.bit_length() - 1
    ax, rounds = (2,) * k, xor_rounds(N)
    U_out = np.empty((m, n, Bn), U.dtype)
    V_out = np.empty((n, n, Bn), U.dtype) if V is not None else None
    alive = np.arange(Bn)
    done = np.zeros(Bn, bool)
    for sweep in range(_MAX_SWEEPS + 1):
        if done.any():  # converged matrices leave the working set
            di = np.flatnonzero(done)
            Ud = U[:, :n, di]
            Ud[:, np.einsum("ijb,ijb->jb", Ud, Ud) <= small[di]] = 0.0
            U_out[:, :, alive[di]] = Ud
            if V is not None:
                V_out[:, :, alive[di]] = V[:n, :n, di]
            keep = np.flatnonzero(~done)
            alive, U, small = alive[keep], U[:, :, keep], small[keep]
            V = V[:, :, keep] if V is not None else None
        Bc = U.shape[-1]
        if Bc == 0:
            break
        if sweep == _MAX_SWEEPS:
            raise ConvergenceError(f"one-sided Jacobi did not converge in {_MAX_SWEEPS} sweeps", iterate=U)
        U7 = U.reshape((m,) + ax + (Bc,))
        V7 = V.reshape(ax + ax + (Bc,)) if V is not None else None
        T1 = np.empty(max(m, N) * N // 2 * Bc, U.dtype)
        T2 = np.empty_like(T1)
        worst = np.zeros(Bc, U.dtype)
        nrm = np.einsum("ijb,ijb->jb", U, U)  # squared column norms, recomputed every sweep;
        nrm[nrm <= small] = np.inf  # numerically zero columns: infinite norm makes every cosine 0
        pair_shape = ax[1:] + (Bc,)
        floor = np.maximum(small, np.finfo(U.dtype).tiny).reshape((1,) * (k - 1) + (Bc,))
        for sp, sq, p, q in rounds:
            P, Q = U7[(slice(None),) + sp], U7[(slice(None),) + sq]
            alpha, beta = nrm[p].reshape(pair_shape), nrm[q].reshape(pair_shape)
            gamma = np.einsum("i...,i...->...", P, Q)
            cosine = np.abs(gamma) / np.sqrt(alpha * beta)  # α, β ∈ (small, O(1)] or inf: no 0/0
            np.maximum(worst, cosine.reshape(-1, Bc).max(axis=0), out=worst)
            gamma[cosine <= tol] = 0.0
            c, s, t = _schur(alpha, beta, gamma)
            tg = t * gamma  # the rotation diagonalises [[α, γ], [γ, β]] into (α − tγ, β + tγ)
            nrm[p] = np.maximum(alpha - tg, floor).reshape(-1, Bc)  # (rounding may cross zero:
            nrm[q] = np.maximum(beta + tg, floor).reshape(-1, Bc)  # keep α, β > 0 until next sweep)
            cr, sr = c[None], s[None]
            _rot(P, Q, cr, sr, T1[: P.size].reshape(P.shape), T2[: P.size].reshape(P.shape))
            if V is not None:
                P, Q = V7[(slice(None),) * k + sp], V7[(slice(None),) * k + sq]
                _rot(P, Q, cr, sr, T1[: P.size].reshape(P.shape), T2[: P.size].reshape(P.shape))
        done = worst <= tol
        near = np.flatnonzero(~done & (worst <= _NEAR))
        if near.size:  # quadratic convergence: one sweep from cosines ≤ 1e-8 usually reaches tol;
            # confirm on the Gram matrix instead of spending a whole sweep that rotates nothing
            Un = U[:, :n, near]
            G = np.einsum("ijb,ikb->jkb", Un, Un)
            d2 = np.einsum("jjb->jb", G)
            d = np.where(d2 <= small[near], np.inf, np.sqrt(d2))  # numerically zero columns: cos 0
            with np.errstate(divide="ignore", invalid="ignore"):
                cos = np.abs(G) / (d[:, None] * d[None, :])
            cos[~np.isfinite(cos)] = 0.0
            cos[np.arange(n), np.arange(n)] = 0.0
            done[near] = cos.reshape(-1, near.size).max(axis=0) <= tol
    return (U_out, V_out) if V_out is not None else U_out


def _svd_last(A, vectors):
    """The fast form of :func:`jacobi_svd` on one chunk (see the module docstring)."""
    Bn, m, n = A.shape
    N = _pow2(n)
    dt = A.dtype
    U = np.zeros((m, N, Bn), dt)
    U[:, :n] = np.moveaxis(A, 0, -1)
    k = _pow2_scale(U)
    U = np.ldexp(U, k)
    out = _one_sided(U, n, eps(A) * max(m, 1), _eye_last(N, Bn, dt) if vectors else None)
    U_out, V_out = out if vectors else (out, None)
    US = np.ldexp(np.moveaxis(U_out, -1, 0), -k[:, None, None])
    return np.ascontiguousarray(US), (np.ascontiguousarray(np.moveaxis(V_out, -1, 0)) if vectors else None)

