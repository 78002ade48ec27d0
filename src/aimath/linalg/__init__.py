"""Linear algebra from scratch: Book B, Part I (curriculum B1–B10).

Curriculum: B1–B10.
"""

from aimath.linalg.cholesky import cho_factor, cho_solve, cholesky, is_positive_definite
from aimath.linalg.eigh import eigh, eigvalsh, rayleigh_quotient
from aimath.linalg.gram_schmidt import gram_schmidt
from aimath.linalg.lu import det, inv, lu, lu_factor, lu_solve, slogdet, solve
from aimath.linalg.norms import angle, cosine_similarity, inner, matrix_norm, norm
from aimath.linalg.projections import project, projector
from aimath.linalg.qr import givens_rotation, householder_vector, qr
from aimath.linalg.subspaces import FundamentalSubspaces, fundamental_subspaces, in_span, matrix_rank, null_space, orth
from aimath.linalg.svd import svd, svdvals
from aimath.linalg.triangular import solve_triangular

__all__ = [
    "angle", "cosine_similarity", "inner", "matrix_norm", "norm",
    "solve_triangular", "lu", "lu_factor", "lu_solve", "solve", "det", "slogdet", "inv",
    "cholesky", "cho_factor", "cho_solve", "is_positive_definite",
    "qr", "householder_vector", "givens_rotation",
    "eigh", "eigvalsh", "rayleigh_quotient",
    "svd", "svdvals",
    "gram_schmidt", "project", "projector",
    "matrix_rank", "null_space", "orth", "fundamental_subspaces", "FundamentalSubspaces", "in_span",
]
