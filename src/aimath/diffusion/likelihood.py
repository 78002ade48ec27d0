r"""Exact log-likelihoods of a diffusion model through its probability-flow ODE.

Along the probability-flow ODE :math:`\dot x = F(t, x) = f(t)x - \tfrac12 g(t)^2 s(x, t)` the density
obeys the instantaneous change of variables :math:`\frac{d}{dt}\log p_t(x_t) = -\nabla\cdot F(t, x_t)`,
so integrating from the data point at :math:`t = \varepsilon` to :math:`T`,

.. math:: \log p_\varepsilon(x) = \log p_T(x_T) + \int_\varepsilon^T \nabla\cdot F(t, x_t)\,dt,\qquad
          \nabla\cdot F = d\,f(t) - \tfrac12 g(t)^2\, \nabla\cdot s(x, t).

The state is augmented with the running integral, ``[x, ℓ]`` of shape ``(n, d + 1)``, and solved
by :func:`aimath.limits.odeint`. The divergence of the score is

* ``"exact"``: the trace of the Jacobian: the closed form of :class:`ExactScore` when the score is
  one, otherwise ``d`` central differences :math:`\sum_i (s_i(x + h e_i) - s_i(x - h e_i))/2h`
  (error O(h²); fine for small ``d``);
* ``"hutchinson"``: :math:`\mathbb E_v[v^\top J v]` with one Rademacher probe ``v`` per point,
  fixed along the trajectory (Grathwohl et al.'s FFJORD), and :math:`Jv` by a central difference
  along ``v``; unbiased, one extra pair of score calls per evaluation whatever ``d``.

Curriculum: B21
"""

from __future__ import annotations

from aimath import backend as B
from aimath.diffusion.forward import ForwardProcess
from aimath.errors import DomainError, check_array

__all__ = ["log_likelihood", "score_divergence"]


def _fd_step(x):
    return 1e-3 if x.dtype == B.namespace(x).float32 else 1e-5


def score_divergence(score_fn, x, t, *, method: str = "exact", probe=None, h: float | None = None):
    r"""Divergence :math:`\nabla\cdot s(x, t)` of a score at points ``x`` of shape (n, d).

    ``method="exact"`` uses ``score_fn.divergence`` when it exists, else the central-difference
    trace of the Jacobian; ``method="hutchinson"`` returns :math:`v^\top J v` for the given ``probe``
    ``v`` (shape (n, d)).

    Curriculum: B21
    """
    xp = B.namespace(x)
    h = _fd_step(x) if h is None else h
    if method == "hutchinson":
        if probe is None:
            raise DomainError("method='hutchinson' needs a probe of shape (n, d)")
        jv = (score_fn(x + h * probe, t) - score_fn(x - h * probe, t)) / (2 * h)
        return xp.sum(probe * jv, axis=-1)
    if method != "exact":
        raise DomainError(f"method must be 'exact' or 'hutchinson', got {method!r}")
    if hasattr(score_fn, "divergence"):
        return score_fn.divergence(x, t)
    d = x.shape[-1]
    total = xp.zeros(x.shape[:-1], dtype=x.dtype, device=B.device(x))
    eye = xp.eye(d, dtype=x.dtype, device=B.device(x))
    for i in range(d):
        e = h * eye[i]
        total = total + (score_fn(x + e, t)[..., i] - score_fn(x - e, t)[..., i]) / (2 * h)
    return total


def log_likelihood(x, score_fn, sde: ForwardProcess, *, divergence: str = "auto", rng=None, eps: float = 1e-5,
                   method: str = "rk45", rtol: float = 1e-6, atol: float = 1e-6, n_steps: int = 200,
                   max_exact_dim: int = 16, prior_log_prob=None, return_prior_point: bool = False):
    r"""Log-density of ``x`` under the model defined by ``score_fn`` (probability-flow ODE).

    .. math:: \log p_\varepsilon(x) = \log p_T(x_T) + \int_\varepsilon^T \Big(d\,f(t)
              - \tfrac12 g(t)^2\,\nabla\cdot s(x_t, t)\Big)\,dt,\qquad \dot x_t = f(t)x_t - \tfrac12 g(t)^2 s(x_t, t)

    Parameters
    ----------
    x : array of shape (n, d)
        Data points (at ``t = eps``).
    score_fn : callable ``score_fn(x, t)``
    sde : ForwardProcess
    divergence : {"auto", "exact", "hutchinson"}
        "auto" is exact for ``d <= max_exact_dim`` and Hutchinson above.
    rng : seed or generator
        Hutchinson probes (Rademacher, one per point).
    eps : float
        Start time (``log p_eps`` approximates ``log p_0``).
    method, rtol, atol, n_steps
        :func:`aimath.limits.odeint` settings (``n_steps`` equal steps for fixed-step methods).
    prior_log_prob : callable ``(x_T) -> (n,)``, optional
        Log density used at ``t = T`` (default ``sde.prior_log_prob``; pass the exact
        :math:`\log p_T` to remove the prior-mismatch error).
    return_prior_point : bool
        Also return :math:`x_T`.

    Returns
    -------
    array of shape (n,)  (and ``x_T`` of shape (n, d))

    Raises
    ------
    ShapeError, DomainError
        ``x`` not of shape (n, d) or not finite; bad ``divergence`` or ``eps``.

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.prob import MultivariateNormal
    >>> from aimath.diffusion import VPSDE, exact_score
    >>> data = MultivariateNormal(np.zeros(2), covariance=np.diag([2.0, 0.5]))
    >>> x = np.array([[0.5, -0.3]])
    >>> ll = log_likelihood(x, exact_score(VPSDE(), data), VPSDE())
    >>> bool(abs(ll[0] - data.log_prob(x)[0]) < 1e-3)
    True
    """
    from aimath.limits import odeint

    if not isinstance(sde, ForwardProcess):
        raise DomainError(f"sde must be a ForwardProcess, got {type(sde).__name__}")
    x = B.asarray(x, dtype="float")
    check_array(x, "x", ndim=2, nonempty=True)
    if divergence not in ("auto", "exact", "hutchinson"):
        raise DomainError(f"divergence must be 'auto', 'exact' or 'hutchinson', got {divergence!r}")
    if not 0 <= eps < sde.T:
        raise DomainError(f"eps must lie in [0, T) = [0, {sde.T:g}), got {eps!r}")
    xp = B.namespace(x)
    n, d = x.shape
    kind = divergence if divergence != "auto" else ("exact" if d <= max_exact_dim else "hutchinson")
    probe = None
    if kind == "hutchinson":
        u = B.uniform(rng, (n, d), like=x)
        probe = xp.where(u < 0.5, -xp.ones_like(u), xp.ones_like(u))

    def augmented(t, y):
        z = y[:, :d]
        f, g2, _, _ = sde.coefficients(t, like=z)
        s = score_fn(z, t)
        div_f = d * f - 0.5 * g2 * score_divergence(score_fn, z, t, method=kind, probe=probe)
        return xp.concat([f * z - 0.5 * g2 * s, div_f[:, None]], axis=-1)

    y0 = xp.concat([x, xp.zeros((n, 1), dtype=x.dtype, device=B.device(x))], axis=-1)
    ts = [eps, sde.T]
    step = None if method == "rk45" else (sde.T - eps) / n_steps
    yT = odeint(augmented, y0, ts, method=method, rtol=rtol, atol=atol, step_size=step)[-1]
    x_T, integral = yT[:, :d], yT[:, d]
    ll = (sde.prior_log_prob if prior_log_prob is None else prior_log_prob)(x_T) + integral
    if not bool(xp.all(xp.isfinite(ll))):
        raise DomainError("log-likelihood is not finite (the ODE left the region where the score is defined)")
    return (ll, x_T) if return_prior_point else ll

