"""The multivariate normal distribution in its Cholesky parameterisation.

Curriculum: B13 (Gaussians: affine maps, marginals, conditionals).
"""

from __future__ import annotations

from aimath.backend import normal as _std_normal
from aimath.errors import DomainError, ShapeError, check_matrix, shape_of
from aimath.prob._common import LOG_2PI, dev, params, value
from aimath.prob.distribution import Distribution

__all__ = ["MultivariateNormal"]


def _linalg():
    from aimath.linalg import cholesky, solve_triangular

    return cholesky, solve_triangular


def _mT(A):
    return A.transpose(-1, -2) if hasattr(A, "transpose") and not hasattr(A, "swapaxes") else A.swapaxes(-1, -2)


def _diag(xp, A):
    d = shape_of(A)[-1]
    idx = list(range(d))
    return A[..., idx, idx]


def _indices(indices, d, name="indices"):
    idx = [int(i) for i in (indices if hasattr(indices, "__len__") else [indices])]
    if not idx:
        raise ShapeError(f"{name} must name at least one coordinate, got none")
    bad = [i for i in idx if not -d <= i < d]
    if bad:
        raise ShapeError(f"{name} must lie in [0, {d}), got {bad}")
    idx = [i % d for i in idx]
    if len(set(idx)) != len(idx):
        raise ShapeError(f"{name} must not repeat a coordinate, got {idx}")
    return idx


class MultivariateNormal(Distribution):
    r"""Multivariate normal :math:`\mathcal N(\mu, \Sigma)` with :math:`\Sigma = LL^\top`.

    .. math::
        \log p(x) = -\tfrac12\|z\|^2 - \sum_i \log L_{ii} - \tfrac d2 \log 2\pi, \quad z = L^{-1}(x-\mu);
        \qquad \nabla_x \log p(x) = -\Sigma^{-1}(x-\mu) = -L^{-\top}z

    Samples are :math:`\mu + L\varepsilon`, :math:`\varepsilon \sim \mathcal N(0, I)`. The factor
    :math:`L` comes from :func:`aimath.linalg.cholesky`; the inverse factor :math:`L^{-1}` is
    obtained once by triangular solves and reused, so ``log_prob`` and ``score`` on many points are
    one matrix product each.

    Parameters
    ----------
    loc : array of shape (..., d)
        Mean :math:`\mu`.
    covariance : array of shape (..., d, d), optional
        Symmetric positive definite :math:`\Sigma`.
    scale_tril : array of shape (..., d, d), optional
        Lower-triangular :math:`L` with positive diagonal (give exactly one of the two).

    Raises
    ------
    DomainError
        ``covariance`` not symmetric positive definite, ``scale_tril`` with a non-positive
        diagonal, non-finite entries, or not exactly one of ``covariance``/``scale_tril``.
    ShapeError
        Shapes that do not agree on ``d``.

    Curriculum: B13.

    Examples
    --------
    >>> import numpy as np
    >>> d = MultivariateNormal(np.zeros(2), covariance=np.array([[2.0, 1.0], [1.0, 2.0]]))
    >>> round(float(d.log_prob(np.zeros(2))), 6)  # -log(2π) - log(3)/2
    -2.387183
    >>> c = d.condition([1], np.array([1.0]))  # x0 | x1 = 1
    >>> c.mean, c.covariance
    (array([0.5]), array([[1.5]]))
    """

    event_ndim = 1
    _param_names = ("loc", "scale_tril")

    def __init__(self, loc, covariance=None, *, scale_tril=None):
        if (covariance is None) == (scale_tril is None):
            raise DomainError("MultivariateNormal needs exactly one of covariance or scale_tril")
        mat_name = "covariance" if covariance is not None else "scale_tril"
        M = covariance if covariance is not None else scale_tril
        xp, (loc, M) = params(loc, M, names=("loc", mat_name), broadcast=False)
        if loc.ndim < 1:
            raise ShapeError(f"loc must have shape (..., d), got shape {shape_of(loc)}")
        check_matrix(M, mat_name, square=True)
        d = shape_of(loc)[-1]
        if shape_of(M)[-1] != d:
            raise ShapeError(f"{mat_name} must have shape (..., {d}, {d}) to match loc of shape {shape_of(loc)}, "
                             f"got shape {shape_of(M)}")
        if covariance is not None:
            check_matrix(M, "covariance", symmetric=True, rtol=1e-6 if M.dtype == xp.float32 else 1e-10)
            cholesky, _ = _linalg()
            try:
                L = cholesky(M)
            except DomainError as exc:
                raise DomainError(f"covariance must be positive definite: {exc}") from None
        else:
            L = xp.tril(M)
            dmin = float(xp.min(_diag(xp, L))) if d else 1.0
            if not dmin > 0:
                raise DomainError(f"scale_tril must have a positive diagonal, got minimum {dmin:.6g}")
        self.loc = loc
        self.scale_tril = L
        self._inv = None

    # ------------------------------------------------------------------ shapes
    @property
    def batch_shape(self):
        a = shape_of(self.loc)[:-1]
        b = shape_of(self.scale_tril)[:-2]
        import numpy as np

        return tuple(np.broadcast_shapes(a, b))

    @property
    def event_shape(self):
        return shape_of(self.loc)[-1:]

    @property
    def dim(self) -> int:
        return shape_of(self.loc)[-1]

    # ------------------------------------------------------------------ helpers
    @property
    def _tril_inv(self):
        """:math:`L^{-1}` by triangular solves against the identity (cached)."""
        if self._inv is None:
            _, solve_triangular = _linalg()
            xp = self.xp
            eye = xp.eye(self.dim, dtype=self.dtype, **dev(self.loc))
            eye = xp.broadcast_to(eye, shape_of(self.scale_tril))
            self._inv = solve_triangular(self.scale_tril, eye, lower=True)
        return self._inv

    def _whiten(self, diff):
        """:math:`z = L^{-1}(x-\\mu)` for ``diff`` of shape (..., d)."""
        Li = self._tril_inv
        if Li.ndim == 2:
            return diff @ _mT(Li)
        return (Li @ diff[..., None])[..., 0]

    def _half_log_det(self):
        return self.xp.sum(self.xp.log(_diag(self.xp, self.scale_tril)), axis=-1)

    # ------------------------------------------------------------------ interface
    def sample(self, rng=None, shape=()):
        eps = _std_normal(rng, self._shape(shape) + self.batch_shape + self.event_shape, dtype=self.dtype,
                          like=self.loc)
        L = self.scale_tril
        if L.ndim == 2:
            return self.loc + eps @ _mT(L)
        return self.loc + (L @ eps[..., None])[..., 0]

    def log_prob(self, x):
        x = value(x, self.loc)
        if not shape_of(x) or shape_of(x)[-1] != self.dim:
            raise ShapeError(f"x must have shape (..., {self.dim}), got shape {shape_of(x)}")
        z = self._whiten(x - self.loc)
        return -0.5 * self.xp.sum(z * z, axis=-1) - self._half_log_det() - 0.5 * self.dim * LOG_2PI

    def log_prob_textbook(self, x):
        r"""The textbook form :math:`-\tfrac12 (x-\mu)^\top\Sigma^{-1}(x-\mu) - \tfrac12\log\det(2\pi\Sigma)`
        on one point ``x`` of shape (d,), solving :math:`\Sigma u = x - \mu` by two triangular solves."""
        _, solve_triangular = _linalg()
        xp = self.xp
        if self.batch_shape:
            raise ShapeError("log_prob_textbook works on an unbatched distribution")
        x = value(x, self.loc)
        r = x - self.loc
        y = solve_triangular(self.scale_tril, r, lower=True)
        u = solve_triangular(self.scale_tril, y, trans=1, lower=True)  # u = Σ⁻¹ r
        log_det = 2.0 * xp.sum(xp.log(_diag(xp, self.scale_tril)))
        return -0.5 * xp.sum(r * u) - 0.5 * (log_det + self.dim * LOG_2PI)

    def score(self, x):
        x = value(x, self.loc)
        z = self._whiten(x - self.loc)
        Li = self._tril_inv
        if Li.ndim == 2:
            return -(z @ Li)
        return -(_mT(Li) @ z[..., None])[..., 0]

    @property
    def mean(self):
        return self.loc + self.xp.zeros(self.batch_shape + self.event_shape, dtype=self.dtype, **dev(self.loc))

    @property
    def covariance(self):
        r""":math:`\Sigma = LL^\top`."""
        L = self.scale_tril
        return L @ _mT(L)

    @property
    def variance(self):
        """The diagonal of :attr:`covariance`."""
        return self.xp.sum(self.scale_tril * self.scale_tril, axis=-1)

    def entropy(self):
        r""":math:`\tfrac d2(1 + \log 2\pi) + \sum_i \log L_{ii}`."""
        return 0.5 * self.dim * (1.0 + LOG_2PI) + self._half_log_det()

    # ------------------------------------------------------------------ Gaussian algebra
    def affine(self, A, b=None) -> MultivariateNormal:
        r"""The law of :math:`Ax + b`: :math:`\mathcal N(A\mu + b,\; A\Sigma A^\top)`.

        ``A`` of shape (m, d) must have full row rank (m ≤ d) for the result to have a density.

        Raises
        ------
        ShapeError
            ``A`` or ``b`` of the wrong shape.
        DomainError
            :math:`A\Sigma A^\top` singular (``A`` rank deficient).
        """
        A = value(A, self.loc, "A")
        check_matrix(A, "A")
        if shape_of(A)[-1] != self.dim:
            raise ShapeError(f"A must have shape (m, {self.dim}), got shape {shape_of(A)}")
        m = shape_of(A)[-2]
        loc = (A @ self.loc[..., None])[..., 0]
        if b is not None:
            b = value(b, self.loc, "b")
            if shape_of(b)[-1:] != (m,):
                raise ShapeError(f"b must have shape (..., {m}), got shape {shape_of(b)}")
            loc = loc + b
        AL = A @ self.scale_tril
        cov = AL @ _mT(AL)
        cov = 0.5 * (cov + _mT(cov))
        try:
            return MultivariateNormal(loc, covariance=cov)
        except DomainError:
            raise DomainError("A Σ Aᵀ is not positive definite: A must have full row rank") from None

    def marginal(self, indices) -> MultivariateNormal:
        r"""The marginal law of :math:`x_a`, :math:`a` = ``indices``: :math:`\mathcal N(\mu_a, \Sigma_{aa})`."""
        a = _indices(indices, self.dim)
        S = self.covariance
        return MultivariateNormal(self.loc[..., a], covariance=S[..., a, :][..., :, a])

    def condition(self, indices, values) -> MultivariateNormal:
        r"""The conditional law of the other coordinates given :math:`x_b = v`, :math:`b` = ``indices``.

        .. math::
            x_a \mid x_b = v \;\sim\; \mathcal N\big(\mu_a + \Sigma_{ab}\Sigma_{bb}^{-1}(v - \mu_b),\;
            \Sigma_{aa} - \Sigma_{ab}\Sigma_{bb}^{-1}\Sigma_{ba}\big)

        computed with the Cholesky factor :math:`\Sigma_{bb} = L_bL_b^\top`: :math:`W = L_b^{-1}\Sigma_{ba}`,
        :math:`\Sigma_{a|b} = \Sigma_{aa} - W^\top W`, mean :math:`\mu_a + W^\top L_b^{-1}(v-\mu_b)`.

        Parameters
        ----------
        indices : sequence of int
            The observed coordinates :math:`b` (at least one, not all).
        values : array of shape (..., len(indices))
            Observed values; leading axes become (extra) batch axes of the result.

        Returns
        -------
        MultivariateNormal
            Over the remaining coordinates, in increasing order.

        Raises
        ------
        ShapeError
            Bad indices or values shape.
        """
        if self.batch_shape:
            raise ShapeError(f"condition needs an unbatched distribution, got batch shape {self.batch_shape}")
        cholesky, solve_triangular = _linalg()
        b = _indices(indices, self.dim)
        a = [i for i in range(self.dim) if i not in b]
        if not a:
            raise ShapeError("indices must leave at least one coordinate unobserved")
        v = value(values, self.loc, "values")
        if shape_of(v)[-1:] != (len(b),):
            raise ShapeError(f"values must have shape (..., {len(b)}), got shape {shape_of(v)}")
        S = self.covariance
        Lb = cholesky(S[b, :][:, b])
        W = solve_triangular(Lb, S[b, :][:, a], lower=True)  # (|b|, |a|)
        cov = S[a, :][:, a] - _mT(W) @ W
        cov = 0.5 * (cov + _mT(cov))
        r = v - self.loc[b]  # (..., |b|)
        lead = shape_of(r)[:-1]
        R = self.xp.reshape(r, (-1, len(b)))
        Y = solve_triangular(Lb, _mT(R), lower=True)  # (|b|, N)
        loc = self.loc[a] + _mT(_mT(W) @ Y)  # (N, |a|)
        loc = self.xp.reshape(loc, lead + (len(a),))
        return MultivariateNormal(loc, scale_tril=cholesky(cov))

    def __repr__(self) -> str:
        from aimath.backend import to_numpy

        if self.dim <= 4 and not self.batch_shape:
            return (f"MultivariateNormal(loc={to_numpy(self.loc).round(4).tolist()}, "
                    f"covariance={to_numpy(self.covariance).round(4).tolist()})")
        return f"MultivariateNormal(dim={self.dim}, batch_shape={self.batch_shape})"
