r"""Cuppen's divide and conquer for the symmetric tridiagonal eigenproblem (LAPACK ``dstedc``).

Curriculum: B9. Tear :math:`T` at row :math:`m` into two tridiagonals plus a rank-one term,

.. math::
    T = \begin{pmatrix} T_1' & 0 \\ 0 & T_2' \end{pmatrix} + \rho\, u u^\top, \qquad
    u = e_m + \operatorname{sign}(\beta)\, e_{m+1}, \quad \rho = |\beta|,

solve the halves recursively, :math:`T_i' = Q_i D_i Q_i^\top`, and merge: with
:math:`z = \operatorname{blockdiag}(Q_1, Q_2)^\top u` the eigenvalues of :math:`D + \rho zz^\top`
are the roots of the secular equation

.. math::
    f(\lambda) = 1 + \rho \sum_j \frac{z_j^2}{\delta_j - \lambda} = 0,

one in each gap between consecutive poles :math:`\delta_j` and one above the last. Deflation first
removes the poles with a negligible weight :math:`\rho |z_j|` and, by a plane rotation, one of two
poles closer than the tolerance (repeated eigenvalues: their eigenvectors pass unchanged). All
roots are found at once, vectorised, by Gragg's cubically convergent two-pole rational steps,
the first taken from the midpoint of each interval, safeguarded by a bracket, with the origin at
the nearer pole (the sign of :math:`f` at the midpoint tells which), so
:math:`\lambda_i - \delta_j` is known to high relative accuracy. The eigenvectors use the
Gu–Eisenstat (Löwner) weights

.. math::
    \hat z_j^2 = \frac{\prod_i (\lambda_i - \delta_j)}{\rho \prod_{i \ne j} (\delta_i - \delta_j)},
    \qquad v_i \propto \Bigl(\frac{\hat z_j}{\delta_j - \lambda_i}\Bigr)_j,

which are exact eigenvectors of a nearby rank-one update, hence numerically orthogonal even for
close roots. Each merge ends with one matrix product, so the work is level-3 and the Python loops
run over the levels and merges, not over the matrix entries: the matrix is padded (decoupled
entries below the spectrum, deflated at once) to a multiple of a block of order up to 64, torn at
every other row into 2×2 leaves (one Schur rotation each), and all merges of a level inside the
blocks run together, batched; the few upper merges run one at a time on the kept poles only,
skipping the zero blocks of :math:`\operatorname{blockdiag}(Q_1, Q_2)`.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["eigh_tridiagonal_dc", "secular_roots"]

_BLOCK = 64  # subproblems up to this order are merged level by level, batched
_MAX_ITER = 60
_PRED = 1e-6  # a model step below this fraction of μ is taken as the last one
_UNCHECKED = 2  # the first iterations run without stopping tests (no root has converged by then)
_CACHE = 16384  # doubles per block of rows in the secular sums (128 KiB)
_EPS = float(np.finfo(np.float64).eps)


def _take(A, idx):
    """``A[p, idx[p]]`` along the last axis (rows of a batch; ``A`` 2-D)."""
    return A[np.arange(A.shape[0])[:, None], idx]


def _sums(Delta, RZ, act, m0, absum=True):
    r""":math:`f - 1`, :math:`f'`, :math:`f''/2` and :math:`\sum_j |t_j|` at ``m0`` for the rows
    ``act`` (:math:`t_j = \mathrm{rz}_j/(\Delta_j - \mu)`), in blocks of rows that stay in cache;
    the four sums of a block are one reduction over a (4, rows, m) buffer."""
    a, m = act.size, Delta.shape[1]
    out = np.empty((4, a))
    step = max(8, _CACHE // m)
    one = RZ.shape[0] == 1
    buf = np.empty((4, min(a, step), m))
    for c0 in range(0, a, step):
        sl = slice(c0, c0 + step)
        rows = act[sl]
        b = buf[:, : rows.size]
        inv = np.subtract(Delta[rows], m0[sl, None], out=b[3])
        np.reciprocal(inv, out=inv)
        np.multiply(inv, RZ[0] if one else RZ[rows], out=b[0])
        np.multiply(b[0], inv, out=b[1])
        np.multiply(b[1], inv, out=b[2])
        if absum:
            np.abs(b[0], out=b[3])
            b.sum(axis=2, out=out[:, sl])
        else:
            b[:3].sum(axis=2, out=out[:3, sl])
    return out


def _solve_rows(Delta, rzP, prob, pl, pr, lo, hi, mu, done, rzo):
    r"""Safeguarded rational iterations for rows of secular equations.

    Row r solves :math:`f(\mu) = 1 + \sum_j \mathrm{rz}_{pj} / (\Delta_{rj} - \mu) = 0`,
    p = ``prob[r]``, for :math:`\mu \in (\mathrm{lo}, \mathrm{hi})`; ``pl < lo`` is the pole on
    the left of the interval, ``rzo`` the weight of the origin pole (``Delta = 0``) and ``pr`` the
    pole on the right (``pr > hi``), or for the root above the last pole (no right pole) the one
    before the origin (``pr < pl``; ``-inf``: none). With the poles at the offsets
    :math:`p = p_l - \mu`, :math:`q = p_r - \mu` from the current point, each step replaces
    :math:`f` by Gragg's cubically convergent model :math:`c + s/(p - \eta) + S/(q - \eta)`, with
    :math:`c, s, S` matching :math:`f, f', f''`, and moves to its root in the bracket. Multiplied
    out, the root solves :math:`A\eta^2 - B\eta + C = 0` with

    .. math::
        A = f - (p + q) f' + pq f''/2, \qquad B = (p + q) f - pq f', \qquad C = pq f.

    Between two poles (:math:`p < 0 < q`) the weights :math:`s, S` are non-negative; above the
    last pole both model poles lie on the left. With one pole only the root is exact,
    :math:`\mu = \mathrm{rz}_o`, and is set without iterating.

    When the model's root falls outside the bracket (a root closer to the origin pole than the
    rounding of μ resolves), the one-pole step :math:`\mu = \mathrm{rz}_o / (f + \mathrm{rz}_o/\mu)`
    is tried before bisection. A row stops when :math:`|f|` is below its rounding error
    (``dlaed4``'s test; the model step is still taken if it stays inside), when the model step is
    below ``_PRED`` of :math:`|\mu|` (it is taken: the convergence is cubic, so the error left is
    of the order of the step's cube, far below rounding; this saves the evaluation that would only
    confirm it) or when the bracket has closed. The first ``_UNCHECKED`` iterations skip these
    tests (from the first guesses no root has converged yet).
    Returns ``mu``.
    """
    out = mu.copy()
    one = ~done & (pr == -np.inf)  # one pole only: the root is exact, μ = rz_o
    out[one] = rzo[one]
    act = np.flatnonzero(~done & ~one)
    RZ = rzP if rzP.shape[0] == 1 else rzP[prob]
    st = np.stack([mu, lo, hi, pl, pr, rzo])[:, act]  # the active rows' state
    for it in range(_MAX_ITER):
        if act.size == 0:
            break
        m0 = st[0]
        check = it >= _UNCHECKED
        g, f1, f2, ab = _sums(Delta, RZ, act, m0, check)
        f = g + 1.0
        neg = f < 0  # the sign of f moves one end of the bracket to μ
        np.copyto(st[1], m0, where=neg)
        np.copyto(st[2], m0, where=~neg)
        l0, h0 = st[1], st[2]
        p, q = st[3:5] - m0
        eta = _gragg(f, f1, f2, p, q)
        x1 = m0 + eta
        ok = (x1 > l0) & (x1 < h0)
        stuck = None
        if ok.all():
            new = x1
        else:  # a negligible step outside stays put, else the one-pole step (other terms frozen), else bisect
            r0 = st[5]
            x3 = r0 / (f + r0 / m0)
            new = np.where((x3 > l0) & (x3 < h0), x3, 0.5 * (l0 + h0))
            stuck = ~ok & (np.abs(eta) <= 2 * _EPS * np.abs(m0))
            new = np.where(ok, x1, np.where(stuck, m0, new))
        if not check:  # the first steps: no stopping tests
            st[0] = new
            continue
        # stop with |f| below its rounding error, a model step below _PRED of μ (take it:
        # the next error is of the order of its cube), a negligible step outside the bracket, a
        # non-finite f or a closed bracket
        am0 = np.abs(m0)
        level = (np.abs(f) <= _EPS * (8.0 * (1.0 + ab) + am0 * f1)) | ~np.isfinite(f)
        stop = level | (ok & (np.abs(eta) <= _PRED * am0)) | (h0 - l0 <= 4 * _EPS * am0)
        if stuck is not None:
            stop |= stuck
        if level.any():  # at the rounding level: the model step if it stays inside, else stay
            new = np.where(level & ~ok, m0, new)
        st[0] = new
        if stop.any():
            out[act[stop]] = new[stop]
            keep = ~stop
            act = act[keep]
            st = st[:, keep]
    out[act] = st[0]  # rows still open after _MAX_ITER keep their last iterate
    return out


def _gragg(f, f1, f2, p, q):
    r"""Gragg's step :math:`\eta` from a point where the secular function has the value ``f``,
    derivative ``f1`` and half second derivative ``f2``, with model poles at the offsets ``p``,
    ``q``: the root of :math:`A\eta^2 - B\eta + C = 0` taken stably."""
    pq, ps = p * q, p + q
    A = f - ps * f1 + pq * f2
    B = ps * f - pq * f1
    C = pq * f
    return 2 * C / (B + np.copysign(np.sqrt(np.maximum(B * B - 4 * A * C, 0.0)), B))


def _secular(delta, z, rho, k):
    """Roots of the secular equations of a batch (P, m): poles ``delta`` (the first ``k[p]``
    strictly increasing, the rest padding with ``z = 0``), weights ``z``, ``rho`` (P,) > 0.

    Returns ``K`` (P, m) origins, ``mu`` (P, m) offsets, ``Delta`` (P, m, m) = δ_j − δ_{K_i} and
    ``Dm`` (P, m, m) = δ_j − δ_i (both fresh arrays: callers may overwrite them).
    """
    P, m = delta.shape
    idx = np.arange(m)
    valid = idx[None, :] < k[:, None]
    last = idx[None, :] == (k - 1)[:, None]
    rz2 = rho[:, None] * (z * z)
    nxt = np.concatenate([delta[:, 1:], delta[:, -1:]], axis=1)
    gap = np.where(valid, np.where(last, rz2.sum(axis=1)[:, None], nxt - delta), 1.0)
    half = 0.5 * gap
    Dm = delta[:, None, :] - delta[:, :, None]  # (P, i, j): δ_j − δ_i
    # f, f′ and f″/2 at the midpoint of each interval (for the last root, of (δ_k, δ_k + ρ‖z‖²])
    inv = 1.0 / (Dm - half[:, :, None])
    t = rz2[:, None, :] * inv
    fm = 1.0 + t.sum(axis=2)
    t *= inv
    f1 = t.sum(axis=2)
    t *= inv
    f2 = t.sum(axis=2)
    # the first guess: Gragg's step from the midpoint, as an offset from δ_i, with the model poles
    # δ_i and δ_{i+1} (for the last root δ_k and δ_{k−1})
    prev = np.concatenate([np.full((P, 1), -np.inf), delta[:, :-1] - delta[:, 1:]], axis=1)
    x = half + _gragg(fm, f1, f2, -half, np.where(last, prev, gap) - half)
    left = (fm >= 0) | ~valid | last  # the root is in the left half: the origin is δ_i, else δ_{i+1}
    K = np.where(left, idx[None, :], idx[None, :] + 1)
    Delta = Dm[0][K[0]][None] if P == 1 else Dm[np.arange(P)[:, None], K]  # (P, i, j): δ_j − δ_{K_i}
    pl = Delta[:, idx, idx]
    # the pole right of each interval; for the last root, the pole before its origin (or −inf)
    pr = np.where(valid & ~last, Delta[:, idx, np.minimum(idx + 1, m - 1)],
                  np.where(idx >= 1, Delta[:, idx, np.maximum(idx - 1, 0)], -np.inf))
    lo = np.where(left, 0.0, -half)
    hi = np.where(last, gap * (1 + 16 * _EPS), np.where(left, half, 0.0))  # ρ‖z‖² is reached for k = 1
    x = np.where(left, x, x - gap)
    mu0 = np.where((x > lo) & (x < hi), x, np.where(valid, 0.5 * (lo + hi), 0.5))  # else bisect
    R = P * m
    prob = np.repeat(np.arange(P), m)
    rzo = _take(rz2, K).reshape(R)
    mu = _solve_rows(Delta.reshape(R, m), rz2, prob, pl.reshape(R), pr.reshape(R), lo.reshape(R), hi.reshape(R),
                     mu0.reshape(R), ~valid.reshape(R), rzo)
    return K, mu.reshape(P, m), Delta, Dm


@np.errstate(all="ignore")
def secular_roots(delta, z, rho):
    r"""All roots of :math:`f(\lambda) = 1 + \rho\sum_j z_j^2/(\delta_j - \lambda)`, ascending.

    Parameters
    ----------
    delta : array of shape (k,)
        Strictly increasing poles.
    z : array of shape (k,)
        Non-zero weights.
    rho : float
        Positive.

    Returns
    -------
    ndarray of shape (k,)
        :math:`\delta_i < \lambda_i < \delta_{i+1}` and :math:`\delta_k < \lambda_k \le \delta_k + \rho\|z\|^2`.

    Curriculum: B9.

    Examples
    --------
    >>> import numpy as np
    >>> secular_roots(np.array([0.0, 1.0]), np.array([1.0, 1.0]), 1.0)  # eig of [[1, 1], [1, 2]]
    array([0.38196601, 2.61803399])
    """
    delta = np.asarray(delta, dtype=np.float64)[None]
    K, mu, _, _ = _secular(delta, np.asarray(z, dtype=np.float64)[None], np.array([float(rho)]),
                        np.array([delta.shape[1]]))
    return np.take_along_axis(delta, K, axis=1)[0] + mu[0]


def _deflate_close(D, z, Q, keep, tol, cols=None, part=None):
    """Rotate away one of two kept poles closer than the tolerance (LAPACK ``dlaed2``), in place;
    the test is vectorised, the chain of rotations (each changes the next test) runs in scalars.

    Pole ``j`` of problem ``r`` owns column ``cols[r, j]`` of ``Q[r]`` (default ``j``); ``part``
    (one problem) records which diagonal block each column is supported on (1, 2; 3: both)."""
    P, m = D.shape
    idx = np.arange(m)
    run = np.maximum.accumulate(np.where(keep, idx[None, :], -1), axis=1)
    prev = np.concatenate([np.full((P, 1), -1), run[:, :-1]], axis=1)  # previous kept pole
    has = keep & (prev >= 0)
    pp = np.maximum(prev, 0)
    zs, zc = _take(z, pp), z
    tau = np.hypot(zs, zc)
    cand = has & (np.abs((D - _take(D, pp)) * zc * zs) <= tol[:, None] * tau * tau)
    if not cand.any():
        return
    for r in np.flatnonzero(cand.any(axis=1)).tolist():  # sequential along the poles, scalar
        j0 = int(np.argmax(cand[r]))
        Dl, zl, tl = D[r].tolist(), z[r].tolist(), float(tol[r])
        kept = np.flatnonzero(keep[r, j0:]).tolist()
        pj = int(prev[r, j0])
        Qr = Q[r]
        cr = list(range(m)) if cols is None else cols[r].tolist()
        for j in kept:
            j += j0
            s, c = zl[pj], zl[j]
            tau = math.hypot(c, s)
            c, s = c / tau, -s / tau
            if abs((Dl[j] - Dl[pj]) * c * s) <= tl:  # rotate pj into j: pj deflates
                zl[j], zl[pj] = tau, 0.0
                keep[r, pj] = False
                a, b = cr[pj], cr[j]
                qp = Qr[:, a].copy()
                Qr[:, a] = c * qp + s * Qr[:, b]
                Qr[:, b] = c * Qr[:, b] - s * qp
                if part is not None and part[a] != part[b]:
                    part[a] = part[b] = 3
                dp = Dl[pj]
                Dl[pj] = dp * c * c + Dl[j] * s * s
                Dl[j] = dp * s * s + Dl[j] * c * c
            pj = j
        D[r] = Dl
        z[r] = zl


def _merge(D, z, rho, Q):
    """Eigen-decompositions of ``Q (diag(D) + ρzzᵀ) Qᵀ`` for a batch: ``D``, ``z`` (P, m),
    ``rho`` (P,) ≥ 0, orthogonal ``Q`` (P, m, m). Returns ascending ``w`` (P, m) and ``Z``.
    (The lower levels: many small problems, padded to a common order; the kept poles first.)
    The columns of ``Q`` are not permuted while poles deflate (``cols`` maps each pole to its
    column); at the end one gather puts the rows of the Löwner vectors in the order of ``Q``'s
    columns and their columns in eigenvalue order, and ``Z = QV`` is one batched product.
    """
    P, m = D.shape
    r, idx = np.arange(P)[:, None], np.arange(m)
    nz2 = np.sum(z * z, axis=1)
    z = z / np.sqrt(nz2)[:, None]
    rho = rho * nz2
    cols = np.argsort(D, axis=1, kind="stable")  # pole j owns column cols[p, j] of Q[p]
    D, z = D[r, cols], z[r, cols]
    tol = 8 * (_EPS / 2) * np.maximum(np.max(np.abs(D), axis=1), np.max(np.abs(z), axis=1))
    keep = rho[:, None] * np.abs(z) > tol[:, None]
    _deflate_close(D, z, Q, keep, tol, cols)
    o = np.argsort(~keep, axis=1, kind="stable")  # the kept poles first, still ascending
    D, z, keep, cols = D[r, o], z[r, o], keep[r, o], cols[r, o]
    k = keep.sum(axis=1)
    eye = np.eye(m, dtype=bool)[None]
    if not k.any():
        w, Vt = D, np.broadcast_to(eye, (P, m, m)).astype(np.float64)
    else:
        far = np.max(np.abs(D), axis=1) + 2 * rho + 1
        delta = np.where(keep, D, far[:, None] + np.arange(m)[None, :])
        zk = np.where(keep, z, 0.0)
        rs = np.where(k > 0, rho, 1.0)
        K, mu, Delta, Dm = _secular(delta, zk, rs, k)
        lam = delta[r, K] + mu
        Diff = np.subtract(mu[:, :, None], Delta, out=Delta)  # (P, i, j): λ_i − δ_j, high relative accuracy
        R = np.negative(Dm, out=Dm)  # δ_i − δ_j, and ρ on the diagonal
        R[:, idx, idx] = rs[:, None]
        np.divide(Diff, R, out=R)
        np.copyto(R, 1.0, where=~keep[:, :, None])
        zhat = np.where(keep, np.sign(zk) * np.sqrt(np.abs(np.prod(R, axis=1))), 0.0)
        Vt = np.divide(-zhat[:, None, :], Diff, out=R)  # (P, i, j): ẑ_j / (δ_j − λ_i), eigenvector i
        Vt *= 1.0 / np.sqrt(np.sum(Vt * Vt, axis=2, keepdims=True))
        np.copyto(Vt, eye, where=~keep[:, :, None])
        w = np.where(keep, lam, D)
    o = np.argsort(w, axis=1, kind="stable")
    # Z = Q W, W[c, i] = Vt[o[i], j(c)] with j(c) the pole that owns column c of Q: one gather
    own = np.empty_like(cols)
    own[r, cols] = idx
    return w[r, o], Q @ Vt[r[:, :, None], o[:, None, :], own[:, :, None]]


def _merge_single(D, z, rho, Q, n1, sel=None):
    """One merge (the upper levels): ``Q = blockdiag(Q1, Q2)`` (m, m), ``Q1`` of order ``n1``.

    The columns of ``Q`` are never permuted (``cols`` maps the sorted poles to them); the secular
    equation and the Löwner vectors run on the ``k`` kept poles only; the product skips the zero
    blocks; ``sel`` (a slice of the ascending order) keeps only those eigenpairs."""
    m = D.size
    nz = math.sqrt(float(z @ z))
    z = z / nz
    rho = rho * nz * nz
    cols = np.argsort(D, kind="stable")
    D, z = D[cols], z[cols]
    tol = 8 * (_EPS / 2) * max(float(np.max(np.abs(D))), float(np.max(np.abs(z))))
    keep = (rho * np.abs(z) > tol)[None]
    part = np.where(np.arange(m) < n1, 1, 2)
    D, z = D[None], z[None]
    _deflate_close(D, z, Q[None], keep, np.array([tol]), cols[None], part)
    D, z, keep = D[0], z[0], keep[0]
    kept, defl = np.flatnonzero(keep), np.flatnonzero(~keep)
    k = kept.size
    w = np.concatenate([D[defl], np.zeros(k)])
    if k:
        delta, zk = D[kept], z[kept]
        K, mu, Delta, Dm = _secular(delta[None], zk[None], np.array([rho]), np.array([k]))
        K, mu, Delta, Dm = K[0], mu[0], Delta[0], Dm[0]
        w[defl.size :] = delta[K] + mu
    o = np.argsort(w, kind="stable")
    if sel is not None:
        o = o[sel]
    roots = o[o >= defl.size] - defl.size
    Z = np.empty((m, o.size))
    isd = o < defl.size
    Z[:, isd] = Q[:, cols[defl[o[isd]]]]
    if roots.size:
        Diff = np.subtract(mu[:, None], Delta, out=Delta)  # λ_i − δ_j to high relative accuracy
        den = np.negative(Dm, out=Dm)  # δ_i − δ_j
        np.fill_diagonal(den, rho)
        np.divide(Diff, den, out=den)
        zhat = np.sign(zk) * np.sqrt(np.abs(np.prod(den, axis=0)))  # Gu–Eisenstat
        V = -zhat[:, None] / Diff[roots].T  # ẑ_j / (δ_j − λ_i)
        V /= np.sqrt(np.sum(V * V, axis=0))
        kc = cols[kept]
        pk = part[kc]
        up, lo = np.flatnonzero(pk != 2), np.flatnonzero(pk != 1)
        X = np.empty((m, roots.size))
        X[:n1] = Q[:n1, kc[up]] @ V[up]
        X[n1:] = Q[n1:, kc[lo]] @ V[lo]
        Z[:, ~isd] = X
    return w[o], Z


def _blockdiag(Q1, Q2):
    P, a, _ = Q1.shape
    b = Q2.shape[-1]
    Q = np.zeros((P, a + b, a + b))
    Q[:, :a, :a] = Q1
    Q[:, a:, a:] = Q2
    return Q


def _leaves_2x2(dd, ee):
    """Tear between the pairs (2p, 2p+1) and solve the 2×2 leaves by one symmetric Schur rotation
    each (Golub & Van Loan 8.4.2), vectorised: ascending ``W`` (N/2, 2), ``Z`` (N/2, 2, 2)."""
    ae = np.abs(ee)
    torn = np.zeros_like(ae)
    torn[1::2] = ae[1::2]  # the couplings 2p+1 ↔ 2p+2 are torn
    dm = dd - torn - np.concatenate([[0.0], torn[:-1]])
    a, c, b = dm[0::2], dm[1::2], ee[0::2]
    nz = b != 0
    tau = (c - a) / (2 * np.where(nz, b, 1.0))
    t = np.where(tau >= 0, 1.0, -1.0) / (np.abs(tau) + np.hypot(1.0, tau))
    t = np.where(nz, t, 0.0)
    cs = 1 / np.sqrt(1 + t * t)
    sn = t * cs
    l1, l2 = a - t * b, c + t * b  # eigenvectors (cs, −sn) and (sn, cs)
    swap = l1 > l2
    W = np.stack([np.where(swap, l2, l1), np.where(swap, l1, l2)], axis=1)
    v1 = np.stack([cs, -sn], axis=1)
    v2 = np.stack([sn, cs], axis=1)
    Z = np.stack([np.where(swap[:, None], v2, v1), np.where(swap[:, None], v1, v2)], axis=2)
    return W, Z


@np.errstate(all="ignore")
def eigh_tridiagonal_dc(d, e, block=_BLOCK, top=None, select=None):
    r"""Eigenvalues (ascending) and eigenvectors of one symmetric tridiagonal matrix by divide and
    conquer.

    Parameters
    ----------
    d : ndarray of shape (n,)
        Diagonal.
    e : ndarray of shape (n − 1,)
        Off-diagonal.
    block : int
        A power of two: subproblems up to this order are merged level by level, batched.
    top : int, optional
        Return only the ``top`` largest eigenpairs, as ``select=(n - top, n - 1)``.
    select : (int, int), optional
        Return only the eigenpairs ``lo..hi`` (inclusive) of the ascending order. All eigenvalues
        are still found (the Löwner vectors need them); the last merge forms only the selected
        eigenvectors.

    Returns
    -------
    w : ndarray of shape (n,) or (hi − lo + 1,)
    Z : ndarray of shape (n, n) or (n, hi − lo + 1)
        Orthonormal, ``T @ Z = Z * w`` to a few :math:`n\varepsilon\|T\|`.

    Curriculum: B9.

    Examples
    --------
    >>> import numpy as np
    >>> w, Z = eigh_tridiagonal_dc(np.array([2.0, 2.0, 2.0]), np.array([1.0, 1.0]))
    >>> np.round(w, 8)
    array([0.58578644, 2.        , 3.41421356])
    """
    d = np.asarray(d, dtype=np.float64)
    e = np.asarray(e, dtype=np.float64)
    n = d.size
    if top is not None:
        select = (max(n - int(top), 0), n - 1)
    lo, hi = (0, n - 1) if select is None else (int(select[0]), int(select[1]))
    if not 0 <= lo <= hi + 1 <= n:
        raise ValueError(f"select must satisfy 0 <= lo <= hi + 1 <= n = {n}, got {select}")
    if n == 0 or hi < lo:
        return np.zeros(0), np.zeros((n, 0))
    b = 1
    while b < min(n, block):
        b *= 2
    N = -(-n // b) * b
    bound = float(np.max(np.abs(d))) + 2 * float(np.max(np.abs(e), initial=0.0)) + 1.0
    dd = np.full(N, -2 * bound)  # padding: decoupled, below the spectrum, deflated at every merge
    dd[:n] = d
    ee = np.zeros(N)  # ee[i] couples i and i+1
    ee[: n - 1] = e
    # tear at every position: the 1×1 leaves are d_i − |e_{i−1}| − |e_i|
    ae = np.abs(ee)
    sel = slice(N - n + lo, N - n + hi + 1)  # the padding's eigenvalues come first
    if b == 1:
        W = (dd - ae - np.concatenate([[0.0], ae[:-1]]))[:, None]
        Z = np.ones((N, 1, 1))
        h = 1
    else:
        W, Z = _leaves_2x2(dd, ee)
        h = 2
    while h < b:  # batched levels: pairs of subproblems of order h
        t = np.arange(1, N // h, 2) * h - 1  # the coupling at each tear
        Zt, Zb = Z[0::2], Z[1::2]
        sgn = np.where(ee[t] >= 0, 1.0, -1.0)
        z = np.concatenate([Zt[:, -1, :], sgn[:, None] * Zb[:, 0, :]], axis=1)
        D = np.concatenate([W[0::2], W[1::2]], axis=1)
        if D.shape[0] == 1:  # the last merge
            W, Z = _merge_single(D[0], z[0], float(ae[t[0]]), _blockdiag(Zt, Zb)[0], h, sel)
            return W, np.ascontiguousarray(Z[:n])
        else:
            W, Z = _merge(D, z, ae[t], _blockdiag(Zt, Zb))
        h *= 2
    parts = [(i * b, W[i], Z[i]) for i in range(N // b)]
    if len(parts) == 1:  # n <= 2
        return W[0, sel].copy(), np.ascontiguousarray(Z[0, :n, sel])
    while len(parts) > 1:  # the upper levels, one merge at a time
        nxt = []
        for i in range(0, len(parts) - 1, 2):
            (s1, w1, Q1), (s2, w2, Q2) = parts[i], parts[i + 1]
            c = s2 - 1
            sg = 1.0 if ee[c] >= 0 else -1.0
            z = np.concatenate([Q1[-1], sg * Q2[0]])[None]
            last = len(parts) == 2
            w, Q = _merge_single(np.concatenate([w1, w2]), z[0], float(ae[c]), _blockdiag(Q1[None], Q2[None])[0],
                                 w1.size, sel if last else None)
            nxt.append((s1, w, Q))
        if len(parts) % 2:
            nxt.append(parts[-1])
        parts = nxt
    w, Q = parts[0][1], parts[0][2]
    return w.copy(), np.ascontiguousarray(Q[:n])
