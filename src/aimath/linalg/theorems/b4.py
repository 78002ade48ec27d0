"""B4 the four fundamental subspaces and rank–nullity."""

from __future__ import annotations

import numpy as np

from aimath.linalg import fundamental_subspaces
from aimath.theorems import Evidence, theorem


@theorem("B4.rank-nullity", "rank + nullity = n; A N = 0; row space ⟂ null space; column space ⟂ left null space")
def rank_nullity(rng):
    bad, resid, orth = 0, 0.0, 0.0
    for _ in range(40):
        m, n = rng.integers(2, 12, 2)
        r = int(rng.integers(0, min(m, n) + 1))
        A = rng.standard_normal((m, r)) @ rng.standard_normal((r, n))
        S = fundamental_subspaces(A)
        bad += int(S.rank + S.null.shape[1] != n) + int(S.rank + S.left_null.shape[1] != m) + int(S.rank != r)
        scale = max(np.abs(A).max(), 1.0)
        resid = max(resid, np.abs(A @ S.null).max(initial=0) / scale, np.abs(A.T @ S.left_null).max(initial=0) / scale)
        orth = max(orth, np.abs(S.row.T @ S.null).max(initial=0), np.abs(S.column.T @ S.left_null).max(initial=0))
    return Evidence.all(
        dimensions=Evidence.close(bad, 0, atol=0, note="count of dimension mismatches over 40 matrices"),
        null_residual=Evidence.bound(resid, 1e-13, note="max |A N|, |Aᵀ N_left|"),
        orthogonal=Evidence.bound(orth, 1e-13, note="max |R(Aᵀ)ᵀ N(A)|, |R(A)ᵀ N(Aᵀ)|"),
    )
