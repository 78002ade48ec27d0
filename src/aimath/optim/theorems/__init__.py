"""Registered theorems of optimization: B12 (optimization) and A6 (training by gradient descent)."""

from aimath.optim.theorems import a6, b12  # noqa: F401
