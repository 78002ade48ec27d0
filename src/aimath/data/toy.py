"""Seeded 2-D toy samplers: two moons, concentric circles, a 2-D swiss roll, eight Gaussians.

Each draws its randomness from ``rng`` (a seed, a NumPy or a torch generator) through
:mod:`aimath.backend`, so a torch generator gives torch tensors.

Curriculum: A1, A4.
"""

from __future__ import annotations

import math

from aimath import backend as B
from aimath.errors import DomainError, check_positive

__all__ = ["moons", "circles", "swiss_roll_2d", "eight_gaussians"]


def _check_n(n, noise):
    if int(n) != n or n < 1:
        raise DomainError(f"n must be a positive integer, got {n!r}")
    check_positive(noise, "noise", strict=False)
    return int(n)


def _labels(n, n0, like):
    xp = B.namespace(like)
    return xp.concat([xp.zeros(n0, dtype=xp.int64), xp.ones(n - n0, dtype=xp.int64)])


def moons(n: int = 200, noise: float = 0.1, rng=None, *, dtype=None):
    """Two interleaving half circles with Gaussian noise.

    .. math:: x = (\\cos t, \\sin t) \\text{ (class 0)}, \\quad x = (1 - \\cos t, \\tfrac12 - \\sin t)
              \\text{ (class 1)}, \\quad t \\sim U[0, \\pi], \\; x \\mathrel{+}= \\sigma \\varepsilon

    Parameters
    ----------
    n : int
        Number of points (class 0 gets ``ceil(n/2)``).
    noise : float
        Standard deviation σ of the added Gaussian noise.
    rng : int, Generator or None

    Returns
    -------
    X : array of shape (n, 2)
    y : int64 array of shape (n,)

    Raises
    ------
    DomainError
        If ``n < 1`` or ``noise < 0``.

    Curriculum: A1.

    Examples
    --------
    >>> X, y = moons(100, 0.1, rng=0)
    >>> X.shape, int(y.sum())
    ((100, 2), 50)
    """
    n = _check_n(n, noise)
    n0 = (n + 1) // 2
    g = B.as_generator(rng)
    t = B.uniform(g, (n,), high=math.pi, dtype=dtype)
    xp = B.namespace(t)
    c, s = xp.cos(t), xp.sin(t)
    first = xp.arange(n) < n0
    x0 = xp.where(first, c, 1 - c)
    x1 = xp.where(first, s, 0.5 - s)
    X = xp.stack([x0, x1], axis=1) + B.normal(g, (n, 2), scale=float(noise), like=t)
    return X, _labels(n, n0, t)


def circles(n: int = 200, noise: float = 0.05, rng=None, *, factor: float = 0.5, dtype=None):
    """Two concentric circles of radii 1 (class 0) and ``factor`` (class 1), with Gaussian noise.

    .. math:: x = r_y (\\cos t, \\sin t) + \\sigma \\varepsilon, \\quad r_0 = 1, \\; r_1 = \\text{factor}

    Parameters
    ----------
    n : int
    noise : float
    rng : int, Generator or None
    factor : float in (0, 1)
        Radius of the inner circle.

    Returns
    -------
    X : array of shape (n, 2)
    y : int64 array of shape (n,)

    Raises
    ------
    DomainError
        If ``n < 1``, ``noise < 0`` or ``factor`` is outside (0, 1).

    Curriculum: A1.

    Examples
    --------
    >>> X, y = circles(10, 0.0, rng=0)
    >>> X.shape
    (10, 2)
    """
    n = _check_n(n, noise)
    if not 0 < factor < 1:
        raise DomainError(f"factor must lie in (0, 1), got {factor}")
    n0 = (n + 1) // 2
    g = B.as_generator(rng)
    t = B.uniform(g, (n,), high=2 * math.pi, dtype=dtype)
    xp = B.namespace(t)
    r = xp.where(xp.arange(n) < n0, xp.asarray(1.0, dtype=t.dtype), xp.asarray(factor, dtype=t.dtype))
    X = xp.stack([r * xp.cos(t), r * xp.sin(t)], axis=1) + B.normal(g, (n, 2), scale=float(noise), like=t)
    return X, _labels(n, n0, t)


def swiss_roll_2d(n: int = 1000, noise: float = 0.5, rng=None, *, dtype=None):
    """A 2-D swiss roll (a spiral), scaled to roughly unit variance.

    .. math:: t = \\tfrac{3\\pi}{2}(1 + 2u), \\; u \\sim U[0,1], \\quad x = (t\\cos t, t \\sin t)/5 +
              \\tfrac{\\sigma}{5} \\varepsilon

    Returns
    -------
    X : array of shape (n, 2)

    Raises
    ------
    DomainError
        If ``n < 1`` or ``noise < 0``.

    Curriculum: A1.

    Examples
    --------
    >>> swiss_roll_2d(50, rng=0).shape
    (50, 2)
    """
    n = _check_n(n, noise)
    g = B.as_generator(rng)
    t = 1.5 * math.pi * (1 + 2 * B.uniform(g, (n,), dtype=dtype))
    xp = B.namespace(t)
    X = xp.stack([t * xp.cos(t), t * xp.sin(t)], axis=1)
    return (X + B.normal(g, (n, 2), scale=float(noise), like=t)) / 5.0


def eight_gaussians(n: int = 1000, std: float = 0.1, rng=None, *, radius: float = 2.0, dtype=None):
    """A mixture of eight Gaussians with equal weights, centred on a circle of ``radius``.

    .. math:: x = r(\\cos \\tfrac{2\\pi k}{8}, \\sin \\tfrac{2\\pi k}{8}) + s\\,\\varepsilon, \\quad
              k \\sim U\\{0, …, 7\\}

    Returns
    -------
    X : array of shape (n, 2)
    k : int64 array of shape (n,)
        The component of each point.

    Raises
    ------
    DomainError
        If ``n < 1``, ``std < 0`` or ``radius <= 0``.

    Curriculum: A1.

    Examples
    --------
    >>> X, k = eight_gaussians(64, rng=0)
    >>> X.shape, int(k.max()) <= 7
    ((64, 2), True)
    """
    n = _check_n(n, std)
    check_positive(radius, "radius")
    g = B.as_generator(rng)
    k = B.integers(g, 0, 8, (n,))
    z = B.normal(g, (n, 2), scale=float(std), dtype=dtype)
    xp = B.namespace(z)
    ang = xp.astype(k, z.dtype) * (2 * math.pi / 8)
    centres = radius * xp.stack([xp.cos(ang), xp.sin(ang)], axis=1)
    return centres + z, k
