r"""Lanczos tridiagonalisation with full reorthogonalisation.

Curriculum: B9. From a unit vector :math:`q_1`, the Krylov basis :math:`q_1, q_2, \dots` of a
symmetric :math:`A` satisfies the three-term recurrence

.. math::
    A q_k = \beta_{k-1} q_{k-1} + \alpha_k q_k + \beta_k q_{k+1}, \qquad
    \alpha_k = q_k^\top A q_k, \quad \beta_k = \|A q_k - \alpha_k q_k - \beta_{k-1} q_{k-1}\|,

so after :math:`n` steps :math:`Q^\top A Q = T` is tridiagonal with diagonal :math:`\alpha` and
off-diagonal :math:`\beta`. In floating point the :math:`q_k` lose orthogonality as soon as a Ritz
value converges (Paige), so every new direction is orthogonalised against all previous ones, twice
(classical Gram–Schmidt twice, "twice is enough", and once more while a pass removes more than half
of what is left: Kahan–Parlett); the coefficients of the passes add up to :math:`\alpha_k`, and
:math:`Q` stays orthonormal to working precision. Then
:math:`\|AQ - QT\| = O(\varepsilon\|A\|)`, a backward-stable reduction like Householder's. When
:math:`\beta_k` falls to the rounding level the Krylov space is invariant: :math:`T` splits there
(:math:`\beta_k = 0`, an :math:`O(\varepsilon\|A\|)` perturbation) and the recurrence restarts from
a random direction orthogonal to the basis, which is how repeated eigenvalues are found.

Each step is one matrix–vector product with :math:`A` and four with the basis, against about
twenty small operations per column of the Householder reduction
(:func:`~aimath.linalg.tridiagonal.tridiagonalize`), and :math:`Q` comes out explicitly, so the
eigenvectors are one product :math:`V = QZ`: for one small matrix (order up to a few hundred,
where NumPy's per-call overhead and not the flop count sets the time) this is the faster way to
the tridiagonal form.
"""

from __future__ import annotations

import math

import numpy as np

from aimath.errors import DomainError, ShapeError, check_matrix

__all__ = ["lanczos_tridiagonal"]

_PASSES = 4  # reorthogonalisation passes at most after the first (two unless a pass cancels)


def lanczos_tridiagonal(A, v0=None, *, seed=0, reorthogonalize=True):
    r"""Tridiagonal :math:`T = Q^\top A Q` of a symmetric matrix by Lanczos with full
    reorthogonalisation.

    Parameters
    ----------
    A : ndarray of shape (n, n)
        Symmetric (only symmetric input gives a meaningful :math:`T`; it is not checked, as in
        LAPACK's reductions).
    v0 : ndarray of shape (n,), optional
        Starting direction (normalised here); default a Gaussian vector from ``seed``.
    seed : int
        Seeds the default start and the restarts after an invariant subspace.
    reorthogonalize : bool
        ``False`` runs the textbook three-term recurrence alone, to show what the reorthogonalisation
        is for: once a Ritz value converges the :math:`q_k` lose orthogonality and copies of
        converged eigenvalues ("ghosts") appear in :math:`T` (Paige).

    Returns
    -------
    d : ndarray of shape (n,)
        Diagonal :math:`\alpha` of :math:`T`.
    e : ndarray of shape (n − 1,)
        Off-diagonal :math:`\beta \ge 0` (exact zeros where the Krylov space was invariant).
    Q : ndarray of shape (n, n)
        Orthonormal, :math:`AQ = QT` to :math:`O(n\varepsilon\|A\|)`; its first column is ``v0``.

    Raises
    ------
    ShapeError
        ``A`` not square 2-D, or ``v0`` of the wrong length.
    DomainError
        NaN/inf entries, or a zero ``v0``.

    Curriculum: B9.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.linalg import eigvalsh
    >>> A = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 4.0]])
    >>> d, e, Q = lanczos_tridiagonal(A)
    >>> T = np.diag(d) + np.diag(e, 1) + np.diag(e, -1)
    >>> bool(np.allclose(Q.T @ A @ Q, T)), bool(np.allclose(eigvalsh(T), eigvalsh(A)))
    (True, True)
    """
    check_matrix(A, "A", square=True)
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ShapeError(f"A must be one (n, n) matrix, got shape {A.shape}")
    s = float(np.max(np.abs(A))) if A.size else 0.0
    s = s if s > 0 else 1.0  # scaled to max |a_ij| = 1: no square of an entry under- or overflows
    d, e, Q = (_lanczos if reorthogonalize else _lanczos_plain)(A / s, v0, seed)
    return d * s, e * s, Q


def _start(n, v0, rng):
    v = rng.standard_normal(n) if v0 is None else np.asarray(v0, dtype=np.float64).reshape(-1).copy()
    if v.shape[0] != n:
        raise ShapeError(f"v0 must have length {n}, got shape {np.shape(v0)}")
    nv = math.sqrt(float(v @ v))
    if not nv > 0 or not math.isfinite(nv):
        raise DomainError(f"v0 must be a finite non-zero vector, got norm {nv}")
    return v / nv


def _lanczos_plain(A, v0=None, seed=0):
    """The three-term recurrence alone (no reorthogonalisation; a fresh direction only after an
    exact breakdown), on ``A`` scaled to entries of order one."""
    n = A.shape[0]
    rng = np.random.default_rng(seed)
    d, e, Q = np.zeros(n), np.zeros(max(n - 1, 0)), np.zeros((n, n))
    if n == 0:
        return d, e, Q
    v, v_prev, beta = _start(n, v0, rng), np.zeros(n), 0.0
    for k in range(n):
        Q[:, k] = v
        w = A @ v - beta * v_prev
        d[k] = float(v @ w)
        if k == n - 1:
            break
        w -= d[k] * v
        beta = math.sqrt(float(w @ w))
        e[k] = beta
        v_prev, v = v, (w / beta if beta > 0 else _start(n, None, rng))
    return d, e, Q


def _lanczos(A, v0=None, seed=0):
    """The recurrence on ``A`` scaled to entries of order one (callers scale)."""
    n = A.shape[0]
    rng = np.random.default_rng(seed)
    d, e = np.zeros(n), np.zeros(max(n - 1, 0))
    Qr = np.zeros((n, n))  # the basis as rows: contiguous products with the first k rows
    if n == 0:
        return d, e, Qr
    v = _start(n, v0, rng)
    tol = n * float(np.finfo(np.float64).eps) * math.sqrt(float(np.sum(A * A)))  # invariant below this
    for k in range(n):
        Qr[k] = v
        if k == n - 1:
            d[k] = float(v @ (A @ v))
            break
        B = Qr[: k + 1]
        w = A @ v
        h = B @ w  # h[k] = α_k, h[k−1] ≈ β_{k−1}, the rest rounding
        w -= h @ B
        alpha = h[k]
        before = math.sqrt(float(w @ w))
        for _ in range(_PASSES):  # again while a pass cancels more than half the norm (Kahan–Parlett)
            h = B @ w
            w -= h @ B
            alpha += h[k]
            beta = math.sqrt(float(w @ w))
            if beta > 0.5 * before:
                break
            before = beta
        d[k] = alpha
        if beta > tol:
            e[k] = beta
            v = w / beta
            continue
        for _ in range(3):  # invariant subspace: T splits, restart orthogonally to the basis
            w = rng.standard_normal(n)
            w -= (B @ w) @ B
            w -= (B @ w) @ B
            nw = math.sqrt(float(w @ w))
            if nw > 0.5:
                break
        v = w / nw
    return d, e, Qr.T
