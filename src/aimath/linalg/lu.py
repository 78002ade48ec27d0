"""LU factorisation with partial pivoting, and what it buys: solve, det, slogdet, inv.

Curriculum: B7. The fast form is recursive elimination for one matrix (halves of the columns
joined by one triangular solve and one matrix product) and blocked right-looking elimination for
stacks (a panel of columns by plain elimination, then one triangular solve and one matrix product
for the rest), so nearly all the work is in matrix products; :func:`lu_unblocked` is the textbook one-column-at-a-time
elimination, kept beside it and tested equal.
"""

from __future__ import annotations

import numpy as np

from aimath.backend import is_torch, namespace
from aimath.errors import DomainError
from aimath.linalg._utils import arange, copy, diag, eye, flat, prepare, rhs, take_cols, take_rows, tril, triu
from aimath.linalg.triangular import trsm

__all__ = ["lu", "lu_factor", "lu_solve", "lu_unblocked", "solve", "det", "slogdet", "inv"]

_NB = 128  # panel width of the blocked factorisation of a stack
_LEAF = 32  # strip width of the recursive factorisation of one matrix
_TRSM_LEAF = 32  # diagonal blocks of L applied through their explicit inverses


def _panel(W, pivoting=True):
    """Unblocked right-looking elimination of ``W`` (B, m, n), m ≥ n, in place.

    Returns ``(perm, swaps)``: row ``i`` of the result is row ``perm[i]`` of the input, and
    ``swaps[j]`` is the row exchanged with row ``j`` at step ``j`` (LAPACK's ``ipiv``).
    """
    xp = namespace(W)
    Bn, m, n = W.shape
    if Bn == 1 and not is_torch(W):
        return _panel_single(W, pivoting)
    bi = arange(xp, Bn, W)
    perm = copy(xp, xp.broadcast_to(arange(xp, m, W)[None, :], (Bn, m)))
    swaps = copy(xp, xp.broadcast_to(arange(xp, min(m, n), W)[None, :], (Bn, min(m, n))))
    for j in range(min(m, n)):
        if pivoting:
            piv = xp.argmax(xp.abs(W[:, j:, j]), axis=-1) + j
            swaps[:, j] = piv
            rj, rp = copy(xp, W[:, j, :]), W[bi, piv, :]
            W[:, j, :] = rp
            W[bi, piv, :] = rj
            pj, pp = copy(xp, perm[:, j]), perm[bi, piv]
            perm[:, j] = pp
            perm[bi, piv] = pj
        pv = W[:, j, j]
        pv = xp.where(pv == 0, xp.ones_like(pv), pv)
        W[:, j + 1 :, j] /= pv[:, None]
        if j + 1 < n:
            W[:, j + 1 :, j + 1 :] -= W[:, j + 1 :, j : j + 1] * W[:, j : j + 1, j + 1 :]
    return perm, swaps


def _panel_single(W, pivoting):
    """The same elimination for one NumPy matrix, with scalar pivot bookkeeping (fewer calls)."""
    P = W[0]
    m, n = P.shape
    perm = np.arange(m)
    swaps = np.arange(min(m, n))
    for j in range(min(m, n)):
        if pivoting:
            p = j + int(np.argmax(np.abs(P[j:, j])))
            swaps[j] = p
            if p != j:
                P[[j, p]] = P[[p, j]]
                perm[[j, p]] = perm[[p, j]]
        pv = P[j, j]
        if pv != 0:
            P[j + 1 :, j] /= pv
        if j + 1 < n:
            P[j + 1 :, j + 1 :] -= np.multiply.outer(P[j + 1 :, j], P[j, j + 1 :])
    return perm[None, :], swaps[None, :]


def _leaf_single(M, j0, j1, perm, swaps):
    r"""Eliminate columns ``j0:j1`` (rows ``j0:``) of one NumPy matrix ``M`` in Crout order.

    Column :math:`j` of the strip is brought up to date only when it is reached, by one
    matrix-vector product with the multipliers already found, its pivot is chosen and swapped
    in, and the pivot row's part of :math:`U` right of it is finished by a second, small one:

    .. math::
        a_{:,j} \leftarrow a_{:,j} - L_{:,<j}\,u_{<j,j}, \qquad
        u_{j,>j} \leftarrow a_{j,>j} - \ell_{j,<j}\,U_{<j,>j}, \qquad
        \ell_{>j,j} = a_{>j,j} / u_{jj}.

    The same sums as right-looking elimination, in another order (the dot-product, or Crout,
    form of Gaussian elimination; Golub & Van Loan, *Matrix Computations*, ch. 3), with the same
    pivots; it replaces one rank-1 update of the whole strip per column (an outer product
    written and subtracted) by two matrix-vector products. The strip is worked on as a
    contiguous copy (a transposed copy costs several times more to make than it saves), the
    updated column as a contiguous vector; its row interchanges are applied to the rest of ``M``
    once, at the end (LAPACK's ``dlaswp``).
    """
    S = M[j0:, j0:j1].copy()
    m, w = S.shape
    buf = np.empty(m)
    sw = [0] * w  # sw[j]: the local row swapped with row j at step j
    c = S[:, 0].copy()  # column j of the strip, rows j:, brought up to date
    for jj in range(w):
        p = int(np.abs(c, out=buf[: m - jj]).argmax())
        piv = c[p]
        if piv != 0.0:
            c /= piv
        if p:
            c[p] = c[0]  # the multiplier of the row that moves down to p
            p += jj
            t = S[jj].copy()
            S[jj] = S[p]
            S[p] = t
        c[0] = piv
        sw[jj] = p or jj
        S[jj:, jj] = c
        k = jj + 1
        if k < w:
            S[jj, k:] -= S[jj, :jj] @ S[:jj, k:]  # u_{j,>j} = a_{j,>j} - l_{j,<j} U_{<j,>j}
            c = S[k:, k] - S[k:, :k] @ S[:k, k]  # a_{:,j+1} - L_{:,≤j} u_{≤j,j+1}
    M[j0:, j0:j1] = S
    swaps[j0:j1] = sw
    swaps[j0:j1] += j0
    src = {}  # local row position -> local row it now holds
    for jj, p in enumerate(sw):
        if p != jj:
            src[jj], src[p] = src.get(p, p), src.get(jj, jj)
    moves = [(d, s_) for d, s_ in src.items() if d != s_]
    if moves:
        dst = np.array([d for d, _ in moves]) + j0
        srcs = np.array([s_ for _, s_ in moves]) + j0
        if j0:
            M[dst, :j0] = M[srcs, :j0]
        if j1 < M.shape[1]:
            M[dst, j1:] = M[srcs, j1:]
        perm[dst] = perm[srcs]


def _unit_lower_inv(L):
    r"""Inverse of the unit lower triangle of the small square ``L`` (only its strict lower part is read).

    By doubling: with the inverses :math:`E_{11}, E_{22}` of the two diagonal halves of a block
    known, the inverse of the block is

    .. math::
        \begin{pmatrix} L_{11} & 0 \\ L_{21} & L_{22} \end{pmatrix}^{-1}
        = \begin{pmatrix} E_{11} & 0 \\ -E_{22} L_{21} E_{11} & E_{22} \end{pmatrix},

    so all the diagonal blocks of one size are joined at once by two stacked matrix products
    (five rounds for 32 rows, after padding to a power of two with the identity).
    """
    w = L.shape[0]
    q = 1 << max(w - 1, 0).bit_length()
    Lp = np.zeros((q, q), dtype=L.dtype)
    Lp[:w, :w] = L
    E = np.eye(q, dtype=L.dtype)
    it = E.itemsize
    s = 1
    while s < q:  # the diagonal blocks of size 2s, as a stack of views
        st = (2 * s * (q + 1) * it, q * it, it)
        D = np.ndarray((q // (2 * s), 2 * s, 2 * s), dtype=E.dtype, buffer=E, strides=st)
        Ld = np.ndarray(D.shape, dtype=E.dtype, buffer=Lp, strides=st)
        D[:, s:, :s] = -(D[:, s:, s:] @ (Ld[:, s:, :s] @ D[:, :s, :s]))
        s *= 2
    return E[:w, :w]


def _trsm_unit_lower(M, a, b, X, inverses):
    r"""``X ← L⁻¹X`` with ``L`` the unit lower triangle of ``M[a:b, a:b]``, recursively.

    Halves are joined by one matrix product; a diagonal block of at most ``_TRSM_LEAF`` rows is
    applied as one product with its explicit inverse, computed once per block and kept in
    ``inverses`` (the same block serves the solves of every level of :func:`_lu_rec` above it).
    With partial pivoting :math:`|\ell_{ij}| \le 1`, so these small inverses stay modest
    (the block-LU variant with inverted diagonal blocks, Demmel, Higham & Schreiber 1995).
    """
    if b - a <= _TRSM_LEAF:
        E = inverses.get((a, b))
        if E is None:
            E = inverses[(a, b)] = _unit_lower_inv(M[a:b, a:b])
        X[...] = E @ X
        return
    h = a + (b - a) // 2
    _trsm_unit_lower(M, a, h, X[: h - a], inverses)
    X[h - a :] -= M[h:b, a:h] @ X[: h - a]
    _trsm_unit_lower(M, h, b, X[h - a :], inverses)


def _lu_rec(M, j0, j1, perm, swaps, leaf, inverses):
    r"""Recursive LU with partial pivoting (Toledo) of columns ``j0:j1``, rows ``j0:``, of ``M``.

    .. math::
        P_1\begin{pmatrix}A_{11}\\A_{21}\end{pmatrix} = \begin{pmatrix}L_{11}\\L_{21}\end{pmatrix}U_{11},
        \qquad U_{12} = L_{11}^{-1}A_{12}, \qquad A_{22} \leftarrow A_{22} - L_{21}U_{12},

    then the same on :math:`A_{22}`: one triangular solve and one matrix product join the halves,
    so only ``leaf``-wide strips are eliminated column by column.
    """
    if j1 - j0 <= leaf:
        _leaf_single(M, j0, j1, perm, swaps)
        return
    h = j0 + (j1 - j0) // 2
    _lu_rec(M, j0, h, perm, swaps, leaf, inverses)
    _trsm_unit_lower(M, j0, h, M[j0:h, h:j1], inverses)
    if h < M.shape[0]:
        M[h:, h:j1] -= M[h:, j0:h] @ M[j0:h, h:j1]
    _lu_rec(M, h, j1, perm, swaps, leaf, inverses)


def _lu_blocked_single(M, leaf=_LEAF):
    """:func:`_lu_blocked` for one NumPy matrix: the recursive form :func:`_lu_rec`."""
    m, n = M.shape
    k = min(m, n)
    perm = np.arange(m)
    swaps = np.arange(k)
    inverses = {}
    _lu_rec(M, 0, k, perm, swaps, leaf, inverses)
    if k < n:  # wide: the block right of the square part is U₁₂ = L₁₁⁻¹A₁₂
        _trsm_unit_lower(M, 0, k, M[:k, k:], inverses)
    return perm[None, :], swaps[None, :]


def _lu_blocked(W, nb=_NB):
    """Blocked right-looking LU with partial pivoting of ``W`` (B, m, n) in place.

    For each panel of ``nb`` columns: eliminate it with :func:`_panel`, apply its row
    interchanges to the other columns, solve for the block row of U (one triangular solve) and
    update the trailing matrix with one matrix product.
    """
    xp = namespace(W)
    Bn, m, n = W.shape
    k = min(m, n)
    if Bn == 1 and not is_torch(W):
        return _lu_blocked_single(W[0])
    perm = copy(xp, xp.broadcast_to(arange(xp, m, W)[None, :], (Bn, m)))
    swaps = []
    for j0 in range(0, k, nb):
        j1 = min(j0 + nb, k)
        p, s_ = _panel(W[:, j0:, j0:j1])
        swaps.append(s_ + j0)
        if j0 > 0:
            W[:, j0:, :j0] = take_rows(xp, W[:, j0:, :j0], p)
        if j1 < n:
            W[:, j0:, j1:] = take_rows(xp, W[:, j0:, j1:], p)
            trsm(W[:, j0:j1, j0:j1], W[:, j0:j1, j1:], lower=True, unit=True)
            if j1 < m:
                W[:, j1:, j1:] -= W[:, j1:, j0:j1] @ W[:, j0:j1, j1:]
        perm[:, j0:] = xp.take_along_axis(perm[:, j0:], p, axis=-1)
    return perm, xp.concat(swaps, axis=-1)


def _factor(A, pivoting=True):
    """Factor a stack ``A`` (..., m, n) into the packed LU array, ``perm`` and ``swaps``."""
    xp = namespace(A)
    batch, (m, n) = A.shape[:-2], A.shape[-2:]
    W = copy(xp, flat(xp, A))
    k = min(m, n)
    if not pivoting:
        perm, swaps = _panel(W, pivoting=False)
    else:
        perm, swaps = _lu_blocked(W)
    return (xp.reshape(W, (*batch, m, n)), xp.reshape(perm, (*batch, m)), xp.reshape(swaps, (*batch, k)))


def lu_unblocked(A, *, count_flops=False):
    r"""Textbook Gaussian elimination with partial pivoting on one matrix: ``(P, L, U)``.

    At step :math:`k` pick the largest :math:`|a_{ik}|, i \ge k`, swap it into row :math:`k`,
    then for every :math:`i > k`: :math:`\ell_{ik} = a_{ik}/a_{kk}`,
    :math:`a_{i,:} \leftarrow a_{i,:} - \ell_{ik} a_{k,:}`. With ``count_flops=True`` the
    floating-point operations actually performed are counted and returned as a fourth value
    (:math:`\tfrac23 n^3 + O(n^2)`).

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> P, L, U = lu_unblocked(np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> bool(np.allclose(P @ L @ U, [[1, 2], [3, 4]]))
    True
    """
    U = np.array(A, dtype=float)
    n = U.shape[0]
    L, perm = np.eye(n), np.arange(n)
    flops = 0
    for k in range(n - 1):
        p = k + int(np.argmax(np.abs(U[k:, k])))
        U[[k, p], :], L[[k, p], :k], perm[[k, p]] = U[[p, k], :], L[[p, k], :k], perm[[p, k]]
        if U[k, k] == 0:
            continue
        for i in range(k + 1, n):
            L[i, k] = U[i, k] / U[k, k]
            U[i, k:] -= L[i, k] * U[k, k:]
            flops += 1 + 2 * (n - k)
    out = np.eye(n)[:, perm], L, np.triu(U)
    return (*out, flops) if count_flops else out


def lu(a, permute_l=False, *, pivoting=True):
    r"""LU factorisation :math:`A = PLU` with partial pivoting (SciPy's ``scipy.linalg.lu``).

    .. math::
        A = P L U, \qquad |\ell_{ij}| \le 1

    with :math:`P` a permutation, :math:`L` unit lower triangular (trapezoidal), :math:`U` upper
    triangular (trapezoidal). ``pivoting=False`` performs plain elimination, which is unstable
    (try ``[[1e-20, 1], [1, 1]]``) and is there to show why pivoting matters.

    Parameters
    ----------
    a : array of shape (..., m, n)
    permute_l : bool
        Return ``(P L, U)`` instead of ``(P, L, U)``.
    pivoting : bool
        Partial (row) pivoting, default True.

    Returns
    -------
    P : array of shape (..., m, m)
    L : array of shape (..., m, k), k = min(m, n)
    U : array of shape (..., k, n)

    Raises
    ------
    ShapeError
        ``a`` is not a (stack of) matrices.
    DomainError
        NaN/inf entries; without pivoting, a zero pivot.

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> P, L, U = lu(A)
    >>> bool(np.allclose(P @ L @ U, A)), float(L[1, 0])
    (True, 0.3333333333333333)
    """
    xp, a = prepare(a, "a")
    m, n = a.shape[-2:]
    k = min(m, n)
    if m == 0 or n == 0:
        L = eye(xp, m, a, a.shape[:-2])[..., :k]
        U = a[..., :k, :] * 0
        P = eye(xp, m, a, a.shape[:-2])
        return (P @ L, U) if permute_l else (P, L, U)
    W, perm, _ = _factor(a, pivoting)
    L = tril(xp, W[..., :, :k], -1) + eye(xp, m, a)[:, :k]
    U = triu(xp, W[..., :k, :])
    if not pivoting and bool(xp.any(diag(U[..., :k, :k])[..., :-1] == 0)):
        raise DomainError("a has a zero pivot; elimination without pivoting breaks down (use pivoting=True)")
    P = take_cols(xp, eye(xp, m, a, a.shape[:-2]), perm)
    if permute_l:
        return P @ L, U
    return P, L, U


def lu_factor(a):
    r"""Packed LU factorisation with partial pivoting (SciPy's ``scipy.linalg.lu_factor``).

    .. math::
        P A = L U

    Parameters
    ----------
    a : array of shape (..., n, n)

    Returns
    -------
    lu : array of shape (..., n, n)
        ``U`` in the upper triangle, the multipliers of ``L`` below the diagonal.
    piv : int array of shape (..., n)
        LAPACK pivot indices: row ``i`` was interchanged with row ``piv[i]``.

    Raises
    ------
    ShapeError, DomainError
        Not square; NaN/inf entries.

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> lu_, piv = lu_factor(np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> piv
    array([1, 1])
    """
    xp, a = prepare(a, "a", square=True)
    if a.shape[-1] == 0:
        return copy(xp, a), xp.zeros(a.shape[:-1], dtype=xp.int64)
    W, _, swaps = _factor(a)
    return W, swaps


def _swaps_to_perm(xp, swaps, m):
    """Turn LAPACK pivot indices (..., k) into the row permutation (..., m)."""
    s = np.asarray(swaps.cpu() if is_torch(swaps) else swaps)
    batch = s.shape[:-1]
    s = s.reshape(-1, s.shape[-1])
    perm = np.broadcast_to(np.arange(m), (s.shape[0], m)).copy()
    bi = np.arange(s.shape[0])
    for j in range(s.shape[1]):
        pj, pp = perm[:, j].copy(), perm[bi, s[:, j]]
        perm[:, j] = pp
        perm[bi, s[:, j]] = pj
    perm = perm.reshape(*batch, m)
    return xp.asarray(perm, device=swaps.device) if is_torch(swaps) else perm


def _solve_factored(xp, W, perm, B):
    """Solve with a packed LU ``W`` and its permutation; ``B`` (..., n, k) broadcast."""
    batch = tuple(np.broadcast_shapes(W.shape[:-2], B.shape[:-2]))
    B = xp.broadcast_to(B, (*batch, *B.shape[-2:]))
    perm = xp.broadcast_to(perm, (*batch, perm.shape[-1]))
    X = copy(xp, take_rows(xp, B, perm))
    trsm(W, X, lower=True, unit=True)
    trsm(W, X, lower=False)
    return X


def lu_solve(lu_and_piv, b, trans=0):
    r"""Solve :math:`Ax = b` from :func:`lu_factor`'s output (SciPy's ``lu_solve``).

    .. math::
        Ly = Pb, \qquad Ux = y

    Parameters
    ----------
    lu_and_piv : tuple (lu, piv)
    b : array of shape (n,) or (..., n, k)
    trans : {0, 1}
        Solve ``A x = b`` (0) or ``Aᵀ x = b`` (1).

    Returns
    -------
    x : array

    Raises
    ------
    DomainError
        A zero on ``U``'s diagonal (singular ``A``).

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, 2.0], [3.0, 4.0]])
    >>> lu_solve(lu_factor(A), np.array([5.0, 11.0]))
    array([1., 2.])
    """
    W, piv = lu_and_piv
    xp, W = prepare(W, "lu", square=True)
    B, vector, _ = rhs(xp, W, b)
    if W.shape[-1] and bool(xp.any(diag(W) == 0)):
        raise DomainError("the matrix is singular: U has a zero on its diagonal")
    perm = _swaps_to_perm(xp, piv, W.shape[-1])
    if trans in (1, 2, "T", "C"):
        # Aᵀ = Uᵀ Lᵀ Pᵀ: solve Uᵀ y = b, Lᵀ z = y, x = P z
        from aimath.linalg._utils import mT

        batch = tuple(np.broadcast_shapes(W.shape[:-2], B.shape[:-2]))
        X = copy(xp, xp.broadcast_to(B, (*batch, *B.shape[-2:])))
        trsm(mT(W), X, lower=True)
        trsm(mT(W), X, lower=False, unit=True)
        inv_perm = xp.argsort(xp.broadcast_to(perm, (*batch, perm.shape[-1])), axis=-1)
        X = take_rows(xp, X, inv_perm)
    else:
        X = _solve_factored(xp, W, perm, B)
    return X[..., 0] if vector else X


def solve(a, b):
    r"""Solve the linear system :math:`a x = b` by LU with partial pivoting.

    .. math::
        PA = LU, \qquad Ly = Pb, \qquad Ux = y

    NumPy 2's ``numpy.linalg.solve`` conventions: ``b`` of shape (n,) is one vector, otherwise
    ``b`` is a stack of (n, k) matrices broadcast against ``a``'s leading axes. (For a batch of
    vectors pass ``b[..., None]`` and take ``[..., 0]``.)

    Parameters
    ----------
    a : array of shape (..., n, n)
    b : array of shape (n,) or (..., n, k)

    Returns
    -------
    x : array, shape of the broadcast ``b``

    Raises
    ------
    ShapeError
        ``a`` not square, or ``b`` of the wrong shape.
    DomainError
        NaN/inf input, or ``a`` exactly singular (a zero pivot; NumPy raises ``LinAlgError``).

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> solve(np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([9.0, 8.0]))
    array([2., 3.])
    """
    xp, a = prepare(a, "a", square=True)
    B, vector, batch = rhs(xp, a, b)
    n = a.shape[-1]
    if n == 0:
        X = copy(xp, xp.broadcast_to(B, (*batch, *B.shape[-2:])))
        return X[..., 0] if vector else X
    if a.ndim == 2 and B.ndim == 2 and isinstance(a, np.ndarray):  # one matrix: reuse L's inverted blocks
        W = np.array(a, order="C", copy=True)
        inverses = {}
        perm = np.arange(n)
        _lu_rec(W, 0, n, perm, np.arange(n), _LEAF, inverses)
        if bool(np.any(np.diagonal(W) == 0)):
            raise DomainError("a is singular: elimination met a zero pivot")
        X = np.ascontiguousarray(B[perm])
        _trsm_unit_lower(W, 0, n, X, inverses)
        trsm(W, X, lower=False)  # U by substitution: its diagonal blocks may be ill-conditioned
        return X[:, 0] if vector else X
    W, perm, _ = _factor(a)
    if bool(xp.any(diag(W) == 0)):
        raise DomainError("a is singular: elimination met a zero pivot")
    X = _solve_factored(xp, W, perm, B)
    return X[..., 0] if vector else X


def _perm_sign(xp, swaps):
    changes = xp.sum(xp.astype(swaps != arange(xp, swaps.shape[-1], swaps), xp.int64), axis=-1)
    return 1 - 2 * (changes % 2)


def slogdet(a):
    r"""Sign and natural log of :math:`|\det a|` from the LU factors (NumPy's ``slogdet``).

    .. math::
        \det A = \det(P)\prod_i u_{ii}, \qquad \log|\det A| = \sum_i \log|u_{ii}|

    Returns
    -------
    sign : array of shape (...)
        ±1, or 0 for a singular matrix.
    logabsdet : array of shape (...)
        ``-inf`` for a singular matrix.

    Raises
    ------
    ShapeError
        ``a`` not square.
    DomainError
        NaN/inf entries.

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> sign, logdet = slogdet(np.array([[0.0, 2.0], [3.0, 0.0]]))
    >>> float(sign), round(float(logdet), 12)
    (-1.0, 1.791759469228)
    """
    xp, a = prepare(a, "a", square=True)
    if a.shape[-1] == 0:
        one = xp.ones(a.shape[:-2], dtype=a.dtype)
        return one, one * 0
    W, _, swaps = _factor(a)
    u = diag(W)
    sign = xp.astype(_perm_sign(xp, swaps), a.dtype) * xp.prod(xp.sign(u), axis=-1)
    with np.errstate(divide="ignore"):  # log 0 = -inf for a singular matrix, as NumPy
        logabs = xp.sum(xp.log(xp.abs(u)), axis=-1)
    return sign, logabs


def det(a):
    r"""Determinant from the LU factors: :math:`\det A = \det(P)\prod_i u_{ii}`.

    Raises
    ------
    ShapeError
        ``a`` not square.
    DomainError
        NaN/inf entries.

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> round(float(det(np.array([[1.0, 2.0], [3.0, 4.0]]))), 12)
    -2.0
    """
    xp, a = prepare(a, "a", square=True)
    if a.shape[-1] == 0:
        return xp.ones(a.shape[:-2], dtype=a.dtype)
    W, _, swaps = _factor(a)
    return xp.astype(_perm_sign(xp, swaps), a.dtype) * xp.prod(diag(W), axis=-1)


def inv(a):
    r"""Inverse by solving :math:`AX = I` with one LU factorisation.

    Prefer :func:`solve`: forming the inverse costs more and is less accurate.

    Raises
    ------
    ShapeError
        ``a`` not square.
    DomainError
        NaN/inf entries or ``a`` exactly singular (NumPy raises ``LinAlgError``).

    Curriculum: B7.

    Examples
    --------
    >>> import numpy as np
    >>> inv(np.array([[2.0, 0.0], [0.0, 4.0]]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    xp, a = prepare(a, "a", square=True)
    return solve(a, eye(xp, a.shape[-1], a, a.shape[:-2]))
