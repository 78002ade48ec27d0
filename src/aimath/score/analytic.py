"""Score functions ``∇ₓ log p(x)``: from a distribution's closed form or by autodiff of a log-density.

Curriculum: B17
"""

from __future__ import annotations

from collections.abc import Callable

from aimath.errors import AimathError

__all__ = ["score_of", "score_from_log_prob"]


def score_from_log_prob(log_prob: Callable) -> Callable:
    """The score of an (unnormalised) log-density by reverse-mode autodiff.

    .. math:: s(x) = \\nabla_x \\log \\tilde p(x) = \\nabla_x \\log p(x)
              \\quad\\text{since } \\log\\tilde p = \\log p + \\log Z \\text{ and } \\nabla_x \\log Z = 0

    The normalising constant never enters: that is why scores, Langevin dynamics and score
    matching work with unnormalised models.

    Parameters
    ----------
    log_prob : callable ``x (n, d) -> (n,)``
        Written with operations :mod:`aimath.autodiff` supports (Tensor arithmetic, ``.sum()``,
        ``autodiff.exp`` / ``log`` / ``logsumexp`` …). Rows must not interact.

    Returns
    -------
    callable ``x (n, d) -> (n, d)``

    Curriculum: B17

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.score import score_from_log_prob
    >>> s = score_from_log_prob(lambda x: -0.5 * (x * x).sum(axis=-1) + 123.0)
    >>> s(np.array([[1.0, -2.0]]))
    array([[-1.,  2.]])
    """
    if not callable(log_prob):
        raise AimathError("log_prob must be a callable x (n, d) -> (n,)")
    from aimath.autodiff import grad

    g = grad(lambda z: log_prob(z).sum())

    def score(x):
        try:
            return g(x)
        except Exception as exc:
            raise AimathError(f"could not differentiate log_prob with aimath.autodiff ({type(exc).__name__}: {exc})"
                              ) from exc

    return score


def score_of(target) -> Callable:
    """The score of ``target``: its ``.score`` when it has one (aimath.prob distributions, mixtures
    included, and aimath.sampling targets), else autodiff of ``target`` as a log-density.

    Curriculum: B17

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.prob import Normal
    >>> from aimath.score import score_of
    >>> float(score_of(Normal(1.0, 2.0))(np.array(3.0)))
    -0.5
    """
    s = getattr(target, "score", None)
    if callable(s):
        return s
    if callable(target):
        return score_from_log_prob(target)
    raise AimathError(f"cannot get a score from {type(target).__name__}: give a distribution or a log-density")
