"""Turning what the user gives (a log-density, a score, or both) into vectorised callables."""

from __future__ import annotations

from collections.abc import Callable

import numpy as _np

from aimath import backend as B
from aimath.errors import AimathError, ShapeError, check_array, check_positive

__all__ = ["as_log_prob", "as_score", "check_x0", "check_step"]


def _plain(v):
    data = getattr(v, "data", None)
    if data is not None and type(v).__name__ == "Tensor" and type(v).__module__.startswith("aimath.autodiff"):
        return data
    return v


def as_log_prob(log_prob: Callable | None, name: str = "log_prob") -> Callable:
    """``log_prob(x (n_chains, d)) -> (n_chains,)`` returning arrays (autodiff Tensors unwrapped)."""
    if log_prob is None or not callable(log_prob):
        raise AimathError(f"{name} must be a callable log-density x (n_chains, d) -> (n_chains,)")

    def lp(x):
        return _plain(log_prob(x))

    return lp


def as_score(score: Callable | None, log_prob: Callable | None) -> Callable:
    """The score ``∇ log π`` from ``score`` if given, else by reverse-mode autodiff of ``log_prob``.

    The autodiff fallback differentiates ``Σ_chains log π(x_chain)``, whose gradient row ``c`` is the
    score of chain ``c`` (chains do not interact); ``log_prob`` must then be written with operations
    :mod:`aimath.autodiff` supports (Tensor arithmetic, ``.sum()``, ``autodiff.exp`` …).
    """
    if score is not None:
        if not callable(score):
            raise AimathError("score must be a callable x (n_chains, d) -> (n_chains, d)")
        return lambda x: _plain(score(x))
    if log_prob is None:
        raise AimathError("give a score (grad_log_prob) or a log_prob to differentiate")
    try:
        from aimath.autodiff import grad
    except ImportError as exc:  # pragma: no cover - depends on the build
        raise AimathError("no score given and aimath.autodiff is unavailable; pass score=...") from exc
    g = grad(lambda z: log_prob(z).sum())

    def score_ad(x):
        try:
            return g(x)
        except Exception as exc:
            raise AimathError(f"could not differentiate log_prob with aimath.autodiff ({type(exc).__name__}: "
                              f"{exc}); pass score=... or write log_prob with autodiff operations") from exc

    return score_ad


def check_x0(x0):
    """``x0`` as a floating array of shape ``(n_chains, d)``."""
    x = B.asarray(x0, dtype="float")
    check_array(x, "x0", finite=True, nonempty=True)
    if x.ndim != 2:
        raise ShapeError(f"x0 must have shape (n_chains, d), got {tuple(x.shape)}")
    return x


def check_step(step_size, name: str = "step_size") -> float:
    check_positive(step_size, name)
    return float(step_size)


def check_output(value, x, name: str, per_chain: bool):
    want = (x.shape[0],) if per_chain else tuple(x.shape)
    if tuple(getattr(value, "shape", ())) != want:
        raise ShapeError(f"{name} must return shape {want} for x of shape {tuple(x.shape)}, "
                         f"got {tuple(getattr(value, 'shape', ()))}")


def normal_like(g, x):
    """Standard normals of ``x``'s shape, dtype and library from generator ``g`` (fast path for NumPy)."""
    if type(g) is _np.random.Generator and isinstance(x, _np.ndarray) and x.dtype in (_np.float32, _np.float64):
        return g.standard_normal(x.shape, dtype=x.dtype)
    return B.normal(g, tuple(x.shape), like=x)


def uniform_chains(g, x):
    """Uniforms of shape ``(n_chains,)`` for ``x`` of shape ``(n_chains, d)``."""
    if type(g) is _np.random.Generator and isinstance(x, _np.ndarray) and x.dtype in (_np.float32, _np.float64):
        return g.random(x.shape[0], dtype=x.dtype)
    return B.uniform(g, (x.shape[0],), like=x)
