"""Change of variables: the distribution of ``Y = f(X)`` for an invertible elementwise map ``f``.

Curriculum: B13.
"""

from __future__ import annotations

from aimath.backend import namespace
from aimath.errors import DomainError
from aimath.prob._common import softplus, value
from aimath.prob.distribution import Distribution

__all__ = ["Transform", "AffineTransform", "ExpTransform", "SigmoidTransform", "TransformedDistribution"]


class Transform:
    r"""An invertible, differentiable, monotone map applied elementwise.

    Subclasses implement ``forward`` :math:`f`, ``inverse`` :math:`f^{-1}`,
    ``log_abs_det_jacobian(x)`` :math:`\log|f'(x)|`, its derivative ``dlog_abs_det(x)``
    :math:`\frac{d}{dx}\log|f'(x)| = f''(x)/f'(x)`, ``in_image(y)`` and ``increasing``.
    """

    increasing = True

    def forward(self, x):
        raise NotImplementedError

    def inverse(self, y):
        raise NotImplementedError

    def log_abs_det_jacobian(self, x):
        raise NotImplementedError

    def dlog_abs_det(self, x):
        raise NotImplementedError

    def derivative(self, x):
        """:math:`f'(x)`."""
        e = namespace(x).exp(self.log_abs_det_jacobian(x))
        return e if self.increasing else -e

    def in_image(self, y):
        return namespace(y).isfinite(y)

    def __call__(self, x):
        return self.forward(x)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class AffineTransform(Transform):
    r""":math:`f(x) = a + b x` with ``loc`` :math:`a` and ``scale`` :math:`b \ne 0` (scalars)."""

    def __init__(self, loc=0.0, scale=1.0):
        self.loc, self.scale = float(loc), float(scale)
        if not self.scale != 0 or self.scale != self.scale:
            raise DomainError(f"scale must be non-zero, got {scale}")
        self.increasing = self.scale > 0

    def forward(self, x):
        return self.loc + self.scale * x

    def inverse(self, y):
        return (y - self.loc) / self.scale

    def log_abs_det_jacobian(self, x):
        import math

        return namespace(x).zeros_like(x) + math.log(abs(self.scale))

    def dlog_abs_det(self, x):
        return namespace(x).zeros_like(x)

    def __repr__(self) -> str:
        return f"AffineTransform(loc={self.loc:g}, scale={self.scale:g})"


class ExpTransform(Transform):
    r""":math:`f(x) = e^x`, :math:`\log|f'(x)| = x` (maps ℝ onto (0, ∞))."""

    def forward(self, x):
        return namespace(x).exp(x)

    def inverse(self, y):
        xp = namespace(y)
        return xp.log(xp.where(y > 0, y, xp.ones_like(y)))

    def log_abs_det_jacobian(self, x):
        return x

    def dlog_abs_det(self, x):
        return namespace(x).ones_like(x)

    def in_image(self, y):
        return (y > 0) & namespace(y).isfinite(y)


class SigmoidTransform(Transform):
    r""":math:`f(x) = 1/(1+e^{-x})`, :math:`\log f'(x) = -\mathrm{softplus}(-x) - \mathrm{softplus}(x)`,
    :math:`\frac{d}{dx}\log f'(x) = 1 - 2 f(x)` (maps ℝ onto (0, 1))."""

    def forward(self, x):
        return 1.0 / (1.0 + namespace(x).exp(-x))

    def inverse(self, y):
        xp = namespace(y)
        ys = xp.where((y > 0) & (y < 1), y, xp.full_like(y, 0.5))
        return xp.log(ys) - xp.log1p(-ys)

    def log_abs_det_jacobian(self, x):
        return -softplus(-x) - softplus(x)

    def dlog_abs_det(self, x):
        return 1.0 - 2.0 * self.forward(x)

    def in_image(self, y):
        return (y > 0) & (y < 1)


class TransformedDistribution(Distribution):
    r"""The law of :math:`Y = f(X)`, :math:`X \sim` ``base``, by the change-of-variables formula.

    .. math::
        \log p_Y(y) = \log p_X(x) - \sum_{\text{event}} \log|f'(x)|, \quad x = f^{-1}(y); \qquad
        \nabla_y \log p_Y(y) = \frac{\nabla_x \log p_X(x) - f''(x)/f'(x)}{f'(x)}

    Several transforms apply in order (``[f1, f2]`` is :math:`f_2 \circ f_1`). ``log_prob`` is
    ``-inf`` outside the image of :math:`f`. The CDF maps through :math:`f^{-1}` (complemented
    when :math:`f` decreases). ``ExpTransform`` of a ``Normal`` is the log-normal.

    Parameters
    ----------
    base : Distribution
        The law of :math:`X`.
    transforms : Transform or sequence of Transform

    Curriculum: B13.

    Examples
    --------
    >>> from aimath.prob import Normal
    >>> logn = TransformedDistribution(Normal(0.0, 1.0), ExpTransform())
    >>> round(float(logn.log_prob(1.0)), 6), round(float(logn.cdf(1.0)), 6)
    (-0.918939, 0.5)
    """

    def __init__(self, base: Distribution, transforms):
        if not isinstance(base, Distribution):
            raise TypeError(f"base must be a Distribution, got {type(base).__name__}")
        ts = list(transforms) if isinstance(transforms, list | tuple) else [transforms]
        if not ts:
            raise ValueError("transforms must hold at least one Transform")
        for t in ts:
            if not isinstance(t, Transform):
                raise TypeError(f"transforms must be Transform objects, got {type(t).__name__}")
        if len(ts) > 1:
            base = TransformedDistribution(base, ts[:-1])
        self.base = base
        self.transform = ts[-1]
        self.event_ndim = base.event_ndim

    @property
    def _ref(self):
        return self.base._ref

    @property
    def batch_shape(self):
        return self.base.batch_shape

    @property
    def event_shape(self):
        return self.base.event_shape

    def _sum_event(self, a):
        return self.xp.sum(a, axis=-1) if self.event_ndim else a

    def sample(self, rng=None, shape=()):
        return self.transform.forward(self.base.sample(rng, shape))

    def log_prob(self, y):
        xp = self.xp
        y = value(y, self._ref, "y")
        x = self.transform.inverse(y)
        lp = self.base.log_prob(x) - self._sum_event(self.transform.log_abs_det_jacobian(x))
        ok = self._sum_event(xp.astype(~self.transform.in_image(y), xp.int64)) == 0 if self.event_ndim else \
            self.transform.in_image(y)
        return xp.where(ok, lp, xp.full_like(lp, -float("inf")))

    def score(self, y):
        y = value(y, self._ref, "y")
        x = self.transform.inverse(y)
        t = self.transform
        return (self.base.score(x) - t.dlog_abs_det(x)) / t.derivative(x)

    def cdf(self, y):
        if self.event_ndim:
            raise NotImplementedError("cdf is defined for univariate distributions only")
        xp = self.xp
        y = value(y, self._ref, "y")
        x = self.transform.inverse(y)
        c = self.base.cdf(x)
        c = c if self.transform.increasing else 1 - c
        if isinstance(self.transform, ExpTransform | SigmoidTransform):
            c = xp.where(y <= 0, xp.zeros_like(c), c)
            if isinstance(self.transform, SigmoidTransform):
                c = xp.where(y >= 1, xp.ones_like(c), c)
        return c

    def icdf(self, p):
        p = value(p, self._ref, "p")
        return self.transform.forward(self.base.icdf(p if self.transform.increasing else 1 - p))

    def __repr__(self) -> str:
        return f"TransformedDistribution({self.base!r}, {self.transform!r})"
