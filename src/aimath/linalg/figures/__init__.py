"""Figures of linear algebra, one module per chapter (B1–B10)."""

from aimath.linalg.figures import b1, b2, b3, b4, b5, b6, b7, b8, b9, b10  # noqa: F401
