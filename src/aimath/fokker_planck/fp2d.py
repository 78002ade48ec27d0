"""The 2-D Fokker–Planck equation with diagonal diffusion: Scharfetter–Gummel finite volumes on a
tensor grid, time-stepped by dimensional splitting of backward Euler (a tridiagonal solve along
every x-line, then along every y-line; no n² matrices).

Curriculum: B21
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from aimath import backend as B
from aimath.errors import AimathError, DomainError, NumericalWarning, ShapeError
from aimath.fokker_planck.scheme import check_density, check_grid, check_times, relative_entropy, sg_generator
from aimath.fokker_planck.tridiagonal import _cr_solve, as_float_array, cyclic_reduction, periodic_tridiagonal

__all__ = ["FokkerPlanck2D"]


class FokkerPlanck2D:
    """Fokker–Planck equation of ``dX = b(X) dt + diag(σ(X)) dW`` in 2-D, on a rectangle.

    .. math::

        \\partial_t p = -\\partial_x J_1 - \\partial_y J_2,\\qquad
        J_k = b_k\\,p - \\partial_k(D_k p),\\quad D_k = \\tfrac12\\sigma_k^2,

        p^{k+1} = (I - \\Delta t\\,A_y)^{-1}(I - \\Delta t\\,A_x)^{-1} p^{k}

    ``A_x`` (``A_y``) is the 1-D Scharfetter–Gummel generator (:func:`sg_generator`) along each
    x-line (y-line) of cells. Each factor conserves mass and positivity, so the split step does
    too (Lie splitting, first order in ``Δt``; exact for separable drift and diffusion, where
    ``A_x`` and ``A_y`` commute).

    Parameters
    ----------
    drift : callable ``drift(x, y) -> (b1, b2)``
        Evaluated on broadcast arrays of positions.
    diffusion : callable ``diffusion(x, y) -> (σ1, σ2)``, or float, or pair of floats
    grid : tuple ``((ax, bx, nx), (ay, by, ny))``
    boundary : {"no-flux", "periodic"}

    Attributes
    ----------
    centers : tuple of arrays (shape (nx,), shape (ny,))
    widths : array of shape (nx, ny)
        Cell areas; densities satisfy ``sum(p * widths) = 1``.

    Raises
    ------
    DomainError
        Bad grid, unknown boundary, ``σ ≤ 0`` or non-finite coefficients.

    Warns
    -----
    NumericalWarning
        Cell Péclet number above 2 somewhere.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> fp = FokkerPlanck2D(lambda x, y: (-x, -y), 1.0, ((-5, 5, 80), (-5, 5, 80)))
    >>> X, Y = np.meshgrid(*fp.centers, indexing="ij")
    >>> p0 = np.exp(-((X - 1) ** 2 + Y**2)); p0 /= (p0 * fp.widths).sum()
    >>> p = fp.solve(p0, [0.0, 0.5], dt=0.05)
    >>> p.shape
    (2, 80, 80)
    """

    def __init__(self, drift, diffusion, grid, boundary: str = "no-flux", *, _phi=None, _potential=None):
        try:
            gx, gy = grid
        except (TypeError, ValueError):
            raise DomainError(f"grid must be ((ax, bx, nx), (ay, by, ny)), got {grid!r}") from None
        gx, gy = check_grid(gx), check_grid(gy)
        if boundary not in ("no-flux", "periodic"):
            raise DomainError(f"boundary must be 'no-flux' or 'periodic', got {boundary!r}")
        if not callable(drift):
            raise DomainError("drift must be a callable drift(x, y) -> (b1, b2)")
        if not callable(diffusion):
            s = np.broadcast_to(np.asarray(diffusion, dtype=np.float64), (2,))
            s1, s2 = float(s[0]), float(s[1])

            def diffusion(x, y, s1=s1, s2=s2):
                return s1 + 0 * x + 0 * y, s2 + 0 * x + 0 * y
        self.grid = (gx, gy)
        self.boundary = boundary
        self.drift, self.diffusion = drift, diffusion
        self.h = ((gx[1] - gx[0]) / gx[2], (gy[1] - gy[0]) / gy[2])
        self.faces = tuple(np.linspace(g[0], g[1], g[2] + 1) for g in (gx, gy))
        self.centers = tuple(0.5 * (f[:-1] + f[1:]) for f in self.faces)
        self.widths = np.full((gx[2], gy[2]), self.h[0] * self.h[1])
        X, Y = np.meshgrid(*self.centers, indexing="ij")
        s1, s2 = self._pair(diffusion, X, Y, "diffusion")
        if np.any(s1 <= 0) or np.any(s2 <= 0):
            raise DomainError(f"diffusion σ must be > 0 on the grid, got min {float(min(s1.min(), s2.min())):.3g}")
        self.D = (0.5 * s1**2, 0.5 * s2**2)
        if _phi is not None:
            phi = _phi
        else:
            fx = self.faces[0][1:-1] if boundary == "no-flux" else self.faces[0][1:]
            fy = self.faces[1][1:-1] if boundary == "no-flux" else self.faces[1][1:]
            Xf, Yc = np.meshgrid(fx, self.centers[1], indexing="ij")
            b1, _ = self._pair(drift, Xf, Yc, "drift")
            d1, _ = self._pair(diffusion, Xf, Yc, "diffusion")
            Xc, Yf = np.meshgrid(self.centers[0], fy, indexing="ij")
            _, b2 = self._pair(drift, Xc, Yf, "drift")
            _, d2 = self._pair(diffusion, Xc, Yf, "diffusion")
            phi = (self.h[0] * b1 / (0.5 * d1**2), self.h[1] * b2 / (0.5 * d2**2))
        self.peclet = phi
        self._potential = _potential
        worst = max(float(np.max(np.abs(v))) if v.size else 0.0 for v in phi)
        if worst > 2:
            warnings.warn(f"the grid does not resolve the drift: max cell Péclet number {worst:.3g} > 2; refine the"
                          f" grid for second-order accuracy", NumericalWarning, stacklevel=2)
        self._factors = {}

    @staticmethod
    def _pair(f, x, y, name):
        out = f(x, y)
        try:
            u, v = out
        except (TypeError, ValueError):
            raise ShapeError(f"{name}(x, y) must return a pair of arrays") from None
        res = []
        for w in (u, v):
            w = np.broadcast_to(np.asarray(w, dtype=np.float64), x.shape)
            if not np.all(np.isfinite(w)):
                raise DomainError(f"{name}(x, y) must be finite on the grid")
            res.append(np.array(w))
        return res

    def _factor(self, dt: float):
        key = float(dt)
        if key not in self._factors:
            facs = []
            for axis in (0, 1):
                phi = self.peclet[axis] if axis == 0 else self.peclet[1].T
                D = self.D[axis] if axis == 0 else self.D[axis].T
                lower, diag, upper = sg_generator(phi, D, self.h[axis], self.boundary)
                args = (-dt * lower, 1 - dt * diag, -dt * upper)
                facs.append(periodic_tridiagonal(*args) if self.boundary == "periodic" else cyclic_reduction(*args))
            self._factors[key] = facs
            if len(self._factors) > 16:
                self._factors.pop(next(iter(self._factors)))
        return self._factors[key]

    def step(self, p, dt: float):
        """One split backward-Euler step: x-lines, then y-lines (``p`` of shape (nx, ny))."""
        fx, fy = self._factor(dt)
        if self.boundary == "periodic":
            return fy.solve(fx.solve(p).T).T
        return _cr_solve(fy, _cr_solve(fx, p).T).T

    def _axis_generator(self, axis):
        """Diagonals of ``A_x`` (axis 0, shape (nx, ny)) or ``A_y`` (axis 1, shape (ny, nx), transposed)."""
        phi = self.peclet[0] if axis == 0 else self.peclet[1].T
        D = self.D[0] if axis == 0 else self.D[1].T
        return sg_generator(phi, D, self.h[axis], self.boundary)

    def _apply_axis(self, p, axis, diagonals=None):
        lower, diag, upper = diagonals if diagonals is not None else self._axis_generator(axis)
        q = p if axis == 0 else p.T
        r = diag * q
        r[1:] += lower[1:] * q[:-1]
        r[:-1] += upper[:-1] * q[1:]
        if self.boundary == "periodic":
            r[0] += lower[0] * q[-1]
            r[-1] += upper[-1] * q[0]
        return r if axis == 0 else r.T

    def apply(self, p):
        """``(A_x + A_y) p``, the semi-discrete right-hand side."""
        return self._apply_axis(p, 0) + self._apply_axis(p, 1)

    def solve(self, p0, ts, *, dt: float | None = None):
        """Densities at ``ts`` from ``p0`` at ``ts[0]`` by split backward Euler.

        Parameters
        ----------
        p0 : array of shape (nx, ny)
            Non-negative, ``sum(p0 * widths) = 1``.
        ts : array of shape (n_times,)
            Strictly increasing.
        dt : float, optional
            Largest time step; default ``(ts[-1] − ts[0]) / 200``.

        A torch ``p0`` is accepted: the NumPy kernels compute the result, which comes back as a
        tensor of ``p0``'s dtype and device.

        Returns
        -------
        array of shape (n_times, nx, ny)

        Raises
        ------
        DomainError
            Negative or non-normalised ``p0``; ``ts`` not strictly increasing; ``dt ≤ 0``.
        ShapeError
            ``p0`` not over the cells.
        """
        if B.is_torch(p0) or B.is_torch(ts):
            like = p0 if B.is_torch(p0) else ts
            out = self.solve(B.to_numpy(p0), B.to_numpy(ts), dt=dt)
            return B.asarray(out, like=like, dtype=like.dtype if B.is_torch(p0) else None)
        p = check_density(p0, self.widths)
        ts = check_times(ts)
        span = float(ts[-1] - ts[0])
        dt = float(dt) if dt is not None else (span / 200 if span > 0 else 1.0)
        if not (dt > 0 and math.isfinite(dt)):
            raise DomainError(f"dt must be a positive finite number, got {dt}")
        out = np.empty((ts.size,) + p.shape, dtype=p.dtype)
        out[0] = p
        cur = p.astype(np.float64)
        for j in range(1, ts.size):
            gap = float(ts[j] - ts[j - 1])
            m = max(1, math.ceil(gap / dt * (1 - 1e-12)))
            for _ in range(m):
                cur = self.step(cur, gap / m)
            out[j] = cur
        return out

    def stationary(self, *, tol: float = 1e-11, max_iter: int = 3000):
        """The discrete stationary density: ``(A_x + A_y) p = 0``, ``sum(p * widths) = 1``.

        For equations built by :meth:`langevin` it is the Gibbs density ``∝ e^{−βU}`` at the
        centers, in closed form. Otherwise it is found by the approximate-factorisation
        (Douglas) iteration preconditioned with the split implicit step,

        .. math:: p \\leftarrow p + (I - \\tau A_y)^{-1}(I - \\tau A_x)^{-1}\\,\\tau (A_x + A_y)\\,p,

        whose fixed points are exactly the null vectors of :math:`A_x + A_y` (not the O(τ)-shifted
        fixed point of the split time stepper). The steps :math:`\\tau` are cycled geometrically
        from ``1/max|diag|`` up to a diffusion time; when the iteration stops contracting it
        restarts from its best iterate with a smaller largest step. Only tridiagonal solves
        along lines are used.

        Parameters
        ----------
        tol : float
            Stop when ``max|(A_x + A_y) p| ≤ tol · max|diag| · max p``.
        max_iter : int

        Raises
        ------
        ConvergenceError
            The iteration did not reach ``tol``; carries the best iterate and the residuals.
        """
        from aimath.errors import ConvergenceError

        if self._potential is not None:
            U, beta = self._potential
            w = np.exp(-beta * (U - U.min()))
            return w / np.sum(w * self.widths)
        gens = [self._axis_generator(axis) for axis in (0, 1)]
        scale = max(float(np.max(np.abs(g[1]))) for g in gens)
        Dmin = min(float(np.min(D)) for D in self.D)
        Lmax = max(g[1] - g[0] for g in self.grid)
        tau_max = Lmax**2 / (math.pi**2 * Dmin)  # the slowest pure-diffusion time

        def split_solvers(tau):
            out = []
            for (lower, diag, upper) in gens:
                args = (-tau * lower, 1 - tau * diag, -tau * upper)
                out.append(periodic_tridiagonal(*args).solve if self.boundary == "periodic"
                           else (lambda r, f=cyclic_reduction(*args): _cr_solve(f, r)))
            return out

        def residual(p):
            return float(np.max(np.abs(self.apply(p)))) / (scale * float(np.max(np.abs(p))))

        best = np.full(self.widths.shape, 1.0 / float(np.sum(self.widths)))
        best_res = residual(best)
        history = [best_res]
        it = 0
        while it < max_iter and tau_max * scale > 1:
            taus = np.geomspace(1 / scale, tau_max, 6)
            facs = [split_solvers(t) for t in taus]
            p = best
            diverged, stalled = False, 0
            while it < max_iter and not diverged:
                for tau, (sx, sy) in zip(taus, facs, strict=True):
                    p = p + sy(sx(tau * self.apply(p)).T).T
                    p = p / np.sum(p * self.widths)
                    it += 1
                res = residual(p) if np.all(np.isfinite(p)) else math.inf
                history.append(res)
                if res < best_res:
                    stalled = 0 if res < 0.5 * best_res else stalled + 1
                    best, best_res = p, res
                    if res <= tol:
                        return np.maximum(best, 0) / np.sum(np.maximum(best, 0) * self.widths)
                else:
                    stalled += 1
                diverged = not res < 10 * best_res or stalled >= 10
            tau_max /= 4
        raise ConvergenceError(f"FokkerPlanck2D.stationary: the iteration did not reach tol={tol:g} in {it} "
                               f"iterations (best residual {best_res:.3g})", iterate=best, history=history)

    def free_energy(self, p):
        """``∫U p + β⁻¹∫p log p`` for Langevin equations (batched over leading axes).

        Raises
        ------
        AimathError
            Not a Langevin equation.
        """
        if self._potential is None:
            raise AimathError("FokkerPlanck2D.free_energy needs a potential (build the equation with .langevin)")
        p = as_float_array(p, "p")
        U, beta = self._potential
        pos = p > 0
        ent = np.where(pos, p * np.log(np.where(pos, p, 1.0)), 0.0)
        return np.sum((U * p + ent / beta) * self.widths, axis=(-2, -1))

    def relative_entropy(self, p, q):
        """``KL(p ‖ q) = Σ w p log(p/q)`` over the cells (batched over leading axes)."""
        p, q = as_float_array(p, "p"), as_float_array(q, "q")
        lead = p.shape[:-2]
        return relative_entropy(p.reshape(lead + (-1,)), np.broadcast_to(q, p.shape).reshape(lead + (-1,)),
                                self.widths.reshape(-1))

    @classmethod
    def langevin(cls, U, beta: float, grid, *, boundary: str = "no-flux"):
        """``dX = −∇U(X) dt + √(2/β) dW`` in 2-D, with exact-potential-difference Péclet numbers.

        .. math:: \\phi^{(x)}_{i+1/2,j} = -\\beta\\,(U_{i+1,j} - U_{i,j}),\\qquad
                  \\phi^{(y)}_{i,j+1/2} = -\\beta\\,(U_{i,j+1} - U_{i,j})

        so that the Gibbs density at the centers is an exact fixed point of each split factor.

        Parameters
        ----------
        U : callable ``U(x, y) -> array``
            The potential, on broadcast arrays.
        beta : float
        grid : ((ax, bx, nx), (ay, by, ny))
        boundary : {"no-flux", "periodic"}
        """
        beta = float(beta)
        if not (beta > 0 and math.isfinite(beta)):
            raise DomainError(f"beta must be a positive finite number, got {beta}")
        if not callable(U):
            raise DomainError("U must be a callable potential U(x, y)")
        gx, gy = (check_grid(g) for g in grid)
        cx = gx[0] + (np.arange(gx[2]) + 0.5) * (gx[1] - gx[0]) / gx[2]
        cy = gy[0] + (np.arange(gy[2]) + 0.5) * (gy[1] - gy[0]) / gy[2]
        X, Y = np.meshgrid(cx, cy, indexing="ij")
        Uc = np.broadcast_to(np.asarray(U(X, Y), dtype=np.float64), X.shape).copy()
        if not np.all(np.isfinite(Uc)):
            raise DomainError("U(x, y) must be finite on the grid")
        px = -beta * (np.roll(Uc, -1, axis=0) - Uc)
        py = -beta * (np.roll(Uc, -1, axis=1) - Uc)
        if boundary == "no-flux":
            px, py = px[:-1], py[:, :-1]
        s = math.sqrt(2.0 / beta)

        def drift(x, y):  # central differences of U, for reference only (the scheme uses φ above)
            e = 1e-6
            return (-(U(x + e, y) - U(x - e, y)) / (2 * e), -(U(x, y + e) - U(x, y - e)) / (2 * e))

        fp = cls(drift, s, (gx, gy), boundary, _phi=(px, py), _potential=(Uc, beta))
        fp.beta = beta
        return fp

    def __repr__(self) -> str:
        (ax, bx, nx), (ay, by, ny) = self.grid
        return (f"FokkerPlanck2D(grid=(({ax:g}, {bx:g}, {nx}), ({ay:g}, {by:g}, {ny})), "
                f"boundary={self.boundary!r})")
