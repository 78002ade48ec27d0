"""Figures of linear algebra, one module per chapter (B1–B10)."""

from aimath.linalg.figures import b2  # noqa: F401
