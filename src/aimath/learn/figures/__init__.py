"""Figures of regression, SVMs and kernel methods, one module per chapter (A2, A3, A10)."""

from aimath.learn.figures import a2, a3, a10  # noqa: F401
