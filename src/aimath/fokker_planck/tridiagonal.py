"""Tridiagonal solves for implicit Fokker–Planck steps: the Thomas algorithm (textbook, one sweep
down and one up, vectorised over many systems at once), cyclic reduction (the fast form: log₂ n
vectorised levels, factored once and reused for every right-hand side) and the periodic (cyclic)
tridiagonal system by Sherman–Morrison.

A system is given by its three diagonals, each of shape ``(n, *batch)``: ``lower[i]`` multiplies
``x[i-1]`` (``lower[0]`` is ignored), ``diag[i]`` multiplies ``x[i]``, ``upper[i]`` multiplies
``x[i+1]`` (``upper[-1]`` is ignored). Neither solver pivots: both are stable for the diagonally
dominant M-matrices ``I − Δt·A`` of the Fokker–Planck schemes (the odd–even reordering of cyclic
reduction is a symmetric permutation, which keeps an M-matrix an M-matrix).

Curriculum: B21 (implicit steps), B4 (elimination without pivoting).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from aimath.errors import DomainError, ShapeError, check_array

__all__ = ["thomas", "CyclicReduction", "cyclic_reduction", "solve_tridiagonal", "PeriodicTridiagonal",
           "periodic_tridiagonal", "solve_periodic_tridiagonal"]


def as_float_array(x, name, **checks):
    """``x`` as a NumPy floating array (integers become float64), validated by ``check_array``."""
    x = np.asarray(x)
    if x.dtype.kind not in "fc":
        if x.dtype.kind not in "biu":
            raise TypeError(f"{name} must be a real floating array, got dtype {x.dtype}")
        x = x.astype(np.float64)
    check_array(x, name, **checks)
    return x


def _check_diagonals(lower, diag, upper):
    lower = as_float_array(lower, "lower", min_ndim=1, nonempty=True)
    diag = as_float_array(diag, "diag", min_ndim=1, nonempty=True)
    upper = as_float_array(upper, "upper", min_ndim=1, nonempty=True)
    if not (lower.shape == diag.shape == upper.shape):
        raise ShapeError(f"lower, diag and upper must have the same shape (n, *batch), got "
                         f"{tuple(lower.shape)}, {tuple(diag.shape)} and {tuple(upper.shape)}")
    return lower, diag, upper


def _check_rhs(rhs, n):
    rhs = as_float_array(rhs, "rhs", min_ndim=1)
    if rhs.shape[0] != n:
        raise ShapeError(f"rhs must have {n} rows (one per unknown), got shape {tuple(rhs.shape)}")
    return rhs


def _align(coef, ndim):
    """Coefficients of shape (n, *B) against right-hand sides of shape (n, *B, *extra)."""
    return coef.reshape(coef.shape + (1,) * (ndim - coef.ndim))


def thomas(lower, diag, upper, rhs):
    """Solve tridiagonal systems by the Thomas algorithm (Gaussian elimination without pivoting).

    .. math::

        c'_0 = \\frac{c_0}{b_0},\\quad d'_0 = \\frac{d_0}{b_0},\\qquad
        m_i = b_i - a_i c'_{i-1},\\quad c'_i = \\frac{c_i}{m_i},\\quad d'_i = \\frac{d_i - a_i d'_{i-1}}{m_i},

        x_{n-1} = d'_{n-1},\\qquad x_i = d'_i - c'_i x_{i+1}

    with :math:`a` = ``lower``, :math:`b` = ``diag``, :math:`c` = ``upper``, :math:`d` = ``rhs``.
    The loop runs over the ``n`` unknowns; each step is vectorised over all the systems at once.

    Parameters
    ----------
    lower, diag, upper : arrays of shape (n, *batch)
    rhs : array of shape (n, *batch) or (n, *batch, k)

    Returns
    -------
    array of the shape of ``rhs``

    Raises
    ------
    ShapeError
        Diagonals of different shapes, or ``rhs`` with another number of rows.
    DomainError
        NaN/inf entries, or a zero pivot.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> x = thomas(np.array([0., -1, -1]), np.array([2., 2, 2]), np.array([-1., -1, 0]), np.array([1., 0, 1]))
    >>> x
    array([1., 1., 1.])
    """
    a, b, c = _check_diagonals(lower, diag, upper)
    d = _check_rhs(rhs, b.shape[0])
    a, b, c = (_align(v, d.ndim) for v in (a, b, c))
    n = b.shape[0]
    cp = np.empty(np.broadcast_shapes(c.shape, d.shape), dtype=np.result_type(c, d))
    dp = np.empty_like(cp)
    with np.errstate(divide="ignore", invalid="ignore"):
        cp[0] = c[0] / b[0]
        dp[0] = d[0] / b[0]
        for i in range(1, n):
            m = b[i] - a[i] * cp[i - 1]
            cp[i] = c[i] / m
            dp[i] = (d[i] - a[i] * dp[i - 1]) / m
        x = dp
        for i in range(n - 2, -1, -1):
            x[i] = dp[i] - cp[i] * x[i + 1]
    if not np.all(np.isfinite(x)):
        raise DomainError("thomas: a zero pivot occurred (the matrix is singular or not diagonally dominant)")
    return x


class CyclicReduction(NamedTuple):
    """A factored tridiagonal system: per level the eliminators and the even rows kept.

    Build it with :func:`cyclic_reduction`; call :meth:`solve` for each right-hand side.
    """

    n: int
    levels: tuple  # of (alpha, gamma, a_even, b_even, c_even)
    last: np.ndarray  # the 1×1 system left at the bottom

    def solve(self, rhs):
        """``x`` with ``T x = rhs``; ``rhs`` of shape ``(n, *batch)`` or ``(n, *batch, k)``."""
        d = _check_rhs(rhs, self.n)
        return _cr_solve(self, d)

    def __repr__(self) -> str:
        return f"CyclicReduction(n={self.n}, levels={len(self.levels)})"


def cyclic_reduction(lower, diag, upper) -> CyclicReduction:
    """Factor a tridiagonal matrix by odd–even cyclic reduction (the fast form of :func:`thomas`).

    Each level eliminates the odd-numbered unknowns with their even neighbours,

    .. math::

        \\alpha_i = -\\frac{a_i}{b_{i-1}},\\quad \\gamma_i = -\\frac{c_i}{b_{i+1}},\\qquad
        a'_i = \\alpha_i a_{i-1},\\quad b'_i = b_i + \\alpha_i c_{i-1} + \\gamma_i a_{i+1},\\quad
        c'_i = \\gamma_i c_{i+1},

    halving the system; after :math:`\\lceil\\log_2(n+1)\\rceil` vectorised levels one unknown is
    left, and back-substitution fills in the even rows level by level. The factorisation depends
    on the matrix only, so an implicit time stepper factors once and solves in
    :math:`O(\\log n)` array operations per step.

    Parameters
    ----------
    lower, diag, upper : arrays of shape (n, *batch)

    Returns
    -------
    CyclicReduction

    Raises
    ------
    ShapeError, DomainError
        As :func:`thomas`.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> f = cyclic_reduction(np.array([0., -1, -1]), np.array([2., 2, 2]), np.array([-1., -1, 0]))
    >>> f.solve(np.array([1., 0, 1]))
    array([1., 1., 1.])
    """
    a, b, c = _check_diagonals(lower, diag, upper)
    n = b.shape[0]
    size = 1
    while size < n:
        size = 2 * size + 1
    pad = size - n
    if pad:
        zeros = np.zeros((pad,) + b.shape[1:], dtype=b.dtype)
        a = np.concatenate([a, zeros])
        b = np.concatenate([b, zeros + 1])
        c = np.concatenate([c, zeros])
    a = a.copy()
    c = c.copy()
    a[0] = 0
    c[n - 1] = 0
    levels = []
    while b.shape[0] > 1:
        ae, be, ce = a[0::2], b[0::2], c[0::2]
        ao, bo, co = a[1::2], b[1::2], c[1::2]
        with np.errstate(divide="ignore", invalid="ignore"):
            alpha = -ao / be[:-1]
            gamma = -co / be[1:]
            a, b, c = alpha * ae[:-1], bo + alpha * ce[:-1] + gamma * ae[1:], gamma * ce[1:]
        levels.append((alpha, gamma, ae, be, ce))
    finite = all(np.all(np.isfinite(lev[0])) and np.all(np.isfinite(lev[1])) for lev in levels)
    if not (finite and np.all(np.isfinite(b)) and np.all(b != 0)):
        raise DomainError("cyclic_reduction: a zero pivot occurred (the matrix is singular)")
    return CyclicReduction(n, tuple(levels), b)


def _cr_solve(f: CyclicReduction, d):
    nd = d.ndim
    size = f.last.shape[0]
    for _ in f.levels:
        size = 2 * size + 1
    dtype = np.result_type(d, f.last)
    x = np.zeros((size,) + d.shape[1:], dtype=dtype)  # the padded right-hand side, then the solution
    x[: f.n] = d
    d = x
    stack = []
    for alpha, gamma, _, _, _ in f.levels:
        de = d[0::2]
        stack.append(de)
        r = _align(alpha, nd) * de[:-1]
        r += d[1::2]
        r += _align(gamma, nd) * de[1:]
        d = r
    x = d / _align(f.last, nd)
    for (_, _, ae, be, ce), de in zip(reversed(f.levels), reversed(stack), strict=True):
        out = np.empty((de.shape[0] + x.shape[0],) + x.shape[1:], dtype=dtype)
        xe = out[0::2]
        xe[...] = de
        xe[1:] -= _align(ae[1:], nd) * x
        xe[:-1] -= _align(ce[:-1], nd) * x
        xe /= _align(be, nd)
        out[1::2] = x
        x = out
    return x[: f.n]


def solve_tridiagonal(lower, diag, upper, rhs, *, method: str = "cyclic_reduction"):
    """Solve ``T x = rhs`` for tridiagonal ``T`` (batched), by cyclic reduction or Thomas.

    .. math:: a_i x_{i-1} + b_i x_i + c_i x_{i+1} = d_i,\\qquad i = 0, \\dots, n-1

    Parameters
    ----------
    lower, diag, upper : arrays of shape (n, *batch)
    rhs : array of shape (n, *batch) or (n, *batch, k)
    method : {"cyclic_reduction", "thomas"}

    Returns
    -------
    array of the shape of ``rhs``

    Raises
    ------
    ShapeError, DomainError
        As :func:`thomas`; an unknown ``method``.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> solve_tridiagonal(np.zeros(2), np.array([2., 4.]), np.zeros(2), np.array([2., 2.]))
    array([1. , 0.5])
    """
    if method == "thomas":
        return thomas(lower, diag, upper, rhs)
    if method != "cyclic_reduction":
        raise DomainError(f"method must be 'cyclic_reduction' or 'thomas', got {method!r}")
    return cyclic_reduction(lower, diag, upper).solve(rhs)


class PeriodicTridiagonal(NamedTuple):
    """A factored cyclic tridiagonal matrix (corners ``lower[0]`` and ``upper[-1]``)."""

    inner: CyclicReduction
    z: np.ndarray  # T⁻¹u
    v_last: np.ndarray  # the last entry of v (the first is 1)
    denom: np.ndarray  # 1 + v·z

    def solve(self, rhs):
        d = _check_rhs(rhs, self.inner.n)
        nd = d.ndim
        y = _cr_solve(self.inner, d)
        vy = y[0] + _align(self.v_last, nd - 1) * y[-1]
        return y - _align(self.z, nd) * (vy / _align(self.denom, nd - 1))[None]


def periodic_tridiagonal(lower, diag, upper) -> PeriodicTridiagonal:
    """Factor a cyclic tridiagonal matrix by Sherman–Morrison around cyclic reduction.

    .. math:: M = T + u v^{\\top},\\quad u = (\\gamma, 0, \\dots, 0, c_{n-1}),\\ v = (1, 0, \\dots, 0, a_0/\\gamma),
              \\quad x = y - \\frac{v^{\\top} y}{1 + v^{\\top} z} z,\\ Ty = d,\\ Tz = u

    with :math:`\\gamma = -b_0` and :math:`T` the tridiagonal part with :math:`b_0 - \\gamma` and
    :math:`b_{n-1} - a_0 c_{n-1}/\\gamma` on its diagonal corners.

    Raises
    ------
    ShapeError
        Fewer than 3 unknowns (the corners would overlap the off-diagonals).

    Curriculum: B21
    """
    a, b, c = _check_diagonals(lower, diag, upper)
    n = b.shape[0]
    if n < 3:
        raise ShapeError(f"a periodic tridiagonal system needs n >= 3 unknowns, got n={n}")
    gam = -b[0]
    b2 = b.copy()
    b2[0] = b[0] - gam
    b2[-1] = b[-1] - a[0] * c[-1] / gam
    inner = cyclic_reduction(a, b2, c)
    u = np.zeros_like(b)
    u[0] = gam
    u[-1] = c[-1]
    z = _cr_solve(inner, u)
    v_last = a[0] / gam
    denom = 1 + z[0] + v_last * z[-1]
    return PeriodicTridiagonal(inner, z, v_last, denom)


def solve_periodic_tridiagonal(lower, diag, upper, rhs):
    """Solve the cyclic tridiagonal system ``a_i x_{i-1} + b_i x_i + c_i x_{i+1} = d_i`` (indices mod n).

    .. math:: x_{-1} \\equiv x_{n-1},\\qquad x_n \\equiv x_0

    Parameters
    ----------
    lower, diag, upper : arrays of shape (n, *batch)
        ``lower[0]`` multiplies ``x[n-1]``, ``upper[-1]`` multiplies ``x[0]``.
    rhs : array of shape (n, *batch) or (n, *batch, k)

    Returns
    -------
    array of the shape of ``rhs``

    Raises
    ------
    ShapeError
        As :func:`thomas`, or ``n < 3``.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> solve_periodic_tridiagonal(-np.ones(4), 3 * np.ones(4), -np.ones(4), np.ones(4))
    array([1., 1., 1., 1.])
    """
    return periodic_tridiagonal(lower, diag, upper).solve(rhs)
