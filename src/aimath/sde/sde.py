"""The SDE object: drift, diffusion, noise structure and interpretation (Itô or Stratonovich).

Curriculum: B19
"""

from __future__ import annotations

from collections.abc import Callable

from aimath import backend as B
from aimath.errors import AimathError, DomainError, ShapeError

__all__ = ["SDE"]

_NOISES = ("diagonal", "scalar", "general")
_TYPES = ("ito", "stratonovich")


class SDE:
    """A stochastic differential equation ``dX = b(t, X) dt + g(t, X) dW``.

    .. math:: dX_t = b(t, X_t)\\,dt + g(t, X_t)\\,dW_t \\quad(\\text{Itô}),\\qquad
              dX_t = b(t, X_t)\\,dt + g(t, X_t)\\circ dW_t \\quad(\\text{Stratonovich})

    Parameters
    ----------
    drift : callable ``drift(t, x) -> (n_paths, dim)``
        ``b``; ``t`` is a Python float, ``x`` has shape ``(n_paths, dim)``.
    diffusion : callable ``diffusion(t, x)``
        ``g``: shape ``(n_paths, dim)`` for ``noise="diagonal"`` (``g_i dW_i``) and
        ``noise="scalar"`` (one Brownian motion, ``g_i dW``); ``(n_paths, dim, noise_dim)`` for
        ``noise="general"`` (``G dW``).
    noise : {"diagonal", "scalar", "general"}
    sde_type : {"ito", "stratonovich"}
    diffusion_derivative : callable ``(t, x) -> (n_paths, dim)``, optional
        ``∂g_i/∂x_i`` for diagonal/scalar noise, used by Milstein and by the Itô–Stratonovich
        conversion; when omitted it is computed by :mod:`aimath.autodiff` (which needs ``diffusion``
        written with operations autodiff supports). Milstein's correction ``½ g_i ∂_i g_i (ΔW² − Δt)``
        is the exact Milstein scheme when ``g_i`` depends on ``x_i`` only (commutative noise).
    noise_dim : int, optional
        Brownian dimension for ``noise="general"`` (inferred from ``diffusion`` otherwise).

    Raises
    ------
    DomainError
        Unknown ``noise`` or ``sde_type``; non-callable drift or diffusion.

    Curriculum: B19

    Examples
    --------
    >>> from aimath.sde import SDE
    >>> gbm = SDE(lambda t, x: 0.5 * x, lambda t, x: 0.2 * x, diffusion_derivative=lambda t, x: 0.2 + 0 * x)
    >>> gbm
    SDE(noise='diagonal', sde_type='ito')
    """

    def __init__(self, drift: Callable, diffusion: Callable, *, noise: str = "diagonal", sde_type: str = "ito",
                 diffusion_derivative: Callable | None = None, noise_dim: int | None = None):
        if not callable(drift) or not callable(diffusion):
            raise DomainError("drift and diffusion must be callables f(t, x)")
        if noise not in _NOISES:
            raise DomainError(f"noise must be one of {_NOISES}, got {noise!r}")
        if sde_type not in _TYPES:
            raise DomainError(f"sde_type must be one of {_TYPES}, got {sde_type!r}")
        if diffusion_derivative is not None and not callable(diffusion_derivative):
            raise DomainError("diffusion_derivative must be a callable f(t, x)")
        self._drift = drift
        self._diffusion = diffusion
        self._dgdx = diffusion_derivative
        self.noise = noise
        self.sde_type = sde_type
        self._noise_dim = noise_dim

    # -- the coefficients --------------------------------------------------------------------
    def drift(self, t, x):
        """``b(t, x)``, shape ``(n_paths, dim)``."""
        return self._drift(t, x)

    def diffusion(self, t, x):
        """``g(t, x)``, shape ``(n_paths, dim)`` or ``(n_paths, dim, noise_dim)``."""
        return self._diffusion(t, x)

    def diffusion_derivative(self, t, x):
        """``∂g_i/∂x_i`` (diagonal or scalar noise), from the user's function or autodiff.

        Raises
        ------
        AimathError
            General noise, or no derivative given and autodiff unavailable or unable to
            differentiate ``diffusion``.
        """
        if self.noise == "general":
            raise AimathError("diffusion_derivative is only defined for diagonal or scalar noise")
        if self._dgdx is not None:
            return self._dgdx(t, x)
        return _autodiff_diagonal_derivative(self._diffusion, t, x)

    def noise_dim(self, t, x) -> int:
        """The Brownian dimension for state ``x`` (``dim``, ``1`` or inferred from ``g``)."""
        if self.noise == "diagonal":
            return int(x.shape[-1])
        if self.noise == "scalar":
            return 1
        if self._noise_dim is None:
            g = self.diffusion(t, x)
            if g.ndim != 3:
                raise ShapeError(f"general-noise diffusion must return (n_paths, dim, noise_dim), got {tuple(g.shape)}")
            self._noise_dim = int(g.shape[-1])
        return self._noise_dim

    def g_dW(self, g, dW):
        """The noise term ``g ⋅ dW`` for this noise structure (``dW`` of shape ``(n_paths, noise_dim)``)."""
        if self.noise == "general":
            xp = B.namespace(g)
            return xp.sum(g * dW[:, None, :], axis=-1)
        return g * dW

    # -- conversions -------------------------------------------------------------------------
    def _converted(self, sign: float, sde_type: str) -> SDE:
        if self.noise == "general":
            raise AimathError("Itô–Stratonovich conversion is implemented for diagonal and scalar noise only")
        b, g, dg = self._drift, self._diffusion, self.diffusion_derivative

        def drift(t, x):
            return b(t, x) + sign * 0.5 * g(t, x) * dg(t, x)

        return SDE(drift, g, noise=self.noise, sde_type=sde_type, diffusion_derivative=self._dgdx)

    def to_stratonovich(self) -> SDE:
        """The Stratonovich SDE with the same solution: drift ``b − ½ g ∂g``.

        .. math:: dX = b\\,dt + g\\,dW \\iff dX = (b - \\tfrac12 g\\,\\partial_x g)\\,dt + g\\circ dW
        """
        return self if self.sde_type == "stratonovich" else self._converted(-1.0, "stratonovich")

    def to_ito(self) -> SDE:
        """The Itô SDE with the same solution: drift ``b + ½ g ∂g``."""
        return self if self.sde_type == "ito" else self._converted(+1.0, "ito")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(noise={self.noise!r}, sde_type={self.sde_type!r})"


def _autodiff_diagonal_derivative(g, t, x):
    """``∂g_i/∂x_i`` by one reverse pass of ``Σ g(t, x)`` (exact when ``g_i`` depends on ``x_i`` only)."""
    try:
        from aimath import autodiff
    except ImportError as exc:  # pragma: no cover - depends on the build
        raise AimathError(
            "Milstein needs ∂g/∂x: pass diffusion_derivative=... to SDE (aimath.autodiff is not available)"
        ) from exc
    xp = B.namespace(x)
    try:
        out = autodiff.grad(lambda z: (g(t, z)).sum())(x)
    except Exception as exc:
        raise AimathError(
            "could not differentiate the diffusion with aimath.autodiff "
            f"({type(exc).__name__}: {exc}); pass diffusion_derivative=... to SDE"
        ) from exc
    return B.asarray(out, like=x, dtype=x.dtype) if not hasattr(out, "shape") or B.namespace(out) is not xp else out
