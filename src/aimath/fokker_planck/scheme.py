"""The pieces of the finite-volume Fokker–Planck schemes shared by 1-D and 2-D: the Bernoulli
function, the Scharfetter–Gummel generator along one axis, relative entropy of cell densities,
and the checks of grids, densities and time grids.

Curriculum: B21
"""

from __future__ import annotations

import math

import numpy as np

from aimath.errors import DomainError, ShapeError
from aimath.fokker_planck.tridiagonal import as_float_array

__all__ = ["bernoulli", "sg_generator", "relative_entropy", "check_density", "check_times", "check_grid"]


def bernoulli(z):
    """The Bernoulli function ``B(z) = z / (e^z − 1)`` (``B(0) = 1``), stable for all real ``z``.

    .. math:: B(z) = \\frac{z}{e^{z} - 1},\\qquad B(-z) = B(z) + z

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> bernoulli(np.array([0.0, 1.0, -1.0]))
    array([1.        , 0.58197671, 1.58197671])
    """
    z = np.asarray(z, dtype=np.result_type(z, np.float64) if np.asarray(z).dtype.kind != "f" else np.asarray(z).dtype)
    small = np.abs(z) < 1e-8
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        out = np.where(small, 1 - z / 2, z / np.expm1(np.where(small, 1.0, z)))
    return out


def check_density(p, widths, name="p0", *, rtol: float | None = None):
    """``p`` as a float array over the cells, non-negative and with ``sum(p * widths) = 1``.

    Raises
    ------
    ShapeError
        ``p`` not of the grid's shape.
    DomainError
        Negative, non-finite or non-normalised values.
    """
    p = as_float_array(p, name)
    if p.shape != widths.shape:
        raise ShapeError(f"{name} must be a density over the cells, shape {widths.shape}, got shape {p.shape}")
    if np.any(p < 0):
        raise DomainError(f"{name} must be non-negative, got min {float(p.min()):.3g}")
    mass = float(np.sum(p.astype(np.float64) * widths))
    if rtol is None:
        rtol = max(1e-8, 10 * p.size**0.5 * float(np.finfo(p.dtype).eps))
    if not abs(mass - 1.0) <= rtol:
        raise DomainError(f"{name} must be normalised, sum({name} * widths) = 1, got {mass:.12g}")
    return p


def check_times(ts):
    """``ts`` as a 1-D float64 array of strictly increasing, finite times."""
    ts = as_float_array(ts, "ts", ndim=1, nonempty=True).astype(np.float64)
    if ts.size > 1 and not np.all(np.diff(ts) > 0):
        raise DomainError(f"ts must be strictly increasing, got {ts[:6].tolist()}{' …' if ts.size > 6 else ''}")
    return ts


def relative_entropy(p, q, widths):
    """Relative entropy ``KL(p ‖ q) = Σ_i w_i p_i log(p_i / q_i)`` of two cell densities (``0 log 0 = 0``).

    .. math:: \\mathrm{KL}(p\\,\\|\\,q) = \\int p \\log\\frac{p}{q} \\approx \\sum_i w_i\\, p_i \\log\\frac{p_i}{q_i}

    Batched over leading axes of ``p``.

    Raises
    ------
    DomainError
        Negative values, or ``q = 0`` where ``p > 0`` (infinite relative entropy).

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> w = np.full(2, 0.5)
    >>> round(float(relative_entropy(np.array([2.0, 0.0]), np.array([1.0, 1.0]), w)), 6)  # log 2
    0.693147
    """
    p = as_float_array(p, "p")
    q = as_float_array(q, "q")
    if np.any(p < 0) or np.any(q < 0):
        raise DomainError("relative_entropy: p and q must be non-negative densities")
    if np.any((q == 0) & (p > 0)):
        raise DomainError("relative_entropy: q = 0 where p > 0 (p is not absolutely continuous w.r.t. q)")
    pos = p > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(pos, p * (np.log(np.where(pos, p, 1.0)) - np.log(np.where(pos, q, 1.0))), 0.0)
    return np.sum(terms * widths, axis=-1)


def sg_generator(phi, D, h: float, boundary: str = "no-flux"):
    """Diagonals of the Scharfetter–Gummel generator along axis 0 (batched over the other axes).

    .. math:: \\frac{dp_i}{dt} = \\frac{J_{i-1/2} - J_{i+1/2}}{h},\\qquad
              J_f = \\alpha_f p_i - \\beta_f p_{i+1},\\quad
              \\alpha_f = \\frac{B(-\\phi_f) D_i}{h},\\ \\beta_f = \\frac{B(\\phi_f) D_{i+1}}{h}

    Parameters
    ----------
    phi : array of shape (n − 1, *batch) (no-flux) or (n, *batch) (periodic; the last face wraps)
        Face Péclet numbers.
    D : array of shape (n, *batch)
        ``σ²/2`` at the cell centers.
    h : float
        Cell width.
    boundary : {"no-flux", "periodic"}

    Returns
    -------
    (lower, diag, upper) : arrays of shape (n, *batch)
        Off-diagonals are ≥ 0 and every column sums to zero (mass conservation).

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> lower, diag, upper = sg_generator(np.zeros(2), np.ones(3), 1.0)  # pure diffusion, 3 cells
    >>> diag
    array([-1., -2., -1.])
    """
    n = D.shape[0]
    m = n - 1 if boundary == "no-flux" else n
    if phi.shape[0] != m:
        raise ShapeError(f"phi must have {m} faces for {n} cells ({boundary}), got shape {phi.shape}")
    alpha = bernoulli(-phi) * D[:m] / h
    beta = bernoulli(phi) * np.roll(D, -1, axis=0)[:m] / h
    lower = np.zeros_like(D)
    upper = np.zeros_like(D)
    diag = np.zeros_like(D)
    # face f joins cell f (left) and cell (f + 1) mod n (right)
    lower[1:m + 1] += alpha[: n - 1] / h  # inflow to cell f+1 from cell f
    upper[:m] += beta / h  # inflow to cell f from cell f+1
    diag[:m] -= alpha / h
    diag[1:m + 1] -= beta[: n - 1] / h
    if m == n:  # the wrap-around face: cell n−1 ↔ cell 0
        lower[0] += alpha[-1] / h
        diag[0] -= beta[-1] / h
    return lower, diag, upper


def check_grid(grid):
    """``(a, b, n_cells)`` as floats ``a < b`` and an integer ``n_cells ≥ 3``.

    Raises
    ------
    DomainError
        Not a triple, non-finite or reversed interval, or a bad cell count.
    """
    try:
        a, b, n = grid
    except (TypeError, ValueError):
        raise DomainError(f"grid must be a tuple (a, b, n_cells), got {grid!r}") from None
    a, b = float(a), float(b)
    if not (math.isfinite(a) and math.isfinite(b) and b > a):
        raise DomainError(f"grid needs finite a < b, got a={a}, b={b}")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 3:
        raise DomainError(f"grid n_cells must be an integer >= 3, got {n!r}")
    return a, b, int(n)
