"""Fixed-step SDE solvers: Euler–Maruyama, Milstein, stochastic Heun and a derivative-free
stochastic Runge–Kutta (Kloeden–Platen) scheme, and the driver :func:`sdeint`.

The driver is the fast form: it draws the Brownian increments in blocks of steps (the same stream
as one draw per step), writes only the saved states into a preallocated array and checks
finiteness once per block, replaying a block step by step to name the first bad step, path and time
when something went non-finite. The one-path, one-step-at-a-time textbook forms of the same schemes
live in :mod:`aimath.sde.textbook`, and the tests prove the two equal.

Curriculum: B19
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from aimath import backend as B
from aimath.errors import AimathError, ConvergenceError, DomainError, ShapeError, check_array
from aimath.sde.sde import SDE

__all__ = ["Solver", "SOLVERS", "sdeint", "euler_maruyama_step", "milstein_step", "heun_step", "srk_step"]


class Solver(NamedTuple):
    """A one-step scheme with its declared orders and the SDE interpretation it converges to."""

    name: str
    step: Callable
    strong_order: float
    weak_order: float
    sde_type: str
    needs_commutative: bool

    def __repr__(self) -> str:
        return (f"Solver({self.name!r}, strong_order={self.strong_order}, weak_order={self.weak_order}, "
                f"sde_type={self.sde_type!r})")


def euler_maruyama_step(sde: SDE, t: float, x, dt: float, dW):
    """One Euler–Maruyama step ``x + b(t,x)Δt + g(t,x)ΔW``."""
    y = sde.drift(t, x) * dt
    y += x
    y += sde.g_dW(sde.diffusion(t, x), dW)
    return y


def milstein_step(sde: SDE, t: float, x, dt: float, dW):
    """One Milstein step ``x + bΔt + gΔW + ½ g ∂g (ΔW² − Δt)`` (diagonal or scalar noise)."""
    g = sde.diffusion(t, x)
    y = sde.drift(t, x) * dt
    y += x
    y += g * dW
    y += 0.5 * g * sde.diffusion_derivative(t, x) * (dW * dW - dt)
    return y


def heun_step(sde: SDE, t: float, x, dt: float, dW):
    """One stochastic Heun (predictor–corrector trapezoid) step for a Stratonovich SDE."""
    b, g = sde.drift(t, x), sde.diffusion(t, x)
    pred = x + b * dt + sde.g_dW(g, dW)
    b2, g2 = sde.drift(t + dt, pred), sde.diffusion(t + dt, pred)
    return x + 0.5 * (b + b2) * dt + sde.g_dW(0.5 * (g + g2), dW)


def srk_step(sde: SDE, t: float, x, dt: float, dW):
    """One derivative-free strong order 1.0 Runge–Kutta step (Kloeden–Platen 11.1.3, Itô).

    .. math:: \\hat x = x + b\\Delta t + g\\sqrt{\\Delta t},\\quad
              x' = x + b\\Delta t + g\\Delta W + \\frac{g(\\hat x) - g(x)}{2\\sqrt{\\Delta t}}(\\Delta W^2 - \\Delta t)
    """
    b, g = sde.drift(t, x), sde.diffusion(t, x)
    sq = math.sqrt(dt)
    support = x + b * dt + g * sq
    g_hat = sde.diffusion(t, support)
    y = b * dt
    y += x
    y += g * dW
    y += (g_hat - g) * ((dW * dW - dt) / (2 * sq))
    return y


SOLVERS = {
    "euler_maruyama": Solver("euler_maruyama", euler_maruyama_step, 0.5, 1.0, "ito", False),
    "milstein": Solver("milstein", milstein_step, 1.0, 1.0, "ito", True),
    "heun": Solver("heun", heun_step, 1.0, 1.0, "stratonovich", True),
    "srk": Solver("srk", srk_step, 1.0, 1.0, "ito", True),
}
"""The solvers by name. Strong orders 1.0 hold for diagonal noise with ``g_i`` depending on ``x_i``
only, or scalar noise (commutative noise); Euler–Maruyama's 0.5/1.0 hold in general."""

_BLOCK_NUMBERS = 1 << 21  # Brownian increments drawn per block


def _standard_normal(gen, shape, like):
    """Standard normals shaped ``shape`` of ``like``'s library and dtype (direct call for NumPy)."""
    if type(gen) is np.random.Generator and isinstance(like, np.ndarray) and like.dtype in (np.float32, np.float64):
        return gen.standard_normal(shape, dtype=like.dtype)
    return B.normal(gen, shape, like=like)


def _check_coefficients(sde, t, x, m):
    b = sde.drift(t, x)
    if tuple(b.shape) != tuple(x.shape):
        raise ShapeError(f"drift must return the state's shape {tuple(x.shape)}, got {tuple(b.shape)}")
    g = sde.diffusion(t, x)
    want = tuple(x.shape) + ((m,) if sde.noise == "general" else ())
    if tuple(g.shape) != want:
        raise ShapeError(f"diffusion must return shape {want} for {sde.noise} noise, got {tuple(g.shape)}")


def _first_bad(xp, arr):
    bad = ~xp.isfinite(arr)
    while bad.ndim > 1:
        bad = xp.any(bad, axis=-1)
    return int(B.to_numpy(bad).nonzero()[0][0])


def _replay(sde, step, x, ts, dts, noise, start, stop):
    """Re-run steps ``start..stop`` checking every coefficient; raise at the first non-finite value."""
    xp = B.namespace(x)
    for k in range(start, stop):
        t = ts[k]
        for what, val in (("drift", sde.drift(t, x)), ("diffusion", sde.diffusion(t, x))):
            if not bool(xp.all(xp.isfinite(val))):
                p = _first_bad(xp, val)
                raise ConvergenceError(f"non-finite {what} output at step {k}, path {p}, time t={t:.6g}",
                                       iterate=x, history=[k])
        x_new = step(sde, t, x, dts[k], noise[k - start])
        if not bool(xp.all(xp.isfinite(x_new))):
            p = _first_bad(xp, x_new)
            raise ConvergenceError(f"state became non-finite at step {k}, path {p}, time t={ts[k + 1]:.6g}",
                                   iterate=x, history=[k])
        x = x_new
    raise ConvergenceError(f"non-finite state in steps {start}..{stop - 1} (not reproduced on replay)", iterate=x)


def sdeint(sde: SDE, x0, ts, *, method: str = "euler_maruyama", rng=None, dW=None, n_paths: int | None = None,
           save_every: int = 1):
    """Integrate an SDE on the grid ``ts`` for many paths at once.

    .. math:: X_{k+1} = \\Phi(t_k, X_k, \\Delta t_k, \\Delta W_k),\\qquad
              \\Delta t_k = t_{k+1} - t_k,\\ \\Delta W_k \\sim \\mathcal N(0, \\Delta t_k I)

    with ``Φ`` the chosen one-step scheme (Euler–Maruyama ``X + bΔt + gΔW``; Milstein adds
    ``½ g ∂g (ΔW² − Δt)``; Heun is the Stratonovich trapezoid; ``srk`` is the derivative-free
    strong order 1 Runge–Kutta scheme).

    Parameters
    ----------
    sde : SDE
    x0 : array of shape (n_paths, dim) or (dim,)
        Initial states; a single state is repeated over ``n_paths`` paths.
    ts : array of shape (n_times,)
        Strictly increasing times; ``ts[0]`` is the time of ``x0``.
    method : {"euler_maruyama", "milstein", "heun", "srk"}
    rng : int, Generator, torch.Generator or None
        Source of the Brownian increments (ignored when ``dW`` is given).
    dW : array of shape (n_times − 1, n_paths, noise_dim), optional
        The Brownian increments to use (to drive several schemes with the same path).
    n_paths : int, optional
        Number of paths when ``x0`` is a single state.
    save_every : int
        Keep every ``save_every``-th state: the result holds the states at ``ts[::save_every]``.

    Returns
    -------
    array of shape (len(ts[::save_every]), n_paths, dim)
        Same library, dtype and device as ``x0``.

    Raises
    ------
    ShapeError
        Mismatched ``x0``, ``dW`` or coefficient shapes.
    DomainError
        Non-increasing or non-finite ``ts``; unknown method; the method solves the other
        interpretation (Itô/Stratonovich) than ``sde.sde_type``; a commutative-noise scheme on
        general noise.
    ConvergenceError
        A drift, diffusion or state became non-finite; the message names the step, path and time.

    Curriculum: B19

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.sde import GeometricBrownianMotion, sdeint
    >>> X = sdeint(GeometricBrownianMotion(0.1, 0.2), np.ones(1), np.linspace(0, 1, 101), rng=0, n_paths=500)
    >>> X.shape
    (101, 500, 1)
    """
    if not isinstance(sde, SDE):
        raise DomainError(f"sde must be an aimath.sde.SDE, got {type(sde).__name__}")
    if method not in SOLVERS:
        raise DomainError(f"method must be one of {sorted(SOLVERS)}, got {method!r}")
    solver = SOLVERS[method]
    if solver.sde_type != sde.sde_type:
        conv = "to_stratonovich()" if solver.sde_type == "stratonovich" else "to_ito()"
        raise DomainError(f"method {method!r} solves {solver.sde_type} SDEs but sde is {sde.sde_type}; "
                          f"convert it with sde.{conv}")
    if solver.needs_commutative and sde.noise == "general":
        raise DomainError(f"method {method!r} needs diagonal or scalar noise, got general noise; "
                          "use euler_maruyama")
    if isinstance(save_every, bool) or not isinstance(save_every, int) or save_every < 1:
        raise DomainError(f"save_every must be an integer >= 1, got {save_every!r}")
    x = B.asarray(x0, dtype="float", like=dW if B.is_torch(dW) else None)
    check_array(x, "x0", min_ndim=1)
    if x.ndim == 1:
        if n_paths is None:
            n_paths = 1 if dW is None else int(dW.shape[1])
        xp = B.namespace(x)
        x = xp.broadcast_to(x[None, :], (n_paths, x.shape[0]))
    elif x.ndim != 2:
        raise ShapeError(f"x0 must have shape (n_paths, dim) or (dim,), got {tuple(x.shape)}")
    elif n_paths is not None and n_paths != x.shape[0]:
        raise ShapeError(f"n_paths={n_paths} does not match x0 with {x.shape[0]} paths")
    xp = B.namespace(x)
    x = xp.asarray(x, copy=True)
    tsn = B.to_numpy(ts).astype(float).ravel()
    if tsn.ndim != 1 or tsn.size < 2:
        raise ShapeError(f"ts must be 1-D with at least two times, got shape {tuple(B.to_numpy(ts).shape)}")
    if not all(map(math.isfinite, tsn)):
        raise DomainError("ts must be finite")
    tl = [float(v) for v in tsn]
    dts = [b - a for a, b in zip(tl[:-1], tl[1:], strict=True)]
    if min(dts) <= 0:
        k = dts.index(min(dts))
        raise DomainError(f"ts must be strictly increasing (step sizes > 0), got step {k} of size {dts[k]:g}")
    n_steps, (P, d) = len(dts), x.shape
    m = sde.noise_dim(tl[0], x)
    _check_coefficients(sde, tl[0], x, m)
    if dW is not None:
        dW = B.asarray(dW, like=x, dtype=x.dtype)
        if tuple(dW.shape) != (n_steps, P, m):
            raise ShapeError(f"dW must have shape (n_steps, n_paths, noise_dim) = {(n_steps, P, m)}, "
                             f"got {tuple(dW.shape)}")
        check_array(dW, "dW")
    else:
        gen = B.as_generator(rng, like=x)
        sq = xp.asarray([math.sqrt(v) for v in dts], dtype=x.dtype, device=B.device(x))
    out = xp.empty((n_steps // save_every + 1, P, d), dtype=x.dtype, device=B.device(x))
    out[0] = x
    step = solver.step
    block = max(1, min(n_steps, _BLOCK_NUMBERS // max(P * m, 1)))
    for start in range(0, n_steps, block):
        stop = min(start + block, n_steps)
        if dW is not None:
            noise = dW[start:stop]
        else:
            noise = _standard_normal(gen, (stop - start, P, m), x)
            noise *= sq[start:stop, None, None]
        x_start = x
        for k in range(start, stop):
            x = step(sde, tl[k], x, dts[k], noise[k - start])
            if (k + 1) % save_every == 0:
                out[(k + 1) // save_every] = x
        if not bool(xp.all(xp.isfinite(x))):
            _replay(sde, step, x_start, tl, dts, noise, start, stop)
    return out


def _solver(method: str) -> Solver:
    try:
        return SOLVERS[method]
    except KeyError:
        raise AimathError(f"unknown method {method!r}; choose one of {sorted(SOLVERS)}") from None
