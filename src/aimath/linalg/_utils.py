"""Private helpers shared by the linear-algebra kernels (not part of the public API)."""

from __future__ import annotations

from aimath.backend import float_dtype, is_torch, namespace
from aimath.errors import ShapeError, check_matrix, shape_of


def mT(A):
    """Swap the last two axes (a view for NumPy and torch)."""
    return A.transpose(-1, -2) if is_torch(A) else A.swapaxes(-1, -2)


def as_float(xp, A):
    """``A`` in its floating dtype (integers become float64); float32 stays float32."""
    dt = float_dtype(A, xp)
    return A if A.dtype == dt else xp.astype(A, dt)


def copy(xp, A):
    """A writable, contiguous copy of ``A``."""
    return A.clone().contiguous() if is_torch(A) else A.copy()


def eps(A) -> float:
    """Machine epsilon of ``A``'s floating dtype."""
    import numpy as np

    name = str(A.dtype).split(".")[-1]
    return float(np.finfo(np.float32 if "float32" in name else np.float64).eps)


def eye(xp, n, like, batch=(), ncols=None):
    """The identity of size ``n`` (its first ``ncols`` columns only, if given) with ``like``'s dtype and
    device, broadcast to ``batch``."""
    from aimath.backend import device

    k = n if ncols is None else ncols
    I = xp.eye(n, k, dtype=like.dtype, device=device(like))
    if batch:
        I = xp.broadcast_to(I, (*batch, n, k))
        I = copy(xp, I)
    return I


def zeros(xp, shape, like):
    from aimath.backend import device

    return xp.zeros(shape, dtype=like.dtype, device=device(like))


def arange(xp, n, like):
    from aimath.backend import device

    return xp.arange(n, device=device(like))


def take_cols(xp, A, idx):
    """Gather columns of ``A`` (..., m, n) by ``idx`` of shape (..., k) (per-matrix indices)."""
    idx = xp.broadcast_to(idx[..., None, :], (*A.shape[:-1], idx.shape[-1]))
    return xp.take_along_axis(A, idx, axis=-1)


def take_rows(xp, A, idx):
    """Gather rows of ``A`` (..., m, n) by ``idx`` of shape (..., k)."""
    idx = xp.broadcast_to(idx[..., :, None], (*A.shape[:-2], idx.shape[-1], A.shape[-1]))
    return xp.take_along_axis(A, idx, axis=-2)


def prepare(A, name, *, square=False):
    """Validate a (stack of) matrices and return ``(xp, A_float)``."""
    xp = namespace(A)
    if not hasattr(A, "shape"):
        import numpy as np

        A = np.asarray(A)
        xp = namespace(A)
    check_matrix(A, name, square=square)
    if getattr(A.dtype, "kind", "") == "c" or getattr(A.dtype, "is_complex", False):
        raise TypeError(f"{name} must be real, got dtype {A.dtype}")
    return xp, as_float(xp, A)


def rhs(xp, A, b, name="b"):
    """Normalise a right-hand side to ``(..., n, k)`` following NumPy 2's ``solve`` rule.

    ``b`` of shape ``(n,)`` is a vector (returned with ``vector=True``); any other ``b`` is a
    stack of matrices ``(..., n, k)`` broadcast against ``A``'s batch shape.
    """
    import numpy as np

    if not hasattr(b, "shape"):
        b = np.asarray(b)
    n = A.shape[-1]
    s = shape_of(b)
    from aimath.errors import check_finite

    check_finite(b, name)
    if len(s) == 1:
        if s[0] != n:
            raise ShapeError(f"{name} must have length {n} to match A of shape {shape_of(A)}, got shape {s}")
        B = b[:, None]
        vector = True
    elif len(s) >= 2:
        if s[-2] != n:
            raise ShapeError(
                f"{name} must have shape (..., {n}, k) (or ({n},)) to match A of shape {shape_of(A)}, got shape {s}"
            )
        B = b
        vector = False
    else:
        raise ShapeError(f"{name} must be a vector ({n},) or a stack of matrices (..., {n}, k), got shape {s}")
    B = xp.astype(B, A.dtype) if B.dtype != A.dtype else B
    try:
        batch = tuple(np.broadcast_shapes(A.shape[:-2], B.shape[:-2]))
    except ValueError as exc:
        raise ShapeError(f"batch shapes of A {shape_of(A)} and {name} {s} do not broadcast") from exc
    return B, vector, batch


def diag(A):
    """The diagonal of ``A`` (..., n, n) as (..., n) (a view)."""
    if is_torch(A):
        return A.diagonal(dim1=-2, dim2=-1)
    return A.diagonal(axis1=-2, axis2=-1)


def tril(xp, A, k=0):
    return xp.tril(A, k=k)


def triu(xp, A, k=0):
    return xp.triu(A, k=k)


def flat(xp, A, tail=2):
    """Reshape ``A`` to one batch axis followed by its last ``tail`` axes (works for empty A)."""
    import math

    batch = A.shape[: A.ndim - tail]
    return xp.reshape(A, (math.prod(batch), *A.shape[A.ndim - tail :]))
