"""B1 vector spaces: rank, bases and change of basis, span membership."""

from __future__ import annotations

import numpy as np

from aimath.linalg import change_of_basis, coordinates, in_span, matrix_rank
from aimath.theorems import Evidence, theorem


@theorem("B1.rank-by-construction", "rank(UV) = r for U ∈ ℝ^{m×r}, V ∈ ℝ^{r×n} generic (300 random products)")
def rank_construction(rng):
    m, n = 9, 7
    rs = rng.integers(0, 8, 300)
    A = np.stack([rng.standard_normal((m, r)) @ rng.standard_normal((r, n)) for r in rs])
    ranks = matrix_rank(A)
    wrong = int(np.sum(ranks != rs))
    return Evidence.close(wrong, 0, atol=0, note=f"{wrong} of 300 ranks differ from the construction")


@theorem("B1.change-of-basis-round-trip", "coordinates map B₁ → B₂ → B₁ back to themselves: C₂₁C₁₂ = I (1e-12)")
def change_round_trip(rng):
    n = 6
    errs = []
    for _ in range(20):
        B1, B2 = rng.standard_normal((2, n, n))
        x = rng.standard_normal(n)
        y = change_of_basis(B1, B2) @ x  # coordinates of the same vector in B₂
        back = change_of_basis(B2, B1) @ y
        errs.append(np.max(np.abs(back - x)) / np.max(np.abs(x)))
        errs.append(np.max(np.abs(B2 @ y - B1 @ x)) / np.max(np.abs(B1 @ x)))
        errs.append(np.max(np.abs(coordinates(B1 @ x, B1) - x)) / np.max(np.abs(x)))
    return Evidence.bound(max(errs), 1e-12, note="worst relative round-trip error over 20 pairs of bases")


@theorem("B1.span-membership", "v ∈ span(A) iff the projection residual ‖v − QQᵀv‖ vanishes")
def span_membership(rng):
    m, k = 10, 4
    A = rng.standard_normal((m, k))
    inside = A @ rng.standard_normal((k, 200))
    outside = rng.standard_normal((m, 200))
    return Evidence.all(
        members=Evidence.close(float(np.mean(in_span(inside, A))), 1.0, atol=0, note="fraction accepted"),
        non_members=Evidence.close(float(np.mean(in_span(outside, A))), 0.0, atol=0, note="fraction accepted"),
    )
