"""Matrix products and low-rank updates: Kronecker, Hadamard, Sherman–Morrison, Woodbury.

Curriculum: B3.
"""

from __future__ import annotations

from aimath.backend import namespace
from aimath.errors import DomainError, ShapeError, check_array, check_same_shape
from aimath.linalg._utils import as_float, mT, prepare

__all__ = ["kron", "hadamard", "sherman_morrison", "woodbury_solve"]


def kron(a, b):
    r"""Kronecker product :math:`A \otimes B`, batched over leading axes.

    .. math::
        (A \otimes B)_{(i-1)p + k,\ (j-1)q + l} = a_{ij}\, b_{kl}

    Parameters
    ----------
    a : array of shape (..., m, n)
    b : array of shape (..., p, q)

    Returns
    -------
    array of shape (..., m p, n q)

    Raises
    ------
    ShapeError, DomainError

    Curriculum: B3.

    Examples
    --------
    >>> import numpy as np
    >>> kron(np.eye(2), np.array([[1.0, 2.0]]))
    array([[1., 2., 0., 0.],
           [0., 0., 1., 2.]])
    """
    xp, a = prepare(a, "a")
    _, b = prepare(b, "b")
    m, n = a.shape[-2:]
    p, q = b.shape[-2:]
    out = a[..., :, None, :, None] * b[..., None, :, None, :]
    return xp.reshape(out, (*out.shape[:-4], m * p, n * q))


def hadamard(a, b):
    r"""Hadamard (entrywise) product :math:`(A \circ B)_{ij} = a_{ij} b_{ij}`.

    Raises
    ------
    ShapeError
        ``a`` and ``b`` differ in shape (no silent broadcasting).

    Curriculum: B3.

    Examples
    --------
    >>> import numpy as np
    >>> hadamard(np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]]))
    array([[3., 8.]])
    """
    check_array(a, "a")
    check_array(b, "b")
    check_same_shape(a, b, "a", "b")
    return a * b


def sherman_morrison(Ainv, u, v):
    r"""Inverse of a rank-one update from the inverse of the original matrix.

    .. math::
        (A + uv^\top)^{-1} = A^{-1} - \frac{A^{-1}u\,v^\top A^{-1}}{1 + v^\top A^{-1} u}

    Parameters
    ----------
    Ainv : array of shape (..., n, n)
    u, v : array of shape (..., n)

    Returns
    -------
    array of shape (..., n, n)

    Raises
    ------
    ShapeError
        Mismatched ``n``.
    DomainError
        NaN/inf, or :math:`1 + v^\top A^{-1}u = 0` (the updated matrix is singular).

    Curriculum: B3.

    Examples
    --------
    >>> import numpy as np
    >>> sherman_morrison(np.eye(2), np.array([1.0, 0.0]), np.array([1.0, 0.0]))
    array([[0.5, 0. ],
           [0. , 1. ]])
    """
    xp, Ainv = prepare(Ainv, "Ainv", square=True)
    n = Ainv.shape[-1]
    for name, x in (("u", u), ("v", v)):
        check_array(x, name, min_ndim=1)
        if x.shape[-1] != n:
            raise ShapeError(f"{name} must have length {n} to match Ainv, got shape {tuple(x.shape)}")
    u, v = as_float(xp, u), as_float(xp, v)
    Au = (Ainv @ u[..., None])[..., 0]
    vA = (mT(Ainv) @ v[..., None])[..., 0]
    denom = 1 + xp.sum(v * Au, axis=-1)
    scale = xp.max(xp.abs(Au), axis=-1) * xp.max(xp.abs(v), axis=-1) + 1
    if bool(xp.any(xp.abs(denom) <= 1e-14 * scale)):
        raise DomainError("the updated matrix A + u vᵀ is singular: 1 + vᵀ A⁻¹ u = 0")
    return Ainv - Au[..., :, None] * vA[..., None, :] / denom[..., None, None]


def woodbury_solve(A_solve, U, C, V, b):
    r"""Solve :math:`(A + UCV)x = b` using only solves with :math:`A` (Woodbury identity).

    .. math::
        (A + UCV)^{-1} = A^{-1} - A^{-1}U\,(C^{-1} + VA^{-1}U)^{-1}\,VA^{-1}

    With :math:`A` easy (diagonal, banded, factored) and :math:`k \ll n`, this costs
    :math:`k + 1` solves with :math:`A` and one :math:`k \times k` solve.

    Parameters
    ----------
    A_solve : callable or array of shape (n, n)
        ``A_solve(R)`` returns :math:`A^{-1}R` for R of shape (n, j); an array is solved with
        :func:`aimath.linalg.solve`.
    U : array of shape (n, k)
    C : array of shape (k, k), invertible
    V : array of shape (k, n)
    b : array of shape (n,) or (n, j)

    Returns
    -------
    x : array, the shape of ``b``

    Raises
    ------
    ShapeError
        Inconsistent shapes.
    DomainError
        NaN/inf, or a singular capacitance matrix :math:`C^{-1} + VA^{-1}U`.

    Curriculum: B3.

    Examples
    --------
    >>> import numpy as np
    >>> x = woodbury_solve(np.eye(2), np.ones((2, 1)), np.eye(1), np.ones((1, 2)), np.array([3.0, 3.0]))
    >>> x
    array([1., 1.])
    """
    from aimath.linalg.lu import solve

    xp = namespace(U, C, V, b)
    check_array(U, "U", ndim=2)
    check_array(V, "V", ndim=2)
    check_array(C, "C", ndim=2)
    check_array(b, "b", min_ndim=1)
    n, k = U.shape
    if tuple(C.shape) != (k, k) or tuple(V.shape) != (k, n) or b.shape[0] != n:
        raise ShapeError(f"need U (n, k), C (k, k), V (k, n), b (n, …); got U {tuple(U.shape)}, C {tuple(C.shape)}, "
                         f"V {tuple(V.shape)}, b {tuple(b.shape)}")
    U, C, V, b = (as_float(xp, t) for t in (U, C, V, b))
    if callable(A_solve):
        Asolve = A_solve
    else:
        A = A_solve
        Asolve = lambda R: solve(A, R)  # noqa: E731
    vec = b.ndim == 1
    B = b[:, None] if vec else b
    AiU = Asolve(U)
    Aib = Asolve(B)
    cap = solve(C, xp.eye(k, dtype=U.dtype)) + V @ AiU
    x = Aib - AiU @ solve(cap, V @ Aib)
    return x[:, 0] if vec else x
