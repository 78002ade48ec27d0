"""Registered theorems of variational inference (B15)."""

from aimath.vi.theorems import b15, vae  # noqa: F401
