"""Figures of linear algebra, one module per chapter (B1–B10)."""

from aimath.linalg.figures import b2, b5, b8, b9, b10  # noqa: F401
