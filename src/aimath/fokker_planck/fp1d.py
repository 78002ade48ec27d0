"""The 1-D Fokker–Planck equation on a finite-volume grid with Scharfetter–Gummel fluxes and
implicit (backward Euler) time steps: conservative, positivity-preserving, exact discrete
stationary state.

Curriculum: B21
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from aimath import backend as B
from aimath.errors import DomainError, NumericalWarning, ShapeError
from aimath.fokker_planck.scheme import check_density, check_grid, check_times, relative_entropy, sg_generator
from aimath.fokker_planck.tridiagonal import _cr_solve, as_float_array, cyclic_reduction, periodic_tridiagonal

__all__ = ["FokkerPlanck1D"]

_BOUNDARIES = ("no-flux", "periodic")


class FokkerPlanck1D:
    """The Fokker–Planck equation of ``dX = b(X) dt + σ(X) dW`` on ``[a, b]``, finite volumes.

    .. math::

        \\partial_t p = -\\partial_x J,\\qquad J = b\\,p - \\partial_x(D p),\\quad D = \\tfrac12\\sigma^2,

        J_{i+1/2} = \\frac1h\\Big[B(-\\phi_{i+1/2})\\,D_i p_i - B(\\phi_{i+1/2})\\,D_{i+1} p_{i+1}\\Big],\\qquad
        \\phi_{i+1/2} = h\\,\\frac{b}{D}\\Big|_{x_{i+1/2}}

    (Scharfetter–Gummel: the flux is exact when ``b/D`` is constant on the face; ``B`` is
    :func:`bernoulli`). Cell ``i`` changes by ``(J_{i-1/2} − J_{i+1/2})/h``: the generator ``A``
    is tridiagonal (cyclic for periodic boundaries) with non-negative off-diagonals and zero
    column sums, so backward Euler ``(I − Δt A) p^{k+1} = p^k`` conserves mass to rounding and
    keeps densities non-negative (``I − Δt A`` is an M-matrix) for every ``Δt`` (exactly in
    floating point for no-flux boundaries, where cyclic reduction only adds non-negative terms;
    up to rounding for periodic ones, whose Sherman–Morrison correction subtracts). Zero flux on
    every face gives the exact discrete stationary state ``D_i p_i ∝ exp(Σ_{faces < i} φ)``.

    Parameters
    ----------
    drift : callable ``drift(x) -> array``
        ``b``, evaluated on arrays of positions.
    diffusion : callable or float
        ``σ`` (> 0 on the grid).
    grid : tuple ``(a, b, n_cells)``
        Interval and number of equal cells.
    boundary : {"no-flux", "periodic"}

    Attributes
    ----------
    centers, widths : arrays of shape (n_cells,)
    faces : array of shape (n_cells + 1,)
    peclet : array
        Cell Péclet numbers ``φ`` on the interior (and periodic) faces.

    Raises
    ------
    DomainError
        Bad grid, unknown boundary, ``σ ≤ 0`` or non-finite coefficients.

    Warns
    -----
    NumericalWarning
        The grid does not resolve the drift (``max |φ| > 2``): the scheme stays conservative and
        positive but its accuracy drops to first order where ``|φ|`` is large.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> fp = FokkerPlanck1D(lambda x: -x, 1.0, grid=(-6, 6, 240))
    >>> p0 = np.exp(-(fp.centers - 2) ** 2 / 0.5); p0 /= (p0 * fp.widths).sum()
    >>> p = fp.solve(p0, [0.0, 1.0], dt=0.01)
    >>> round(float((p[-1] * fp.widths).sum()), 12)
    1.0
    """

    def __init__(self, drift, diffusion, grid, boundary: str = "no-flux", *, _phi=None, _potential=None):
        a, b, n = check_grid(grid)
        if boundary not in _BOUNDARIES:
            raise DomainError(f"boundary must be one of {_BOUNDARIES}, got {boundary!r}")
        if not callable(drift):
            raise DomainError("drift must be a callable drift(x)")
        self.grid = (a, b, n)
        self.boundary = boundary
        self.drift = drift
        self.diffusion = diffusion if callable(diffusion) else (lambda x, s=float(diffusion): s + 0 * x)
        h = (b - a) / n
        self.h = h
        self.faces = np.linspace(a, b, n + 1)
        self.centers = 0.5 * (self.faces[:-1] + self.faces[1:])
        self.widths = np.full(n, h)
        sig = self._eval(self.diffusion, self.centers, "diffusion")
        if np.any(sig <= 0):
            raise DomainError(f"diffusion σ must be > 0 on the grid, got min {float(sig.min()):.3g}")
        self.D = 0.5 * sig**2
        # faces carrying flux: interior ones, plus the wrap-around face for periodic boundaries
        xf = self.faces[1:-1] if boundary == "no-flux" else self.faces[1:]
        if _phi is not None:
            phi = np.asarray(_phi, dtype=np.float64)
        else:
            bf = self._eval(self.drift, xf, "drift")
            sf = self._eval(self.diffusion, xf, "diffusion")
            if np.any(sf <= 0):
                raise DomainError(f"diffusion σ must be > 0 on the grid, got min {float(sf.min()):.3g}")
            phi = h * bf / (0.5 * sf**2)
        self.peclet = phi
        self._potential = _potential  # (U at centers, beta) for Langevin equations
        if phi.size and float(np.max(np.abs(phi))) > 2:
            worst = float(np.max(np.abs(phi)))
            warnings.warn(f"the grid does not resolve the drift: max cell Péclet number {worst:.3g}"
                          f" > 2; refine the grid (n_cells={n}) for second-order accuracy", NumericalWarning,
                          stacklevel=2)
        self._factors = {}

    @staticmethod
    def _eval(f, x, name):
        v = np.asarray(f(x), dtype=np.float64)
        v = np.broadcast_to(v, x.shape) if v.size in (1, x.size) else v
        if v.shape != x.shape:
            raise ShapeError(f"{name}(x) must return one value per position, shape {x.shape}, got {v.shape}")
        if not np.all(np.isfinite(v)):
            raise DomainError(f"{name}(x) must be finite on the grid")
        return v

    # -- the discrete generator -----------------------------------------------------------------
    def generator_diagonals(self):
        """``(lower, diag, upper)`` of the generator ``A`` (``dp/dt = A p``), each of shape (n_cells,).

        For periodic boundaries ``lower[0]`` couples cell 0 to cell n−1 and ``upper[-1]`` cell n−1 to 0.
        """
        return sg_generator(self.peclet, self.D, self.h, self.boundary)

    def apply(self, p):
        """``A p``, the right-hand side of the semi-discrete equation (batched over leading axes)."""
        lower, diag, upper = self.generator_diagonals()
        out = diag * p
        if self.boundary == "periodic":
            out = out + lower * np.roll(p, 1, axis=-1) + upper * np.roll(p, -1, axis=-1)
        else:
            out[..., 1:] += lower[1:] * p[..., :-1]
            out[..., :-1] += upper[:-1] * p[..., 1:]
        return out

    def _factor(self, dt: float, c0: float = 1.0):
        """Factor ``c0·I − dt·A`` once per (dt, c0); returns ``solve(rhs)``."""
        key = (float(dt), float(c0))
        if key not in self._factors:
            lower, diag, upper = self.generator_diagonals()
            args = (-dt * lower, c0 - dt * diag, -dt * upper)
            if self.boundary == "periodic":
                self._factors[key] = periodic_tridiagonal(*args).solve
            else:
                f = cyclic_reduction(*args)
                self._factors[key] = lambda r, f=f: _cr_solve(f, r)
            if len(self._factors) > 16:
                self._factors.pop(next(iter(self._factors)))
        return self._factors[key]

    def step(self, p, dt: float):
        """One backward-Euler step ``p ← (I − Δt A)⁻¹ p`` (``p`` of shape (n_cells,) or (n_cells, k))."""
        return self._factor(dt)(p)

    # -- solving -----------------------------------------------------------------------------
    def solve(self, p0, ts, *, dt: float | None = None, method: str = "backward_euler"):
        """Densities at the times ``ts`` from ``p0`` at ``ts[0]``, by backward Euler or BDF2.

        .. math::

            \\text{backward Euler: } (I - \\Delta t\\,A)\\,p^{k+1} = p^{k}

            \\text{BDF2: } \\Big(\\tfrac{1+2\\omega}{1+\\omega} I - \\Delta t_k A\\Big) p^{k+1}
            = (1+\\omega)\\,p^{k} - \\tfrac{\\omega^2}{1+\\omega}\\,p^{k-1},\\quad \\omega = \\Delta t_k/\\Delta t_{k-1}

        Each interval ``[t_j, t_{j+1}]`` is cut into ``⌈(t_{j+1} − t_j)/dt⌉`` equal steps. Both
        conserve mass (the coefficients sum to zero against ``A``'s zero column sums). Backward
        Euler (first order) keeps densities non-negative for every ``dt``; BDF2 (second order,
        variable-step, started by one backward-Euler step) is L-stable but not positivity-preserving
        in general.

        Parameters
        ----------
        p0 : array of shape (n_cells,)
            Non-negative, ``sum(p0 * widths) = 1``.
        ts : array of shape (n_times,)
            Strictly increasing.
        dt : float, optional
            Largest time step; default ``(ts[-1] − ts[0]) / 1000``.
        method : {"backward_euler", "bdf2"}

        A torch ``p0`` is accepted: the NumPy kernels compute the result, which comes back as a
        tensor of ``p0``'s dtype and device.

        Returns
        -------
        array of shape (n_times, n_cells)

        Raises
        ------
        DomainError
            Negative or non-normalised ``p0``; ``ts`` not strictly increasing; ``dt ≤ 0``;
            unknown ``method``.
        ShapeError
            ``p0`` not over the cells.
        """
        if B.is_torch(p0) or B.is_torch(ts):
            like = p0 if B.is_torch(p0) else ts
            out = self.solve(B.to_numpy(p0), B.to_numpy(ts), dt=dt, method=method)
            return B.asarray(out, like=like, dtype=like.dtype if B.is_torch(p0) else None)
        p = check_density(p0, self.widths)
        ts = check_times(ts)
        if method not in ("backward_euler", "bdf2"):
            raise DomainError(f"method must be 'backward_euler' or 'bdf2', got {method!r}")
        span = float(ts[-1] - ts[0])
        if dt is None:
            dt = span / 1000 if span > 0 else 1.0
        dt = float(dt)
        if not (dt > 0 and math.isfinite(dt)):
            raise DomainError(f"dt must be a positive finite number, got {dt}")
        out = np.empty((ts.size, p.size), dtype=p.dtype)
        out[0] = p
        cur = p.astype(np.float64)
        prev, last = None, None  # BDF2 history: p^{k-1} and Δt_{k-1}
        for j in range(1, ts.size):
            gap = float(ts[j] - ts[j - 1])
            m = max(1, math.ceil(gap / dt * (1 - 1e-12)))
            step = gap / m
            for _ in range(m):
                if method == "backward_euler" or prev is None:
                    nxt = self._factor(step)(cur)
                else:
                    w = step / last
                    rhs = (1 + w) * cur - (w * w / (1 + w)) * prev
                    nxt = self._factor(step, (1 + 2 * w) / (1 + w))(rhs)
                prev, cur, last = cur, nxt, step
            out[j] = cur
        return out

    def stationary(self):
        """The discrete stationary density (``A p = 0``, ``sum(p * widths) = 1``).

        For no-flux boundaries every face carries zero flux, so
        :math:`D_{i+1} p_{i+1} = e^{\\phi_{i+1/2}} D_i p_i` (computed in log space); for periodic
        boundaries the null vector of ``A`` is found by inverse iteration.

        Raises
        ------
        ConvergenceError
            Periodic inverse iteration did not settle.
        """
        if self.boundary == "no-flux":
            logq = np.concatenate([[0.0], np.cumsum(self.peclet)])
            logp = logq - np.log(self.D)
            logp -= logp.max()
            p = np.exp(logp)
            return p / np.sum(p * self.widths)
        from aimath.errors import ConvergenceError

        lower, diag, upper = self.generator_diagonals()
        tau = 1e6 / float(np.max(np.abs(diag)))
        f = periodic_tridiagonal(-tau * lower, 1 - tau * diag, -tau * upper)
        p = np.full(self.grid[2], 1.0 / (self.grid[1] - self.grid[0]))
        hist = []
        for _ in range(200):
            q = f.solve(p)
            q = q / np.sum(q * self.widths)
            res = float(np.max(np.abs(self.apply(q)))) / float(np.max(np.abs(diag)) * np.max(q))
            hist.append(res)
            p = q
            if res < 1e-13:
                return p
        raise ConvergenceError("stationary: inverse iteration did not converge", iterate=p, history=hist)

    def free_energy(self, p):
        """Free energy of ``p`` (batched over leading axes); non-increasing along solutions.

        .. math:: F(p) = \\mathrm{KL}(p\\,\\|\\,p_\\infty) = \\sum_i w_i\\,p_i\\log\\frac{p_i}{p_{\\infty,i}}

        with :math:`p_\\infty` = :meth:`stationary`. For an equation built by :meth:`langevin`
        it is the physical free energy :math:`\\int U p + \\beta^{-1}\\int p\\log p`
        (:math:`= \\beta^{-1}(\\mathrm{KL}(p\\|\\pi) - \\log Z)`, the same up to scale and shift).
        """
        p = as_float_array(p, "p")
        if self._potential is not None:
            U, beta = self._potential
            pos = p > 0
            ent = np.where(pos, p * np.log(np.where(pos, p, 1.0)), 0.0)
            return np.sum((U * p + ent / beta) * self.widths, axis=-1)
        return relative_entropy(p, self.stationary(), self.widths)

    def relative_entropy(self, p, q):
        """``KL(p ‖ q) = Σ_i w_i p_i log(p_i / q_i)`` on this grid (see :func:`relative_entropy`)."""
        return relative_entropy(p, q, self.widths)

    @classmethod
    def langevin(cls, U, beta: float, grid, *, grad_U=None, boundary: str = "no-flux"):
        """The overdamped Langevin equation ``dX = −U′(X) dt + √(2/β) dW``.

        .. math:: \\partial_t p = \\partial_x\\big(U' p\\big) + \\beta^{-1}\\partial_x^2 p,\\qquad
                  p_\\infty \\propto e^{-\\beta U}

        The face Péclet numbers use the exact potential differences,
        :math:`\\phi_{i+1/2} = -\\beta\\,(U(x_{i+1}) - U(x_i))`, so the discrete stationary state
        is the Gibbs density at the centers, exactly, and :meth:`free_energy` decreases exactly.

        Parameters
        ----------
        U : callable
            The potential; written with :mod:`aimath.autodiff` operations (or plain array maths
            when ``grad_U`` is given). Evaluated elementwise on arrays of positions.
        beta : float
            Inverse temperature (> 0).
        grid : tuple ``(a, b, n_cells)``
        grad_U : callable, optional
            ``U′``; by default ``aimath.autodiff.grad`` of ``sum(U(x))``.
        boundary : {"no-flux", "periodic"}

        Returns
        -------
        FokkerPlanck1D
            With ``drift = −U′``, ``diffusion = √(2/β)`` and ``potential = U``.

        Examples
        --------
        >>> import numpy as np
        >>> fp = FokkerPlanck1D.langevin(lambda x: (x**2 - 1) ** 2, 2.0, (-2, 2, 200))
        >>> g = np.exp(-2.0 * (fp.centers**2 - 1) ** 2)
        >>> bool(np.allclose(fp.stationary(), g / (g * fp.widths).sum()))
        True
        """
        beta = float(beta)
        if not (beta > 0 and math.isfinite(beta)):
            raise DomainError(f"beta must be a positive finite number, got {beta}")
        if not callable(U):
            raise DomainError("U must be a callable potential U(x)")
        if grad_U is None:
            from aimath.autodiff import Tensor, grad

            g = grad(lambda x: U(x).sum())

            def grad_U(x):
                return np.asarray(g(np.asarray(x, dtype=np.float64)))

            def U_values(x):
                v = U(Tensor(np.asarray(x, dtype=np.float64)))
                return np.asarray(getattr(v, "data", v), dtype=np.float64)
        else:
            def U_values(x):
                return np.asarray(U(np.asarray(x, dtype=np.float64)), dtype=np.float64)

        a, b, n = check_grid(grid)
        centers = a + (np.arange(n) + 0.5) * (b - a) / n
        Uc = cls._eval(U_values, centers, "U")
        phi = -beta * (np.roll(Uc, -1) - Uc)
        if boundary == "no-flux":
            phi = phi[:-1]
        fp = cls(lambda x: -grad_U(x), math.sqrt(2.0 / beta), grid, boundary, _phi=phi, _potential=(Uc, beta))
        fp.potential = U_values
        fp.beta = beta
        return fp

    def __repr__(self) -> str:
        a, b, n = self.grid
        return f"FokkerPlanck1D(grid=({a:g}, {b:g}, {n}), boundary={self.boundary!r})"
