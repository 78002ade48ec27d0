"""Probabilistic PCA: a linear-Gaussian latent-variable model with a closed-form evidence.

Curriculum: B15 (latent variables; the ELBO identity on a conjugate model).
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from aimath.errors import DomainError, ShapeError
from aimath.linalg import cholesky, eigh, solve_triangular
from aimath.prob import MultivariateNormal

__all__ = ["PPCA"]

_LOG_2PI = math.log(2 * math.pi)


class PPCA(DensityMixin, BaseEstimator):
    r"""Probabilistic PCA (Tipping & Bishop), fitted by its closed-form maximum likelihood.

    .. math::
        z \sim \mathcal N(0, I_q), \quad x \mid z \sim \mathcal N(Wz + \mu, \sigma^2 I_d)
        \;\Rightarrow\; x \sim \mathcal N(\mu, C), \; C = WW^\top + \sigma^2 I;
        \qquad z \mid x \sim \mathcal N\big(M^{-1}W^\top(x-\mu),\; \sigma^2 M^{-1}\big),\; M = W^\top W + \sigma^2 I

    The maximum-likelihood estimates use the eigen-decomposition :math:`S = U\Lambda U^\top` of the
    sample covariance (by :func:`aimath.linalg.eigh`): :math:`\sigma^2 = \frac{1}{d-q}\sum_{j>q}\lambda_j`,
    :math:`W = U_q(\Lambda_q - \sigma^2 I)^{1/2}`.

    Parameters
    ----------
    n_components : int
        Latent dimension :math:`q < d`.

    Attributes
    ----------
    mean_ : array (d,)
    components_ : array (d, q)
        :math:`W`.
    noise_variance_ : float
        :math:`\sigma^2`.

    Curriculum: B15.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((500, 1)) @ np.array([[2.0, 1.0, 0.0]]) + 0.1 * rng.standard_normal((500, 3))
    >>> m = PPCA(1).fit(X)
    >>> round(float(m.noise_variance_), 2)
    0.01
    """

    def __init__(self, n_components=1):
        self.n_components = n_components

    def fit(self, X, y=None):
        """Closed-form maximum likelihood; returns ``self``."""
        X = np.asarray(validate_data(self, X, dtype=[np.float64, np.float32], ensure_min_samples=2), float)
        n, d = X.shape
        q = self.n_components
        if not isinstance(q, int | np.integer) or not 1 <= q < d:
            raise ValueError(f"n_components must be an integer in [1, n_features - 1] with n_features = {d}, got {q!r}")
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        S = Xc.T @ Xc / n
        lam, U = eigh(0.5 * (S + S.T))
        lam, U = lam[::-1], U[:, ::-1]
        sigma2 = float(np.mean(lam[q:]))
        if not sigma2 > 0:
            raise ValueError("the discarded eigenvalues of the sample covariance are zero: noise variance is 0")
        self.noise_variance_ = sigma2
        self.components_ = U[:, :q] * np.sqrt(np.maximum(lam[:q] - sigma2, 0.0))
        self.explained_variance_ = lam[:q]
        return self

    # ------------------------------------------------------------------ the model
    def marginal(self) -> MultivariateNormal:
        r"""The evidence :math:`p(x) = \mathcal N(\mu, WW^\top + \sigma^2 I)`."""
        check_is_fitted(self)
        W = self.components_
        return MultivariateNormal(self.mean_, covariance=W @ W.T + self.noise_variance_ * np.eye(W.shape[0]))

    def posterior(self, X) -> MultivariateNormal:
        r"""The exact posterior :math:`p(z \mid x)` for each row of ``X``: batch of shape (n,)."""
        X = self._validate(X)
        W, s2 = self.components_, self.noise_variance_
        M = W.T @ W + s2 * np.eye(W.shape[1])
        L = cholesky(M)
        B = solve_triangular(L, W.T, lower=True)  # L⁻¹Wᵀ
        mean = (solve_triangular(L, B, trans=1, lower=True) @ (X - self.mean_).T).T  # M⁻¹Wᵀ(x − μ)
        Linv = solve_triangular(L, np.eye(W.shape[1]), lower=True)
        return MultivariateNormal(mean, covariance=s2 * (Linv.T @ Linv))

    def score_samples(self, X):
        """Log evidence :math:`\\log p(x_i)` of each row."""
        return self.marginal().log_prob(self._validate(X))

    def score(self, X, y=None):
        """Mean log evidence."""
        return float(np.mean(self.score_samples(X)))

    def elbo(self, X, q_mean, q_cov):
        r"""The ELBO of a Gaussian :math:`q(z) = \mathcal N(m, V)` for each row of ``X``, in closed form.

        .. math::
            \mathrm{ELBO} = -\tfrac d2\log(2\pi\sigma^2)
            - \frac{\|x-\mu-Wm\|^2 + \operatorname{tr}(WVW^\top)}{2\sigma^2}
            - \tfrac q2\log 2\pi - \tfrac12(\|m\|^2 + \operatorname{tr}V) + \tfrac12\log\det(2\pi e V)

        Parameters
        ----------
        X : array (n, d)
        q_mean : array (n, q)
        q_cov : array (q, q) or (n, q, q)
            Symmetric positive definite.

        Returns
        -------
        array (n,)
        """
        X = self._validate(X)
        W, s2 = self.components_, self.noise_variance_
        d, q = W.shape
        m = np.asarray(q_mean, dtype=float)
        V = np.asarray(q_cov, dtype=float)
        if m.shape != (X.shape[0], q) or V.shape[-2:] != (q, q):
            raise ShapeError(f"q_mean must have shape ({X.shape[0]}, {q}) and q_cov (..., {q}, {q}), got {m.shape} "
                             f"and {V.shape}")
        try:
            LV = cholesky(V)
        except DomainError:
            raise DomainError("q_cov must be positive definite") from None
        r = X - self.mean_ - m @ W.T
        WL = W @ LV  # tr(W V Wᵀ) = ‖W L_V‖_F²
        tr_wvw = np.sum(WL * WL, axis=(-2, -1))
        tr_v = np.sum(LV * LV, axis=(-2, -1))
        log_det_v = 2 * np.sum(np.log(np.diagonal(LV, axis1=-2, axis2=-1)), axis=-1)
        lik = -0.5 * d * (_LOG_2PI + math.log(s2)) - (np.sum(r * r, axis=1) + tr_wvw) / (2 * s2)
        prior = -0.5 * q * _LOG_2PI - 0.5 * (np.sum(m * m, axis=1) + tr_v)
        ent = 0.5 * (q * (1 + _LOG_2PI) + log_det_v)
        return lik + prior + ent

    def sample(self, n_samples=1, rng=None):
        """Draw ``(X, Z)`` from the generative model."""
        check_is_fitted(self)
        g = np.random.default_rng(rng) if not isinstance(rng, np.random.Generator) else rng
        W = self.components_
        Z = g.standard_normal((n_samples, W.shape[1]))
        X = Z @ W.T + self.mean_ + math.sqrt(self.noise_variance_) * g.standard_normal((n_samples, W.shape[0]))
        return X, Z

    def _validate(self, X):
        check_is_fitted(self)
        return np.asarray(validate_data(self, X, dtype=[np.float64, np.float32], reset=False), dtype=float)
