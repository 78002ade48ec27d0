"""Figures of neural networks, one module per chapter (A1, A4, A7, A8, A11)."""

from aimath.nn.figures import a1, a4, a7, a8, a11  # noqa: F401
