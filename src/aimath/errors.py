"""Exception types and input validation shared by every topic.

Every public function checks its inputs at the boundary (shape, dtype, finiteness, domain) with
the helpers below, so that a message always names the argument, what was expected and what came:

>>> import numpy as np
>>> from aimath.errors import check_matrix
>>> check_matrix(np.ones((3, 4)), "A", square=True)
Traceback (most recent call last):
...
aimath.errors.ShapeError: A must be square, got shape (3, 4)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "AimathError",
    "ShapeError",
    "DomainError",
    "ConvergenceError",
    "NumericalWarning",
    "check_array",
    "check_finite",
    "check_matrix",
    "check_probability_vector",
    "check_stochastic_matrix",
    "check_positive",
    "check_in_range",
    "check_same_shape",
    "shape_of",
]


class AimathError(Exception):
    """Base class of every error raised by aimath."""


class ShapeError(AimathError, ValueError):
    """An array has the wrong number of dimensions or the wrong shape."""


class DomainError(AimathError, ValueError):
    """A value lies outside the mathematical domain of the function.

    Examples: a matrix that is not square, symmetric, positive definite or stochastic where one
    is required; a negative variance; a probability outside [0, 1]; a singular system.
    """


class ConvergenceError(AimathError, RuntimeError):
    """An iterative method did not converge (or diverged).

    Parameters
    ----------
    message : str
        What happened.
    iterate : array or None
        The last iterate reached before giving up.
    history : sequence or None
        The residual (or loss) history up to that point.
    """

    def __init__(self, message: str, *, iterate: Any = None, history: Sequence | None = None):
        super().__init__(message)
        self.iterate = iterate
        self.history = list(history) if history is not None else []


class NumericalWarning(UserWarning):
    """A computation lost accuracy or ran outside the regime where it is reliable."""


# --------------------------------------------------------------------------- helpers


def shape_of(x: Any) -> tuple[int, ...]:
    """The shape of an array-like as a tuple of Python ints."""
    shape = getattr(x, "shape", None)
    if shape is None:
        import numpy as np

        shape = np.shape(x)
    return tuple(int(s) for s in shape)


def _xp(x):
    from aimath.backend import namespace

    return namespace(x)


def _is_floating_or_complex(x) -> bool:
    dtype = getattr(x, "dtype", None)
    if dtype is None:
        return False
    kind = getattr(dtype, "kind", None)
    if kind is not None:  # numpy
        return kind in "fc"
    return bool(getattr(dtype, "is_floating_point", False) or getattr(dtype, "is_complex", False))


def check_finite(x: Any, name: str) -> None:
    """Raise :class:`DomainError` if ``x`` holds NaN or infinity."""
    if not _is_floating_or_complex(x):
        return
    xp = _xp(x)
    if x.shape and 0 in x.shape:
        return
    if not bool(xp.all(xp.isfinite(x))):
        n_nan = int(xp.sum(xp.astype(xp.isnan(x), xp.int64)))
        n_bad = int(xp.sum(xp.astype(~xp.isfinite(x), xp.int64)))
        raise DomainError(
            f"{name} must be finite, got {n_nan} NaN and {n_bad - n_nan} infinite entries"
        )


def check_array(
    x: Any,
    name: str,
    *,
    ndim: int | None = None,
    min_ndim: int | None = None,
    shape: tuple[int | None, ...] | None = None,
    finite: bool = True,
    nonempty: bool = False,
    floating: bool = False,
) -> None:
    """Validate an array's dimensions, shape and values.

    Parameters
    ----------
    x : array
        The array to check (NumPy or any array-API array).
    name : str
        The argument's name, used in the message.
    ndim, min_ndim : int, optional
        Exact or minimal number of dimensions.
    shape : tuple of int or None, optional
        Expected trailing shape; ``None`` entries match any size.
    finite : bool
        Reject NaN and infinity (:class:`DomainError`).
    nonempty : bool
        Reject arrays with a zero-length axis (:class:`ShapeError`).
    floating : bool
        Require a real or complex floating dtype (:class:`TypeError`).

    Raises
    ------
    ShapeError, DomainError, TypeError
    """
    s = shape_of(x)
    if ndim is not None and len(s) != ndim:
        raise ShapeError(f"{name} must have {ndim} dimension(s), got shape {s}")
    if min_ndim is not None and len(s) < min_ndim:
        raise ShapeError(f"{name} must have at least {min_ndim} dimension(s), got shape {s}")
    if shape is not None:
        tail = s[len(s) - len(shape) :] if len(s) >= len(shape) else None
        ok = tail is not None and all(e is None or e == a for e, a in zip(shape, tail, strict=True))
        if not ok:
            want = "(" + ", ".join("*" if e is None else str(e) for e in shape) + ")"
            raise ShapeError(f"{name} must have trailing shape {want}, got shape {s}")
    if nonempty and any(d == 0 for d in s):
        raise ShapeError(f"{name} must be non-empty, got shape {s}")
    if floating and not _is_floating_or_complex(x):
        raise TypeError(f"{name} must have a floating dtype, got {getattr(x, 'dtype', type(x))}")
    if finite:
        check_finite(x, name)


def check_matrix(
    A: Any,
    name: str,
    *,
    square: bool = False,
    symmetric: bool = False,
    finite: bool = True,
    batched: bool = True,
    nonempty: bool = False,
    rtol: float = 1e-10,
) -> None:
    """Validate a matrix (or a stack of matrices when ``batched``) of shape ``(..., m, n)``.

    Raises
    ------
    ShapeError
        Fewer than two dimensions, more than two when not ``batched``, or not square.
    DomainError
        NaN/inf entries, or not symmetric within ``rtol * max|A|`` when ``symmetric``.
    """
    s = shape_of(A)
    if len(s) < 2 or (not batched and len(s) != 2):
        want = "(..., m, n)" if batched else "(m, n)"
        raise ShapeError(f"{name} must be a matrix of shape {want}, got shape {s}")
    if nonempty and (s[-1] == 0 or s[-2] == 0):
        raise ShapeError(f"{name} must be non-empty, got shape {s}")
    if (square or symmetric) and s[-1] != s[-2]:
        raise ShapeError(f"{name} must be square, got shape {s}")
    if finite:
        check_finite(A, name)
    if symmetric and s[-1] > 0:
        xp = _xp(A)
        At = xp.matrix_transpose(A) if hasattr(xp, "matrix_transpose") else A.swapaxes(-1, -2)
        asym = float(xp.max(xp.abs(A - xp.conj(At))))
        scale = float(xp.max(xp.abs(A)))
        if asym > rtol * max(scale, 1e-300):
            raise DomainError(
                f"{name} must be symmetric, got max |{name} - {name}^T| = {asym:.3g} "
                f"(relative {asym / max(scale, 1e-300):.3g} > {rtol:g})"
            )


def check_probability_vector(p: Any, name: str, *, axis: int = -1, atol: float = 1e-8) -> None:
    """Validate probabilities: entries in [0, 1] that sum to 1 along ``axis`` (within ``atol``)."""
    check_array(p, name, min_ndim=1)
    xp = _xp(p)
    if shape_of(p)[axis] == 0:
        raise ShapeError(f"{name} must have at least one outcome, got shape {shape_of(p)}")
    lo = float(xp.min(p))
    if lo < 0:
        raise DomainError(f"{name} must be non-negative, got minimum entry {lo:.3g}")
    sums = xp.sum(p, axis=axis)
    dev = float(xp.max(xp.abs(sums - 1)))
    if dev > atol:
        raise DomainError(
            f"{name} must sum to 1 along axis {axis}, got sums off by up to {dev:.3g} "
            f"(tolerance {atol:g})"
        )


def check_stochastic_matrix(P: Any, name: str, *, atol: float = 1e-8) -> None:
    """Validate a row-stochastic matrix (or stack): square, non-negative, rows summing to 1."""
    check_matrix(P, name, square=True)
    check_probability_vector(P, name, axis=-1, atol=atol)


def check_positive(value: Any, name: str, *, strict: bool = True) -> None:
    """Raise :class:`DomainError` unless every entry of ``value`` is > 0 (or >= 0)."""
    xp = _xp(value) if hasattr(value, "shape") else None
    lo = float(xp.min(value)) if xp is not None and shape_of(value) else float(value)
    if lo != lo:
        raise DomainError(f"{name} must be {'positive' if strict else 'non-negative'}, got NaN")
    if (strict and lo <= 0) or (not strict and lo < 0):
        what = "positive" if strict else "non-negative"
        raise DomainError(f"{name} must be {what}, got {lo:.6g}")


def check_in_range(
    value: float, name: str, low: float, high: float, *, closed: str = "both"
) -> None:
    """Raise :class:`DomainError` unless ``low <= value <= high`` (``closed``: both/left/right/none)."""
    v = float(value)
    lo_ok = v >= low if closed in ("both", "left") else v > low
    hi_ok = v <= high if closed in ("both", "right") else v < high
    if not (lo_ok and hi_ok):
        lb = "[" if closed in ("both", "left") else "("
        rb = "]" if closed in ("both", "right") else ")"
        raise DomainError(f"{name} must lie in {lb}{low:g}, {high:g}{rb}, got {v:.6g}")


def check_same_shape(a: Any, b: Any, name_a: str, name_b: str) -> None:
    """Raise :class:`ShapeError` unless ``a`` and ``b`` have the same shape."""
    sa, sb = shape_of(a), shape_of(b)
    if sa != sb:
        raise ShapeError(f"{name_a} and {name_b} must have the same shape, got {sa} and {sb}")
