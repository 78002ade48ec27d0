"""Gradient checking by central differences.

.. math::

    \\partial_j f(x) \\approx \\frac{f(x + h e_j) - f(x - h e_j)}{2h},
    \\qquad \\text{error} = O(h^2) + O(\\varepsilon_{\\text{mach}} |f| / h),

so the best step is :math:`h \\approx \\varepsilon_{\\text{mach}}^{1/3}` (times the scale of x).

Curriculum: B11.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from aimath.autodiff.functional import value_and_grad
from aimath.autodiff.tensor import Tensor, no_grad
from aimath.backend import to_numpy
from aimath.errors import ShapeError

__all__ = ["GradCheckResult", "grad_check", "central_difference"]


@dataclasses.dataclass(frozen=True)
class GradCheckResult:
    """The outcome of :func:`grad_check`.

    Attributes
    ----------
    passed : bool
        Every entry satisfied ``|analytic − numeric| ≤ atol + rtol·|numeric|``.
    max_abs_error, max_rel_error : float
        Over all entries of all inputs.
    worst : tuple
        ``(input index, entry index)`` of the entry with the largest excess over its tolerance.
    analytic, numeric : list of arrays
        The engine's gradients and the central differences, one per input.
    eps : float
        The step used.
    """

    passed: bool
    max_abs_error: float
    max_rel_error: float
    worst: tuple
    analytic: list
    numeric: list
    eps: float

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return (f"GradCheckResult(passed={self.passed}, max_abs_error={self.max_abs_error:.3g}, "
                f"max_rel_error={self.max_rel_error:.3g}, worst={self.worst}, eps={self.eps:.3g})")


def central_difference(f, x, eps: float):
    """Central-difference gradient of a scalar function of one array ``x`` (a NumPy array).

    .. math:: g_j = \\frac{f(x + h e_j) - f(x - h e_j)}{2h}

    ``f`` takes a NumPy array and returns a float; costs ``2·x.size`` evaluations.
    """
    x = np.array(x, dtype=np.float64 if x.dtype.kind != "f" else x.dtype)
    g = np.zeros(x.shape, dtype=np.float64)
    flat = x.reshape(-1)
    for j in range(flat.size):
        old = flat[j]
        flat[j] = old + eps
        fp = f(x)
        flat[j] = old - eps
        fm = f(x)
        flat[j] = old
        g.reshape(-1)[j] = (fp - fm) / (2 * eps)
    return g


def grad_check(f, *inputs, eps: float | None = None, rtol: float = 1e-5, atol: float = 1e-8) -> GradCheckResult:
    """Compare the engine's gradient of scalar ``f`` with central differences, entry by entry.

    .. math:: |\\nabla f(x)_j - \\mathrm{CD}_h(f, x)_j| \\le \\text{atol} + \\text{rtol}\\,|\\mathrm{CD}_h(f, x)_j|

    Parameters
    ----------
    f : callable
        Function of Tensors (one per input) returning a one-element Tensor.
    *inputs : arrays
        Where to check (floating; float64 recommended).
    eps : float, optional
        Difference step; default :math:`\\varepsilon_{\\text{mach}}^{1/3} \\max(1, \\max|x|)`.
    rtol, atol : float
        Tolerances.

    Returns
    -------
    GradCheckResult
        Truthy when the check passes; reports the worst entry.

    Raises
    ------
    ShapeError
        ``f`` does not return a scalar, or no inputs are given.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.autodiff import grad_check, tanh
    >>> bool(grad_check(lambda x: tanh(x).sum(), np.array([0.1, -0.7])))
    True

    Curriculum: B11.
    """
    if not inputs:
        raise ShapeError("grad_check needs at least one input")
    arrays = [to_numpy(x.data if isinstance(x, Tensor) else x) for x in inputs]
    for i, a in enumerate(arrays):
        if a.dtype.kind != "f":
            raise TypeError(f"input {i} must have a floating dtype, got {a.dtype}")
    _, analytic = value_and_grad(f, argnums=tuple(range(len(arrays))))(*arrays)
    analytic = [to_numpy(g).astype(np.float64) for g in analytic]
    numeric = []
    steps = []
    for i, a in enumerate(arrays):
        h = eps if eps is not None else float(np.finfo(a.dtype).eps ** (1 / 3) * max(1.0, float(np.max(np.abs(a)))
                                                                                     if a.size else 1.0))
        steps.append(h)

        def fi(z, i=i):
            args = [Tensor(z) if k == i else Tensor(arrays[k]) for k in range(len(arrays))]
            with no_grad():
                return float(to_numpy(f(*args).data))

        numeric.append(central_difference(fi, a, h))
    worst, worst_excess, max_abs, max_rel = (0, 0), -np.inf, 0.0, 0.0
    for i, (an, nu) in enumerate(zip(analytic, numeric, strict=True)):
        if an.size == 0:
            continue
        err = np.abs(an - nu)
        excess = err - (atol + rtol * np.abs(nu))
        j = int(np.argmax(excess))
        if excess.flat[j] > worst_excess:
            worst_excess, worst = float(excess.flat[j]), (i, tuple(int(v) for v in np.unravel_index(j, an.shape)))
        max_abs = max(max_abs, float(err.max()))
        max_rel = max(max_rel, float(np.max(err / np.maximum(np.abs(nu), 1e-300))))
    return GradCheckResult(bool(worst_excess <= 0), max_abs, max_rel, worst, analytic, numeric, max(steps))
