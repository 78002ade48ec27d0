"""Figures of probability (B13) and information theory (B14)."""

from aimath.prob.figures import b13, b14  # noqa: F401
