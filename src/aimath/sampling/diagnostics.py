"""MCMC diagnostics: autocorrelation (by FFT), effective sample size (Geyer's initial monotone
sequence on split chains, bulk and tail versions on rank-normalised draws), rank-normalised split
R-hat, Monte Carlo standard error and a summary table (Vehtari, Gelman, Simpson, Carpenter and
Bürkner 2021).

Draws are laid out as the samplers return them: ``(n_samples, n_chains, d)``; ``(n_samples,
n_chains)`` (one quantity) and ``(n_samples,)`` (one chain) are accepted too. Results are NumPy
arrays of shape ``(d,)`` (or scalars for fewer dimensions).

Curriculum: B18
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.special import ndtri

from aimath import backend as B
from aimath.errors import ShapeError, check_array

__all__ = ["autocorrelation", "effective_sample_size", "rhat", "mcse", "summary", "Summary"]


def _as3d(samples, min_draws=4):
    x = np.asarray(B.to_numpy(samples), dtype=np.float64)
    check_array(x, "samples", min_ndim=1)
    squeeze = x.ndim
    if x.ndim == 1:
        x = x[:, None, None]
    elif x.ndim == 2:
        x = x[:, :, None]
    elif x.ndim != 3:
        raise ShapeError(f"samples must have shape (n_samples, n_chains, d), got {x.shape}")
    if x.shape[0] < min_draws:
        raise ShapeError(f"samples need at least {min_draws} draws per chain, got shape {x.shape}")
    return x, squeeze


def _out(v, squeeze):
    return v if squeeze == 3 else float(v[0])


def autocorrelation(x, *, axis: int = 0):
    """Sample autocorrelation ``ρ̂_t`` of each series along ``axis``, computed by FFT.

    .. math:: \\hat\\rho_t = \\frac{\\sum_{i=0}^{n-1-t}(x_i-\\bar x)(x_{i+t}-\\bar x)}{\\sum_{i=0}^{n-1}(x_i-\\bar x)^2}

    (the biased, positive-definite estimator), computed as the inverse FFT of the zero-padded
    periodogram in ``O(n log n)``.

    Parameters
    ----------
    x : array
        Series along ``axis`` (any other axes are independent series).
    axis : int

    Returns
    -------
    numpy.ndarray of the shape of ``x``
        Lags ``0 … n−1`` along ``axis``; ``ρ̂_0 = 1`` (0 for a constant series).

    Curriculum: B18

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sampling import autocorrelation
    >>> np.round(autocorrelation(np.array([1.0, -1.0, 1.0, -1.0])), 3)
    array([ 1.  , -0.75,  0.5 , -0.25])
    """
    a = np.moveaxis(np.asarray(B.to_numpy(x), dtype=np.float64), axis, 0)
    check_array(a, "x", min_ndim=1)
    n = a.shape[0]
    if n < 2:
        raise ShapeError(f"x needs at least 2 points along axis {axis}, got {n}")
    c = np.ascontiguousarray(np.moveaxis(a - a.mean(axis=0), 0, -1))
    size = 1 << (2 * n - 1).bit_length()
    f = np.fft.rfft(c, n=size, axis=-1)
    acov = np.moveaxis(np.fft.irfft(f.real**2 + f.imag**2, n=size, axis=-1)[..., :n], -1, 0)
    v0 = acov[:1]
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = np.where(v0 > 0, acov / np.where(v0 > 0, v0, 1.0), 0.0)
    return np.moveaxis(rho, 0, axis)


def _split(x):
    n = x.shape[0] // 2
    return np.concatenate([x[:n], x[x.shape[0] - n:]], axis=1)


def _ess_raw(x):
    """ESS of each quantity of ``x`` (n, m, q) without splitting (the chains as given)."""
    n, m, _ = x.shape
    centred = np.ascontiguousarray(np.moveaxis(x - x.mean(axis=0), 0, -1))  # (m, q, n): FFT on the last axis
    size = 1 << (2 * n - 1).bit_length()
    f = np.fft.rfft(centred, n=size, axis=-1)
    acov = np.moveaxis(np.fft.irfft(f.real**2 + f.imag**2, n=size, axis=-1)[..., :n] / n, -1, 0)  # (n, m, q)
    within = acov[0].mean(axis=0) * n / (n - 1)  # W
    var_plus = within * (n - 1) / n + (x.mean(axis=0).var(axis=0, ddof=1) if m > 1 else 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = 1.0 - (within - acov.mean(axis=1)) / var_plus  # (n, q); rho[0] = 1
    n_pairs = n // 2
    pairs = rho[0:2 * n_pairs:2] + rho[1:2 * n_pairs:2]  # Geyer's Γ_k = ρ_2k + ρ_2k+1
    positive = np.cumprod(pairs > 0, axis=0).astype(bool)  # initial positive sequence
    monotone = np.minimum.accumulate(np.where(positive, pairs, np.inf), axis=0)  # initial monotone sequence
    gamma = np.where(positive, monotone, 0.0).sum(axis=0)
    tau = -1.0 + 2.0 * gamma
    total = n * m
    tau = np.maximum(tau, 1.0 / math.log10(total))
    ess = np.where(var_plus > 0, total / tau, float(total))
    return np.where(np.isfinite(ess), ess, np.nan)


def _rank_normalise(x):
    """Pooled average ranks → normal scores ``Φ⁻¹((r − 3/8)/(S + 1/4))`` per quantity."""
    n, m, q = x.shape
    flat = x.reshape(n * m, q)
    z = np.empty_like(flat)
    for j in range(q):
        vals, inv, counts = np.unique(flat[:, j], return_inverse=True, return_counts=True)
        start = np.cumsum(counts) - counts
        ranks = start + (counts + 1) / 2.0  # average rank of ties, 1-based
        z[:, j] = ndtri((ranks[inv] - 0.375) / (n * m + 0.25))
    return z.reshape(n, m, q)


def effective_sample_size(samples, *, method: str = "bulk"):
    """Effective sample size per quantity.

    .. math:: \\text{ESS} = \\frac{NM}{\\hat\\tau},\\qquad
              \\hat\\tau = -1 + 2\\sum_{k=0}^{K}(\\hat\\rho_{2k} + \\hat\\rho_{2k+1}),\\qquad
              \\hat\\rho_t = 1 - \\frac{W - \\overline{\\widehat{\\mathrm{acov}}}_t}{\\widehat{\\mathrm{var}}^+}

    with Geyer's initial monotone sequence truncating the sum, on split chains. ``"bulk"`` applies
    it to rank-normalised draws (robust, the default), ``"tail"`` is the minimum over the
    indicators of the 5 % and 95 % quantiles, ``"mean"`` uses the raw draws (the ESS that enters
    the MCSE of the mean).

    Parameters
    ----------
    samples : array of shape (n_samples, n_chains, d), (n_samples, n_chains) or (n_samples,)
    method : {"bulk", "tail", "mean"}

    Returns
    -------
    numpy.ndarray of shape (d,) or float

    Raises
    ------
    ShapeError
        Fewer than 4 draws; wrong number of dimensions.

    Curriculum: B18

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sampling import effective_sample_size
    >>> iid = np.random.default_rng(0).standard_normal((1000, 4, 1))
    >>> bool(3000 < effective_sample_size(iid)[0] < 5000)
    True
    """
    x, squeeze = _as3d(samples)
    if method not in ("bulk", "tail", "mean"):
        raise ValueError(f"method must be 'bulk', 'tail' or 'mean', got {method!r}")
    s = _split(x)
    if method == "mean":
        return _out(_ess_raw(s), squeeze)
    if method == "bulk":
        return _out(_ess_raw(_rank_normalise(s)), squeeze)
    lo, hi = np.quantile(x.reshape(-1, x.shape[2]), [0.05, 0.95], axis=0)
    ess_lo = _ess_raw(_split((x <= lo).astype(float)))
    ess_hi = _ess_raw(_split((x <= hi).astype(float)))
    return _out(np.minimum(ess_lo, ess_hi), squeeze)


def _split_rhat(z):
    n = z.shape[0]
    within = z.var(axis=0, ddof=1).mean(axis=0)
    between = n * z.mean(axis=0).var(axis=0, ddof=1)
    var_plus = (n - 1) / n * within + between / n
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sqrt(var_plus / within)


def rhat(samples):
    """Rank-normalised split-R̂: the larger of the bulk and tail (folded) potential scale reductions.

    .. math:: \\hat R = \\sqrt{\\frac{\\frac{n-1}{n}W + \\frac1n B}{W}}

    computed on split chains after rank-normalisation, for the draws and for ``|x − median|``.
    Values above 1.01 signal chains that have not mixed.

    Parameters
    ----------
    samples : array of shape (n_samples, n_chains, d) or (n_samples, n_chains)
        At least 2 chains (after splitting, 4 half-chains).

    Returns
    -------
    numpy.ndarray of shape (d,) or float

    Curriculum: B18

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sampling import rhat
    >>> x = np.random.default_rng(0).standard_normal((500, 4, 2))
    >>> bool(np.all(rhat(x) < 1.01))
    True
    >>> x[:, 0] += 3.0                                    # one chain stuck elsewhere
    >>> bool(np.all(rhat(x) > 1.1))
    True
    """
    x, squeeze = _as3d(samples)
    s = _split(x)
    bulk = _split_rhat(_rank_normalise(s))
    folded = np.abs(s - np.median(s.reshape(-1, s.shape[2]), axis=0))
    tail = _split_rhat(_rank_normalise(folded))
    return _out(np.maximum(bulk, tail), squeeze)


def mcse(samples):
    """Monte Carlo standard error of the mean, ``sd/√ESS_mean``, per quantity.

    .. math:: \\mathrm{MCSE}(\\bar x) = \\frac{\\hat\\sigma}{\\sqrt{\\mathrm{ESS}}}

    Parameters
    ----------
    samples : array of shape (n_samples, n_chains, d), (n_samples, n_chains) or (n_samples,)

    Returns
    -------
    numpy.ndarray of shape (d,) or float

    Curriculum: B18

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sampling import mcse
    >>> x = np.random.default_rng(0).standard_normal((1000, 4))
    >>> bool(abs(mcse(x) - 1 / np.sqrt(4000)) < 0.003)
    True
    """
    x, squeeze = _as3d(samples)
    sd = x.reshape(-1, x.shape[2]).std(axis=0, ddof=1)
    return _out(sd / np.sqrt(_ess_raw(_split(x))), squeeze)


class Summary:
    """Posterior summary per quantity: mean, sd, MCSE of the mean, bulk and tail ESS, R-hat."""

    columns = ("mean", "sd", "mcse_mean", "ess_bulk", "ess_tail", "rhat")

    def __init__(self, names: Sequence[str], values: dict[str, np.ndarray]):
        self.names = list(names)
        self.values = values

    def __getitem__(self, column: str) -> np.ndarray:
        return self.values[column]

    def to_dict(self) -> dict[str, dict[str, float]]:
        """``{name: {column: value}}``."""
        return {n: {c: float(self.values[c][i]) for c in self.columns} for i, n in enumerate(self.names)}

    def __str__(self) -> str:
        w = max(8, *(len(n) for n in self.names))
        head = f"{'':{w}s} " + " ".join(f"{c:>10s}" for c in self.columns)
        rows = [head]
        for i, n in enumerate(self.names):
            cells = []
            for c in self.columns:
                v = self.values[c][i]
                cells.append(f"{v:10.0f}" if c.startswith("ess") else f"{v:10.4g}")
            rows.append(f"{n:{w}s} " + " ".join(cells))
        return "\n".join(rows)

    __repr__ = __str__


def summary(samples, names: Sequence[str] | None = None) -> Summary:
    """A table of mean, sd, MCSE, bulk/tail ESS and R-hat for each quantity.

    Parameters
    ----------
    samples : array of shape (n_samples, n_chains, d)
    names : sequence of str, optional
        Quantity names (default ``x[0]``, ``x[1]``, …).

    Returns
    -------
    Summary

    Curriculum: B18

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sampling import summary
    >>> s = summary(np.random.default_rng(0).standard_normal((400, 4, 2)))
    >>> list(s.to_dict())
    ['x[0]', 'x[1]']
    """
    x, _ = _as3d(samples)
    d = x.shape[2]
    names = [f"x[{i}]" for i in range(d)] if names is None else list(names)
    if len(names) != d:
        raise ShapeError(f"names must have {d} entries, got {len(names)}")
    flat = x.reshape(-1, d)
    vals = {
        "mean": flat.mean(axis=0),
        "sd": flat.std(axis=0, ddof=1),
        "mcse_mean": np.atleast_1d(mcse(x)),
        "ess_bulk": np.atleast_1d(effective_sample_size(x, method="bulk")),
        "ess_tail": np.atleast_1d(effective_sample_size(x, method="tail")),
        "rhat": np.atleast_1d(rhat(x)) if x.shape[1] > 1 else np.full(d, np.nan),
    }
    return Summary(names, vals)
