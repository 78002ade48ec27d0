"""Helpers shared by the distributions: parameter conversion, portable special functions and
stable log-sum-exp. Internal to :mod:`aimath.prob`.

The special functions (log-gamma, digamma, the normal CDF and its inverse, the regularised
incomplete gamma and beta functions) are primitives: SciPy's ``scipy.special`` on NumPy arrays,
``torch.special`` on tensors, with a NumPy round trip where torch has no counterpart.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.special as sc

from aimath.backend import asarray, float_dtype, is_torch, namespace
from aimath.errors import DomainError, ShapeError, check_finite, shape_of

LOG_2PI = math.log(2 * math.pi)


def _is_array(v) -> bool:
    return hasattr(v, "shape") and hasattr(v, "dtype")


def params(*values, names: tuple[str, ...], broadcast: bool = True):
    """Convert parameters to arrays of one library, one floating dtype, broadcast together.

    Python scalars are "weak": they take the dtype of the array parameters (float64 when there
    are none). Integer arrays become float64. Returns ``(xp, [arrays])``.
    """
    arrays = [v for v in values if _is_array(v)]
    torch_arrays = [v for v in arrays if is_torch(v)]
    like = torch_arrays[0] if torch_arrays else None
    xp = namespace(like) if like is not None else namespace(np.empty(0))
    dts = []
    for v in arrays:
        vv = asarray(v, like=like) if like is not None else v
        dt = float_dtype(vv, namespace(vv))
        dts.append(dt)
    if dts:
        dtype = dts[0]
        for dt in dts[1:]:
            dtype = xp.result_type(dtype, dt)
    else:
        dtype = xp.float64
    out = []
    for v, name in zip(values, names, strict=True):
        a = asarray(v, dtype=dtype, like=like) if like is not None else asarray(np.asarray(v), dtype=dtype)
        check_finite(a, name)
        out.append(a)
    if broadcast and len(out) > 1:
        try:
            out = list(xp.broadcast_arrays(*out))
        except (ValueError, RuntimeError):
            shapes = ", ".join(f"{n} {shape_of(a)}" for n, a in zip(names, out, strict=True))
            raise ShapeError(f"parameters must broadcast to one batch shape, got {shapes}") from None
    return xp, out


def value(x, like, name: str = "x", dtype=None):
    """Convert a point ``x`` to ``like``'s library (and floating dtype unless ``dtype`` is given);
    NaN raises :class:`DomainError`."""
    xp = namespace(like)
    a = asarray(x, dtype=like.dtype if dtype is None else dtype, like=like)
    if xp.isdtype(a.dtype, "real floating") and 0 not in shape_of(a) and bool(xp.any(xp.isnan(a))):
        n_nan = int(xp.sum(xp.astype(xp.isnan(a), xp.int64)))
        raise DomainError(f"{name} must not contain NaN, got {n_nan} NaN entries")
    return a


def check_positive_param(a, name: str) -> None:
    """DomainError unless every entry of parameter ``a`` is > 0."""
    xp = namespace(a)
    if 0 in shape_of(a):
        return
    lo = float(xp.min(a))
    if not lo > 0:
        raise DomainError(f"{name} must be positive, got minimum entry {lo:.6g}")


def logsumexp(a, axis=-1, keepdims: bool = False):
    """``log Σ exp(a)`` along ``axis``, shifted by the maximum (``-inf`` rows give ``-inf``)."""
    xp = namespace(a)
    m = xp.max(a, axis=axis, keepdims=True)
    m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
    s = xp.log(xp.sum(xp.exp(a - m), axis=axis, keepdims=True)) + m
    return s if keepdims else xp.squeeze(s, axis=axis)


def safe_log(p):
    """``log p`` with ``log 0 = -inf`` and no warning."""
    xp = namespace(p)
    pos = p > 0
    return xp.where(pos, xp.log(xp.where(pos, p, xp.ones_like(p))), xp.full_like(p, -float("inf")))


def softplus(a):
    """``log(1 + exp(a))`` without overflow."""
    xp = namespace(a)
    return xp.maximum(a, xp.zeros_like(a)) + xp.log1p(xp.exp(-xp.abs(a)))


def xlogy(x, y):
    """``x log y`` with ``0 log 0 = 0`` (and ``x log 0 = -inf·sign(x)`` without a warning)."""
    xp = namespace(x, y)
    logy = safe_log(y + 0 * x)
    nz = x != 0
    return xp.where(nz, xp.where(nz, x, xp.ones_like(x)) * logy, xp.zeros_like(logy))


def _unary(np_fn, torch_name):
    def f(x):
        if is_torch(x):
            import torch

            return getattr(torch.special, torch_name)(x)
        return np_fn(x)

    f.__name__ = torch_name
    return f


gammaln = _unary(sc.gammaln, "gammaln")
digamma = _unary(sc.digamma, "digamma")
ndtr = _unary(sc.ndtr, "ndtr")
ndtri = _unary(sc.ndtri, "ndtri")
log_ndtr = _unary(sc.log_ndtr, "log_ndtr")


def _binary_via_numpy(np_fn, torch_fn=None):
    def f(a, b):
        if is_torch(a) or is_torch(b):
            import torch

            ref = a if is_torch(a) else b
            a_, b_ = torch.broadcast_tensors(torch.as_tensor(a, dtype=ref.dtype, device=ref.device),
                                             torch.as_tensor(b, dtype=ref.dtype, device=ref.device))
            if torch_fn is not None:
                return torch_fn(torch, a_, b_)
            out = np_fn(a_.detach().cpu().numpy(), b_.detach().cpu().numpy())
            return torch.as_tensor(out, dtype=ref.dtype, device=ref.device)
        return np_fn(a, b)

    return f


gammainc = _binary_via_numpy(sc.gammainc, lambda t, a, x: t.special.gammainc(a, x))
gammaincinv = _binary_via_numpy(sc.gammaincinv)


def betainc(a, b, x):
    """Regularised incomplete beta function ``I_x(a, b)``."""
    if is_torch(a) or is_torch(b) or is_torch(x):
        import torch

        ref = next(v for v in (a, b, x) if is_torch(v))
        arrs = [np.asarray(v.detach().cpu().numpy() if is_torch(v) else v) for v in (a, b, x)]
        return torch.as_tensor(sc.betainc(*arrs), dtype=ref.dtype, device=ref.device)
    return sc.betainc(a, b, x)


def betaincinv(a, b, p):
    """Inverse in ``x`` of :func:`betainc`."""
    if is_torch(a) or is_torch(b) or is_torch(p):
        import torch

        ref = next(v for v in (a, b, p) if is_torch(v))
        arrs = [np.asarray(v.detach().cpu().numpy() if is_torch(v) else v) for v in (a, b, p)]
        return torch.as_tensor(sc.betaincinv(*arrs), dtype=ref.dtype, device=ref.device)
    return sc.betaincinv(a, b, p)


def betaln(a, b):
    """``log B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a + b)``."""
    return gammaln(a) + gammaln(b) - gammaln(a + b)


def dev(a) -> dict:
    """``{"device": a.device}`` for torch tensors, ``{}`` otherwise (for ``xp.zeros(..., **dev(a))``)."""
    return {"device": a.device} if is_torch(a) else {}
