"""B3 matrix operations: transpose/trace/determinant identities, block and Kronecker products,
the Schur product theorem, Sherman–Morrison–Woodbury."""

from __future__ import annotations

import numpy as np

from aimath.linalg import det, eigvalsh, hadamard, inv, kron, sherman_morrison, solve, woodbury_solve
from aimath.linalg.theorems._make import fro
from aimath.theorems import Evidence, theorem


@theorem("B3.transpose-trace-determinant", "(AB)ᵀ = BᵀAᵀ, tr(AB) = tr(BA), det(AB) = det A det B, det Aᵀ = det A")
def identities(rng):
    A, B = rng.standard_normal((2, 200, 6, 6))
    t = np.max(np.abs(np.swapaxes(A @ B, -1, -2) - np.swapaxes(B, -1, -2) @ np.swapaxes(A, -1, -2)))
    tr = np.trace(A @ B, axis1=-2, axis2=-1) - np.trace(B @ A, axis1=-2, axis2=-1)
    dAB, dA, dB = det(A @ B), det(A), det(B)
    return Evidence.all(
        transpose=Evidence.bound(float(t), 1e-12),
        trace=Evidence.bound(float(np.max(np.abs(tr))), 1e-10),
        det_product=Evidence.close(dAB, dA * dB, rtol=1e-10, atol=1e-12),
        det_transpose=Evidence.close(det(np.swapaxes(A, -1, -2)), dA, rtol=1e-10, atol=1e-12),
    )


@theorem("B3.block-product", "block multiplication [A₁₁ A₁₂; A₂₁ A₂₂][B₁₁ B₁₂; B₂₁ B₂₂] equals the full product")
def block_product(rng):
    A, B = rng.standard_normal((2, 9, 9))
    k = 4
    blocks = [[A[:k, :k] @ B[:k, :k] + A[:k, k:] @ B[k:, :k], A[:k, :k] @ B[:k, k:] + A[:k, k:] @ B[k:, k:]],
              [A[k:, :k] @ B[:k, :k] + A[k:, k:] @ B[k:, :k], A[k:, :k] @ B[:k, k:] + A[k:, k:] @ B[k:, k:]]]
    return Evidence.close(np.block(blocks), A @ B, rtol=0, atol=1e-12)


@theorem("B3.kronecker", "(A⊗B)(C⊗D) = AC⊗BD, (A⊗B)⁻¹ = A⁻¹⊗B⁻¹, det(A⊗B) = det(A)ᵐ det(B)ⁿ")
def kronecker(rng):
    n, m = 3, 4
    A, C = rng.standard_normal((2, n, n))
    B, D = rng.standard_normal((2, m, m))
    return Evidence.all(
        mixed=Evidence.close(kron(A, B) @ kron(C, D), kron(A @ C, B @ D), rtol=0, atol=1e-12),
        inverse=Evidence.close(inv(kron(A, B)), kron(inv(A), inv(B)), rtol=1e-9, atol=1e-10),
        determinant=Evidence.close(det(kron(A, B)), det(A) ** m * det(B) ** n, rtol=1e-10),
    )


@theorem("B3.schur-product", "Schur product theorem: A, B ⪰ 0 ⇒ A∘B ⪰ 0 (500 random PSD pairs)")
def schur_product(rng):
    X, Y = rng.standard_normal((2, 500, 6, 3))
    A = X @ np.swapaxes(X, -1, -2)  # PSD of rank 3
    B = Y @ np.swapaxes(Y, -1, -2)
    lam = eigvalsh(hadamard(A, B))
    scale = np.max(np.abs(lam), axis=-1)
    return Evidence.bound(float(np.min(lam[..., 0] / scale)), -1e-13, kind=">=",
                          note="smallest λ(A∘B)/‖A∘B‖ over 500 pairs")


@theorem("B3.sherman-morrison-woodbury", "Sherman–Morrison and Woodbury equal the direct inverse/solve (1e-10)")
def woodbury(rng):
    n, k = 40, 3
    d = rng.uniform(1.0, 3.0, n)
    U, V = rng.standard_normal((n, k)), rng.standard_normal((k, n))
    C = np.diag(rng.uniform(0.5, 2.0, k))
    b = rng.standard_normal(n)
    x = woodbury_solve(lambda R: R / d[:, None], U, C, V, b)
    direct = solve(np.diag(d) + U @ C @ V, b)
    A = rng.standard_normal((8, 8)) + 8 * np.eye(8)
    u, v = rng.standard_normal((2, 8))
    sm = sherman_morrison(inv(A), u, v)
    return Evidence.all(
        woodbury=Evidence.bound(fro(x - direct) / fro(direct), 1e-10),
        sherman_morrison=Evidence.bound(fro(sm - inv(A + np.outer(u, v))) / fro(sm), 1e-10),
    )
