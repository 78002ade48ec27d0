r"""Two-sample distances for judging generated samples: MMD, energy distance, sliced Wasserstein, KS.

All take samples ``x`` of shape (n, d) and ``y`` of shape (m, d) (NumPy or torch) and are
vectorised: one matrix of pairwise distances, or one sort per projection.

Curriculum: B21
"""

from __future__ import annotations

import math

import numpy as np

from aimath import backend as B
from aimath.errors import DomainError, ShapeError, check_array

__all__ = ["pairwise_sq_distances", "mmd", "mmd_textbook", "energy_distance", "sliced_wasserstein",
           "ks_two_sample"]


def _pair(x, y, min_n=2):
    x = B.asarray(x, dtype="float")
    y = B.asarray(y, dtype="float", like=x)
    check_array(x, "x", ndim=2)
    check_array(y, "y", ndim=2)
    if x.shape[1] != y.shape[1]:
        raise ShapeError(f"x and y must have the same number of columns, got {x.shape[1]} and {y.shape[1]}")
    if x.shape[0] < min_n or y.shape[0] < min_n:
        raise ShapeError(f"x and y need at least {min_n} rows each, got {x.shape[0]} and {y.shape[0]}")
    return x, y, B.namespace(x)


def pairwise_sq_distances(x, y):
    """Squared Euclidean distances :math:`\\|x_i - y_j\\|^2`, shape (n, m), clipped at 0."""
    xp = B.namespace(x)
    d2 = xp.sum(x * x, axis=-1)[:, None] + xp.sum(y * y, axis=-1)[None, :] - 2.0 * (x @ y.T)
    return xp.clip(d2, 0.0, None)


def _offdiag_mean(xp, K):
    n = K.shape[0]
    return (xp.sum(K) - xp.sum(xp.linalg.diagonal(K))) / (n * (n - 1))


def _bandwidth(xp, x, y, bandwidth):
    if isinstance(bandwidth, str):
        if bandwidth != "median":
            raise DomainError(f"bandwidth must be a positive number or 'median', got {bandwidth!r}")
        z = xp.concat([x, y], axis=0)
        d2 = B.to_numpy(pairwise_sq_distances(z, z))
        iu = np.triu_indices(d2.shape[0], 1)
        med = float(np.median(np.sqrt(d2[iu])))
        return med if med > 0 else 1.0
    bw = float(bandwidth)
    if not (math.isfinite(bw) and bw > 0):
        raise DomainError(f"bandwidth must be a positive number or 'median', got {bandwidth!r}")
    return bw


def mmd(x, y, *, kernel: str = "rbf", bandwidth="median", squared: bool = True, biased: bool = False):
    r"""Maximum mean discrepancy, the unbiased U-statistic (Gretton et al. 2012), or the biased V-statistic.

    .. math:: \widehat{\mathrm{MMD}}^2_u = \frac{1}{n(n-1)}\sum_{i\ne i'} k(x_i, x_{i'})
              + \frac{1}{m(m-1)}\sum_{j\ne j'} k(y_j, y_{j'}) - \frac{2}{nm}\sum_{i,j} k(x_i, y_j),

    with ``kernel="rbf"``: :math:`k(a, b) = \exp(-\|a-b\|^2/2h^2)` or ``kernel="laplace"``:
    :math:`\exp(-\|a-b\|/h)`; ``bandwidth="median"`` sets ``h`` to the median pairwise distance of
    the pooled sample. Its expectation is exactly :math:`\mathrm{MMD}^2` (0 when the laws agree), so
    it can be slightly negative. With ``biased=True`` the V-statistic (diagonals included,
    :math:`\frac1{n^2}\sum_{i,i'} k(x_i, x_{i'}) + \frac1{m^2}\sum_{j,j'} k(y_j, y_{j'})
    - \frac2{nm}\sum_{i,j}k(x_i, y_j) = \|\hat\mu_x - \hat\mu_y\|^2_{\mathcal H} \ge 0`), whose value
    between two samples of one law is a positive noise floor of order :math:`1/n + 1/m`.

    Parameters
    ----------
    x : array of shape (n, d), n >= 2
    y : array of shape (m, d), m >= 2
    kernel : {"rbf", "laplace"}
    bandwidth : float or "median"
    squared : bool
        Return :math:`\widehat{\mathrm{MMD}}^2_u` (default) or :math:`\mathrm{sign}\cdot\sqrt{|\cdot|}`.
    biased : bool
        The V-statistic instead of the U-statistic.

    Returns
    -------
    float

    Raises
    ------
    ShapeError, DomainError

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> same = mmd(rng.normal(size=(500, 2)), rng.normal(size=(500, 2)))
    >>> shifted = mmd(rng.normal(size=(500, 2)), 1 + rng.normal(size=(500, 2)))
    >>> abs(same) < 0.01 < shifted
    True
    """
    x, y, xp = _pair(x, y)
    if kernel not in ("rbf", "laplace"):
        raise DomainError(f"kernel must be 'rbf' or 'laplace', got {kernel!r}")
    h = _bandwidth(xp, x, y, bandwidth)

    def k(a, b):
        d2 = pairwise_sq_distances(a, b)
        return xp.exp(-d2 / (2 * h * h)) if kernel == "rbf" else xp.exp(-xp.sqrt(d2) / h)

    if biased:
        val = float(xp.mean(k(x, x)) + xp.mean(k(y, y)) - 2.0 * xp.mean(k(x, y)))
    else:
        val = float(_offdiag_mean(xp, k(x, x)) + _offdiag_mean(xp, k(y, y)) - 2.0 * xp.mean(k(x, y)))
    return val if squared else math.copysign(math.sqrt(abs(val)), val)


def mmd_textbook(x, y, bandwidth: float) -> float:
    """The RBF U-statistic by its double sums, one pair at a time (for the tests; O(n²) Python)."""
    x, y = B.to_numpy(x), B.to_numpy(y)
    n, m = len(x), len(y)

    def k(a, b):
        return math.exp(-float(np.sum((a - b) ** 2)) / (2 * bandwidth**2))

    sxx = sum(k(x[i], x[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    syy = sum(k(y[i], y[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    sxy = sum(k(x[i], y[j]) for i in range(n) for j in range(m)) / (n * m)
    return sxx + syy - 2 * sxy


def energy_distance(x, y) -> float:
    r"""Energy distance (Székely–Rizzo), U-statistics for the within-sample terms.

    .. math:: \hat{\mathcal E} = \frac{2}{nm}\sum_{i,j}\|x_i-y_j\| - \frac{1}{n(n-1)}\sum_{i\ne i'}\|x_i-x_{i'}\|
              - \frac{1}{m(m-1)}\sum_{j\ne j'}\|y_j-y_{j'}\|

    Unbiased for :math:`2\mathbb E\|X-Y\| - \mathbb E\|X-X'\| - \mathbb E\|Y-Y'\|`, which is ≥ 0 and 0
    only when the laws agree.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> energy_distance(np.array([[0.0], [0.0]]), np.array([[1.0], [1.0]]))
    2.0
    """
    x, y, xp = _pair(x, y)

    def dist(a, b):
        return xp.sqrt(pairwise_sq_distances(a, b))

    return float(2.0 * xp.mean(dist(x, y)) - _offdiag_mean(xp, dist(x, x)) - _offdiag_mean(xp, dist(y, y)))


def _wasserstein_1d(xs, ys, p):
    """W_p^p between the empirical laws of the rows of sorted ``xs`` (k, n) and ``ys`` (k, m)."""
    xp = B.namespace(xs)
    n, m = xs.shape[-1], ys.shape[-1]
    # the quantile functions are step functions with jumps at i/n and j/m: integrate on the merged grid
    grid = np.unique(np.concatenate([np.arange(n + 1) / n, np.arange(m + 1) / m]))
    mid = 0.5 * (grid[1:] + grid[:-1])
    widths = xp.asarray(np.diff(grid), dtype=xs.dtype, device=B.device(xs))
    ix = xp.asarray(np.minimum((mid * n).astype(np.int64), n - 1), device=B.device(xs))
    iy = xp.asarray(np.minimum((mid * m).astype(np.int64), m - 1), device=B.device(xs))
    diff = xp.abs(xp.take(xs, ix, axis=-1) - xp.take(ys, iy, axis=-1))
    return xp.sum(diff**p * widths, axis=-1)


def sliced_wasserstein(x, y, n_projections: int = 128, rng=None, *, p: int = 2) -> float:
    r"""Sliced Wasserstein distance: the p-Wasserstein distance averaged over random 1-D projections.

    .. math:: \mathrm{SW}_p(\mu, \nu) = \Big(\mathbb E_{\theta \sim U(S^{d-1})}\,
              W_p^p(\theta_\#\mu, \theta_\#\nu)\Big)^{1/p},
              \qquad W_p^p = \int_0^1 |F^{-1}_{\theta\cdot x}(u) - F^{-1}_{\theta\cdot y}(u)|^p\,du

    The 1-D distances are exact for the empirical laws (sorted samples; sizes may differ).

    Parameters
    ----------
    x : array (n, d); y : array (m, d)
    n_projections : int
    rng : seed or generator (the directions)
    p : int >= 1

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(200, 1))
    >>> round(sliced_wasserstein(x, x + 3.0, 4, rng=0), 6)  # a shift by 3 in 1-D
    3.0
    """
    x, y, xp = _pair(x, y, min_n=1)
    if isinstance(n_projections, bool) or not isinstance(n_projections, int) or n_projections < 1:
        raise DomainError(f"n_projections must be a positive integer, got {n_projections!r}")
    if not (isinstance(p, int) and p >= 1):
        raise DomainError(f"p must be an integer >= 1, got {p!r}")
    theta = B.normal(rng, (x.shape[1], n_projections), like=x)
    theta = theta / xp.linalg.vector_norm(theta, axis=0, keepdims=True)
    px = xp.sort((x @ theta).T, axis=-1)
    py = xp.sort((y @ theta).T, axis=-1)
    return float(xp.mean(_wasserstein_1d(px, py, p))) ** (1.0 / p)


def ks_two_sample(x, y) -> float:
    r"""Two-sample Kolmogorov–Smirnov statistic :math:`\sup_z |F_x(z) - F_y(z)|` of 1-D samples.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> ks_two_sample(np.array([0.0, 1.0]), np.array([2.0, 3.0]))
    1.0
    """
    x = B.to_numpy(x).astype(float).ravel()
    y = B.to_numpy(y).astype(float).ravel()
    if x.size == 0 or y.size == 0:
        raise ShapeError(f"x and y must be non-empty, got sizes {x.size} and {y.size}")
    xs, ys = np.sort(x), np.sort(y)
    z = np.concatenate([xs, ys])
    fx = np.searchsorted(xs, z, side="right") / xs.size
    fy = np.searchsorted(ys, z, side="right") / ys.size
    return float(np.max(np.abs(fx - fy)))
