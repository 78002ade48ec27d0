"""Finite mixtures of distributions.

Curriculum: B13.
"""

from __future__ import annotations

from aimath.backend import as_generator, asarray, is_torch
from aimath.errors import ShapeError, check_probability_vector, shape_of
from aimath.prob._common import dev, logsumexp, params
from aimath.prob.categorical import Categorical
from aimath.prob.distribution import Distribution

__all__ = ["Mixture"]


class Mixture(Distribution):
    r"""Mixture :math:`p(x) = \sum_k w_k\, p_k(x)` of components with the same event shape.

    .. math::
        \log p(x) = \operatorname{logsumexp}_k\big(\log w_k + \log p_k(x)\big), \qquad
        \nabla_x \log p(x) = \sum_k r_k(x)\, \nabla_x \log p_k(x), \quad
        r_k(x) = \frac{w_k p_k(x)}{\sum_j w_j p_j(x)}

    The responsibilities :math:`r_k` come from a softmax of the log terms, so neither form
    underflows far in the tails. Components may be of different families.

    Parameters
    ----------
    components : sequence of Distribution
        :math:`p_1, \dots, p_K`, all with the same batch and event shapes.
    weights : array of shape (K,) or (..., K)
        Mixing weights :math:`w`, non-negative, summing to 1.

    Raises
    ------
    ShapeError
        Components with different shapes, or ``weights`` not matching their number.
    DomainError
        ``weights`` negative or not summing to 1.

    Curriculum: B13.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.prob import Normal
    >>> m = Mixture([Normal(-2.0, 1.0), Normal(2.0, 1.0)], np.array([0.5, 0.5]))
    >>> float(m.mean), float(m.variance), float(m.score(0.0))
    (0.0, 5.0, 0.0)
    """

    _param_names = ("weights",)

    def __init__(self, components, weights):
        components = list(components)
        if not components:
            raise ShapeError("components must hold at least one distribution, got none")
        for c in components:
            if not isinstance(c, Distribution):
                raise TypeError(f"components must be Distribution objects, got {type(c).__name__}")
        b0, e0 = components[0].batch_shape, components[0].event_shape
        for i, c in enumerate(components):
            if c.batch_shape != b0 or c.event_shape != e0:
                raise ShapeError(f"components must share batch and event shapes; component 0 has {b0} and {e0}, "
                                 f"component {i} has {c.batch_shape} and {c.event_shape}")
        ref = components[0]._ref
        for i, c in enumerate(components):
            if is_torch(c._ref) != is_torch(ref):
                raise TypeError(f"components must use one array library; component 0 and component {i} differ")
        xp, (w,) = params(asarray(weights, dtype=ref.dtype, like=ref), names=("weights",))
        if w.ndim == 0 or shape_of(w)[-1] != len(components):
            raise ShapeError(f"weights must have shape (..., {len(components)}) for {len(components)} components, "
                             f"got shape {shape_of(w)}")
        check_probability_vector(w, "weights", atol=1e-5 if w.dtype == xp.float32 else 1e-8)
        self.components = components
        self.weights = w
        self.event_ndim = components[0].event_ndim

    @property
    def batch_shape(self):
        return self.components[0].batch_shape

    @property
    def event_shape(self):
        return self.components[0].event_shape

    @property
    def dtype(self):
        return self.components[0].dtype

    def _log_terms(self, x):
        xp = self.xp
        lps = xp.stack([c.log_prob(x) for c in self.components], axis=-1)
        return lps + xp.log(self.weights)

    def log_prob(self, x):
        return logsumexp(self._log_terms(x), axis=-1)

    def responsibilities(self, x):
        r"""Posterior component probabilities :math:`r_k(x)`, shape ``(..., K)``."""
        t = self._log_terms(x)
        return self.xp.exp(t - logsumexp(t, axis=-1, keepdims=True))

    def score(self, x):
        xp = self.xp
        r = self.responsibilities(x)
        s = xp.stack([c.score(x) for c in self.components], axis=-1)  # (..., [d,] K)
        if self.event_ndim:
            r = r[..., None, :]
        return xp.sum(r * s, axis=-1)

    def sample(self, rng=None, shape=()):
        xp = self.xp
        g = as_generator(rng, like=self.weights)
        shape = self._shape(shape)
        draws = xp.stack([c.sample(g, shape) for c in self.components], axis=-1)  # (*shape, *batch, *event, K)
        w = self.weights + xp.zeros(self.batch_shape + (len(self.components),), dtype=self.dtype, **dev(self.weights))
        idx = Categorical(probs=w).sample(g, shape)  # (*shape, *batch)
        onehot = idx[..., None] == xp.arange(len(self.components), dtype=idx.dtype)
        if self.event_ndim:
            onehot = onehot[..., None, :]
        return xp.sum(xp.where(onehot, draws, xp.zeros_like(draws)), axis=-1)

    def _wsum(self, vals):
        """Σ_k w_k vals_k for per-component arrays of shape batch + event (+ event)."""
        xp = self.xp
        v = xp.stack(vals, axis=-1)
        w = self.weights
        for _ in range(v.ndim - len(self.batch_shape) - 1):
            w = w[..., None, :]
        return xp.sum(w * v, axis=-1)

    @property
    def mean(self):
        return self._wsum([c.mean for c in self.components])

    @property
    def variance(self):
        m = self.mean
        second = self._wsum([c.variance + c.mean * c.mean for c in self.components])
        return second - m * m

    @property
    def covariance(self):
        if not self.event_ndim:
            return self.variance
        m = self.mean
        second = self._wsum([c.covariance + c.mean[..., :, None] * c.mean[..., None, :] for c in self.components])
        return second - m[..., :, None] * m[..., None, :]

    def cdf(self, x):
        if self.event_ndim:
            raise NotImplementedError("cdf is defined for univariate mixtures only")
        return self.xp.sum(self.xp.stack([c.cdf(x) for c in self.components], axis=-1) * self.weights, axis=-1)

    def entropy(self):
        raise NotImplementedError("a mixture's entropy has no closed form; estimate -E[log p(X)] with monte_carlo")

    def __repr__(self) -> str:
        from aimath.backend import to_numpy

        return f"Mixture({len(self.components)} components, weights={to_numpy(self.weights).round(4).tolist()})"

