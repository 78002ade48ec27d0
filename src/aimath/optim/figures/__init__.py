"""Figures of optimization, one module per chapter (B12, A6)."""

from aimath.optim.figures import a6, b12  # noqa: F401
