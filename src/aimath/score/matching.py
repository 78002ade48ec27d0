"""Score matching: Hyvärinen's objective (exact Jacobian trace or Hutchinson's estimator), sliced
score matching, denoising score matching, and a linear score model trained by DSM.

Curriculum: B17
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from aimath import backend as B
from aimath.errors import DomainError, ShapeError, check_array, check_positive

__all__ = ["hyvarinen_loss", "sliced_score_matching_loss", "denoising_score_matching_loss", "LinearScore",
           "fit_denoising_score"]


def _plain(v):
    return getattr(v, "data", v) if type(v).__module__.startswith("aimath.autodiff") else v


def _x2d(x):
    x = B.asarray(x, dtype="float")
    check_array(x, "x", ndim=2, nonempty=True)
    return x


def _vjp_rows(score_model, x, v):
    """Rows of ``vᵀ ∇s(x)`` (shape (n, d)) by one reverse pass of ``Σ_n v_n · s(x_n)``."""
    from aimath.autodiff import grad

    return np.asarray(grad(lambda z: (score_model(z) * v).sum())(x))


def hyvarinen_loss(score_model: Callable, x, *, method: str = "exact", n_probes: int = 1, rng=None) -> float:
    """Hyvärinen's score-matching objective (up to a constant independent of the model).

    .. math:: J(s) = \\mathbb E_{p}\\Big[\\tfrac12\\lVert s(x)\\rVert^2 + \\operatorname{tr}\\nabla_x s(x)\\Big]
              = \\tfrac12\\mathbb E_p\\lVert s(x) - \\nabla\\log p(x)\\rVert^2 - \\text{const}

    The trace is exact (``d`` reverse passes of :mod:`aimath.autodiff`, for small ``d``) or
    Hutchinson's unbiased estimate ``E_v[vᵀ∇s v]`` with Rademacher probes (for larger ``d``).

    Parameters
    ----------
    score_model : callable ``(n, d) -> (n, d)``
        Differentiable by :mod:`aimath.autodiff` (Tensor operations).
    x : array of shape (n, d)
        Data samples.
    method : {"exact", "hutchinson"}
    n_probes : int
        Hutchinson probes per sample.
    rng : seed or generator (Hutchinson only)

    Returns
    -------
    float

    Curriculum: B17

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.score import hyvarinen_loss
    >>> x = np.random.default_rng(0).standard_normal((50_000, 2))
    >>> round(hyvarinen_loss(lambda z: -z, x), 1)        # ½E|x|² − 2 = −1
    -1.0
    """
    x = _x2d(x)
    s = B.to_numpy(_plain(score_model(x)))
    if s.shape != tuple(x.shape):
        raise ShapeError(f"score_model must return shape {tuple(x.shape)}, got {s.shape}")
    n, d = x.shape
    if method == "exact":
        tr = np.zeros(n)
        for i in range(d):
            e = np.zeros((1, d))
            e[0, i] = 1.0
            tr += _vjp_rows(score_model, x, e)[:, i]
    elif method == "hutchinson":
        if isinstance(n_probes, bool) or not isinstance(n_probes, int) or n_probes < 1:
            raise DomainError(f"n_probes must be an integer >= 1, got {n_probes!r}")
        g = B.as_generator(rng)
        tr = np.zeros(n)
        for _ in range(n_probes):
            v = np.where(g.random((n, d)) < 0.5, -1.0, 1.0)
            tr += np.sum(_vjp_rows(score_model, x, v) * v, axis=1) / n_probes
    else:
        raise DomainError(f"method must be 'exact' or 'hutchinson', got {method!r}")
    return float(np.mean(0.5 * np.sum(s * s, axis=1) + tr))


def sliced_score_matching_loss(score_model: Callable, x, *, n_projections: int = 1, rng=None) -> float:
    """Sliced score matching (Song et al. 2019): Hyvärinen's objective along random directions.

    .. math:: J_{\\text{SSM}}(s) = \\mathbb E_{v\\sim\\mathcal N(0,I)}\\mathbb E_p
              \\Big[v^\\top\\nabla_x s(x)\\,v + \\tfrac12 (v^\\top s(x))^2\\Big]

    which equals ``J(s)`` in expectation over ``v`` (``E vvᵀ = I``) at the cost of one reverse
    pass per projection.

    Parameters
    ----------
    score_model : callable ``(n, d) -> (n, d)``
        Differentiable by :mod:`aimath.autodiff`.
    x : array of shape (n, d)
    n_projections : int
    rng : seed or generator

    Returns
    -------
    float

    Curriculum: B17

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.score import sliced_score_matching_loss
    >>> x = np.random.default_rng(0).standard_normal((50_000, 2))
    >>> round(sliced_score_matching_loss(lambda z: -z, x, rng=1), 1)
    -1.0
    """
    x = _x2d(x)
    if isinstance(n_projections, bool) or not isinstance(n_projections, int) or n_projections < 1:
        raise DomainError(f"n_projections must be an integer >= 1, got {n_projections!r}")
    s = B.to_numpy(_plain(score_model(x)))
    if s.shape != tuple(x.shape):
        raise ShapeError(f"score_model must return shape {tuple(x.shape)}, got {s.shape}")
    g = B.as_generator(rng)
    total = np.zeros(x.shape[0])
    for _ in range(n_projections):
        v = g.standard_normal(x.shape)
        total += np.sum(_vjp_rows(score_model, x, v) * v, axis=1) + 0.5 * np.sum(v * s, axis=1) ** 2
    return float(np.mean(total) / n_projections)


def denoising_score_matching_loss(score_model: Callable, x, sigma: float, rng=None, *, noise=None):
    """Denoising score matching (Vincent 2011) at noise level ``σ``.

    .. math:: J_{\\text{DSM}}(s) = \\mathbb E_{x\\sim p,\\ \\varepsilon\\sim\\mathcal N(0,I)}
              \\tfrac12\\Big\\lVert s(x + \\sigma\\varepsilon) + \\frac{\\varepsilon}{\\sigma}\\Big\\rVert^2

    Its minimiser is the score of the noisy law ``p * N(0, σ²I)``; no Jacobian is needed, so the
    loss is differentiable in the model's parameters with first-order autodiff (it is returned as
    an :class:`aimath.autodiff.Tensor` when the model returns one).

    Parameters
    ----------
    score_model : callable ``(n, d) -> (n, d)``
    x : array of shape (n, d)
    sigma : float
    rng : seed or generator
    noise : array of shape (n, d), optional
        The standard-normal ``ε`` to use (fixed noise makes the loss deterministic).

    Returns
    -------
    float or Tensor

    Curriculum: B17

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.score import denoising_score_matching_loss
    >>> x = np.random.default_rng(0).standard_normal((20_000, 1))
    >>> # the optimal score for N(0,1) data at σ is −y/(1+σ²); its loss is ½(1/σ² − 1/(1+σ²))
    >>> L = denoising_score_matching_loss(lambda y: -y / 1.25, x, 0.5, rng=1)
    >>> bool(abs(float(L) - 1.6) < 0.05)
    True
    """
    x = _x2d(x)
    check_positive(sigma, "sigma")
    eps = B.normal(rng, tuple(x.shape), like=x) if noise is None else B.asarray(noise, like=x, dtype=x.dtype)
    if tuple(eps.shape) != tuple(x.shape):
        raise ShapeError(f"noise must have the shape of x {tuple(x.shape)}, got {tuple(eps.shape)}")
    s = score_model(x + sigma * eps)
    diff = s + eps / sigma
    out = (diff * diff).sum() * (0.5 / x.shape[0])
    return out if type(out).__module__.startswith("aimath.autodiff") else float(out)


def _module_base():
    from aimath.nn.module import Module, Parameter

    return Module, Parameter


class LinearScore:
    """A linear score model ``s(x) = W x + b`` (an :class:`aimath.nn.module.Module`).

    The scores of Gaussians are exactly of this form: ``∇log N(μ, Σ) = −Σ⁻¹(x − μ)``.

    Curriculum: B17
    """

    def __new__(cls, dim: int, *, dtype=np.float64):
        Module, Parameter = _module_base()

        class _LinearScore(Module):
            __doc__ = cls.__doc__

            def __init__(self):
                super().__init__()
                if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
                    raise DomainError(f"dim must be an integer >= 1, got {dim!r}")
                self.dim = dim
                self.weight = Parameter(np.zeros((dim, dim), dtype=dtype))
                self.bias = Parameter(np.zeros(dim, dtype=dtype))

            def forward(self, x):
                from aimath.nn.functional import linear

                return linear(x, self.weight, self.bias)

            def extra_repr(self) -> str:
                return f"dim={self.dim}"

        _LinearScore.__name__ = _LinearScore.__qualname__ = "LinearScore"
        return _LinearScore()


def fit_denoising_score(model, x, sigma: float, *, rng=None, steps: int = 500, lr: float = 0.1,
                        n_noise: int = 1):
    """Train ``model`` by full-batch gradient descent on the DSM loss with fixed noise draws.

    Parameters
    ----------
    model : aimath.nn Module returning Tensors
    x : array of shape (n, d)
    sigma : float
    rng : seed or generator
    steps : int
    lr : float
        Step size of gradient descent on the parameters.
    n_noise : int
        Noise draws per data point.

    Returns
    -------
    list of float
        The loss after each step (non-increasing for a small enough ``lr`` on a linear model).

    Curriculum: B17
    """
    x = _x2d(x)
    check_positive(sigma, "sigma")
    check_positive(lr, "lr")
    g = B.as_generator(rng)
    xs = np.concatenate([np.asarray(x)] * int(n_noise), axis=0)
    eps = g.standard_normal(xs.shape)
    history = []
    for _ in range(int(steps)):
        model.zero_grad()
        loss = denoising_score_matching_loss(model, xs, sigma, noise=eps)
        loss.backward()
        for p in model.parameters():
            p.data = p.data - lr * p.grad
        history.append(float(loss.data))
        if not math.isfinite(history[-1]):
            raise DomainError(f"DSM training diverged at step {len(history) - 1}: lower lr")
    return history
