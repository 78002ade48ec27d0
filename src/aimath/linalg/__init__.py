"""Linear algebra from scratch: Book B, Part I (curriculum B1–B10).

Curriculum: B1–B10.
"""

from aimath.linalg.cholesky import cho_factor, cho_solve, cholesky, is_positive_definite
from aimath.linalg.eig import eig, eigvals
from aimath.linalg.eigh import eigh, eigvalsh, rayleigh_quotient
from aimath.linalg.expm import expm
from aimath.linalg.gram_schmidt import gram_schmidt
from aimath.linalg.hessenberg import hessenberg
from aimath.linalg.iterations import EigenIteration, inverse_iteration, power_iteration, rayleigh_quotient_iteration
from aimath.linalg.lstsq import cond, low_rank_approx, lstsq, pinv, randomized_svd
from aimath.linalg.lu import det, inv, lu, lu_factor, lu_solve, slogdet, solve
from aimath.linalg.markov import pagerank, stationary_distribution
from aimath.linalg.norms import angle, cosine_similarity, inner, matrix_norm, norm
from aimath.linalg.products import hadamard, kron, sherman_morrison, woodbury_solve
from aimath.linalg.projections import project, projector
from aimath.linalg.qr import givens_rotation, householder_vector, qr
from aimath.linalg.spaces import change_of_basis, coordinates
from aimath.linalg.subspaces import (
    FundamentalSubspaces,
    fundamental_subspaces,
    in_span,
    matrix_rank,
    null_space,
    orth,
)
from aimath.linalg.svd import svd, svdvals
from aimath.linalg.triangular import solve_triangular

__all__ = [
    "angle", "cosine_similarity", "inner", "matrix_norm", "norm",
    "coordinates", "change_of_basis",
    "kron", "hadamard", "sherman_morrison", "woodbury_solve",
    "matrix_rank", "null_space", "orth", "fundamental_subspaces", "FundamentalSubspaces", "in_span",
    "gram_schmidt", "project", "projector",
    "qr", "householder_vector", "givens_rotation",
    "solve_triangular", "lu", "lu_factor", "lu_solve", "solve", "det", "slogdet", "inv",
    "cholesky", "cho_factor", "cho_solve",
    "power_iteration", "inverse_iteration", "rayleigh_quotient_iteration", "EigenIteration",
    "hessenberg", "eig", "eigvals", "expm", "stationary_distribution", "pagerank",
    "eigh", "eigvalsh", "is_positive_definite", "rayleigh_quotient",
    "svd", "svdvals", "pinv", "lstsq", "cond", "low_rank_approx", "randomized_svd",
]

from aimath.linalg.divide_conquer import eigh_tridiagonal_dc, secular_roots  # noqa: E402
from aimath.linalg.lanczos import lanczos_tridiagonal  # noqa: E402

__all__ += ["eigh_tridiagonal_dc", "secular_roots", "lanczos_tridiagonal"]
