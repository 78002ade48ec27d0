"""Itô and Stratonovich stochastic integrals as limits of Riemann sums on a grid.

Curriculum: B19
"""

from __future__ import annotations

from aimath import backend as B
from aimath.errors import ShapeError, check_array
from aimath.sde.brownian import BrownianPath

__all__ = ["ito_integral", "stratonovich_integral"]


def _values(f, t, W):
    if isinstance(W, BrownianPath):
        t, W = W
    check_array(W, "W", min_ndim=1)
    if W.shape[0] < 2:
        raise ShapeError(f"W needs at least two times, got shape {tuple(W.shape)}")
    if callable(f):
        if t is None:
            raise ShapeError("t is needed when f is a callable f(t, W)")
        xp = B.namespace(W)
        tt = xp.reshape(B.asarray(t, like=W, dtype=W.dtype), (W.shape[0],) + (1,) * (W.ndim - 1))
        F = f(tt, W)
    else:
        F = B.asarray(f, like=W)
    if tuple(F.shape) != tuple(W.shape):
        raise ShapeError(f"integrand values must have the shape of W {tuple(W.shape)}, got {tuple(F.shape)}")
    return F, W


def _total(terms, cumulative):
    xp = B.namespace(terms)
    if not cumulative:
        return xp.sum(terms, axis=0)
    return xp.concat([xp.zeros_like(terms[:1]), xp.cumulative_sum(terms, axis=0)], axis=0)


def ito_integral(f, W, t=None, *, cumulative: bool = False):
    """Itô integral ``∫ f dW`` by the left-point Riemann sum.

    .. math:: \\int_0^T f_t\\, dW_t \\approx \\sum_{k=0}^{n-1} f(t_k, W_{t_k})\\,(W_{t_{k+1}} - W_{t_k})

    The integrand is evaluated at the left end of each step, so it does not anticipate the
    increment: the sum is a martingale and ``E ∫ f dW = 0``, ``E(∫ f dW)² = E ∫ f² dt``.

    Parameters
    ----------
    f : callable ``f(t, W) -> array`` or array of shape (n_times, ...)
        The integrand (vectorised over times and paths) or its values on the grid.
    W : array of shape (n_times, ...) or BrownianPath
        The Brownian path(s).
    t : array of shape (n_times,), optional
        The grid; needed when ``f`` is callable (taken from a :class:`BrownianPath`).
    cumulative : bool
        Return the running integral ``(n_times, ...)`` instead of its final value.

    Returns
    -------
    array of shape W.shape[1:] (or W.shape when cumulative)

    Raises
    ------
    ShapeError
        Integrand values of a different shape than ``W``; fewer than two times.

    Curriculum: B19

    Examples
    --------
    >>> from aimath.sde import brownian_motion, ito_integral
    >>> path = brownian_motion(0, n_paths=2, n_steps=4)
    >>> I = ito_integral(lambda t, w: w, path)
    >>> bool(abs(I - (path.W[-1] ** 2 - (path.dW ** 2).sum(0)) / 2).max() < 1e-12)
    True
    """
    F, W = _values(f, t, W)
    return _total(F[:-1] * (W[1:] - W[:-1]), cumulative)


def stratonovich_integral(f, W, t=None, *, cumulative: bool = False):
    """Stratonovich integral ``∫ f ∘ dW`` by the trapezoidal (midpoint-average) sum.

    .. math:: \\int_0^T f_t \\circ dW_t \\approx \\sum_{k=0}^{n-1}
              \\tfrac12\\big(f(t_k, W_{t_k}) + f(t_{k+1}, W_{t_{k+1}})\\big)(W_{t_{k+1}} - W_{t_k})

    For ``f(t, w) = w`` the sum telescopes to ``W_T²/2`` exactly: the ordinary chain rule holds.
    Arguments and shapes as in :func:`ito_integral`.

    Curriculum: B19

    Examples
    --------
    >>> from aimath.sde import brownian_motion, stratonovich_integral
    >>> path = brownian_motion(0, n_paths=2, n_steps=4)
    >>> bool(abs(stratonovich_integral(lambda t, w: w, path) - path.W[-1] ** 2 / 2).max() < 1e-12)
    True
    """
    F, W = _values(f, t, W)
    return _total(0.5 * (F[:-1] + F[1:]) * (W[1:] - W[:-1]), cumulative)
