"""Linear algebra from scratch: Book B, Part I (curriculum B1–B10).

Curriculum: B1–B10.
"""

from aimath.linalg.norms import angle, cosine_similarity, inner, matrix_norm, norm

__all__ = ["angle", "cosine_similarity", "inner", "matrix_norm", "norm"]
