r"""Noise-prediction networks for diffusion models: an MLP for vectors and a small U-Net for images.

Both networks take ``(x, tau)`` with :math:`\tau = t/T \in [0, 1]` the time as a fraction of the
horizon, and return the **noise prediction** :math:`\hat\varepsilon_\theta(x, \tau)` (same shape as
``x``). The score is read off the Gaussian transition :math:`X_t = \alpha(t)X_0 + \sigma(t)\varepsilon`:

.. math:: s_\theta(x, t) = -\frac{\hat\varepsilon_\theta(x, t/T)}{\sigma(t)}
          \qquad\Big(\text{as } \nabla_x \log p_t(x \mid x_0) = -\frac{\varepsilon}{\sigma(t)}\Big),

which :meth:`ScoreNet.score_fn` / :meth:`ScoreUNet.score_fn` (or :func:`score_function`) wrap as
``score_fn(x, t)`` for the samplers of :mod:`aimath.diffusion.samplers`.

The time enters through the sinusoidal embedding of Vaswani et al. / Ho et al.,

.. math:: e(\tau)_k = \sin(1000\,\tau\,\omega_k),\quad e(\tau)_{h+k} = \cos(1000\,\tau\,\omega_k),\qquad
          \omega_k = 10000^{-k/h},\ k = 0, \dots, h-1,

(``1000 τ`` is the step index of a 1000-step DDPM chain), followed by learned layers.

Curriculum: B21
"""

from __future__ import annotations

import math

import numpy as np

from aimath import backend as B
from aimath.autodiff import Tensor, as_tensor, broadcast_to, concatenate, no_grad, reshape, sigmoid
from aimath.autodiff.tensor import _result
from aimath.errors import DomainError, ShapeError
from aimath.nn.conv import Conv2d
from aimath.nn.layers import Linear
from aimath.nn.module import Module

__all__ = ["sinusoidal_embedding", "silu", "silu_reference", "upsample2x", "ScoreNet", "ScoreUNet", "score_function"]


def sinusoidal_embedding(tau, dim: int, *, like=None):
    r"""Sinusoidal embedding of times :math:`\tau \in [0, 1]` (see the module docstring).

    Parameters
    ----------
    tau : float or array of shape (n,)
    dim : int
        Even embedding size ``2h``.
    like : array, optional
        Array whose library and dtype the result takes (NumPy float64 by default).

    Returns
    -------
    array of shape (n, dim) (``(1, dim)`` for a scalar ``tau``)

    Examples
    --------
    >>> sinusoidal_embedding(0.0, 4)
    array([[0., 0., 1., 1.]])
    """
    if isinstance(dim, bool) or not isinstance(dim, int | np.integer) or dim < 2 or dim % 2:
        raise DomainError(f"dim must be an even integer >= 2, got {dim!r}")
    like = np.zeros(0) if like is None else like
    xp = B.namespace(like)
    tt = B.to_numpy(tau) if B.is_torch(tau) and not B.is_torch(like) else tau
    tt = xp.asarray(tt, dtype=B.float_dtype(like, xp), device=B.device(like))
    tt = xp.reshape(tt, (-1,))
    h = dim // 2
    omega = xp.asarray(np.exp(-math.log(10000.0) * np.arange(h) / h), dtype=tt.dtype, device=B.device(like))
    arg = 1000.0 * tt[:, None] * omega[None, :]
    return xp.concat([xp.sin(arg), xp.cos(arg)], axis=1)


def silu(x):
    r"""SiLU (swish) as one engine op: :math:`y = x\,s(x)`, :math:`s = 1/(1 + e^{-x})`,
    :math:`\bar x = \bar y\,\big(s + x\,s(1 - s)\big)`.

    Fused (one exponential, the sigmoid kept for the pullback) because it is the hot spot of the
    networks here; :func:`silu_reference` is the same function from the engine's ``sigmoid`` and ``*``.
    """
    x = as_tensor(x)
    d = x.data
    xp = B.namespace(d)
    if isinstance(d, np.ndarray):
        with np.errstate(over="ignore", under="ignore"):  # e^{-x} = inf for x < -709: s = 0 exactly
            s = 1.0 / (1.0 + np.exp(-d))
    else:
        s = 1.0 / (1.0 + xp.exp(-d))
    y = d * s

    def vjp(g):
        return (g * (s + y * (1.0 - s)),)

    return _result(y, (x,), vjp, "silu")


def silu_reference(x):
    """SiLU composed from engine ops, ``x * sigmoid(x)`` (the oracle of :func:`silu` in the tests)."""
    return x * sigmoid(x)


def _tau_batch(t, n, like):
    """``t`` as an (n,) array of ``like``'s kind: a scalar is repeated."""
    xp = B.namespace(like)
    tt = B.to_numpy(t) if B.is_torch(t) and not B.is_torch(like) else t
    tt = xp.asarray(tt, dtype=B.float_dtype(like, xp), device=B.device(like))
    if tt.ndim == 0:
        return xp.full((n,), float(tt), dtype=tt.dtype, device=B.device(like))
    if tuple(tt.shape) != (n,):
        raise ShapeError(f"t must be a scalar or have shape ({n},), got {tuple(tt.shape)}")
    return tt


def _data(x):
    return x.data if isinstance(x, Tensor) else x


class _NoiseModel(Module):
    """Shared plumbing: input checks and the score wrapper."""

    event_shape: tuple = ()

    def _check(self, x, t):
        d = _data(x)
        s = tuple(int(v) for v in d.shape)
        if len(s) != 1 + len(self.event_shape) or s[1:] != self.event_shape:
            raise ShapeError(f"{type(self).__name__}: x must have shape (n, {', '.join(map(str, self.event_shape))}),"
                             f" got {s}")
        tau = _tau_batch(t, s[0], d)
        tn = B.to_numpy(tau)
        if not np.all(np.isfinite(tn)) or tn.min(initial=0.0) < 0 or tn.max(initial=0.0) > 1:
            raise DomainError(f"t (the fraction τ = t/T of the horizon) must lie in [0, 1], got values in "
                              f"[{tn.min():.4g}, {tn.max():.4g}]")
        return tau

    def score_fn(self, sde, *, clip=None):
        """``score_fn(x, t) = −ε̂(x, t/T)/σ(t)`` for the samplers (arrays in, arrays out, no graph);
        ``clip`` as in :func:`score_function`."""
        return score_function(self, sde, clip=clip)


def score_function(model, sde, *, clip=None):
    r"""Wrap a noise-prediction network as the score :math:`s(x, t) = -\hat\varepsilon(x, t/T)/\sigma(t)`.

    With ``clip = (lo, hi)`` the denoised estimate (Tweedie) is clipped to the data range first, as
    DDPM's ``clip_denoised``:

    .. math:: \hat x_0 = \mathrm{clip}\Big(\frac{x - \sigma\hat\varepsilon}{\alpha}, lo, hi\Big),\qquad
              \tilde\varepsilon = \frac{x - \alpha\hat x_0}{\sigma},\qquad s = -\frac{\tilde\varepsilon}{\sigma},

    which changes nothing where :math:`\hat x_0` is already in range.

    Parameters
    ----------
    model : callable ``model(x, tau)`` returning ε̂ (a Tensor or an array), e.g. :class:`ScoreNet`
    sde : ForwardProcess
    clip : (float, float) or None
        The range of the data.

    Returns
    -------
    callable ``score_fn(x, t)`` with ``t`` a float or an array of shape ``(n,)`` in ``[0, T]``;
    evaluated under :func:`aimath.autodiff.no_grad`, returns an array of ``x``'s shape.
    """
    from aimath.diffusion.forward import ForwardProcess

    if not isinstance(sde, ForwardProcess):
        raise DomainError(f"sde must be a ForwardProcess, got {type(sde).__name__}")
    T = float(sde.T)
    if clip is not None:
        lo, hi = (float(c) for c in clip)
        if not lo < hi:
            raise DomainError(f"clip must be a pair (lo, hi) with lo < hi, got {clip!r}")

    def score_fn(x, t):
        n = int(x.shape[0])
        tt = _tau_batch(t, n, x) if hasattr(t, "shape") and getattr(t, "ndim", 0) else t
        _, _, alpha, sigma = sde.coefficients(tt, like=x)
        with no_grad():
            eps_hat = model(x, tt / T if hasattr(tt, "shape") else float(tt) / T)
        eps_hat = _data(eps_hat)
        xp = B.namespace(x)
        if sigma.ndim:
            sigma = xp.reshape(sigma, (n,) + (1,) * (x.ndim - 1))
            alpha = xp.reshape(alpha, (n,) + (1,) * (x.ndim - 1))
        if clip is not None:
            x0 = xp.clip((x - sigma * eps_hat) / alpha, lo, hi)
            eps_hat = (x - alpha * x0) / sigma
        return -eps_hat / sigma

    return score_fn


class ScoreNet(_NoiseModel):
    r"""Time-conditioned MLP noise predictor :math:`\hat\varepsilon_\theta(x, \tau)` for vectors of size ``d``.

    .. math:: h_0 = \mathrm{SiLU}\big(W_0\,[x;\ e(\tau)] + b_0\big),\quad
              h_{\ell} = \mathrm{SiLU}\big(W_\ell h_{\ell-1} + b_\ell + U_\ell\, e(\tau)\big),\quad
              \hat\varepsilon = W_L h_{L-1} + b_L,

    with :math:`e(\tau)` the sinusoidal embedding (size ``embed_dim``) re-injected into every hidden
    layer through :math:`U_\ell` (no bias). The output is the **noise prediction**; the score is
    :math:`-\hat\varepsilon/\sigma(t)` (:meth:`score_fn`).

    Parameters
    ----------
    dim : int
        Data dimension ``d``.
    hidden : int
        Width of the hidden layers.
    depth : int
        Number of hidden layers (>= 1).
    embed_dim : int
        Size of the time embedding (even).
    rng : seed or Generator
    dtype : float32 or float64

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> net = ScoreNet(2, hidden=16, depth=2, rng=0)
    >>> net(np.zeros((5, 2)), 0.5).shape
    (5, 2)
    """

    def __init__(self, dim: int, hidden: int = 128, depth: int = 3, embed_dim: int = 16, *, rng=None,
                 dtype=np.float64):
        super().__init__()
        for name, v, low in (("dim", dim, 1), ("hidden", hidden, 1), ("depth", depth, 1)):
            if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < low:
                raise DomainError(f"{name} must be an integer >= {low}, got {v!r}")
        if isinstance(embed_dim, bool) or not isinstance(embed_dim, int | np.integer) or embed_dim < 2 or embed_dim % 2:
            raise DomainError(f"embed_dim must be an even integer >= 2, got {embed_dim!r}")
        g = B.as_generator(rng)
        self.dim, self.hidden, self.depth, self.embed_dim = int(dim), int(hidden), int(depth), int(embed_dim)
        self.event_shape = (self.dim,)
        self.inp = Linear(dim + embed_dim, hidden, rng=g, dtype=dtype)
        for i in range(1, depth):
            setattr(self, f"h{i}", Linear(hidden, hidden, rng=g, dtype=dtype))
            setattr(self, f"t{i}", Linear(embed_dim, hidden, bias=False, rng=g, dtype=dtype))
        self.out = Linear(hidden, dim, rng=g, dtype=dtype)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, hidden={self.hidden}, depth={self.depth}, embed_dim={self.embed_dim}"

    def forward(self, x, t):
        """ε̂ for ``x`` of shape (n, d) and ``t`` = τ (float or shape (n,)) in [0, 1]; a Tensor of shape (n, d)."""
        tau = self._check(x, t)
        e = sinusoidal_embedding(tau, self.embed_dim, like=_data(x))
        h = silu(self.inp(concatenate([x if isinstance(x, Tensor) else Tensor(x), Tensor(e)], axis=1)))
        for i in range(1, self.depth):
            h = silu(getattr(self, f"h{i}")(h) + getattr(self, f"t{i}")(e))
        return self.out(h)


def upsample2x(x):
    """Nearest-neighbour upsampling by 2 of (n, c, h, w) Tensors: reshape, broadcast, reshape."""
    n, c, h, w = (int(v) for v in _data(x).shape)
    y = broadcast_to(reshape(x, (n, c, h, 1, w, 1)), (n, c, h, 2, w, 2))
    return reshape(y, (n, c, 2 * h, 2 * w))


class ScoreUNet(_NoiseModel):
    r"""A small U-Net noise predictor for single-channel images (8×8 digits), from aimath.nn layers.

    With :math:`e = \mathrm{SiLU}(W_e\, e(\tau))` the embedded time, added per channel in each block
    (:math:`+ P_i e` broadcast over pixels), 3×3 convolutions (padding 1) and SiLU:

    .. math::
        h_1 &= \mathrm{SiLU}(\mathrm{conv}(\mathrm{SiLU}(\mathrm{conv}(x) + P_1 e))) &&(C, H, W)\\
        h_2 &= \mathrm{SiLU}(\mathrm{conv}(\mathrm{SiLU}(\mathrm{conv}_{\text{stride }2}(h_1) + P_2 e)))
              &&(2C, H/2, W/2)\\
        m &= \mathrm{SiLU}(\mathrm{conv}(h_2) + P_3 e) &&(2C, H/2, W/2)\\
        u &= \mathrm{SiLU}(\mathrm{conv}([\mathrm{up}_2(m);\ h_1]) + P_4 e) &&(C, H, W)\\
        \hat\varepsilon &= \mathrm{conv}(u) &&(1, H, W)

    (``up₂`` nearest-neighbour upsampling, ``[;]`` the skip connection by channel concatenation).
    The output is the **noise prediction**; the score is :math:`-\hat\varepsilon/\sigma(t)`.

    Parameters
    ----------
    size : int
        Image side ``H = W`` (even).
    channels : int
        ``C``.
    embed_dim : int
        Size of the sinusoidal embedding.
    rng, dtype

    Curriculum: B21

    Examples
    --------
    >>> import numpy as np
    >>> net = ScoreUNet(8, channels=4, rng=0)
    >>> net(np.zeros((3, 1, 8, 8)), 0.5).shape
    (3, 1, 8, 8)
    """

    def __init__(self, size: int = 8, channels: int = 32, embed_dim: int = 32, *, rng=None, dtype=np.float64):
        super().__init__()
        if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 2 or size % 2:
            raise DomainError(f"size must be an even integer >= 2, got {size!r}")
        if isinstance(channels, bool) or not isinstance(channels, int | np.integer) or channels < 1:
            raise DomainError(f"channels must be a positive integer, got {channels!r}")
        if isinstance(embed_dim, bool) or not isinstance(embed_dim, int | np.integer) or embed_dim < 2 or embed_dim % 2:
            raise DomainError(f"embed_dim must be an even integer >= 2, got {embed_dim!r}")
        g = B.as_generator(rng)
        C = int(channels)
        self.size, self.channels, self.embed_dim = int(size), C, int(embed_dim)
        self.event_shape = (1, self.size, self.size)
        kw = dict(rng=g, dtype=dtype)
        self.temb = Linear(embed_dim, 2 * C, **kw)
        self.conv1a = Conv2d(1, C, 3, padding=1, **kw)
        self.conv1b = Conv2d(C, C, 3, padding=1, **kw)
        self.down = Conv2d(C, 2 * C, 3, stride=2, padding=1, **kw)
        self.conv2b = Conv2d(2 * C, 2 * C, 3, padding=1, **kw)
        self.mid = Conv2d(2 * C, 2 * C, 3, padding=1, **kw)
        self.up = Conv2d(3 * C, C, 3, padding=1, **kw)
        self.conv_out = Conv2d(C, 1, 3, padding=1, **kw)
        self.p1 = Linear(2 * C, C, bias=False, **kw)
        self.p2 = Linear(2 * C, 2 * C, bias=False, **kw)
        self.p3 = Linear(2 * C, 2 * C, bias=False, **kw)
        self.p4 = Linear(2 * C, C, bias=False, **kw)

    def extra_repr(self) -> str:
        return f"size={self.size}, channels={self.channels}, embed_dim={self.embed_dim}"

    def forward(self, x, t):
        """ε̂ for ``x`` of shape (n, 1, H, W) and ``t`` = τ (float or shape (n,)) in [0, 1]."""
        tau = self._check(x, t)
        xd = _data(x)
        n = int(xd.shape[0])
        e = silu(self.temb(Tensor(sinusoidal_embedding(tau, self.embed_dim, like=xd))))

        def add_t(h, proj):
            p = proj(e)
            return h + reshape(p, (n, int(p.shape[1]), 1, 1))

        h1 = silu(self.conv1b(silu(add_t(self.conv1a(x), self.p1))))
        h2 = silu(self.conv2b(silu(add_t(self.down(h1), self.p2))))
        m = silu(add_t(self.mid(h2), self.p3))
        u = silu(add_t(self.up(concatenate([upsample2x(m), h1], axis=1)), self.p4))
        return self.conv_out(u)

