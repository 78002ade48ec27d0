"""Figures of neural networks, one module per chapter (A1, A4, A5, A7, A8, A9, A11)."""

from aimath.nn.figures import a1, a4, a5, a7, a8, a9, a11  # noqa: F401
