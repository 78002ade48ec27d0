r"""Forward noising processes of diffusion models: VP, sub-VP and VE SDEs and the discrete DDPM chain.

Every process here is *linear*: :math:`dX = f(t) X\,dt + g(t)\,dW`, so its transition from a data
point is Gaussian in closed form,

.. math:: X_t \mid X_0 = x_0 \;\sim\; \mathcal N\big(\alpha(t) x_0,\; \sigma(t)^2 I\big),\qquad
          \alpha(t) = e^{\int_0^t f},\qquad \frac{d\sigma^2}{dt} = 2 f \sigma^2 + g^2,\ \sigma(0) = 0.

The base class turns :math:`(f, g, \alpha, \sigma)` into everything the samplers need: the forward
SDE, the marginal, the prior, the reverse-time SDE and the probability-flow ODE.

**Time convention of** :meth:`ForwardProcess.reverse`. :func:`aimath.sde.sdeint` integrates forward
in time, so the reverse SDE is written in the reversed clock :math:`s = T - t` (``Y_s = X_{T-s}``):

.. math:: dY_s = \big[-f(T-s) Y_s + g(T-s)^2\, \nabla\log p_{T-s}(Y_s)\big]\,ds + g(T-s)\,d\bar W_s,

which runs from :math:`s = 0` (the prior) to :math:`s = T` (the data) with positive steps.

Curriculum: B21
"""

from __future__ import annotations

import math

import numpy as np

from aimath import backend as B
from aimath.errors import DomainError, ShapeError, check_array
from aimath.sde import SDE

__all__ = ["ForwardProcess", "VPSDE", "subVPSDE", "VESDE", "DDPMSchedule"]

_LOG_2PI = math.log(2.0 * math.pi)


def _finite_positive(value, name):
    v = float(value)
    if not math.isfinite(v) or v <= 0:
        raise DomainError(f"{name} must be a positive finite number, got {value!r}")
    return v


class ForwardProcess:
    r"""A linear forward noising SDE :math:`dX = f(t)X\,dt + g(t)\,dW` on :math:`t \in [0, T]`.

    Subclasses give :math:`f`, :math:`g^2`, :math:`\alpha` and :math:`\sigma` as functions of an array
    ``t`` (:meth:`_f`, :meth:`_g2`, :meth:`_alpha`, :meth:`_sigma`) and the prior scale.

    Curriculum: B21
    """

    T: float = 1.0

    # -- subclass hooks (t is an array in the state's dtype) ------------------------------------
    def _f(self, t):
        raise NotImplementedError

    def _g2(self, t):
        raise NotImplementedError

    def _alpha(self, t):
        raise NotImplementedError

    def _sigma(self, t):
        raise NotImplementedError

    def prior_std(self) -> float:
        """Standard deviation of the prior :math:`\\mathcal N(0, \\sigma_T^2 I)`."""
        return 1.0

    # -- time --------------------------------------------------------------------------------
    def check_time(self, t, name: str = "t"):
        """Raise :class:`DomainError` unless every time lies in ``[0, T]`` and is finite."""
        tn = B.to_numpy(t).astype(float) if hasattr(t, "shape") else np.asarray(t, dtype=float)
        if tn.size == 0:
            return
        if not np.all(np.isfinite(tn)) or tn.min() < 0 or tn.max() > self.T * (1 + 1e-12):
            raise DomainError(f"{name} must lie in [0, {self.T:g}], got values in [{tn.min():.6g}, {tn.max():.6g}]")

    def _t(self, t, like):
        """``t`` as an array of ``like``'s library, dtype and device, checked to lie in [0, T]."""
        self.check_time(t)
        xp = B.namespace(like)
        return xp.asarray(B.to_numpy(t) if B.is_torch(t) and not B.is_torch(like) else t,
                          dtype=B.float_dtype(like, xp), device=B.device(like))

    def coefficients(self, t, like=None):
        r"""``(f(t), g(t)², α(t), σ(t))`` as arrays of ``like``'s library (NumPy float64 by default)."""
        like = np.zeros(0) if like is None else like
        tt = self._t(t, like)
        return self._f(tt), self._g2(tt), self._alpha(tt), self._sigma(tt)

    # -- the marginal and the prior -----------------------------------------------------------
    def marginal(self, x0, t):
        r"""Mean and standard deviation of :math:`X_t \mid X_0 = x_0`.

        .. math:: \mathbb E[X_t \mid x_0] = \alpha(t)\,x_0,\qquad \operatorname{sd}[X_t \mid x_0] = \sigma(t)

        Parameters
        ----------
        x0 : array of shape (..., d)
        t : float or array of shape x0.shape[:-1]
            Times in ``[0, T]``.

        Returns
        -------
        mean : array of shape (..., d)
        std : array broadcastable to ``mean`` (shape ``t.shape + (1,)``)

        Raises
        ------
        DomainError
            ``t`` outside ``[0, T]``; non-finite ``x0``.
        """
        x0 = B.asarray(x0, dtype="float")
        check_array(x0, "x0", min_ndim=1)
        tt = self._t(t, x0)
        if tt.ndim and tuple(tt.shape) != tuple(x0.shape[:-1]):
            raise ShapeError(f"t must be a scalar or have shape {tuple(x0.shape[:-1])}, got {tuple(tt.shape)}")
        a, s = self._alpha(tt)[..., None], self._sigma(tt)[..., None]
        return a * x0, s

    def sample_marginal(self, x0, t, rng=None):
        """Draw :math:`X_t = \\alpha(t) x_0 + \\sigma(t) \\varepsilon` (shape of ``x0``)."""
        mean, std = self.marginal(x0, t)
        return mean + std * B.normal(rng, tuple(mean.shape), like=mean)

    def prior_sample(self, rng=None, shape=(1,), *, dtype=None, like=None):
        """Draws from the prior :math:`\\mathcal N(0, \\sigma_T^2 I)`, array of ``shape`` (..., d)."""
        return B.normal(rng, shape, scale=self.prior_std(), dtype=dtype, like=like)

    def prior_log_prob(self, x):
        r"""Log density of the prior, summed over the last axis.

        .. math:: \log p_T(x) = -\frac{\|x\|^2}{2\sigma_T^2} - \frac d2 \log(2\pi\sigma_T^2)
        """
        x = B.asarray(x, dtype="float")
        check_array(x, "x", min_ndim=1)
        xp = B.namespace(x)
        s2 = self.prior_std() ** 2
        d = x.shape[-1]
        return -0.5 * xp.sum(x * x, axis=-1) / s2 - 0.5 * d * (_LOG_2PI + math.log(s2))

    # -- SDEs and ODEs --------------------------------------------------------------------------
    def sde(self) -> SDE:
        """The forward SDE :math:`dX = f(t)X\\,dt + g(t)\\,dW` as an :class:`aimath.sde.SDE`."""

        def drift(t, x):
            return self._f(self._t(t, x)) * x

        def diffusion(t, x):
            xp = B.namespace(x)
            return xp.sqrt(self._g2(self._t(t, x))) + xp.zeros_like(x)

        return SDE(drift, diffusion, diffusion_derivative=lambda t, x: B.namespace(x).zeros_like(x))

    def reverse(self, score_fn) -> SDE:
        r"""The reverse-time SDE in the reversed clock :math:`s = T - t` (see the module docstring).

        .. math:: dY_s = \big[-f(T-s)Y_s + g(T-s)^2\, \mathrm{score}(Y_s, T-s)\big]\,ds + g(T-s)\,dW_s

        Integrate it with :func:`aimath.sde.sdeint` on increasing ``s`` in ``[0, T - ε]``.
        """

        def drift(s, y):
            tt = self._t(self.T - s, y)
            return -self._f(tt) * y + self._g2(tt) * score_fn(y, self.T - s)

        def diffusion(s, y):
            xp = B.namespace(y)
            return xp.sqrt(self._g2(self._t(self.T - s, y))) + xp.zeros_like(y)

        return SDE(drift, diffusion, diffusion_derivative=lambda s, y: B.namespace(y).zeros_like(y))

    def probability_flow(self, score_fn):
        r"""The probability-flow ODE field in the original clock ``t``.

        .. math:: \frac{dx}{dt} = F(t, x) = f(t)\,x - \tfrac12 g(t)^2\, \mathrm{score}(x, t)

        Returns
        -------
        callable ``F(t, x)`` in SciPy's order, ``x`` of shape (..., d).
        """

        def field(t, x):
            tt = self._t(t, x)
            return self._f(tt) * x - 0.5 * self._g2(tt) * score_fn(x, t)

        return field


class _VPFamily(ForwardProcess):
    """Processes with :math:`\\alpha = e^{-\\Lambda/2}` for an integrated rate :math:`\\Lambda(t)`."""

    def _rate(self, t):
        raise NotImplementedError

    def _integrated(self, t):
        raise NotImplementedError

    def _f(self, t):
        return -0.5 * self._rate(t)

    def _alpha(self, t):
        return B.namespace(t).exp(-0.5 * self._integrated(t))

    def _sigma(self, t):
        return B.namespace(t).sqrt(-B.namespace(t).expm1(-self._integrated(t)))

    def _g2(self, t):
        return self._rate(t)


class VPSDE(_VPFamily):
    r"""Variance-preserving SDE (the continuous DDPM) with a linear rate on :math:`[0, 1]`.

    .. math:: dX = -\tfrac12\beta(t) X\,dt + \sqrt{\beta(t)}\,dW,\quad
              \beta(t) = \beta_{\min} + t(\beta_{\max}-\beta_{\min}),

    .. math:: \alpha(t) = e^{-\Lambda(t)/2},\quad \sigma(t)^2 = 1 - e^{-\Lambda(t)},\quad
              \Lambda(t) = \beta_{\min} t + \tfrac12 (\beta_{\max}-\beta_{\min}) t^2.

    The prior is :math:`\mathcal N(0, I)`.

    Parameters
    ----------
    beta_min, beta_max : float
        Positive rates, ``beta_min <= beta_max``.

    Raises
    ------
    DomainError
        Non-positive or non-finite rates, ``beta_min > beta_max``.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> sde = VPSDE(0.1, 20.0)
    >>> mean, std = sde.marginal(np.ones((1, 2)), 1.0)
    >>> round(float(std[0]), 6)
    0.999978
    """

    def __init__(self, beta_min: float = 0.1, beta_max: float = 20.0):
        self.beta_min = _finite_positive(beta_min, "beta_min")
        self.beta_max = _finite_positive(beta_max, "beta_max")
        if self.beta_min > self.beta_max:
            raise DomainError(f"beta_min must be <= beta_max, got {beta_min} > {beta_max}")

    def _rate(self, t):
        return self.beta_min + t * (self.beta_max - self.beta_min)

    def _integrated(self, t):
        return self.beta_min * t + 0.5 * (self.beta_max - self.beta_min) * t * t

    def __repr__(self):
        return f"VPSDE(beta_min={self.beta_min:g}, beta_max={self.beta_max:g})"


class subVPSDE(VPSDE):
    r"""Sub-variance-preserving SDE: the VP drift with a smaller diffusion.

    .. math:: dX = -\tfrac12\beta(t)X\,dt + \sqrt{\beta(t)\big(1 - e^{-2\Lambda(t)}\big)}\,dW,\qquad
              \alpha = e^{-\Lambda/2},\quad \sigma = 1 - e^{-\Lambda},

    so :math:`\sigma(t)^2 \le 1 - \alpha(t)^2` (the VP variance). Prior :math:`\mathcal N(0, I)`.

    Curriculum: B21

    Examples
    --------
    >>> sde = subVPSDE()
    >>> f, g2, a, s = sde.coefficients(0.5)
    >>> bool(s < (1 - a**2) ** 0.5)
    True
    """

    def _sigma(self, t):
        return -B.namespace(t).expm1(-self._integrated(t))

    def _g2(self, t):
        return self._rate(t) * -B.namespace(t).expm1(-2.0 * self._integrated(t))

    def __repr__(self):
        return f"subVPSDE(beta_min={self.beta_min:g}, beta_max={self.beta_max:g})"


class VESDE(ForwardProcess):
    r"""Variance-exploding SDE with a geometric noise scale on :math:`[0, 1]`.

    .. math:: dX = \sqrt{\frac{d\,\bar\sigma(t)^2}{dt}}\,dW,\quad \bar\sigma(t) = \sigma_{\min}
              \Big(\frac{\sigma_{\max}}{\sigma_{\min}}\Big)^t,\quad
              \alpha = 1,\quad \sigma(t)^2 = \bar\sigma(t)^2 - \sigma_{\min}^2.

    The prior is :math:`\mathcal N(0, \sigma(1)^2 I)`, the marginal's noise at ``t = 1``; it matches
    :math:`p_1` up to the data's own spread, which is small against :math:`\sigma_{\max}`.

    Parameters
    ----------
    sigma_min, sigma_max : float
        Positive, ``sigma_min < sigma_max``.

    Raises
    ------
    DomainError
        Non-positive scales or ``sigma_min >= sigma_max``.

    Curriculum: B21

    Examples
    --------
    >>> sde = VESDE(0.01, 50.0)
    >>> round(sde.prior_std(), 4)
    50.0
    """

    def __init__(self, sigma_min: float = 0.01, sigma_max: float = 50.0):
        self.sigma_min = _finite_positive(sigma_min, "sigma_min")
        self.sigma_max = _finite_positive(sigma_max, "sigma_max")
        if self.sigma_min >= self.sigma_max:
            raise DomainError(f"sigma_min must be < sigma_max, got {sigma_min} >= {sigma_max}")
        self._log_ratio = math.log(self.sigma_max / self.sigma_min)

    def _sigma_bar2(self, t):
        return self.sigma_min**2 * B.namespace(t).exp(2.0 * self._log_ratio * t)

    def _f(self, t):
        return 0.0 * t

    def _g2(self, t):
        return 2.0 * self._log_ratio * self._sigma_bar2(t)

    def _alpha(self, t):
        return 0.0 * t + 1.0

    def _sigma(self, t):
        xp = B.namespace(t)
        return self.sigma_min * xp.sqrt(xp.expm1(2.0 * self._log_ratio * t))

    def prior_std(self) -> float:
        return self.sigma_min * math.sqrt(math.expm1(2.0 * self._log_ratio))

    def __repr__(self):
        return f"VESDE(sigma_min={self.sigma_min:g}, sigma_max={self.sigma_max:g})"


class DDPMSchedule(_VPFamily):
    r"""The discrete DDPM chain :math:`x_{i+1} = \sqrt{1-\beta_i}\,x_i + \sqrt{\beta_i}\,\varepsilon_i`.

    .. math:: x_i \mid x_0 \sim \mathcal N\big(\sqrt{\bar\alpha_i}\,x_0, (1-\bar\alpha_i) I\big),\qquad
              \bar\alpha_i = \prod_{j<i} (1 - \beta_j),\quad i = 0, \dots, T.

    Time is the step index, ``t ∈ [0, T]``. Between integers the schedule is the VP SDE with the
    piecewise-constant rate :math:`\tilde\beta_i = -\log(1-\beta_i)` on :math:`[i, i+1)`; its marginals
    coincide with the chain's at every integer ``t`` (:math:`\log\bar\alpha` is interpolated
    linearly), so :meth:`reverse` and :meth:`probability_flow` are exact continuous companions of
    the chain. Prior :math:`\mathcal N(0, I)`.

    Parameters
    ----------
    T : int
        Number of steps.
    betas : array of shape (T,), optional
        Noise rates in ``(0, 1)``; default linear from ``1e-4`` to ``0.02`` (Ho et al.).

    Raises
    ------
    DomainError
        ``T < 1``, betas outside ``(0, 1)`` or non-finite.
    ShapeError
        ``betas`` not of shape ``(T,)``.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> sch = DDPMSchedule(1000)
    >>> float(sch.alpha_bar[0]), sch.alpha_bar.shape
    (1.0, (1001,))
    """

    def __init__(self, T: int = 1000, betas=None):
        if isinstance(T, bool) or not isinstance(T, int | np.integer) or T < 1:
            raise DomainError(f"T must be an integer >= 1, got {T!r}")
        self.T = int(T)
        betas = np.linspace(1e-4, 0.02, self.T) if betas is None else B.to_numpy(betas).astype(np.float64)
        if betas.shape != (self.T,):
            raise ShapeError(f"betas must have shape ({self.T},), got {betas.shape}")
        if not np.all(np.isfinite(betas)) or np.any(betas <= 0) or np.any(betas >= 1):
            raise DomainError(f"betas must lie in (0, 1), got values in [{betas.min():.4g}, {betas.max():.4g}]")
        self.betas = betas
        self._rates = -np.log1p(-betas)  # β̃_i
        self._cum = np.concatenate([[0.0], np.cumsum(self._rates)])  # Λ(i) = -log ᾱ_i
        self.alpha_bar = np.exp(-self._cum)

    def _segment(self, t):
        xp = B.namespace(t)
        idx = xp.clip(xp.astype(xp.floor(t), xp.int64), 0, self.T - 1)
        return idx, xp

    def _table(self, values, t):
        xp = B.namespace(t)
        return xp.asarray(values, dtype=t.dtype, device=B.device(t))

    def _rate(self, t):
        idx, xp = self._segment(t)
        return xp.reshape(xp.take(self._table(self._rates, t), xp.reshape(idx, (-1,))), t.shape)

    def _integrated(self, t):
        idx, xp = self._segment(t)
        flat = xp.reshape(idx, (-1,))
        start = xp.reshape(xp.take(self._table(self._cum[:-1], t), flat), t.shape)
        rate = xp.reshape(xp.take(self._table(self._rates, t), flat), t.shape)
        return start + (t - xp.astype(idx, t.dtype)) * rate

    def __repr__(self):
        return f"DDPMSchedule(T={self.T}, betas=[{self.betas[0]:.3g} … {self.betas[-1]:.3g}])"
