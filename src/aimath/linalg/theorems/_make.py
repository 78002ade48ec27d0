"""Random test matrices for the theorems, built with aimath's own QR (no library calls)."""

from __future__ import annotations

import numpy as np

from aimath.linalg.qr import qr

EPS = float(np.finfo(np.float64).eps)


def orthogonal(rng, n, batch=()):
    """Haar-random orthogonal matrices (QR of a Gaussian matrix with the sign fix)."""
    Q, R = qr(rng.standard_normal((*batch, n, n)))
    d = np.sign(np.diagonal(R, axis1=-2, axis2=-1))
    return Q * d[..., None, :]


def with_singular_values(rng, m, n, s):
    k = min(m, n)
    U, V = orthogonal(rng, m)[:, :k], orthogonal(rng, n)[:, :k]
    return (U * np.asarray(s, dtype=float)) @ V.T


def symmetric_with(rng, w):
    Q = orthogonal(rng, len(w))
    A = (Q * np.asarray(w, dtype=float)) @ Q.T
    return (A + A.T) / 2


def fro(A):
    return float(np.sqrt(np.sum(np.asarray(A) ** 2)))
