"""Regression, support vector machines and kernel methods (curriculum A2, A3, A10)."""
