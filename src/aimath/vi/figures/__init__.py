"""Figures of variational inference (B15)."""

from aimath.vi.figures import b15, vae  # noqa: F401
