"""The interface every distribution of :mod:`aimath.prob` shares.

A distribution has a *batch shape* (independent distributions with different parameters, held
together) and an *event shape* (the shape of one draw: ``()`` for scalars, ``(d,)`` for vectors).
``sample(rng, shape)`` returns an array of shape ``shape + batch_shape + event_shape``;
``log_prob(x)`` reduces the event axes and broadcasts the rest against the batch shape.

Curriculum: B13.
"""

from __future__ import annotations

from aimath.backend import namespace
from aimath.errors import shape_of

__all__ = ["Distribution"]


class Distribution:
    """Base class: ``sample``, ``log_prob``, ``prob``, ``score``, ``mean``, ``variance``,
    ``stddev``, ``entropy``, ``cdf`` and ``icdf``.

    Subclasses set ``event_ndim`` (0 or 1) and implement what has a closed form; the rest raises
    :class:`NotImplementedError` with a message that says so.
    """

    event_ndim: int = 0
    #: Parameters shown in the repr, in order.
    _param_names: tuple[str, ...] = ()

    # ------------------------------------------------------------------ shapes and library
    @property
    def _ref(self):
        """A parameter array that fixes library, dtype and device."""
        return getattr(self, self._param_names[0])

    @property
    def xp(self):
        """The array namespace of the parameters."""
        return namespace(self._ref)

    @property
    def dtype(self):
        return self._ref.dtype

    @property
    def batch_shape(self) -> tuple[int, ...]:
        s = shape_of(self._ref)
        return s[: len(s) - self.event_ndim] if self.event_ndim else s

    @property
    def event_shape(self) -> tuple[int, ...]:
        s = shape_of(self._ref)
        return s[len(s) - self.event_ndim :] if self.event_ndim else ()

    @staticmethod
    def _shape(shape) -> tuple[int, ...]:
        if isinstance(shape, int):
            return (int(shape),)
        return tuple(int(s) for s in shape)

    # ------------------------------------------------------------------ interface
    def sample(self, rng=None, shape=()):
        """Draw samples of shape ``shape + batch_shape + event_shape``.

        ``rng`` is an int seed, a ``numpy.random.Generator``, a ``torch.Generator`` or None.
        """
        raise NotImplementedError(f"{type(self).__name__} has no sampler")

    def log_prob(self, x):
        """Log density (or log mass) at ``x``; ``-inf`` outside the support."""
        raise NotImplementedError(f"{type(self).__name__} has no log_prob")

    def prob(self, x):
        """Density (or mass) at ``x``: ``exp(log_prob(x))``."""
        return self.xp.exp(self.log_prob(x))

    def score(self, x):
        r"""The score :math:`\nabla_x \log p(x)` in closed form."""
        raise NotImplementedError(f"{type(self).__name__} has no closed-form score")

    @property
    def mean(self):
        raise NotImplementedError(f"{type(self).__name__} has no closed-form mean")

    @property
    def variance(self):
        raise NotImplementedError(f"{type(self).__name__} has no closed-form variance")

    @property
    def stddev(self):
        """Square root of :attr:`variance`."""
        return self.xp.sqrt(self.variance)

    def entropy(self):
        """Differential (or Shannon) entropy in nats."""
        raise NotImplementedError(f"{type(self).__name__} has no closed-form entropy")

    def cdf(self, x):
        """Cumulative distribution function ``P(X ≤ x)``."""
        raise NotImplementedError(f"{type(self).__name__} has no closed-form cdf")

    def icdf(self, p):
        """Quantile function, the inverse of :meth:`cdf`."""
        raise NotImplementedError(f"{type(self).__name__} has no closed-form icdf")

    def __repr__(self) -> str:
        parts = []
        for name in self._param_names:
            v = getattr(self, name)
            s = shape_of(v)
            if s == () or (len(s) == 1 and s[0] <= 4):
                from aimath.backend import to_numpy

                txt = str(to_numpy(v).tolist())
            else:
                txt = f"<array {s}>"
            parts.append(f"{name}={txt}")
        return f"{type(self).__name__}({', '.join(parts)})"
