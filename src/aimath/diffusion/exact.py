r"""The exact score of a noised Gaussian or Gaussian mixture, so samplers can be checked with no learning.

If :math:`X_0 \sim \sum_k \pi_k \mathcal N(\mu_k, \Sigma_k)` and :math:`X_t = \alpha X_0 + \sigma\varepsilon`, then

.. math:: p_t = \sum_k \pi_k\, \mathcal N\big(\alpha\mu_k,\; C_k\big),\qquad C_k = \alpha^2\Sigma_k + \sigma^2 I,

.. math:: \nabla\log p_t(x) = \sum_k r_k(x)\, s_k(x),\quad s_k(x) = -C_k^{-1}(x - \alpha\mu_k),\quad
          r_k(x) = \operatorname{softmax}_k\big(\log\pi_k + \log\mathcal N(x; \alpha\mu_k, C_k)\big).

With :math:`\Sigma_k = Q_k \operatorname{diag}(\lambda_k) Q_k^\top` (one :func:`aimath.linalg.eigh` per
component, done once) every :math:`C_k` is diagonal in the basis :math:`Q_k`:
:math:`C_k^{-1} = Q_k \operatorname{diag}\big(1/(\alpha^2\lambda_k + \sigma^2)\big) Q_k^\top`, so the score at any
time costs two matrix products and no factorisation. The divergence (trace of the Jacobian) is

.. math:: \nabla\cdot\nabla\log p_t = \sum_k r_k\big(-\operatorname{tr} C_k^{-1} + \|s_k\|^2\big)
          - \|\nabla\log p_t\|^2.

Curriculum: B21
"""

from __future__ import annotations

import math

from aimath import backend as B
from aimath.diffusion.forward import ForwardProcess
from aimath.errors import DomainError, ShapeError, check_array
from aimath.prob import Mixture, MultivariateNormal

__all__ = ["ExactScore", "exact_score"]

_LOG_2PI = math.log(2.0 * math.pi)


class ExactScore:
    r"""The score :math:`\nabla_x \log p_t(x)` of a noised Gaussian mixture, callable as ``score(x, t)``.

    Built by :func:`exact_score`. Besides ``__call__`` it offers :meth:`log_prob` (the closed-form
    log density of :math:`p_t`), :meth:`divergence` (the exact trace of the score's Jacobian) and
    :meth:`distribution` (:math:`p_t` as an :mod:`aimath.prob` distribution).

    Curriculum: B21
    """

    def __init__(self, sde: ForwardProcess, means, eigvals, eigvecs, log_weights, data):
        self.sde = sde
        self.data = data
        self._mu, self._lam, self._Q, self._logw = means, eigvals, eigvecs, log_weights  # (K,d) (K,d) (K,d,d) (K,)

    @property
    def dim(self) -> int:
        return int(self._mu.shape[-1])

    def _params(self, like):
        xp = B.namespace(like)
        dt, dev = like.dtype, B.device(like)
        return [xp.asarray(B.to_numpy(p), dtype=dt, device=dev) for p in (self._mu, self._lam, self._Q, self._logw)]

    def _inputs(self, x, t):
        """Checked points ``x`` (..., d), their namespace, the times, the parameters in x's dtype and
        device, and α(t), σ(t)."""
        x = B.asarray(x, dtype="float")
        check_array(x, "x", min_ndim=1, shape=(self.dim,))
        xp = B.namespace(x)
        tt = self.sde._t(t, x)
        if tt.ndim and tuple(tt.shape) != tuple(x.shape[:-1]):
            raise ShapeError(f"t must be a scalar or have shape {tuple(x.shape[:-1])}, got {tuple(tt.shape)}")
        return x, xp, tt, self._params(x), self.sde._alpha(tt), self.sde._sigma(tt)

    @staticmethod
    def _noised_variances(xp, a, s, lam):
        """Eigenvalues α²λ + σ² of the noised covariance; raises when one is not positive."""
        var = a * a * lam + s * s
        if float(B.to_numpy(xp.min(var))) <= 0:
            raise DomainError("the noised covariance is singular (t = 0 with singular data covariance)")
        return var

    def _terms(self, x, t):
        """Per-component pieces on the flattened points (M = prod(x.shape[:-1])): scores (K, M, d),
        log terms log πₖ + log N (K, M), variances (K, M or 1, d)."""
        x, xp, tt, (mu, lam, Q, logw), a, s = self._inputs(x, t)
        x2 = xp.reshape(x, (-1, self.dim))
        if tt.ndim:
            a, s = xp.reshape(a, (1, -1, 1)), xp.reshape(s, (1, -1, 1))
        var = self._noised_variances(xp, a, s, lam[:, None, :])  # eigenvalues of C_k
        diff = x2[None, :, :] - a * mu[:, None, :]  # x − αμ_k, (K, M, d)
        K = Q.shape[0]  # plain 2-D products per component (batched ones are slow on small torch matrices)
        z = xp.stack([diff[k] @ Q[k] for k in range(K)])  # rows Q_kᵀ(x − αμ_k)
        w = z / var
        scores = -xp.stack([w[k] @ Q[k].T for k in range(K)])  # −C_k⁻¹(x − αμ_k)
        logn = -0.5 * xp.sum(z * w, axis=-1) - 0.5 * xp.sum(xp.log(var), axis=-1) - 0.5 * self.dim * _LOG_2PI
        return x, xp, scores, logw[:, None] + logn, var

    @staticmethod
    def _softmax(xp, logits):
        """Responsibilities over the component axis 0 and the log-sum-exp."""
        m = xp.max(logits, axis=0, keepdims=True)
        e = xp.exp(logits - m)
        tot = xp.sum(e, axis=0, keepdims=True)
        return e / tot, m[0] + xp.log(tot[0])

    def __call__(self, x, t):
        """The score at points ``x`` of shape (..., d) and time ``t`` (scalar or shape x.shape[:-1])."""
        if self._mu.shape[0] == 1:  # one Gaussian: −C⁻¹(x − αμ) with C = Q diag(α²λ + σ²) Qᵀ, nothing else
            x, xp, tt, (mu, lam, Q, _), a, s = self._inputs(x, t)
            if tt.ndim:
                a, s = a[..., None], s[..., None]
            var = self._noised_variances(xp, a, s, lam[0])
            return -(((x - a * mu[0]) @ Q[0]) / var) @ Q[0].T
        x, xp, scores, logits, _ = self._terms(x, t)
        r, _ = self._softmax(xp, logits)
        return xp.reshape(xp.sum(r[..., None] * scores, axis=0), x.shape)

    def log_prob(self, x, t):
        """:math:`\\log p_t(x)`, shape x.shape[:-1] (log-sum-exp over components)."""
        x, xp, _, logits, _ = self._terms(x, t)
        return xp.reshape(self._softmax(xp, logits)[1], x.shape[:-1])

    def divergence(self, x, t):
        """The exact divergence :math:`\\nabla\\cdot\\nabla\\log p_t(x)`, shape x.shape[:-1]."""
        x, xp, scores, logits, var = self._terms(x, t)
        r, _ = self._softmax(xp, logits)
        score = xp.sum(r[..., None] * scores, axis=0)
        per = -xp.sum(1.0 / var, axis=-1) + xp.sum(scores * scores, axis=-1)
        return xp.reshape(xp.sum(r * per, axis=0) - xp.sum(score * score, axis=-1), x.shape[:-1])

    def distribution(self, t):
        r""":math:`p_t` itself: a :class:`~aimath.prob.MultivariateNormal` or a :class:`~aimath.prob.Mixture`."""
        like = self._mu
        xp = B.namespace(like)
        _, _, a, s = self.sde.coefficients(t, like=like[0, 0])
        eye = xp.eye(self.dim, dtype=like.dtype, device=B.device(like))
        comps = []
        for k in range(self._mu.shape[0]):
            Qk = self._Q[k]
            cov = a * a * (Qk * self._lam[k]) @ Qk.T + s * s * eye
            comps.append(MultivariateNormal(a * self._mu[k], covariance=0.5 * (cov + cov.T)))
        if isinstance(self.data, MultivariateNormal):
            return comps[0]
        return Mixture(comps, xp.exp(self._logw))

    def __repr__(self):
        return f"ExactScore({self.sde!r}, components={int(self._mu.shape[0])}, dim={self.dim})"


def exact_score(sde: ForwardProcess, data) -> ExactScore:
    r"""The exact score function of the noised data distribution, ``score_fn(x, t)``.

    .. math:: \nabla\log p_t(x),\qquad
              p_t = \sum_k \pi_k\,\mathcal N(\alpha(t)\mu_k,\ \alpha(t)^2\Sigma_k + \sigma(t)^2 I)

    (the mixture responsibilities by a stable softmax; see :mod:`aimath.diffusion.exact`).

    Parameters
    ----------
    sde : ForwardProcess
        A :class:`VPSDE`, :class:`subVPSDE`, :class:`VESDE` or :class:`DDPMSchedule`.
    data : MultivariateNormal or Mixture of MultivariateNormal
        The data distribution (unbatched, event shape ``(d,)``).

    Returns
    -------
    ExactScore
        Callable ``score_fn(x, t)`` for ``x`` of shape (..., d) and ``t`` a scalar or an array of
        shape ``x.shape[:-1]``; also ``.log_prob``, ``.divergence`` and ``.distribution``.

    Raises
    ------
    DomainError
        ``sde`` not a forward process; ``data`` not a (mixture of) multivariate normal(s) or batched.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.prob import MultivariateNormal
    >>> from aimath.diffusion import VPSDE
    >>> score = exact_score(VPSDE(), MultivariateNormal(np.zeros(2), covariance=np.eye(2)))
    >>> score(np.ones((1, 2)), 0.5)  # α²·I + σ²·I = I, so the score is −x
    array([[-1., -1.]])
    """
    if not isinstance(sde, ForwardProcess):
        raise DomainError("sde must be a ForwardProcess (VPSDE, subVPSDE, VESDE, DDPMSchedule), "
                          f"got {type(sde).__name__}")
    if isinstance(data, MultivariateNormal):
        comps, weights = [data], None
    elif isinstance(data, Mixture) and all(isinstance(c, MultivariateNormal) for c in data.components):
        comps, weights = data.components, data.weights
    else:
        raise DomainError(f"data must be a MultivariateNormal or a Mixture of them, got {type(data).__name__}")
    if comps[0].batch_shape:
        raise DomainError(f"data must be unbatched, got batch shape {comps[0].batch_shape}")
    from aimath.linalg import eigh

    xp = B.namespace(comps[0].loc)
    mus = xp.stack([c.loc for c in comps])
    covs = xp.stack([c.covariance for c in comps])
    lam, Q = eigh(covs)
    lam = xp.clip(lam, 0.0, None)
    logw = xp.zeros(1, dtype=mus.dtype, device=B.device(mus)) if weights is None else xp.log(weights)
    return ExactScore(sde, mus, lam, Q, logw, data)
