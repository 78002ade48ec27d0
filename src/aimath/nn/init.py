"""Weight initialisers with a seed: Xavier/Glorot and He/Kaiming, uniform and normal.

Fans follow PyTorch: for a weight of shape (out, in, k₁, k₂, …), fan_in = in·k₁k₂⋯ and
fan_out = out·k₁k₂⋯.

Curriculum: A4, A7.
"""

from __future__ import annotations

import math

from aimath import backend as B
from aimath.errors import ShapeError

__all__ = ["fans", "xavier_uniform", "xavier_normal", "he_uniform", "he_normal", "torch_default", "INITIALIZERS"]


def fans(shape) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of ``shape``.

    Raises
    ------
    ShapeError
        If ``shape`` has fewer than two dimensions.
    """
    shape = tuple(int(s) for s in shape)
    if len(shape) < 2:
        raise ShapeError(f"fans need a weight with at least 2 dimensions, got shape {shape}")
    rf = math.prod(shape[2:])
    return shape[1] * rf, shape[0] * rf


def xavier_uniform(shape, *, gain: float = 1.0, rng=None, dtype=None):
    """Glorot uniform: W ~ U(−a, a).

    .. math:: a = \\text{gain}\\sqrt{\\frac{6}{\\text{fan\\_in} + \\text{fan\\_out}}}

    Examples
    --------
    >>> W = xavier_uniform((300, 200), rng=0)
    >>> bool(abs(W.var() - 2 / 500) < 2e-4)
    True
    """
    fi, fo = fans(shape)
    a = gain * math.sqrt(6.0 / (fi + fo))
    return B.uniform(rng, shape, low=-a, high=a, dtype=dtype)


def xavier_normal(shape, *, gain: float = 1.0, rng=None, dtype=None):
    """Glorot normal: W ~ N(0, s²), s = gain·√(2/(fan_in + fan_out))."""
    fi, fo = fans(shape)
    return B.normal(rng, shape, scale=gain * math.sqrt(2.0 / (fi + fo)), dtype=dtype)


def he_uniform(shape, *, gain: float = math.sqrt(2.0), rng=None, dtype=None):
    """He/Kaiming uniform (fan-in mode, ReLU gain √2): W ~ U(−a, a), a = gain·√(3/fan_in)."""
    fi, _ = fans(shape)
    a = gain * math.sqrt(3.0 / fi)
    return B.uniform(rng, shape, low=-a, high=a, dtype=dtype)


def he_normal(shape, *, gain: float = math.sqrt(2.0), rng=None, dtype=None):
    """He/Kaiming normal (fan-in mode): W ~ N(0, gain²/fan_in)."""
    fi, _ = fans(shape)
    return B.normal(rng, shape, scale=gain / math.sqrt(fi), dtype=dtype)


def torch_default(shape, *, rng=None, dtype=None):
    """PyTorch's default for Linear/Conv weights: U(−1/√fan_in, 1/√fan_in)."""
    fi, _ = fans(shape)
    a = 1.0 / math.sqrt(fi)
    return B.uniform(rng, shape, low=-a, high=a, dtype=dtype)


INITIALIZERS = {"xavier_uniform": xavier_uniform, "xavier_normal": xavier_normal, "he_uniform": he_uniform,
                "he_normal": he_normal, "torch": torch_default}
"""Initialisers by name."""
