"""Test matrices shared by the linear-algebra tests (random, ill-conditioned, rank-deficient)."""

from __future__ import annotations

import numpy as np

EPS = np.finfo(np.float64).eps


def orthogonal(rng, n):
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.sign(np.diag(R))


def with_singular_values(rng, m, n, s):
    """An m×n matrix with the given singular values (len min(m, n))."""
    k = min(m, n)
    U, V = orthogonal(rng, m)[:, :k], orthogonal(rng, n)[:, :k]
    return (U * np.asarray(s)) @ V.T


def ill_conditioned(rng, n, cond=1e12):
    return with_singular_values(rng, n, n, np.logspace(0, -np.log10(cond), n))


def spd(rng, n, cond=1e3, batch=()):
    out = np.empty((*batch, n, n))
    for idx in np.ndindex(*batch):
        Q = orthogonal(rng, n)
        out[idx] = (Q * np.logspace(0, -np.log10(cond), n)) @ Q.T
        out[idx] = (out[idx] + out[idx].T) / 2
    return out


def symmetric_with(rng, w):
    Q = orthogonal(rng, len(w))
    A = (Q * np.asarray(w)) @ Q.T
    return (A + A.T) / 2
