"""Registered theorems of probability (B13) and information theory (B14)."""

from aimath.prob.theorems import b13, b14  # noqa: F401
