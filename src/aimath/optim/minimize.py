"""The functional face: ``minimize(fun, x0, method=...)`` over one array, scipy/optax style.

Every method calls the same pure update rule as the stateful optimizer classes.

Curriculum: B12, A6.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from aimath.backend import asarray, to_numpy
from aimath.errors import ConvergenceError, DomainError, ShapeError, check_array, shape_of
from aimath.optim.adagrad import adagrad_init, adagrad_update
from aimath.optim.adam import adam_init, adam_update
from aimath.optim.line_search import armijo
from aimath.optim.newton import newton_direction
from aimath.optim.optimizer import array_namespace, check_hyper
from aimath.optim.rmsprop import rmsprop_init, rmsprop_update
from aimath.optim.sgd import sgd_init, sgd_update

__all__ = ["OptimizeResult", "minimize", "fista_momentum", "METHODS"]


@dataclasses.dataclass(frozen=True, repr=False)
class OptimizeResult:
    """What :func:`minimize` returns.

    Attributes
    ----------
    x : array
        The last iterate.
    fun : float
        ``fun(x)``.
    jac : array
        The last gradient evaluated (at ``x``; for Nesterov at the look-ahead point).
    nit : int
        Iterations (updates) performed.
    nfev : int
        Function evaluations (line-search trials included).
    history : numpy.ndarray of shape (nit + 1,)
        ``fun`` at every iterate ``x_0, …, x_nit``.
    success : bool
    message : str
    path : numpy.ndarray of shape (nit + 1, *x.shape) or None
        The iterates, when ``return_path=True``.
    """

    x: Any
    fun: float
    jac: Any
    nit: int
    nfev: int
    history: np.ndarray
    success: bool
    message: str
    path: np.ndarray | None = None

    def __repr__(self) -> str:
        return (f"OptimizeResult(success={self.success}, fun={self.fun:.6g}, nit={self.nit}, nfev={self.nfev}, "
                f"x shape={shape_of(self.x)}, message={self.message!r})")


_FISTA_T = [1.0, 1.0]  # t_0 (unused) and t_1 = 1; extended on demand


def fista_momentum(k: int) -> float:
    r"""Nesterov/FISTA momentum :math:`\mu_k = (t_k - 1)/t_{k+1}` with :math:`t_1 = 1`,
    :math:`t_{j+1} = (1 + \sqrt{1 + 4t_j^2})/2` (``k = 0`` gives 0). The sequence is memoised."""
    if k < 1:
        return 0.0
    while len(_FISTA_T) <= k + 1:
        t = _FISTA_T[-1]
        _FISTA_T.append((1 + math.sqrt(1 + 4 * t * t)) / 2)
    return (_FISTA_T[k] - 1) / _FISTA_T[k + 1]


# method -> (init, update, names of init keywords, default update keywords)
METHODS: dict[str, tuple] = {
    "gd": (sgd_init, sgd_update, (), {"momentum": 0.0}),
    "heavy_ball": (sgd_init, sgd_update, (), {"momentum": 0.9}),
    "nesterov": (sgd_init, sgd_update, (), {"nesterov": True, "momentum": fista_momentum}),
    "adagrad": (adagrad_init, adagrad_update, ("initial_accumulator_value",), {}),
    "rmsprop": (rmsprop_init, rmsprop_update, ("momentum", "centered"), {}),
    "adam": (adam_init, adam_update, ("amsgrad",), {}),
    "adamw": (adam_init, adam_update, ("amsgrad",), {"decoupled_weight_decay": True, "weight_decay": 1e-2}),
    "newton": (None, None, (), {}),
}
_DEFAULT_LR = {"adagrad": 1e-2, "rmsprop": 1e-2, "adam": 1e-3, "adamw": 1e-3, "newton": 1.0}


def _oracle(fun, grad, x):
    """``x -> (f(x), ∇f(x))`` from the given gradient, else from aimath.autodiff."""
    if grad is None:
        try:
            from aimath.autodiff import value_and_grad
        except ImportError as exc:  # pragma: no cover - autodiff is part of aimath
            raise ImportError("minimize needs grad= or aimath.autodiff to differentiate fun") from exc
        vg = value_and_grad(fun)

        def fg(z):
            v, g = vg(z)
            return float(to_numpy(v)), _like(g, z)
    else:
        def fg(z):
            return float(to_numpy(fun(z))), _like(grad(z), z)
    return fg


def _like(g, z):
    """``g`` as an array of ``z``'s library (no conversion when both are NumPy arrays)."""
    if type(g) is np.ndarray and type(z) is np.ndarray:
        return g
    return asarray(g, like=z)


def _hessian(fun, hess):
    if hess is not None:
        return hess
    from aimath.autodiff import hessian

    return hessian(fun)


def _norm(g, xp) -> float:
    return math.sqrt(float(xp.sum(g * g)))


def _finite(x, xp) -> bool:
    return bool(xp.all(xp.isfinite(x)))


def minimize(fun: Callable, x0, method: str = "gd", *, lr: float | Callable[[int], float] | None = None,
             steps: int = 1000, line_search: str | None = None, grad: Callable | None = None,
             hess: Callable | None = None, callback: Callable | None = None, tol: float | None = None,
             return_path: bool = False, **options) -> OptimizeResult:
    r"""Minimise ``fun`` from ``x0`` by a first-order method or Newton's method.

    Each iteration evaluates :math:`f(x_k)` and :math:`\nabla f(x_k)` and applies one update:

    .. math::

        x_{k+1} = x_k - \eta_k\, u_k, \qquad u_k = \begin{cases}
            \nabla f(x_k) & \text{gd} \\
            \mu u_{k-1} + \nabla f(x_k) & \text{heavy\_ball (Polyak)} \\
            \text{Nesterov: } \nabla f(y_k) \text{ at } y_k = x_k + \mu_k (x_k - x_{k-1}) & \text{nesterov} \\
            \text{AdaGrad / RMSProp / Adam(W) preconditioned moments} & \\
            [\nabla^2 f(x_k)]^{-1}\nabla f(x_k) & \text{newton}
        \end{cases}

    with :math:`\eta_k` = ``lr`` (a float or a schedule ``k -> lr``), or :math:`\eta_k` chosen by
    Armijo backtracking from ``lr`` (default 1) when ``line_search="armijo"`` (gd and newton).
    Nesterov uses the FISTA momentum :math:`\mu_k` unless ``momentum=`` is given; its reported
    iterates (and ``history``) are the gradient-step points :math:`x_k`, for which
    :math:`f(x_k) - f^* \le 2L\|x_0 - x^*\|^2/(k+1)^2` when :math:`\eta = 1/L`.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> scalar``. Without ``grad``, it must be differentiable by :mod:`aimath.autodiff`.
    x0 : array
        Starting point (NumPy or torch; float32 stays float32). Newton needs shape ``(n,)``.
    method : {"gd", "heavy_ball", "nesterov", "newton", "adagrad", "rmsprop", "adam", "adamw"}
    lr : float or callable, optional
        Step size or schedule (see :mod:`aimath.optim.schedules`). Required for gd, heavy_ball and
        nesterov without a line search; PyTorch's defaults for the adaptive methods; 1 for Newton.
    steps : int
        Most iterations.
    line_search : {None, "armijo"}
    grad, hess : callable, optional
        ``grad(x) -> array like x``, ``hess(x) -> (n, n)``; from :mod:`aimath.autodiff` when omitted.
    callback : callable, optional
        ``callback(k, x, f)`` after each iterate; returning ``True`` stops the run.
    tol : float, optional
        Stop with ``success=True`` once :math:`\|\nabla f\|_2 \le` ``tol``; when ``None`` all
        ``steps`` run and ``success`` reports that nothing diverged.
    return_path : bool
        Keep every iterate in ``result.path``.
    **options
        Hyper-parameters of the update rule (``momentum``, ``dampening``, ``weight_decay``,
        ``betas``, ``eps``, ``alpha``, ``centered``, ``amsgrad``, ``lr_decay``, …) named as in the
        matching PyTorch optimizer; for Armijo also ``c`` and ``shrink``.

    Returns
    -------
    OptimizeResult

    Raises
    ------
    ConvergenceError
        When ``fun`` or an iterate becomes NaN/inf (the error carries the last finite iterate and
        the history of ``fun``).
    DomainError, ShapeError, TypeError
        On an unknown method, a bad step size, a gradient of the wrong shape, non-finite ``x0``.

    Curriculum: B12, A6.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.diag([1.0, 10.0]); b = np.array([1.0, 1.0])
    >>> f = lambda x: 0.5 * x @ A @ x - b @ x
    >>> r = minimize(f, np.zeros(2), "nesterov", lr=0.1, grad=lambda x: A @ x - b, steps=500, tol=1e-10)
    >>> r.success, np.round(r.x, 6)
    (True, array([1. , 0.1]))
    """
    if method not in METHODS:
        raise DomainError(f"method must be one of {sorted(METHODS)}, got {method!r}")
    if line_search not in (None, "armijo"):
        raise DomainError(f"line_search must be None or 'armijo', got {line_search!r}")
    if line_search is not None and method not in ("gd", "newton"):
        raise DomainError(f"line_search='armijo' applies to methods 'gd' and 'newton', got method={method!r}")
    if int(steps) != steps or steps < 0:
        raise DomainError(f"steps must be a non-negative integer, got {steps!r}")
    if tol is not None:
        check_hyper("tol", tol)
    x = asarray(x0, dtype="float", copy=True)
    check_array(x, "x0")
    xp = array_namespace(x)
    if lr is None:
        lr = _DEFAULT_LR.get(method, 1.0 if line_search else None)
        if lr is None:
            raise DomainError(f"lr is required for method {method!r} without a line search (e.g. 1/L)")
    lr_of = lr if callable(lr) else (lambda k, _lr=lr: _lr)
    if not callable(lr):
        check_hyper("lr", lr, closed="none")
    ls_opts = {k: options.pop(k) for k in ("c", "shrink") if k in options}
    fg = _oracle(fun, grad, x)
    init, update, init_keys, defaults = METHODS[method]
    opts = {**defaults, **options}
    mom = opts.get("momentum", 0.0)
    mom_of = mom if callable(mom) else None
    state = None
    if init is not None:
        state = init(x, **{k: opts[k] for k in init_keys if k in opts})
        opts.pop("initial_accumulator_value", None)  # the only keyword init takes and update does not
    elif options:
        raise TypeError(f"method 'newton' takes no options, got {sorted(options)}")
    H_of = _hessian(fun, hess) if method == "newton" else None

    f, g = fg(x)
    nfev = 1
    if shape_of(g) != shape_of(x):
        raise ShapeError(f"grad(x) must have the shape of x {shape_of(x)}, got {shape_of(g)}")
    if not math.isfinite(f):
        raise ConvergenceError(f"fun(x0) is not finite: {f}", iterate=x, history=[f])
    history = [f]
    path = [to_numpy(x).copy()] if return_path else None
    z = x  # reported iterate (differs from x only for Nesterov, where x is the look-ahead point)
    success, message, nit = True, f"completed {steps} steps", 0
    for k in range(int(steps)):
        if tol is not None and _norm(g, xp) <= tol:
            message = f"gradient norm <= tol = {tol:g}"
            break
        eta = float(lr_of(k))
        if method == "newton":
            d = newton_direction(g, H_of(x))
            if line_search:
                if not float(xp.sum(g * d)) < 0:
                    d = -g  # Newton direction is not a descent direction: fall back on the gradient
                res = armijo(lambda y: fg(y)[0], x, d, g, f0=f, t0=eta, **ls_opts)
                x_new, nfev = res.x, nfev + res.nfev
            else:
                x_new = x + eta * d
        elif line_search:
            res = armijo(lambda y: fg(y)[0], x, -g, g, f0=f, t0=eta, **ls_opts)
            x_new, nfev = res.x, nfev + res.nfev
        else:
            if mom_of is not None:
                opts["momentum"], opts["next_momentum"] = mom_of(k), mom_of(k + 1)
            x_new, state = update(x, g, state, lr=eta, **opts)
        if not _finite(x_new, xp):
            raise ConvergenceError(f"minimize ({method}) diverged at iteration {k + 1}: the iterate is not finite",
                                   iterate=z, history=history)
        x = x_new
        f, g = fg(x)
        nfev += 1
        if method == "nesterov":
            z = x + eta * opts.get("next_momentum", opts["momentum"]) * state.momentum_buffer
            fz = float(to_numpy(fun(z)))
            nfev += 1
        else:
            z, fz = x, f
        nit = k + 1
        if not math.isfinite(fz) or not math.isfinite(f):
            raise ConvergenceError(f"minimize ({method}) diverged at iteration {nit}: fun = {fz}",
                                   iterate=z, history=history + [fz])
        history.append(fz)
        if return_path:
            path.append(to_numpy(z).copy())
        if callback is not None and callback(k, z, fz):
            message = "stopped by callback"
            break
    else:
        if tol is not None:
            gn = _norm(g, xp)
            if gn <= tol:
                message = f"gradient norm <= tol = {tol:g}"
            else:
                success, message = False, f"gradient norm {gn:.3g} > tol = {tol:g} after {steps} steps"
    return OptimizeResult(z, history[-1], g, nit, nfev, np.asarray(history), success, message,
                          np.stack(path) if return_path else None)
