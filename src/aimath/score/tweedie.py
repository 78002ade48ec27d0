"""Tweedie's formula: denoising with the score of the noisy law.

Curriculum: B17
"""

from __future__ import annotations

from collections.abc import Callable

from aimath import backend as B
from aimath.errors import ShapeError, check_array, check_positive

__all__ = ["tweedie_denoise"]


def tweedie_denoise(x_noisy, score: Callable, sigma: float):
    """Posterior mean ``E[x | x̃]`` for ``x̃ = x + σε``, ``ε ~ N(0, I)``, from the score of ``x̃``'s law.

    .. math:: \\mathbb E[x \\mid \\tilde x] = \\tilde x + \\sigma^2\\,\\nabla_{\\tilde x}\\log p_\\sigma(\\tilde x),
              \\qquad p_\\sigma = p * \\mathcal N(0, \\sigma^2 I)

    Parameters
    ----------
    x_noisy : array of shape (n, d)
    score : callable ``(n, d) -> (n, d)``
        Score of the noisy marginal ``p_σ`` (not of the clean data).
    sigma : float
        Noise level (> 0).

    Returns
    -------
    array of shape (n, d)

    Raises
    ------
    DomainError
        ``sigma <= 0``; non-finite input.
    ShapeError
        The score has the wrong shape.

    Curriculum: B17

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.score import tweedie_denoise
    >>> # x ~ N(0, 1), σ = 1: p_σ = N(0, 2), so E[x | x̃] = x̃/2
    >>> tweedie_denoise(np.array([[2.0]]), lambda y: -y / 2, 1.0)
    array([[1.]])
    """
    check_positive(sigma, "sigma")
    x = B.asarray(x_noisy, dtype="float")
    check_array(x, "x_noisy", min_ndim=1)
    s = score(x)
    if tuple(s.shape) != tuple(x.shape):
        raise ShapeError(f"score must return the shape of x_noisy {tuple(x.shape)}, got {tuple(s.shape)}")
    return x + float(sigma) ** 2 * s
