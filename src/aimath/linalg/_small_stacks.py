r"""Stacks of small symmetric matrices: tridiagonal QR on the whole stack at once (batch axis last).

Private: :mod:`eigh` routes big NumPy stacks of small order here. Two phases, each a short loop of
elementwise operations on arrays whose last axis is the batch:

1. **Householder tridiagonalisation** :math:`A = Q T Q^\top` (Golub & Van Loan 8.3.1): step
   :math:`k` reflects :math:`x = A_{k+1:,k}` onto :math:`-\operatorname{sign}(x_0)\|x\| e_1` with
   :math:`H = I - \beta v v^\top`, and updates the trailing block by the rank-2 form
   :math:`S \leftarrow S - v w^\top - w v^\top`, :math:`p = \beta S v`,
   :math:`w = p - \tfrac{\beta}{2}(v^\top p) v`. :math:`Q = H_0 H_1 \cdots H_{n-3}` is accumulated
   backwards, so step :math:`k` only touches the trailing :math:`(n-k-1)^2` block.
2. **Implicit symmetric QR with Wilkinson shifts** (Golub & Van Loan 8.3.2) on :math:`(d, e)`: the
   active block is :math:`[0, m)`; one step chases the bulge with :math:`m - 1` Givens rotations
   whose :math:`(c, s)` are vectors over the batch, starting at the top :math:`l` of the bottom
   unreduced block (rotations above it are the identity), and the rotations are accumulated into
   :math:`Q` two columns at a time. A matrix whose :math:`|e_{m-2}| \le \varepsilon \|T\|` has
   deflated :math:`d_{m-1}`; only the matrices not yet deflated (gathered into a working set) take
   the next step, and :math:`m` drops by one when all have. Convergence is cubic, about two steps
   per eigenvalue.

Each matrix is first scaled by a power of two (exact) so that :math:`\max|a_{ij}| \in [1/2, 1)`:
no square under- or overflows at 1e±200.

:func:`small_svd` (routed from :mod:`svd`) starts from these eigenvectors of :math:`A^\top A` and
finishes with one first-order Jacobi correction of all column pairs, or Hestenes rotations where
that is not enough; see its docstring.
"""

from __future__ import annotations

import numpy as np

from aimath.errors import ConvergenceError

_MAX_STEPS = 30  # shifted QR steps per eigenvalue before giving up (typically 2)


def _pow2_exponent(X):
    """Per-matrix ``k`` (X (…, B)) with max|X|·2^k ∈ [1/2, 1); 0 for a zero matrix. Applied by
    ``np.ldexp`` (exact, and 2^k itself may overflow for subnormal X)."""
    mx = np.abs(X).reshape(-1, X.shape[-1]).max(axis=0)
    return -np.frexp(mx)[1]


def _tridiagonalise(A, vectors):
    """``A`` (n, n, B) symmetric, overwritten; returns ``d`` (n, B), ``e`` (n−1, B), ``Q`` (n, n, B)."""
    n, _, Bn = A.shape
    dt = A.dtype
    e = np.empty((max(n - 1, 0), Bn), dt)
    vs = []
    tmp = np.empty(n * Bn, dt)
    for k in range(n - 2):
        x = A[k + 1 :, k]
        x0 = x[0]
        xn2 = (x[1:] * x[1:]).sum(axis=0)
        norm = np.sqrt(x0 * x0 + xn2)
        alpha = -np.copysign(norm, x0)
        v = x.copy()
        v[0] = x0 - alpha
        vv = 2 * norm * (norm + np.abs(x0))  # v·v without cancellation
        refl = xn2 > 0
        with np.errstate(divide="ignore"):
            beta = np.where(refl, 2 / vv, 0.0)
        e[k] = np.where(refl, alpha, x0)
        S = A[k + 1 :, k + 1 :]
        r = n - k - 1
        T = tmp[: r * Bn].reshape(r, Bn)
        bv = beta * v
        p = S[:, 0] * bv[0]
        for j in range(1, r):
            np.multiply(S[:, j], bv[j], out=T)
            p += T
        np.multiply(v, p, out=T)
        K = 0.5 * beta * T.sum(axis=0)
        np.multiply(K, v, out=T)
        p -= T  # w
        for i in range(r):  # row by row, into scratch: no (n−k−1)² × B temporaries
            np.multiply(v[i], p, out=T)
            S[i] -= T
            np.multiply(p[i], v, out=T)
            S[i] -= T
        vs.append((v, beta))
    d = np.empty((n, Bn), dt)
    for i in range(n):
        d[i] = A[i, i]
    if n >= 2:
        e[n - 2] = A[n - 1, n - 2]
    Q = None
    if vectors:
        Q = np.zeros((n, n, Bn), dt)
        for i in range(n):
            Q[i, i] = 1
        for k in range(n - 3, -1, -1):  # Q = H_0 (H_1 (⋯ H_{n−3})): step k touches Q[k+1:, k+1:]
            v, beta = vs[k]
            Qs = Q[k + 1 :, k + 1 :]
            r = n - k - 1
            T = tmp[: r * Bn].reshape(r, Bn)
            bv = beta * v
            u = Qs[0] * bv[0]
            for i in range(1, r):
                np.multiply(Qs[i], bv[i], out=T)
                u += T
            for i in range(r):
                np.multiply(v[i], u, out=T)
                Qs[i] -= T
    return d, e, Q


_COMPACT = 0.3  # the working set is compacted when fewer than this fraction still has to deflate


def _qr_step(d, e, Q, m, tol, T1, T2):
    """One implicit Wilkinson-shifted QR step on the active block ``[0, m)`` of every matrix
    (``d`` (≥m, b), ``e`` (≥m−1, b), ``Q`` (n, ≥m, b) or None, in place; ``T1``, ``T2`` scratch
    of at least n·b)."""
    b_ = d.shape[1]
    # top of the bottom unreduced block: l = 1 + the last j < m − 2 with e_j negligible
    l = None
    if m > 2:
        neg = np.abs(e[: m - 2]) <= tol
        if neg.any():
            l = np.where(neg.any(axis=0), (m - 2) - np.argmax(neg[::-1], axis=0), 0)
    # Wilkinson shift: the eigenvalue of the trailing 2×2 nearer to d_{m−1}
    a, b, c2 = d[m - 2], e[m - 2], d[m - 1]
    delta = 0.5 * (a - c2)
    den = delta + np.copysign(np.sqrt(delta * delta + b * b), delta)  # |den| ≥ |b|
    den[den == 0] = 1.0  # b = δ = 0 (a deflated matrix stepping along with the rest): μ = d_{m−1}
    mu = c2 - b * (b / den)
    if Q is not None:
        nq = Q.shape[0]
        T1 = T1[: nq * b_].reshape(nq, b_)
        T2 = T2[: nq * b_].reshape(nq, b_)
    # rotations with r = ‖(x, z)‖ below 4√tiny are skipped: both entries are ≪ ε‖T‖ ≈ ε, and
    # above it the larger square is a normal number, so (c, s) = (x, z)/r are accurate
    tiny = 4 * np.sqrt(np.finfo(d.dtype).tiny)
    bulge = x = None
    for k in range(m - 1):
        if k == 0:
            x = d[0] - mu
            z = e[0]
        else:
            z = bulge
        if l is not None and k > 0:
            start = l == k
            x = np.where(start, d[k] - mu, x)
            z = np.where(start, e[k], z)
        r = x * x
        r += z * z
        np.sqrt(r, out=r)
        skip = r < tiny
        if l is not None:
            skip |= l > k
        if skip.any():  # identity rotation: e_{k−1} keeps its value (a tiny bulge is dropped)
            if k > 0:
                e[k - 1] = np.where(skip | (l == k) if l is not None else skip, e[k - 1], r)
            r[skip] = 1.0
            x = np.where(skip, 1.0, x)
            z = np.where(skip, 0.0, z)
        elif k > 0:  # the rotation maps (x, z) to (r, 0); at the top l of a block e_{l−1} stays
            e[k - 1] = r if l is None else np.where(l == k, e[k - 1], r)
        rinv = 1 / r
        cs = x * rinv
        sn = z * rinv
        # [[d_k, e_k], [e_k, d_k+1]] ← G [[d_k, e_k], [e_k, d_k+1]] Gᵀ, G = [[c, s], [−s, c]]
        ek = e[k]
        diff = d[k + 1] - d[k]
        csn = cs * sn
        ss = sn * sn
        u = ss * diff
        t = csn * ek
        t += t
        u += t  # s²(d_k+1 − d_k) + 2cs e_k
        d[k] += u
        d[k + 1] -= u
        diff *= csn
        ss += ss
        ss -= 1  # −(c² − s²)
        ss *= ek
        diff -= ss
        e[k] = diff  # cs(d_k+1 − d_k) + (c² − s²) e_k
        if k < m - 2:
            bulge = sn * e[k + 1]
            e[k + 1] *= cs
            x = diff
        if Q is not None:  # columns k, k+1 of Q ← (c q_k + s q_k+1, −s q_k + c q_k+1)
            P, R = Q[:, k], Q[:, k + 1]
            np.multiply(sn, R, out=T1)
            np.multiply(sn, P, out=T2)
            P *= cs
            P += T1
            R *= cs
            R -= T2


def _take(arrs, o):
    return [None if a is None else np.take(a, o, axis=-1) for a in arrs]


def small_eigh(A, vectors=True, tol=None, sort=False):
    """Eigen-decomposition of a NumPy stack ``A`` (B, n, n) of symmetric matrices: ``(w, V)``,
    ascending if ``sort`` (the gather that sorts also moves the batch axis back to the front).

    ``tol`` (default ε) is the deflation threshold relative to max|a_ij|; a larger one gives a
    cheaper approximate decomposition (used by :func:`small_svd` as a starting point)."""
    Bn, n = A.shape[0], A.shape[-1]
    dt = A.dtype
    X = np.array(np.moveaxis(A, 0, -1), dtype=dt, order="C")
    ex = _pow2_exponent(X) if Bn else np.zeros(0, np.int32)
    np.ldexp(X, ex, out=X)
    d, e, Q = _tridiagonalise(X, vectors)
    if tol is None:
        tol = np.finfo(dt).eps  # max|a_ij| ∈ [1/2, 1): ε is ε‖T‖ up to a factor ≤ 2n
    T1, T2 = np.empty(n * Bn, dt), np.empty(n * Bn, dt)
    with np.errstate(over="ignore", under="ignore"):
        for m in range(n, 1, -1):
            # the full stack in place until few enough are left, then a gathered working set
            idx = None  # matrices of the working set (None: all, in place)
            dw, ew, Qw = d[:m], e[: m - 1], (Q[:, :m] if Q is not None else None)
            for step in range(_MAX_STEPS + 1):
                bad = np.abs(ew[m - 2]) > tol
                nb = int(np.count_nonzero(bad))
                if nb == 0:
                    break
                if step == _MAX_STEPS:
                    raise ConvergenceError(f"tridiagonal QR did not converge in {_MAX_STEPS} steps", iterate=d)
                if nb < _COMPACT * bad.size:
                    o = np.flatnonzero(bad)
                    if idx is None:
                        idx = o
                    else:  # write back the deflated ones, keep the rest
                        done = np.flatnonzero(~bad)
                        _scatter(d, e, Q, m, idx[done], _take((dw, ew, Qw), done))
                        idx = idx[o]
                    dw, ew, Qw = _take((dw, ew, Qw), o)
                _qr_step(dw, ew, Qw, m, tol, T1, T2)
            if idx is not None:
                _scatter(d, e, Q, m, idx, (dw, ew, Qw))
    w = np.ldexp(d.T, -ex[:, None])
    if not sort:
        return w, (np.ascontiguousarray(np.moveaxis(Q, -1, 0)) if vectors else None)
    order = np.argsort(w, axis=-1)
    w = np.take_along_axis(w, order, axis=-1)
    if not vectors:
        return w, None
    # V[b, i, j] = Q[i, order[b, j], b]: one gather from the flat batch-last array
    flat = (np.arange(n)[None, :, None] * n + order[:, None, :]) * Bn + np.arange(Bn)[:, None, None]
    return w, Q.reshape(-1).take(flat)


def _scatter(d, e, Q, m, idx, parts):
    dw, ew, Qw = parts
    d[:m, idx] = dw
    e[: m - 1, idx] = ew
    if Q is not None:
        Q[:, :m, idx] = Qw


_START_TOL = 1e-12  # deflation threshold of the starting eigendecomposition (the correction finishes it)
_FIRST_ORDER = 1e-8  # largest first-order correction |K_pq| accepted (its error is O(K²) ≈ ε)


def small_svd(A, vectors=True):
    r"""SVD of a NumPy stack ``A`` (B, m, n), m ≥ n, started from the eigenvectors of
    :math:`A^\top A`: ``(U·Σ, V)`` unsorted, as :func:`aimath.linalg._jacobi.jacobi_svd`, and
    accepted under the same test (every pair of columns of :math:`U\Sigma` has cosine ≤ mε).

    :math:`A^\top A = V_0 \Lambda V_0^\top` (:func:`small_eigh`) gives :math:`W = AV_0` whose
    columns are orthogonal up to the eigenvector error :math:`\sim \varepsilon\sigma_1^2/\mathrm{gap}`.
    Its Gram matrix :math:`G = W^\top W = D + E` is then diagonal up to tiny :math:`E`, and the
    first-order Jacobi correction :math:`V_1 = I + K`, :math:`K_{pq} = G_{pq}/(G_{qq} - G_{pp})`
    (antisymmetric, orthogonal up to :math:`\|K\|^2`) makes :math:`WV_1` orthogonal up to
    :math:`O(\|K\|^2)`: all pairs are corrected at once. It is used where every
    :math:`|K_{pq}| \le 10^{-8}` and the recomputed cosines pass the test; the other matrices
    (clusters, repeated or zero singular values) take Hestenes rotations from :math:`W`
    (:func:`aimath.linalg._jacobi._one_sided`), one sweep and a check instead of five to six from
    :math:`A`. Squaring loses nothing: the accepted result is judged on :math:`WV_1` itself.
    """
    from aimath.linalg._jacobi import _one_sided

    Bn, m, n = A.shape
    dt = A.dtype
    tol = np.finfo(dt).eps * max(m, 1)
    sc = np.abs(A).reshape(Bn, -1).max(axis=1) if Bn else np.zeros(0, dt)
    ex = -np.frexp(sc)[1][:, None, None]  # powers of two: max|a_ij| ∈ [1/2, 1)
    As = np.ldexp(A, ex)  # AᵀA neither over- nor underflows (1e±200)
    _, V0 = small_eigh(np.swapaxes(As, -1, -2) @ As, True, _START_TOL)
    W = As @ V0
    G = np.swapaxes(W, -1, -2) @ W
    dg = np.einsum("bii->bi", G)
    with np.errstate(divide="ignore", invalid="ignore"):
        K = G / (dg[:, None, :] - dg[:, :, None])  # K[p, q] = G_pq / (G_qq − G_pp)
    i = np.arange(n)
    K[:, i, i] = 0.0
    ok = np.abs(K).reshape(Bn, -1).max(axis=1) <= _FIRST_ORDER  # NaN (0/0) is not ≤: not ok
    K[~ok] = 0.0
    K[:, i, i] = 1.0  # I + K
    W1 = W @ K
    G1 = np.swapaxes(W1, -1, -2) @ W1
    d2 = np.einsum("bii->bi", G1)
    zero = d2 <= (tol * tol) * d2.sum(axis=1)[:, None]  # squared norms at or below tol²‖W‖_F²: zero
    dn = np.where(zero, np.inf, np.sqrt(d2))
    cos = np.abs(G1) / (dn[:, :, None] * dn[:, None, :])
    cos[:, i, i] = 0.0
    done = ok & (cos.reshape(Bn, -1).max(axis=1) <= tol)
    US = W1
    if zero.any():  # numerically zero columns are returned as zero, as _one_sided does
        US[np.broadcast_to(zero[:, None, :], US.shape)] = 0.0
    V = V0 @ K if vectors else None
    rest = np.flatnonzero(~done)
    if rest.size:  # Hestenes rotations from W (nearly orthogonal columns) for the others
        N = 1 << max(1, (n - 1).bit_length())
        U = np.zeros((m, N, rest.size), dt)
        U[:, :n] = np.moveaxis(W[rest], 0, -1)
        Vr = None
        if vectors:
            Vr = np.zeros((N, N, rest.size), dt)
            Vr[:n, :n] = np.moveaxis(V0[rest], 0, -1)
            for j in range(n, N):
                Vr[j, j] = 1
        out = _one_sided(U, n, tol, Vr)
        U_out, V_out = out if vectors else (out, None)
        US[rest] = np.moveaxis(U_out, -1, 0)
        if vectors:
            V[rest] = np.moveaxis(V_out, -1, 0)
    return np.ldexp(US, -ex), V
