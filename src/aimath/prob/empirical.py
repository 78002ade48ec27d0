"""Empirical distribution functions and the Kolmogorov–Smirnov statistic.

Curriculum: B13.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import scipy.special as sc

from aimath.backend import asarray, namespace, to_numpy
from aimath.errors import check_array

__all__ = ["empirical_cdf", "ks_statistic", "KSResult"]


class KSResult(NamedTuple):
    """The KS statistic :math:`D_n` and its asymptotic p-value."""

    statistic: float
    pvalue: float


def _sorted_samples(samples, name="samples"):
    x = asarray(samples, dtype="float")
    check_array(x, name, ndim=1, nonempty=True, finite=True)
    xp = namespace(x)
    return xp.sort(x), xp


def empirical_cdf(samples, x):
    r"""The empirical CDF :math:`F_n(x) = \frac1n \#\{i : X_i \le x\}`.

    .. math::
        F_n(x) = \frac1n \sum_{i=1}^n \mathbb 1[X_i \le x]

    Parameters
    ----------
    samples : array of shape (n,)
        The observations.
    x : array_like
        Points to evaluate at (any shape).

    Returns
    -------
    array of the shape of ``x``

    Raises
    ------
    ShapeError
        ``samples`` not 1-D or empty.
    DomainError
        NaN/inf in ``samples``.

    Curriculum: B13.

    Examples
    --------
    >>> import numpy as np
    >>> empirical_cdf(np.array([3.0, 1.0, 2.0]), np.array([0.0, 1.0, 2.5, 9.0]))
    array([0.        , 0.33333333, 0.66666667, 1.        ])
    """
    s, xp = _sorted_samples(samples)
    x = asarray(x, dtype=s.dtype, like=s)
    n = s.shape[0]
    shape = x.shape
    flat = xp.reshape(x, (-1,))
    idx = xp.searchsorted(s, flat, side="right")
    return xp.reshape(xp.astype(idx, s.dtype) / n, shape)


def ks_statistic(samples, cdf) -> KSResult:
    r"""One-sample Kolmogorov–Smirnov statistic against a continuous CDF, with its p-value.

    .. math::
        D_n = \sup_x |F_n(x) - F(x)| = \max_i \max\Big(\frac{i}{n} - F(x_{(i)}),\;
              F(x_{(i)}) - \frac{i-1}{n}\Big)

    The p-value is the asymptotic Kolmogorov tail :math:`P(K > \sqrt n D_n)` with Stephens'
    finite-sample correction :math:`\sqrt n \to \sqrt n + 0.12 + 0.11/\sqrt n`.

    Parameters
    ----------
    samples : array of shape (n,)
    cdf : callable
        The hypothesised CDF :math:`F`, vectorised.

    Returns
    -------
    KSResult
        ``(statistic, pvalue)`` as Python floats.

    Raises
    ------
    ShapeError, DomainError
        Bad ``samples``.

    Curriculum: B13.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.prob import Normal
    >>> x = Normal(0.0, 1.0).sample(0, 2000)
    >>> ks_statistic(x, Normal(0.0, 1.0).cdf).pvalue > 1e-3
    True
    """
    s, xp = _sorted_samples(samples)
    n = int(s.shape[0])
    F = to_numpy(cdf(s)).astype(np.float64)
    i = np.arange(1, n + 1, dtype=np.float64)
    d = float(max(np.max(i / n - F), np.max(F - (i - 1) / n)))
    rn = math.sqrt(n)
    p = float(sc.kolmogorov((rn + 0.12 + 0.11 / rn) * d))
    return KSResult(d, min(max(p, 0.0), 1.0))
