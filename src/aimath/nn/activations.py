"""Activation functions ρ and their derivatives ρ′ as plain array functions.

Every function takes an array (NumPy or torch) and returns one of the same library, dtype and
shape; :func:`derivative` gives ρ′ by name, which is what Book A's explicit backpropagation
(:func:`aimath.nn.backprop`) multiplies by. The Tensor versions used by modules are in
:mod:`aimath.nn.functional`.

Curriculum: A4, A7.
"""

from __future__ import annotations

import math

from aimath import backend as B
from aimath.errors import AimathError

__all__ = [
    "relu", "leaky_relu", "abs_", "sigmoid", "tanh", "softmax", "log_softmax", "gelu", "softplus", "identity",
    "derivative", "activation", "ACTIVATIONS",
]


def _xp(z):
    return B.namespace(z)


def identity(z):
    """ρ(z) = z."""
    return z


def relu(z):
    """Rectified linear unit.

    .. math:: \\rho(z) = \\max(z, 0)

    Examples
    --------
    >>> import numpy as np
    >>> relu(np.array([-1.0, 2.0]))
    array([0., 2.])
    """
    xp = _xp(z)
    return xp.clip(z, min=0)


def leaky_relu(z, negative_slope: float = 0.01):
    """Leaky ReLU.

    .. math:: \\rho(z) = \\max(z, 0) + \\alpha \\min(z, 0), \\quad \\alpha = \\text{negative\\_slope}
    """
    xp = _xp(z)
    return xp.where(z > 0, z, negative_slope * z)


def abs_(z):
    """Absolute value as an activation, ρ(z) = |z|."""
    return _xp(z).abs(z)


def sigmoid(z):
    """Logistic sigmoid, computed without overflow.

    .. math:: \\sigma(z) = \\frac{1}{1 + e^{-z}}
    """
    xp = _xp(z)
    e = xp.exp(-xp.abs(z))
    return xp.where(z >= 0, 1 / (1 + e), e / (1 + e))


def tanh(z):
    """Hyperbolic tangent, ρ(z) = tanh z."""
    return _xp(z).tanh(z)


def softplus(z):
    """Softplus, the smooth ReLU.

    .. math:: \\rho(z) = \\log(1 + e^{z}) = \\max(z, 0) + \\log(1 + e^{-|z|})
    """
    xp = _xp(z)
    return relu(z) + xp.log1p(xp.exp(-xp.abs(z)))


def _erf(z):
    if B.is_torch(z):
        import torch

        return torch.special.erf(z)
    from scipy.special import erf

    return erf(z)


def gelu(z):
    """Gaussian error linear unit (the exact form, with the normal CDF Φ).

    .. math:: \\rho(z) = z\\,\\Phi(z) = \\frac{z}{2}\\left(1 + \\operatorname{erf}(z/\\sqrt2)\\right)
    """
    return 0.5 * z * (1 + _erf(z / math.sqrt(2.0)))


def log_softmax(z, axis: int = -1):
    """Log-softmax along ``axis``, stable by the log-sum-exp shift.

    .. math:: \\log \\operatorname{softmax}(z)_i = z_i - m - \\log \\sum_j e^{z_j - m}, \\quad m = \\max_j z_j
    """
    xp = _xp(z)
    s = z - xp.max(z, axis=axis, keepdims=True)
    return s - xp.log(xp.sum(xp.exp(s), axis=axis, keepdims=True))


def softmax(z, axis: int = -1):
    """Softmax along ``axis``: a point of the probability simplex.

    .. math:: \\operatorname{softmax}(z)_i = \\frac{e^{z_i - m}}{\\sum_j e^{z_j - m}}, \\quad m = \\max_j z_j

    Examples
    --------
    >>> import numpy as np
    >>> softmax(np.array([0.0, np.log(3.0)]))
    array([0.25, 0.75])
    """
    xp = _xp(z)
    e = xp.exp(z - xp.max(z, axis=axis, keepdims=True))
    return e / xp.sum(e, axis=axis, keepdims=True)


# ------------------------------------------------------------------------- derivatives


def _d_identity(z):
    return _xp(z).ones_like(z)


def _d_relu(z):
    return _xp(z).astype(z > 0, z.dtype)


def _d_leaky_relu(z, negative_slope: float = 0.01):
    xp = _xp(z)
    return xp.where(z > 0, xp.ones_like(z), negative_slope * xp.ones_like(z))


def _d_abs(z):
    return _xp(z).sign(z)


def _d_sigmoid(z):
    s = sigmoid(z)
    return s * (1 - s)


def _d_tanh(z):
    t = _xp(z).tanh(z)
    return 1 - t * t


def _d_gelu(z):
    xp = _xp(z)
    return 0.5 * (1 + _erf(z / math.sqrt(2.0))) + z * xp.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


ACTIVATIONS = {
    "identity": (identity, _d_identity),
    "linear": (identity, _d_identity),
    "relu": (relu, _d_relu),
    "leaky_relu": (leaky_relu, _d_leaky_relu),
    "abs": (abs_, _d_abs),
    "sigmoid": (sigmoid, _d_sigmoid),
    "tanh": (tanh, _d_tanh),
    "softplus": (softplus, sigmoid),
    "gelu": (gelu, _d_gelu),
}
"""Elementwise activations by name: ``name -> (ρ, ρ′)``."""


def _lookup(name):
    if name is None:
        name = "identity"
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise AimathError(f"activation must be one of {sorted(ACTIVATIONS)}, got {name!r}")
    return ACTIVATIONS[name]


def activation(name: str | None):
    """The elementwise activation ρ called ``name`` (``None`` means the identity).

    Raises
    ------
    AimathError
        If the name is unknown.
    """
    return _lookup(name)[0]


def derivative(name: str | None):
    """The derivative ρ′ of the elementwise activation called ``name``.

    At the kinks of relu, leaky relu and |·| the value at z = 0 is 0 (relu, abs) or α
    (leaky relu), the one-sided conventions PyTorch uses.

    Examples
    --------
    >>> import numpy as np
    >>> derivative("tanh")(np.array([0.0]))
    array([1.])
    """
    return _lookup(name)[1]
