"""eigh and svd on a sweep of hard spectra: repeated, tightly clustered, graded over 15 orders of
magnitude, half zero, rounded (many exact ties). Residual and orthogonality in units of n·ε."""

import numpy as np
import pytest

from aimath.linalg import eigh, svd

from ._helpers import EPS, symmetric_with, with_singular_values


def _spectrum(rng, kind, n):
    if kind == "repeated":
        return np.repeat(rng.standard_normal(max(1, n // 5)), 5)[:n]
    if kind == "cluster":
        return 1 + 1e-12 * rng.standard_normal(n)
    if kind == "graded":
        return np.logspace(0, -15, n) * rng.choice([-1, 1], n)
    if kind == "half-zero":
        return np.r_[np.zeros(n // 2), rng.standard_normal(n - n // 2)]
    return np.round(rng.standard_normal(n), 1)


@pytest.mark.parametrize("kind", ["repeated", "cluster", "graded", "half-zero", "ties"])
def test_hard_spectra(rng, kind):
    for n in (7, 23, 48, 130):  # 23–130: the Lanczos reduction of eigh
        w = _spectrum(rng, kind, n)
        n = len(w)
        A = symmetric_with(rng, w)
        lam, V = eigh(A)
        scale = max(np.abs(w).max(), 1e-300)
        assert np.abs(A @ V - V * lam).max() / scale <= 20 * n * EPS
        assert np.abs(V.T @ V - np.eye(n)).max() <= 20 * n * EPS
        assert np.abs(lam - np.sort(w)).max() / scale <= 20 * n * EPS
        s = np.abs(w)
        B = with_singular_values(rng, n + 3, n, s)
        U, sv, Vh = svd(B, full_matrices=False)
        assert np.abs((U * sv) @ Vh - B).max() / max(s.max(), 1e-300) <= 20 * n * EPS
        assert np.abs(U.T @ U - np.eye(n)).max() <= 20 * n * EPS
        assert np.abs(Vh @ Vh.T - np.eye(n)).max() <= 20 * n * EPS
        assert np.abs(sv - np.sort(s)[::-1]).max() / max(s.max(), 1e-300) <= 20 * n * EPS
