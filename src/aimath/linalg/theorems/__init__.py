"""Registered theorems of linear algebra, one module per chapter (B1–B10)."""

from aimath.linalg.theorems import b2  # noqa: F401
