"""The categorical distribution on {0, …, k−1}.

Curriculum: B13.
"""

from __future__ import annotations

from aimath.backend import uniform as _std_uniform
from aimath.errors import DomainError, ShapeError, check_probability_vector, shape_of
from aimath.prob._common import dev, logsumexp, params, safe_log, value, xlogy
from aimath.prob.distribution import Distribution

__all__ = ["Categorical"]


class Categorical(Distribution):
    r"""Categorical distribution: :math:`P(X = j) = p_j`, :math:`j = 0, \dots, k-1`.

    .. math::
        p_j = \frac{e^{\ell_j}}{\sum_i e^{\ell_i}}, \qquad \log P(X = j) = \ell_j - \log\sum_i e^{\ell_i}

    with :math:`p` = ``probs`` (last axis, summing to 1) or :math:`\ell` = ``logits`` (exactly
    one given). Outcomes are integer indices; ``log_prob`` is ``-inf`` at anything else. The
    batch shape is ``probs.shape[:-1]`` and the event shape ``()``. Sampling inverts the
    cumulative sums of ``probs``.

    Parameters
    ----------
    probs : array of shape (..., k), optional
    logits : array of shape (..., k), optional

    Raises
    ------
    DomainError
        ``probs`` negative or not summing to 1 along the last axis; not exactly one argument.
    ShapeError
        A 0-dimensional or empty parameter.

    Curriculum: B13.

    Examples
    --------
    >>> import numpy as np
    >>> d = Categorical(probs=np.array([0.5, 0.25, 0.25]))
    >>> float(d.log_prob(1)), float(d.entropy())
    (-1.3862943611198906, 1.0397207708399179)
    """

    def __init__(self, probs=None, logits=None):
        if (probs is None) == (logits is None):
            raise DomainError("Categorical needs exactly one of probs or logits")
        if probs is not None:
            xp, (p,) = params(probs, names=("probs",))
            if p.ndim == 0:
                raise ShapeError(f"probs must have at least one dimension (the categories), got shape {shape_of(p)}")
            check_probability_vector(p, "probs", atol=1e-5 if p.dtype == xp.float32 else 1e-8)
            self.probs = p / xp.sum(p, axis=-1, keepdims=True)
            self.logits = safe_log(self.probs)
            self._param_names = ("probs",)
        else:
            xp, (l_,) = params(logits, names=("logits",))
            if l_.ndim == 0 or l_.shape[-1] == 0:
                raise ShapeError(f"logits must have a non-empty last axis (the categories), got shape {shape_of(l_)}")
            self.logits = l_ - logsumexp(l_, axis=-1, keepdims=True)
            self.probs = xp.exp(self.logits)
            self._param_names = ("logits",)

    event_ndim = 0

    @property
    def batch_shape(self):
        return shape_of(self.probs)[:-1]

    @property
    def num_categories(self) -> int:
        return shape_of(self.probs)[-1]

    def _arange(self):
        xp = self.xp
        return xp.arange(self.num_categories, dtype=xp.int64, **dev(self.probs))

    def sample(self, rng=None, shape=()):
        xp = self.xp
        u = _std_uniform(rng, self._shape(shape) + self.batch_shape, dtype=self.dtype, like=self.probs)
        c = xp.cumulative_sum(self.probs, axis=-1)
        idx = xp.sum(xp.astype(u[..., None] >= c[..., :-1], xp.int64), axis=-1)
        return idx

    def log_prob(self, x):
        xp = self.xp
        x = _outcomes(x, self.probs)
        j = self._arange() if xp.isdtype(x.dtype, "integral") else xp.astype(self._arange(), x.dtype)
        hit = x[..., None] == j
        logits = self.logits + xp.zeros_like(xp.astype(hit, self.dtype))
        lp = xp.sum(xp.where(hit, logits, xp.zeros_like(logits)), axis=-1)
        found = xp.any(hit, axis=-1)
        return xp.where(found, lp, xp.full_like(lp, -float("inf")))

    def score(self, x):
        raise NotImplementedError("Categorical is discrete: the score ∇ₓ log p(x) is not defined")

    @property
    def mean(self):
        """The mean index :math:`\\sum_j j\\,p_j`."""
        return self.xp.sum(self.probs * self.xp.astype(self._arange(), self.dtype), axis=-1)

    @property
    def variance(self):
        j = self.xp.astype(self._arange(), self.dtype)
        return self.xp.sum(self.probs * j * j, axis=-1) - self.mean**2

    def entropy(self):
        r""":math:`-\sum_j p_j \log p_j` with :math:`0 \log 0 = 0`."""
        return -self.xp.sum(xlogy(self.probs, self.probs), axis=-1)

    def cdf(self, x):
        """``P(X ≤ x)`` for real ``x``."""
        xp = self.xp
        x = value(x, self.probs)
        below = xp.astype(self._arange(), self.dtype) <= x[..., None]
        p = self.probs + xp.zeros_like(xp.astype(below, self.dtype))
        return xp.sum(xp.where(below, p, xp.zeros_like(p)), axis=-1)


def _outcomes(x, like):
    """Outcomes as int64 when given as integers, else as floats of ``like``'s dtype."""
    import numpy as np

    from aimath.backend import namespace

    probe = x if hasattr(x, "dtype") else np.asarray(x)
    if namespace(probe).isdtype(probe.dtype, ("integral", "bool")):
        return value(x, like, dtype=namespace(like).int64)
    return value(x, like)
