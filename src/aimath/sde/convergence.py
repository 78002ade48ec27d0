"""Empirical strong and weak convergence orders of SDE schemes.

Every step size is driven by the same Brownian paths: the increments are drawn once on the finest
grid and summed (:func:`aimath.sde.coarsen`) for the coarser ones, so the error differences between
levels are not drowned in Monte Carlo noise.

Curriculum: B19
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from aimath import backend as B
from aimath.errors import DomainError, ShapeError
from aimath.sde.brownian import brownian_increments, coarsen
from aimath.sde.sde import SDE
from aimath.sde.solvers import sdeint

__all__ = ["ErrorStudy", "strong_error", "weak_error", "estimate_order"]


class ErrorStudy(NamedTuple):
    """Errors of a scheme at several step sizes, with Monte Carlo standard errors."""

    step_sizes: Any
    errors: Any
    se: Any
    method: str

    @property
    def order(self) -> tuple[float, float]:
        """Fitted log–log slope and its standard error (:func:`estimate_order`)."""
        return estimate_order(self.step_sizes, self.errors)

    def __repr__(self) -> str:
        s, se = self.order
        return f"ErrorStudy(method={self.method!r}, levels={len(self.errors)}, order={s:.3f} ± {se:.2g})"


def estimate_order(step_sizes: Sequence[float], errors: Sequence[float]) -> tuple[float, float]:
    """Least-squares slope of ``log error`` against ``log step`` and its standard error.

    .. math:: \\log e_i = a + p\\log h_i + \\varepsilon_i,\\qquad
              \\hat p = \\frac{\\sum (x_i-\\bar x)(y_i-\\bar y)}{\\sum (x_i-\\bar x)^2}

    Parameters
    ----------
    step_sizes, errors : sequences of positive floats of equal length ≥ 3

    Returns
    -------
    (slope, se) : tuple of float

    Raises
    ------
    ShapeError
        Fewer than 3 points or different lengths.
    DomainError
        Non-positive or non-finite values.

    Curriculum: B19

    Examples
    --------
    >>> from aimath.sde import estimate_order
    >>> slope, se = estimate_order([0.1, 0.05, 0.025], [0.2, 0.1, 0.05])
    >>> round(slope, 12), round(se, 12)
    (1.0, 0.0)
    """
    h = np.asarray(B.to_numpy(step_sizes), dtype=float).ravel()
    e = np.asarray(B.to_numpy(errors), dtype=float).ravel()
    if h.shape != e.shape or h.size < 3:
        raise ShapeError(f"need at least 3 step sizes and as many errors, got {h.size} and {e.size}")
    if not (np.all(np.isfinite(h)) and np.all(np.isfinite(e)) and np.all(h > 0) and np.all(e > 0)):
        raise DomainError("step sizes and errors must be positive and finite")
    x, y = np.log(h), np.log(e)
    xc, yc = x - x.mean(), y - y.mean()
    slope = float(xc @ yc / (xc @ xc))
    r = yc - slope * xc
    se = math.sqrt(float(r @ r) / max(h.size - 2, 1) / float(xc @ xc))
    return slope, se


def _levels(n_steps, T):
    ns = sorted({int(n) for n in n_steps})
    if len(ns) < 1 or ns[0] < 1:
        raise DomainError(f"n_steps must be positive integers, got {n_steps}")
    fine = ns[-1]
    for n in ns:
        if fine % n:
            raise DomainError(f"every level must divide the finest, got {n} and {fine}")
    if not T > 0:
        raise DomainError(f"T must be > 0, got {T}")
    return ns, fine


def _setup(sde, x0, n_paths, dtype):
    x0 = B.asarray(x0, dtype="float")
    if dtype is not None:
        x0 = B.asarray(x0, dtype=dtype)
    if x0.ndim == 1:
        xp = B.namespace(x0)
        x0 = xp.broadcast_to(x0[None, :], (n_paths, x0.shape[0]))
    return x0, sde.noise_dim(0.0, x0)


def _solution_of(sde, solution):
    if solution is not None:
        return solution
    if hasattr(sde, "solution") and sde.noise == "diagonal":
        return sde.solution
    return None


def _reference(sde, x0, T, dW_fine, method, solution):
    if solution is not None:
        return solution(x0, T, B.namespace(dW_fine).sum(dW_fine, axis=0))
    ts = np.linspace(0.0, T, dW_fine.shape[0] + 1)
    return sdeint(sde, x0, ts, method=method, dW=dW_fine, save_every=dW_fine.shape[0])[-1]


def strong_error(sde: SDE, x0, T: float, n_steps: Sequence[int], *, method: str = "euler_maruyama",
                 n_paths: int = 10_000, rng=None, reference_factor: int = 16, solution: Callable | None = None,
                 dtype=None) -> ErrorStudy:
    """Strong error ``E‖X_N^h − X_T‖`` at several step sizes, all on the same Brownian paths.

    .. math:: e_{\\text{strong}}(h) = \\mathbb E\\,\\lVert X^h_{T} - X_T \\rVert \\le C h^{\\gamma}

    The reference ``X_T`` is the pathwise closed form when the SDE has one (``sde.solution``),
    else the same scheme on a grid ``reference_factor`` times finer than the finest level.

    Parameters
    ----------
    sde : SDE
    x0 : array of shape (dim,) or (n_paths, dim)
    T : float
    n_steps : sequence of int
        Step counts; each must divide the largest.
    method : str
        A :func:`sdeint` method.
    n_paths : int
    rng : seed or generator
    reference_factor : int
        Refinement of the numerical reference (used only without a closed form).
    solution : callable ``(x0, t, W_t) -> X_t``, optional
        The pathwise solution (default ``sde.solution`` when the SDE has one).

    Returns
    -------
    ErrorStudy
        ``step_sizes`` (``T/n``, decreasing), ``errors`` and their standard errors ``se``.

    Curriculum: B19

    Examples
    --------
    >>> from aimath.sde import GeometricBrownianMotion, strong_error
    >>> study = strong_error(GeometricBrownianMotion(1.0, 0.5), [1.0], 1.0, [8, 16, 32, 64], n_paths=2000, rng=0)
    >>> abs(study.order[0] - 0.5) < 0.15
    True
    """
    ns, fine = _levels(n_steps, T)
    x0, m = _setup(sde, x0, n_paths, dtype)
    solution = _solution_of(sde, solution)
    factor = 1 if solution is not None else int(reference_factor)
    dW = brownian_increments(rng, fine * factor, x0.shape[0], T / (fine * factor), m, like=x0)
    ref = _reference(sde, x0, T, dW, method, solution)
    xp = B.namespace(x0)
    hs, errs, ses = [], [], []
    for n in ns:
        X = sdeint(sde, x0, np.linspace(0.0, T, n + 1), method=method, dW=coarsen(dW, fine * factor // n),
                   save_every=n)[-1]
        e = B.to_numpy(xp.sqrt(xp.sum((X - ref) ** 2, axis=-1)))
        hs.append(T / n)
        errs.append(float(e.mean()))
        ses.append(float(e.std(ddof=1) / math.sqrt(e.size)))
    return ErrorStudy(np.array(hs), np.array(errs), np.array(ses), method)


def weak_error(sde: SDE, x0, T: float, n_steps: Sequence[int], *, method: str = "euler_maruyama",
               n_paths: int = 100_000, rng=None, f: Callable | None = None, expected: float | None = None,
               solution: Callable | None = None, dtype=None) -> ErrorStudy:
    """Weak error ``|E f(X_N^h) − E f(X_T)|`` at several step sizes.

    .. math:: e_{\\text{weak}}(h) = \\big|\\mathbb E f(X^h_T) - \\mathbb E f(X_T)\\big| \\le C h^{\\beta}

    With a pathwise closed form (``sde.solution``) the difference ``f(X^h_T) − f(X_T)`` is averaged
    over coupled paths (same Brownian motion), an unbiased estimate of the signed weak error whose
    variance shrinks with ``h``; otherwise pass ``expected = E f(X_T)`` and each level is averaged on
    its own paths.

    Parameters
    ----------
    f : callable ``f(x) -> (n_paths,)``, optional
        Test function on states ``(n_paths, dim)``; default the first coordinate.
    expected : float, optional
        ``E f(X_T)``; required when the SDE has no pathwise solution.
    solution : callable ``(x0, t, W_t) -> X_t``, optional
        The pathwise solution (default ``sde.solution`` when the SDE has one).
    Other parameters as in :func:`strong_error`.

    Returns
    -------
    ErrorStudy
        ``errors`` are absolute values of the estimated signed weak errors.

    Raises
    ------
    DomainError
        No closed form and no ``expected``.

    Curriculum: B19

    Examples
    --------
    >>> from aimath.sde import GeometricBrownianMotion, weak_error
    >>> study = weak_error(GeometricBrownianMotion(1.5, 0.5), [1.0], 1.0, [4, 8, 16, 32], n_paths=20000, rng=0)
    >>> abs(study.order[0] - 1.0) < 0.2
    True
    """
    ns, fine = _levels(n_steps, T)
    x0, m = _setup(sde, x0, n_paths, dtype)
    f = f if f is not None else (lambda x: x[:, 0])
    solution = _solution_of(sde, solution)
    closed = solution is not None
    if not closed and expected is None:
        raise DomainError("weak_error needs expected=E f(X_T) for an SDE without a pathwise solution")
    hs, errs, ses = [], [], []
    g = B.as_generator(rng, like=x0)
    if closed:
        dW = brownian_increments(g, fine, x0.shape[0], T / fine, m, like=x0)
        fref = f(_reference(sde, x0, T, dW, method, solution))
    for n in ns:
        ts = np.linspace(0.0, T, n + 1)
        if closed:
            X = sdeint(sde, x0, ts, method=method, dW=coarsen(dW, fine // n), save_every=n)[-1]
            v = B.to_numpy(f(X) - fref)
            est = float(v.mean())
        else:
            X = sdeint(sde, x0, ts, method=method, rng=g, save_every=n)[-1]
            v = B.to_numpy(f(X))
            est = float(v.mean()) - float(expected)
        hs.append(T / n)
        errs.append(abs(est))
        ses.append(float(v.std(ddof=1) / math.sqrt(v.size)))
    return ErrorStudy(np.array(hs), np.array(errs), np.array(ses), method)
