"""Stein's identity as a Monte Carlo check of a score.

Curriculum: B17
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

from aimath import backend as B
from aimath.errors import ShapeError, check_array

__all__ = ["SteinResult", "stein_identity_check"]


class SteinResult(NamedTuple):
    """Monte Carlo mean of the Stein operator, its standard error and the sample size."""

    mean: Any
    se: Any
    n: int

    @property
    def z(self):
        """``|mean| / se`` (how many standard errors from 0)."""
        return np.abs(self.mean) / np.maximum(self.se, 1e-300)

    def __repr__(self) -> str:
        return f"SteinResult(mean={np.round(self.mean, 5)}, se={np.round(self.se, 5)}, n={self.n})"


def _default_f(x):
    xp = B.namespace(x)
    return xp.tanh(x)


def _default_div(x):
    xp = B.namespace(x)
    t = xp.tanh(x)
    return xp.sum(1 - t * t, axis=-1)


def stein_identity_check(score: Callable, x, f: Callable | None = None, div_f: Callable | None = None,
                         *, coordinatewise: bool = True) -> SteinResult:
    """Estimate ``E_p[(𝒜_p f)(x)]`` from samples ``x ~ p``; it is 0 when ``score`` is p's score.

    .. math:: (\\mathcal A_p f)(x) = f(x)\\cdot\\nabla\\log p(x) + \\nabla\\cdot f(x),\\qquad
              \\mathbb E_p[\\mathcal A_p f] = \\int \\nabla\\cdot(p f)\\,dx = 0

    (for f smooth and p f vanishing at infinity). With ``coordinatewise=True`` the identity is
    checked term by term, ``E[f_i s_i + ∂_i f_i] = 0`` for each ``i``, which is also true and more
    sensitive; only then is ``div_f`` replaced by the per-coordinate derivatives (the default test
    function ``f = tanh`` has ``∂_i f_i = 1 − tanh²(x_i)``).

    Parameters
    ----------
    score : callable ``x (n, d) -> (n, d)``
    x : array of shape (n, d)
        Samples from p.
    f : callable ``(n, d) -> (n, d)``, optional
        Test vector field (default ``tanh`` coordinatewise).
    div_f : callable, optional
        Its divergence ``(n, d) -> (n,)``, or with ``coordinatewise`` the diagonal derivatives
        ``(n, d) -> (n, d)``. Required when ``f`` is given.

    Returns
    -------
    SteinResult
        ``mean`` and ``se`` of shape (d,) (coordinatewise) or scalars.

    Raises
    ------
    ShapeError
        ``x`` not 2-D or ``f``/``score`` outputs of the wrong shape.

    Curriculum: B17

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.score import stein_identity_check
    >>> x = np.random.default_rng(0).standard_normal((20000, 2))
    >>> r = stein_identity_check(lambda x: -x, x)
    >>> bool(np.all(r.z < 5))
    True
    """
    check_array(x, "x", ndim=2, nonempty=True)
    if f is None:
        f = _default_f
        div_f = (lambda z: 1 - B.namespace(z).tanh(z) ** 2) if coordinatewise else _default_div
    elif div_f is None:
        raise ShapeError("div_f is needed with a custom f")
    s, fx, dv = score(x), f(x), div_f(x)
    if tuple(s.shape) != tuple(x.shape) or tuple(fx.shape) != tuple(x.shape):
        raise ShapeError(f"score and f must return the shape of x {tuple(x.shape)}, got {tuple(s.shape)} and "
                         f"{tuple(fx.shape)}")
    if coordinatewise:
        terms = fx * s + dv
    else:
        terms = B.namespace(x).sum(fx * s, axis=-1) + dv
    t = B.to_numpy(terms).astype(float)
    n = t.shape[0]
    return SteinResult(t.mean(axis=0), t.std(axis=0, ddof=1) / math.sqrt(n), n)
