"""Brownian motion on a grid, Brownian-bridge refinement and increment coarsening.

A path is stored as an array ``W`` of shape ``(n_times, n_paths, dim)`` with ``W[0] = 0``; its
increments ``dW = W[1:] - W[:-1]`` have shape ``(n_steps, n_paths, dim)``, the layout
:func:`aimath.sde.sdeint` takes.

Curriculum: B19
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from aimath import backend as B
from aimath.errors import DomainError, ShapeError, check_array, check_positive

__all__ = ["BrownianPath", "brownian_motion", "brownian_increments", "brownian_bridge", "coarsen",
           "quadratic_variation"]


class BrownianPath(NamedTuple):
    """Times ``t`` (``(n_times,)``) and values ``W`` (``(n_times, n_paths, dim)``) of a Brownian path."""

    t: Any
    W: Any

    @property
    def dW(self):
        """The increments ``W[1:] - W[:-1]``, shape ``(n_steps, n_paths, dim)``."""
        return self.W[1:] - self.W[:-1]

    def __repr__(self) -> str:
        n, p, d = B.to_numpy(self.W).shape
        return f"BrownianPath(n_times={n}, n_paths={p}, dim={d}, T={float(self.t[-1]):g})"


def _check_int(v, name, low=1):
    if isinstance(v, bool) or not isinstance(v, int) or v < low:
        raise DomainError(f"{name} must be an integer >= {low}, got {v!r}")


def brownian_increments(rng, n_steps: int, n_paths: int, dt: float, dim: int = 1, *, dtype=None, like=None):
    """Independent increments ``ΔW_k ~ N(0, Δt I)`` of shape ``(n_steps, n_paths, dim)``.

    .. math:: \\Delta W_k = \\sqrt{\\Delta t}\\, Z_k, \\qquad Z_k \\sim \\mathcal N(0, I_{dim})

    Raises
    ------
    DomainError
        ``dt <= 0`` or non-positive counts.
    """
    _check_int(n_steps, "n_steps")
    _check_int(n_paths, "n_paths")
    _check_int(dim, "dim")
    check_positive(dt, "dt")
    return B.normal(rng, (n_steps, n_paths, dim), scale=math.sqrt(dt), dtype=dtype, like=like)


def brownian_motion(rng, n_paths: int, n_steps: int, T: float = 1.0, dim: int = 1, *, dtype=None, like=None):
    """Sample standard Brownian motion on the uniform grid ``t_k = kT/n_steps``.

    .. math:: W_0 = 0, \\qquad W_{t_{k+1}} = W_{t_k} + \\sqrt{T/n}\\, Z_k, \\quad Z_k \\sim \\mathcal N(0, I)

    Parameters
    ----------
    rng : int, Generator, torch.Generator or None
        Source of randomness.
    n_paths, n_steps : int
        Number of independent paths and of grid steps ``n``.
    T : float
        Final time (> 0).
    dim : int
        Dimension of each path.
    dtype, like : optional
        Output dtype / array library (see :func:`aimath.backend.normal`).

    Returns
    -------
    BrownianPath
        ``t`` of shape ``(n_steps + 1,)`` and ``W`` of shape ``(n_steps + 1, n_paths, dim)``.

    Raises
    ------
    DomainError
        ``T <= 0`` or a non-positive count.

    Curriculum: B19

    Examples
    --------
    >>> from aimath.sde import brownian_motion
    >>> path = brownian_motion(0, n_paths=3, n_steps=100, T=1.0)
    >>> path.W.shape
    (101, 3, 1)
    """
    check_positive(T, "T")
    _check_int(n_steps, "n_steps")
    dW = brownian_increments(rng, n_steps, n_paths, T / n_steps, dim, dtype=dtype, like=like)
    xp = B.namespace(dW)
    W = xp.concat([xp.zeros((1, n_paths, dim), dtype=dW.dtype, device=B.device(dW)),
                   xp.cumulative_sum(dW, axis=0)], axis=0)
    t = xp.linspace(0.0, float(T), n_steps + 1, dtype=dW.dtype, device=B.device(dW))
    return BrownianPath(t, W)


def brownian_bridge(path: BrownianPath, rng, levels: int = 1) -> BrownianPath:
    """Refine a Brownian path by inserting the Brownian-bridge midpoint in every step.

    Given the values at ``t_k`` and ``t_{k+1}``, the value at the midpoint is, conditionally,

    .. math:: W_{(t_k+t_{k+1})/2} \\mid W_{t_k}, W_{t_{k+1}} \\sim
              \\mathcal N\\Big(\\tfrac{W_{t_k} + W_{t_{k+1}}}{2},\\ \\tfrac{t_{k+1}-t_k}{4} I\\Big),

    so the refined path has exactly the law of Brownian motion on the finer grid and agrees with
    the coarse one at the old times (the same path, seen at finer resolution).

    Parameters
    ----------
    path : BrownianPath
        Times of shape ``(n + 1,)`` (any increasing grid) and values ``(n + 1, n_paths, dim)``.
    rng : int, Generator, torch.Generator or None
    levels : int
        Number of halvings; the result has ``n·2^levels + 1`` times.

    Returns
    -------
    BrownianPath

    Raises
    ------
    ShapeError
        ``W`` is not 3-D or does not match ``t``.
    DomainError
        Times not strictly increasing, ``levels < 0``.

    Curriculum: B19

    Examples
    --------
    >>> from aimath.sde import brownian_motion, brownian_bridge
    >>> fine = brownian_bridge(brownian_motion(0, 2, 4), rng=1, levels=2)
    >>> fine.W.shape
    (17, 2, 1)
    """
    t, W = path
    _check_int(levels, "levels", low=0)
    check_array(W, "W", ndim=3)
    check_array(t, "t", ndim=1)
    if t.shape[0] != W.shape[0]:
        raise ShapeError(f"t and W must have the same number of times, got {t.shape[0]} and {W.shape[0]}")
    xp = B.namespace(W)
    g = B.as_generator(rng, like=W)
    for _ in range(levels):
        dt = t[1:] - t[:-1]
        if float(xp.min(dt)) <= 0:
            raise DomainError("t must be strictly increasing, got a step <= 0")
        z = B.normal(g, W[1:].shape, like=W)
        mid = 0.5 * (W[:-1] + W[1:]) + xp.sqrt(dt / 4)[:, None, None] * z
        n = W.shape[0]
        Wn = xp.zeros((2 * n - 1, *W.shape[1:]), dtype=W.dtype, device=B.device(W))
        Wn[0::2] = W
        Wn[1::2] = mid
        tn = xp.zeros((2 * n - 1,), dtype=t.dtype, device=B.device(t))
        tn[0::2] = t
        tn[1::2] = 0.5 * (t[:-1] + t[1:])
        t, W = tn, Wn
    return BrownianPath(t, W)


def coarsen(dW, factor: int):
    """Sum consecutive blocks of ``factor`` increments: the same path on a grid ``factor`` times coarser.

    .. math:: \\Delta W^{(\\text{coarse})}_j = \\sum_{i=0}^{r-1} \\Delta W_{jr + i}

    Parameters
    ----------
    dW : array of shape (n_steps, ...)
        Increments; ``n_steps`` must be divisible by ``factor``.
    factor : int

    Returns
    -------
    array of shape (n_steps // factor, ...)

    Raises
    ------
    ShapeError
        ``n_steps`` is not a multiple of ``factor``.

    Curriculum: B19

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sde import coarsen
    >>> coarsen(np.arange(6.0).reshape(6, 1, 1), 3)[:, 0, 0]
    array([ 3., 12.])
    """
    _check_int(factor, "factor")
    n = dW.shape[0]
    if n % factor:
        raise ShapeError(f"dW has {n} steps, not a multiple of factor={factor}")
    xp = B.namespace(dW)
    return xp.sum(xp.reshape(dW, (n // factor, factor, *dW.shape[1:])), axis=1)


def quadratic_variation(W, *, cumulative: bool = False):
    """Realised quadratic variation ``Σ_k (W_{t_{k+1}} − W_{t_k})²`` along axis 0.

    .. math:: [W]_T^{(n)} = \\sum_{k=0}^{n-1} (\\Delta W_k)^2 \\xrightarrow[n\\to\\infty]{L^2} T,
              \\qquad \\operatorname{Var}[W]_T^{(n)} = 2T^2/n \\text{ on a uniform grid}

    Parameters
    ----------
    W : array of shape (n_times, ...)
        Path values (or :class:`BrownianPath`).
    cumulative : bool
        Return the running sums, shape ``(n_times, ...)`` starting at 0, instead of the total.

    Returns
    -------
    array of shape (...) or (n_times, ...)

    Raises
    ------
    ShapeError
        Fewer than two times.

    Curriculum: B19

    Examples
    --------
    >>> from aimath.sde import brownian_motion, quadratic_variation
    >>> qv = quadratic_variation(brownian_motion(0, 1000, 1000, T=2.0))
    >>> bool(abs(qv.mean() - 2.0) < 0.01)
    True
    """
    if isinstance(W, BrownianPath):
        W = W.W
    check_array(W, "W", min_ndim=1)
    if W.shape[0] < 2:
        raise ShapeError(f"W needs at least two times, got shape {tuple(W.shape)}")
    xp = B.namespace(W)
    sq = (W[1:] - W[:-1]) ** 2
    if not cumulative:
        return xp.sum(sq, axis=0)
    return xp.concat([xp.zeros_like(W[:1]), xp.cumulative_sum(sq, axis=0)], axis=0)
