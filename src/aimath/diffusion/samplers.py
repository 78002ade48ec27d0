r"""Samplers that run a forward noising process backwards with a score ``score_fn(x, t)``.

Each sampler starts from the prior (or from ``x_T`` when given) at ``t = T`` and walks the time
grid down to ``t = eps`` (``0`` for DDIM). Every update is written line by line as its equation:

* reverse-SDE Euler–Maruyama (:math:`\Delta t < 0`, :math:`z \sim \mathcal N(0, I)`):
  :math:`x \leftarrow x + [f x - g^2 s(x, t)]\Delta t + g\sqrt{|\Delta t|}\,z`;
* predictor–corrector: the same predictor, then ``n_corrector`` Langevin steps
  :math:`x \leftarrow x + \epsilon\, s(x, t) + \sqrt{2\epsilon}\,z` with
  :math:`\epsilon = 2(\mathrm{snr}\,\overline{\|z\|}/\overline{\|s\|})^2` (batch means of the norms);
* probability-flow ODE: :math:`dx/dt = f x - \tfrac12 g^2 s(x, t)` solved by
  :func:`aimath.limits.odeint` in the reversed clock :math:`u = T - t`;
* DDIM: :math:`\hat\varepsilon = -\sigma_t s(x, t)`, :math:`\hat x_0 = (x - \sigma_t\hat\varepsilon)/\alpha_t`,
  :math:`x' = \alpha_{t'}\hat x_0 + \sqrt{\sigma_{t'}^2 - \varsigma^2}\,\hat\varepsilon + \varsigma z`.

Curriculum: B21
"""

from __future__ import annotations

import math

import numpy as np

from aimath import backend as B
from aimath.diffusion.forward import DDPMSchedule, ForwardProcess
from aimath.errors import DomainError, ShapeError, check_array

__all__ = ["euler_maruyama_sampler", "predictor_corrector_sampler", "ode_sampler", "ddim_sampler"]


def _start(sde, shape, rng, x_T, dtype, like):
    """Checked arguments and the initial state (prior draw or ``x_T``)."""
    if not isinstance(sde, ForwardProcess):
        raise DomainError(f"sde must be a ForwardProcess, got {type(sde).__name__}")
    shape = (int(shape),) if isinstance(shape, int | np.integer) else tuple(int(s) for s in shape)
    if len(shape) < 1 or any(s < 1 for s in shape):
        raise ShapeError(f"shape must be a non-empty tuple of positive sizes (..., d), got {shape}")
    gen = B.as_generator(rng, like=like if like is not None else x_T)
    if x_T is None:
        x = sde.prior_sample(gen, shape, dtype=dtype, like=like)
    else:
        x = B.asarray(x_T, dtype="float", like=like)
        check_array(x, "x_T")
        if tuple(x.shape) != shape:
            raise ShapeError(f"x_T must have shape {shape}, got {tuple(x.shape)}")
    return gen, x


def _grid(sde, n_steps, eps):
    if isinstance(n_steps, bool) or not isinstance(n_steps, int | np.integer) or n_steps < 1:
        raise DomainError(f"n_steps must be an integer >= 1, got {n_steps!r}")
    if not 0 <= eps < sde.T:
        raise DomainError(f"eps must lie in [0, T) = [0, {sde.T:g}), got {eps!r}")
    return np.linspace(sde.T, eps, int(n_steps) + 1).tolist()


def _path(xs, return_path):
    if not return_path:
        return xs[-1]
    return B.namespace(xs[-1]).stack(xs)


def euler_maruyama_sampler(sde, score_fn, shape, rng=None, *, n_steps: int = 500, eps: float = 1e-3, x_T=None,
                           denoise: bool = True, dtype=None, like=None, return_path: bool = False):
    r"""Sample by Euler–Maruyama on the reverse-time SDE.

    .. math:: x_{k+1} = x_k + \big[f(t_k)x_k - g(t_k)^2\, s(x_k, t_k)\big]\Delta t
              + g(t_k)\sqrt{|\Delta t|}\; z_k,\qquad \Delta t = t_{k+1} - t_k < 0,

    on the grid :math:`t_k` from ``T`` down to ``eps``. With ``denoise`` the last step adds no noise
    (it returns the step's mean, as in Song et al.).

    Parameters
    ----------
    sde : ForwardProcess
    score_fn : callable ``score_fn(x, t)`` -> array of ``x``'s shape
    shape : tuple (..., d)
        Shape of the batch of samples.
    rng : seed, Generator or torch.Generator
    n_steps : int
    eps : float
        Final time (the score of singular data blows up at ``t = 0``).
    x_T : array of ``shape``, optional
        Initial states at ``t = T`` (default: prior draws).
    dtype, like : optional
        Dtype and library of the prior draws.
    return_path : bool
        Return every state, shape ``(n_steps + 1,) + shape``.

    Returns
    -------
    array of ``shape`` (or the path)

    Raises
    ------
    DomainError, ShapeError
        Bad ``sde``, ``n_steps``, ``eps``, ``shape`` or ``x_T``.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.prob import MultivariateNormal
    >>> from aimath.diffusion import VPSDE, exact_score
    >>> sde = VPSDE()
    >>> score = exact_score(sde, MultivariateNormal(np.full(2, 3.0), covariance=0.25 * np.eye(2)))
    >>> x = euler_maruyama_sampler(sde, score, (2000, 2), rng=0, n_steps=200)
    >>> np.round(x.mean(axis=0), 1)
    array([3., 3.])
    """
    gen, x = _start(sde, shape, rng, x_T, dtype, like)
    ts = _grid(sde, n_steps, eps)
    xs = [x] if return_path else None
    for k in range(len(ts) - 1):
        t, dt = ts[k], ts[k + 1] - ts[k]
        f, g2, _, _ = sde.coefficients(t, like=x)
        mean = x + (f * x - g2 * score_fn(x, t)) * dt
        last = k == len(ts) - 2
        x = mean if (denoise and last) else mean + B.namespace(x).sqrt(g2 * -dt) * B.normal(gen, x.shape, like=x)
        if return_path:
            xs.append(x)
    return _path(xs, return_path) if return_path else x


def predictor_corrector_sampler(sde, score_fn, shape, rng=None, *, n_steps: int = 500, snr: float = 0.16,
                                n_corrector: int = 1, eps: float = 1e-3, x_T=None, denoise: bool = True, dtype=None,
                                like=None, return_path: bool = False):
    r"""Reverse-SDE predictor with a Langevin corrector (Song et al., 2021).

    .. math:: \text{predictor: } x \leftarrow x + [f x - g^2 s(x, t)]\Delta t + g\sqrt{|\Delta t|}\,z,\qquad
              \text{corrector at } t': \ x \leftarrow x + \epsilon\, s(x, t') + \sqrt{2\epsilon}\, z',\quad
              \epsilon = 2\Big(\mathrm{snr}\,\frac{\overline{\|z'\|}}{\overline{\|s(x, t')\|}}\Big)^2

    (norms over the last axis averaged over the batch: one step size for all samples, so each
    corrector step is an unadjusted Langevin step that keeps :math:`p_{t'}` up to O(ε)). Parameters as
    :func:`euler_maruyama_sampler`, plus ``snr`` (> 0) and ``n_corrector`` (>= 0) Langevin steps
    after each predictor step (none after the last, denoised one).

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.prob import MultivariateNormal
    >>> from aimath.diffusion import VPSDE, exact_score
    >>> sde = VPSDE()
    >>> score = exact_score(sde, MultivariateNormal(np.zeros(2), covariance=np.eye(2)))
    >>> x = predictor_corrector_sampler(sde, score, (1000, 2), rng=0, n_steps=100)
    >>> x.shape
    (1000, 2)
    """
    if not (isinstance(snr, int | float) and math.isfinite(snr) and snr > 0):
        raise DomainError(f"snr must be a positive number, got {snr!r}")
    if isinstance(n_corrector, bool) or not isinstance(n_corrector, int) or n_corrector < 0:
        raise DomainError(f"n_corrector must be an integer >= 0, got {n_corrector!r}")
    gen, x = _start(sde, shape, rng, x_T, dtype, like)
    xp = B.namespace(x)
    ts = _grid(sde, n_steps, eps)
    xs = [x] if return_path else None
    for k in range(len(ts) - 1):
        t, t_next = ts[k], ts[k + 1]
        dt = t_next - t
        f, g2, _, _ = sde.coefficients(t, like=x)
        mean = x + (f * x - g2 * score_fn(x, t)) * dt
        last = k == len(ts) - 2
        x = mean if (denoise and last) else mean + xp.sqrt(g2 * -dt) * B.normal(gen, x.shape, like=x)
        for _ in range(0 if last else n_corrector):
            s = score_fn(x, t_next)
            z = B.normal(gen, x.shape, like=x)
            ratio = xp.mean(xp.linalg.vector_norm(z, axis=-1)) / xp.mean(xp.linalg.vector_norm(s, axis=-1))
            step = 2.0 * (snr * ratio) ** 2
            x = x + step * s + xp.sqrt(2.0 * step) * z
        if return_path:
            xs.append(x)
    return _path(xs, return_path) if return_path else x


def ode_sampler(sde, score_fn, shape, rng=None, *, method: str = "rk45", rtol: float = 1e-5, atol: float = 1e-5,
                n_steps: int = 100, eps: float = 1e-3, x_T=None, dtype=None, like=None, return_path: bool = False):
    r"""Sample by solving the probability-flow ODE from ``T`` down to ``eps``.

    .. math:: \frac{dx}{dt} = f(t)x - \tfrac12 g(t)^2\, s(x, t),\qquad x(T) \sim p_T;

    solved in the reversed clock :math:`u = T - t` (``y(u) = x(T-u)``, :math:`dy/du = -F(T-u, y)`)
    by :func:`aimath.limits.odeint` (``method`` "rk45" adaptive with ``rtol``/``atol``; "euler",
    "heun", "rk4" with ``n_steps`` equal steps). The only randomness is the draw of ``x(T)``.

    Returns
    -------
    array of ``shape``; with ``return_path`` the states at the ``n_steps + 1`` grid times
    (rk45 steps adaptively between them).

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.prob import MultivariateNormal
    >>> from aimath.diffusion import VPSDE, exact_score
    >>> sde = VPSDE()
    >>> score = exact_score(sde, MultivariateNormal(np.full(2, -1.0), covariance=np.eye(2)))
    >>> x = ode_sampler(sde, score, (2000, 2), rng=0)
    >>> np.round(x.mean(axis=0), 1)
    array([-1., -1.])
    """
    from aimath.limits import odeint

    gen, x = _start(sde, shape, rng, x_T, dtype, like)
    ts = _grid(sde, n_steps if (return_path or method != "rk45") else 1, eps)
    field = sde.probability_flow(score_fn)
    T = sde.T

    def reversed_field(u, y):
        return -field(T - u, y)

    us = np.asarray([T - t for t in ts])
    step = None if method == "rk45" else (us[1] - us[0])
    ys = odeint(reversed_field, x, us, method=method, rtol=rtol, atol=atol, step_size=step)
    return ys if return_path else ys[-1]


def ddim_sampler(sde, score_fn, shape, rng=None, *, n_steps: int | None = None, eta: float = 0.0, x_T=None,
                 dtype=None, like=None, return_path: bool = False):
    r"""DDIM (Song, Meng & Ermon 2021): deterministic (``eta = 0``) to ancestral (``eta = 1``) sampling.

    With the noise prediction :math:`\hat\varepsilon = -\sigma_t\, s(x, t)` and, from ``t`` to the next
    grid time ``t'`` < ``t``,

    .. math:: \hat x_0 = \frac{x - \sigma_t\hat\varepsilon}{\alpha_t},\qquad
              \varsigma^2 = \eta^2\, \frac{\sigma_{t'}^2}{\sigma_t^2}
              \Big(\sigma_t^2 - \frac{\alpha_t^2}{\alpha_{t'}^2}\sigma_{t'}^2\Big),\qquad
              x' = \alpha_{t'}\hat x_0 + \sqrt{\sigma_{t'}^2 - \varsigma^2}\;\hat\varepsilon + \varsigma\, z.

    :math:`\varsigma^2` is the variance of :math:`q(x_{t'} \mid x_t, x_0)`, so ``eta = 1`` with every step
    of a :class:`DDPMSchedule` is ancestral DDPM sampling. For a DDPM schedule the grid is
    ``n_steps + 1`` integers from ``T`` to ``0`` (default ``n_steps = T``); for a continuous SDE,
    ``n_steps + 1`` equally spaced times from ``T`` to ``0`` (default 100). The score is never
    evaluated at ``t = 0``.

    Parameters
    ----------
    eta : float in [0, 1]
    Others as :func:`euler_maruyama_sampler`.

    Raises
    ------
    DomainError
        ``eta`` outside [0, 1]; ``n_steps`` larger than a DDPM schedule's ``T``; bad arguments.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.prob import MultivariateNormal
    >>> from aimath.diffusion import DDPMSchedule, exact_score
    >>> sch = DDPMSchedule(1000)
    >>> score = exact_score(sch, MultivariateNormal(np.full(2, 2.0), covariance=np.eye(2)))
    >>> x = ddim_sampler(sch, score, (2000, 2), rng=0, n_steps=50)
    >>> np.round(x.mean(axis=0), 1)
    array([2., 2.])
    """
    if not (isinstance(eta, int | float) and 0 <= eta <= 1):
        raise DomainError(f"eta must lie in [0, 1], got {eta!r}")
    gen, x = _start(sde, shape, rng, x_T, dtype, like)
    xp = B.namespace(x)
    if isinstance(sde, DDPMSchedule):
        n_steps = sde.T if n_steps is None else n_steps
        if isinstance(n_steps, bool) or not isinstance(n_steps, int | np.integer) or not 1 <= n_steps <= sde.T:
            raise DomainError(f"n_steps must be an integer in [1, T={sde.T}] for a DDPM schedule, got {n_steps!r}")
        ts = np.unique(np.round(np.linspace(0, sde.T, int(n_steps) + 1)))[::-1].astype(float).tolist()
    else:
        ts = _grid(sde, 100 if n_steps is None else n_steps, 0.0)
    xs = [x] if return_path else None
    for t, t_next in zip(ts[:-1], ts[1:], strict=True):
        _, _, a, s = sde.coefficients(t, like=x)
        _, _, a_next, s_next = sde.coefficients(t_next, like=x)
        eps_hat = -s * score_fn(x, t)
        x0_hat = (x - s * eps_hat) / a
        var = eta**2 * (s_next**2 / s**2) * (s**2 - (a / a_next) ** 2 * s_next**2)
        var = xp.clip(var, 0.0, None)
        x = a_next * x0_hat + xp.sqrt(xp.clip(s_next**2 - var, 0.0, None)) * eps_hat
        if eta > 0:
            x = x + xp.sqrt(var) * B.normal(gen, x.shape, like=x)
        if return_path:
            xs.append(x)
    return _path(xs, return_path) if return_path else x
