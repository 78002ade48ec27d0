"""Random matrices and pruning (A11): the Marchenko–Pastur law of XᵀX/n, its CDF and quantiles in
closed form, the KS distance of an empirical spectrum to it, and SVD pruning of a weight matrix
below the bulk edge.

Curriculum: A11.
"""

from __future__ import annotations

import math

import numpy as np

from aimath import backend as B
from aimath.errors import DomainError, check_array, check_positive

__all__ = [
    "marchenko_pastur_support", "marchenko_pastur_pdf", "marchenko_pastur_cdf", "marchenko_pastur_ppf",
    "ks_distance_mp", "mp_singular_edge", "estimate_noise_sigma", "svd_prune_matrix",
]


def _check(ratio, sigma):
    check_positive(ratio, "ratio")
    check_positive(sigma, "sigma")


def marchenko_pastur_support(ratio: float, sigma: float = 1.0) -> tuple[float, float]:
    """The bulk edges a, b = σ²(1 ∓ √λ)² of the Marchenko–Pastur law with λ = ``ratio``."""
    _check(ratio, sigma)
    s2 = sigma * sigma
    return s2 * (1 - math.sqrt(ratio)) ** 2, s2 * (1 + math.sqrt(ratio)) ** 2


def marchenko_pastur_pdf(x, ratio: float, sigma: float = 1.0):
    """Density of the Marchenko–Pastur law: the limit spectrum of XᵀX/n for X of shape (n, p) with iid
    entries of variance σ², as p/n → λ.

    .. math:: f(x) = \\frac{\\sqrt{(b - x)(x - a)}}{2\\pi \\sigma^2 \\lambda x} \\mathbb 1_{[a, b]}(x),
              \\qquad a, b = \\sigma^2(1 \\mp \\sqrt\\lambda)^2

    For λ > 1 the law also has an atom of mass 1 − 1/λ at 0, which this density omits.

    Parameters
    ----------
    x : array
    ratio : float
        λ = p/n > 0.
    sigma : float
        Entry standard deviation σ > 0.

    Returns
    -------
    array of the shape of ``x``.

    Raises
    ------
    DomainError
        If ``ratio`` or ``sigma`` is not positive.

    Curriculum: A11.

    Examples
    --------
    >>> import numpy as np
    >>> float(marchenko_pastur_pdf(np.array([1.0]), 0.25)[0])  # doctest: +ELLIPSIS
    0.6...
    """
    _check(ratio, sigma)
    xp = B.namespace(x)
    a, b = marchenko_pastur_support(ratio, sigma)
    inside = (x > a) & (x < b)
    xs = xp.where(inside, x, xp.full_like(x, 0.5 * (a + b)))
    val = xp.sqrt((b - xs) * (xs - a)) / (2 * math.pi * sigma * sigma * ratio * xs)
    return xp.where(inside, val, xp.zeros_like(val))


def marchenko_pastur_cdf(x, ratio: float, sigma: float = 1.0):
    """CDF of the Marchenko–Pastur law (including the atom at 0 when λ > 1), in closed form.

    With m = (a+b)/2, r = (b−a)/2 and x = m − r cos θ (θ ∈ [0, π]),

    .. math:: F(x) = (1 - 1/\\lambda)_+ \\mathbb 1_{x \\ge 0} + \\frac{1}{2\\pi\\sigma^2\\lambda}
              \\left[ r \\sin\\theta + m\\theta - 2\\sqrt{ab}\\,
              \\arctan\\!\\left(\\sqrt{b/a}\\,\\tan\\tfrac\\theta2\\right) \\right]

    from ∫ sin²φ/(m − r cos φ) dφ by polynomial division in cos φ.

    Curriculum: A11.

    Examples
    --------
    >>> import numpy as np
    >>> marchenko_pastur_cdf(np.array([-1.0, 100.0]), 0.5)
    array([0., 1.])
    """
    _check(ratio, sigma)
    xp = B.namespace(x)
    a, b = marchenko_pastur_support(ratio, sigma)
    m, r = 0.5 * (a + b), 0.5 * (b - a)
    c = xp.clip((m - x) / r, -1.0, 1.0)
    theta = xp.acos(c)
    s = xp.sqrt(xp.clip(1 - c * c, 0.0, 1.0))
    atan = xp.atan2(math.sqrt(b) * s, math.sqrt(a) * (1 + c))
    bulk = (r * s + m * theta - 2 * math.sqrt(a * b) * atan) / (2 * math.pi * sigma * sigma * ratio)
    atom = max(0.0, 1 - 1 / ratio)
    F = xp.where(x >= b, xp.ones_like(bulk), atom + bulk)  # θ = π makes the arctan 0/0 there
    return xp.where(x >= 0, F, xp.zeros_like(bulk))


def marchenko_pastur_ppf(q, ratio: float, sigma: float = 1.0, *, iters: int = 80):
    """Quantiles of the Marchenko–Pastur law by bisection on :func:`marchenko_pastur_cdf`."""
    q = np.asarray(q, dtype=np.float64)
    if np.any((q < 0) | (q > 1)):
        raise DomainError("q must lie in [0, 1]")
    a, b = marchenko_pastur_support(ratio, sigma)
    lo, hi = np.full(q.shape, 0.0 if ratio > 1 else a), np.full(q.shape, b)
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        below = marchenko_pastur_cdf(mid, ratio, sigma) < q
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return 0.5 * (lo + hi)


def ks_distance_mp(eigenvalues, ratio: float, sigma: float = 1.0) -> float:
    """Kolmogorov–Smirnov distance sup_x |F_n(x) − F(x)| between an empirical spectrum and the
    Marchenko–Pastur law.

    .. math:: D_n = \\max_i \\max\\left(\\tfrac{i}{n} - F(x_{(i)}),\\; F(x_{(i)}) - \\tfrac{i-1}{n}\\right)

    Curriculum: A11.
    """
    check_array(eigenvalues, "eigenvalues", ndim=1, nonempty=True)
    x = np.sort(B.to_numpy(eigenvalues).astype(np.float64))
    F = marchenko_pastur_cdf(x, ratio, sigma)
    n = x.size
    i = np.arange(1, n + 1)
    return float(max(np.max(i / n - F), np.max(F - (i - 1) / n)))


def mp_singular_edge(shape, sigma: float) -> float:
    """Largest singular value of an (m, n) matrix of iid N(0, σ²) noise, asymptotically.

    .. math:: s_{\\max} \\approx \\sigma(\\sqrt m + \\sqrt n)
    """
    m, n = (int(s) for s in shape)
    return float(sigma * (math.sqrt(m) + math.sqrt(n)))


def estimate_noise_sigma(s, shape) -> float:
    """Noise level σ of a matrix (m, n) from its singular values, by matching the median of s²/N
    (N = max(m, n)) to the median of the Marchenko–Pastur law with λ = min(m, n)/N. The median is
    robust to a few large "signal" singular values."""
    m, n = (int(v) for v in shape)
    big, small = max(m, n), min(m, n)
    med = float(np.median(B.to_numpy(s).astype(np.float64) ** 2 / big))
    mp_med = float(marchenko_pastur_ppf(0.5, small / big))
    return math.sqrt(med / mp_med)


def svd_prune_matrix(W, threshold="mp"):
    """Truncate the SVD of W below a threshold: keep only singular values above the noise edge.

    .. math:: W = U \\Sigma V^\\top \\;\\mapsto\\; \\sum_{s_i > \\tau} s_i u_i v_i^\\top, \\qquad
              \\tau = \\hat\\sigma(\\sqrt m + \\sqrt n) \\text{ for } \\texttt{threshold="mp"}

    Parameters
    ----------
    W : array of shape (m, n)
    threshold : "mp" or float
        "mp": the Marchenko–Pastur edge of the noise level estimated by
        :func:`estimate_noise_sigma`; a float: that singular-value cut-off.

    Returns
    -------
    W_pruned : array of shape (m, n)
    rank : int
        Singular values kept.

    Curriculum: A11.
    """
    from aimath.linalg import svd

    check_array(W, "W", ndim=2, nonempty=True)
    xp = B.namespace(W)
    U, s, Vt = svd(W, full_matrices=False)
    if isinstance(threshold, str):
        if threshold != "mp":
            raise DomainError(f"threshold must be 'mp' or a number, got {threshold!r}")
        tau = mp_singular_edge(W.shape, estimate_noise_sigma(s, W.shape))
    else:
        tau = float(threshold)
    keep = s > tau
    rank = int(xp.sum(xp.astype(keep, xp.int64)))
    s_kept = xp.where(keep, s, xp.zeros_like(s))
    return (U * s_kept[None, :]) @ Vt, rank
