"""Inner products, vector and matrix norms, cosine similarity and angles.

Curriculum: B2 (inner products). Every function is batched over leading axes and portable across
NumPy and PyTorch; float32 stays float32.
"""

from __future__ import annotations

import math

from aimath.backend import float_dtype, namespace
from aimath.errors import DomainError, ShapeError, check_array, check_matrix, shape_of

__all__ = ["inner", "norm", "matrix_norm", "cosine_similarity", "angle"]

_INF = float("inf")


def _mT(xp, A):
    return xp.matrix_transpose(A) if hasattr(xp, "matrix_transpose") else A.swapaxes(-1, -2)


def _as_float(xp, x):
    dt = float_dtype(x, xp)
    return x if x.dtype == dt else xp.astype(x, dt)


def inner(x, y, W=None, *, axis: int = -1):
    r"""Inner product :math:`\langle x, y\rangle_W = \bar x^\top W y` (``W = I`` by default).

    .. math::
        \langle x, y \rangle_W = \sum_{i,j} \overline{x_i}\, W_{ij}\, y_j

    A weighted inner product needs :math:`W` symmetric (Hermitian) positive definite: then it is
    symmetric, linear in ``y`` and positive, the three axioms.

    Parameters
    ----------
    x, y : array of shape (..., n)
        Vectors (batched over leading axes, broadcast against each other).
    W : array of shape (..., n, n), optional
        Weight matrix, symmetric positive definite.
    axis : int
        The vector axis (only ``-1`` is allowed together with ``W``).

    Returns
    -------
    array of shape (...)

    Raises
    ------
    ShapeError
        ``x`` and ``y`` (or ``W``) disagree on ``n``.
    DomainError
        NaN/inf input, or ``W`` not symmetric positive definite.

    Curriculum: B2.

    Examples
    --------
    >>> import numpy as np
    >>> inner(np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    np.float64(11.0)
    >>> inner(np.array([1.0, 0.0]), np.array([1.0, 0.0]), W=np.diag([2.0, 1.0]))
    np.float64(2.0)
    """
    xp = namespace(x, y, W)
    check_array(x, "x", min_ndim=1)
    check_array(y, "y", min_ndim=1)
    if shape_of(x)[axis] != shape_of(y)[axis]:
        raise ShapeError(f"x and y must have the same length along axis {axis}, got shapes {shape_of(x)} and "
                         f"{shape_of(y)}")
    x, y = _as_float(xp, x), _as_float(xp, y)
    if W is None:
        return xp.sum(xp.conj(x) * y, axis=axis)
    if axis != -1:
        raise ValueError(f"axis must be -1 when W is given, got {axis}")
    check_matrix(W, "W", symmetric=True)
    n = shape_of(x)[-1]
    if shape_of(W)[-1] != n:
        raise ShapeError(f"W must have shape (..., {n}, {n}) to match x, got shape {shape_of(W)}")
    from aimath.linalg import is_positive_definite

    if not bool(xp.all(is_positive_definite(W))):
        raise DomainError("W must be positive definite for a weighted inner product")
    W = _as_float(xp, W)
    Wy = xp.sum(W * y[..., None, :], axis=-1)
    return xp.sum(xp.conj(x) * Wy, axis=-1)


def norm(x, ord: float | int | None = 2, *, axis: int = -1, keepdims: bool = False):
    r"""Vector :math:`\ell_p` norm along ``axis``.

    .. math::
        \|x\|_p = \Big(\sum_i |x_i|^p\Big)^{1/p}, \qquad \|x\|_\infty = \max_i |x_i|,
        \qquad \|x\|_{-\infty} = \min_i |x_i|, \qquad \|x\|_0 = \#\{i : x_i \ne 0\}

    The 2-norm is computed as :math:`s\,\|x/s\|_2` with :math:`s = \|x\|_\infty`, so it neither
    overflows nor underflows where the result is representable (as LAPACK's ``nrm2`` does).

    Parameters
    ----------
    x : array of shape (..., n, ...)
    ord : {1, 2, inf, -inf, 0} or float > 0, default 2 (``None`` means 2)
        ``0 < p < 1`` gives the (non-norm) quasi-norm sum, as NumPy does.
    axis : int
    keepdims : bool

    Returns
    -------
    array of shape ``x.shape`` without ``axis``.

    Raises
    ------
    DomainError
        NaN/inf input or a negative finite ``ord``.

    Curriculum: B2.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([3.0, -4.0])
    >>> float(norm(x)), float(norm(x, 1)), float(norm(x, np.inf))
    (5.0, 7.0, 4.0)
    """
    xp = namespace(x)
    check_array(x, "x", min_ndim=1)
    x = _as_float(xp, x)
    a = xp.abs(x)
    ord = 2 if ord is None else ord
    if ord == _INF:
        return xp.max(a, axis=axis, keepdims=keepdims) if a.shape[axis] else xp.sum(a, axis=axis, keepdims=keepdims)
    if ord == -_INF:
        return xp.min(a, axis=axis, keepdims=keepdims)
    if ord == 0:
        return xp.sum(xp.astype(a != 0, a.dtype), axis=axis, keepdims=keepdims)
    if ord == 1:
        return xp.sum(a, axis=axis, keepdims=keepdims)
    if not (isinstance(ord, int | float) and ord > 0):
        raise DomainError(f"ord must be a positive number, inf, -inf or 0, got {ord!r}")
    if a.shape[axis] == 0:
        return xp.sum(a, axis=axis, keepdims=keepdims)
    s = xp.max(a, axis=axis, keepdims=True)
    safe = xp.where(s > 0, s, xp.ones_like(s))
    r = a / safe
    if ord == 2:
        val = xp.sqrt(xp.sum(r * r, axis=axis, keepdims=True))
    else:
        val = xp.sum(r**ord, axis=axis, keepdims=True) ** (1.0 / ord)
    out = val * s
    return out if keepdims else xp.squeeze(out, axis=axis)


def matrix_norm(A, ord: float | int | str = "fro", *, keepdims: bool = False):
    r"""Matrix norm of ``A`` (batched over leading axes), NumPy's ``ord`` conventions.

    .. math::
        \|A\|_1 = \max_j \sum_i |a_{ij}|, \quad \|A\|_\infty = \max_i \sum_j |a_{ij}|, \quad
        \|A\|_F = \Big(\sum_{ij} |a_{ij}|^2\Big)^{1/2} = \Big(\sum_k \sigma_k^2\Big)^{1/2},

    .. math::
        \|A\|_2 = \max_{\|x\|_2=1} \|Ax\|_2 = \sigma_1, \qquad \|A\|_* = \sum_k \sigma_k .

    ``ord = -1, -2, -inf`` give the minimum column sum, :math:`\sigma_{\min}` and the minimum
    row sum. The singular values come from :func:`aimath.linalg.svdvals`.

    Parameters
    ----------
    A : array of shape (..., m, n)
    ord : {'fro', 'nuc', 1, -1, 2, -2, inf, -inf}
    keepdims : bool
        Keep the two matrix axes as size 1.

    Returns
    -------
    array of shape (...)

    Raises
    ------
    ShapeError
        ``A`` has fewer than two dimensions.
    DomainError
        NaN/inf entries.
    ValueError
        Unknown ``ord``.

    Curriculum: B2.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, -2.0], [3.0, 4.0]])
    >>> float(matrix_norm(A, 1)), float(matrix_norm(A, np.inf)), round(float(matrix_norm(A)), 6)
    (6.0, 7.0, 5.477226)
    """
    xp = namespace(A)
    check_matrix(A, "A")
    A = _as_float(xp, A)
    a = xp.abs(A)
    if ord in ("fro", "f", None):
        flat = xp.reshape(a, (*a.shape[:-2], -1))
        out = norm(flat, 2, axis=-1)
    elif ord in (1, -1):
        col = xp.sum(a, axis=-2)
        out = xp.max(col, axis=-1) if ord == 1 else xp.min(col, axis=-1)
    elif ord in (_INF, -_INF):
        row = xp.sum(a, axis=-1)
        out = xp.max(row, axis=-1) if ord == _INF else xp.min(row, axis=-1)
    elif ord in (2, -2, "nuc"):
        from aimath.linalg import svdvals

        if min(A.shape[-2:]) == 0:
            out = xp.sum(xp.reshape(a, (*a.shape[:-2], -1)), axis=-1)
        else:
            s = svdvals(A)
            out = {2: lambda: s[..., 0], -2: lambda: s[..., -1], "nuc": lambda: xp.sum(s, axis=-1)}[ord]()
    else:
        raise ValueError(f"ord must be one of 'fro', 'nuc', 1, -1, 2, -2, inf, -inf; got {ord!r}")
    return out[..., None, None] if keepdims else out


def cosine_similarity(x, y, *, axis: int = -1):
    r"""Cosine of the angle between ``x`` and ``y``: :math:`\langle x, y\rangle / (\|x\|\,\|y\|)`.

    Parameters
    ----------
    x, y : array of shape (..., n)
        Non-zero vectors, broadcast against each other.

    Returns
    -------
    array of shape (...) in [-1, 1]

    Raises
    ------
    DomainError
        A zero vector (the angle is undefined) or NaN/inf input.

    Curriculum: B2.

    Examples
    --------
    >>> import numpy as np
    >>> float(cosine_similarity(np.array([1.0, 0.0]), np.array([1.0, 1.0])))
    0.7071067811865475
    """
    xp = namespace(x, y)
    ux, uy = _unit(xp, x, "x", axis), _unit(xp, y, "y", axis)
    c = xp.sum(ux * uy, axis=axis)
    return xp.clip(c, -1.0, 1.0)


def _unit(xp, x, name, axis):
    check_array(x, name, min_ndim=1, nonempty=True)
    x = _as_float(xp, x)
    n = norm(x, 2, axis=axis, keepdims=True)
    if bool(xp.any(n == 0)):
        raise DomainError(f"{name} must be non-zero to define a direction, got a zero vector")
    return x / n


def angle(x, y, *, axis: int = -1, degrees: bool = False):
    r"""The angle :math:`\theta \in [0, \pi]` between ``x`` and ``y``.

    Computed by Kahan's formula, accurate for tiny and near-:math:`\pi` angles where
    :math:`\arccos` of the cosine loses half the digits:

    .. math::
        \theta = 2 \operatorname{atan2}\big(\|\hat x - \hat y\|, \|\hat x + \hat y\|\big),
        \qquad \hat x = x/\|x\|,\ \hat y = y/\|y\| .

    Raises
    ------
    DomainError
        A zero vector or NaN/inf input.

    Curriculum: B2.

    Examples
    --------
    >>> import numpy as np
    >>> round(float(angle(np.array([1.0, 0.0]), np.array([0.0, 2.0]), degrees=True)), 12)
    90.0
    """
    xp = namespace(x, y)
    ux, uy = _unit(xp, x, "x", axis), _unit(xp, y, "y", axis)
    theta = 2 * xp.atan2(norm(ux - uy, 2, axis=axis), norm(ux + uy, 2, axis=axis))
    return theta * (180.0 / math.pi) if degrees else theta
