"""The variational autoencoder: amortised variational inference with a Gaussian encoder.

Curriculum: B15 (latent-variable models, the reparameterisation trick, the VAE).
"""

from __future__ import annotations

import math

import numpy as np

from aimath import backend as B
from aimath.autodiff import Tensor, exp, no_grad, softplus
from aimath.autodiff import sum as _sum
from aimath.errors import AimathError, DomainError, ShapeError, check_array
from aimath.nn import MLP, Module, Parameter
from aimath.prob import MCEstimate, Normal

__all__ = ["VAE"]

_LIKELIHOODS = ("bernoulli", "gaussian")
_LOG_2PI = math.log(2.0 * math.pi)


def _positive_int(value, name):
    if isinstance(value, bool) or int(value) != value or int(value) < 1:
        raise DomainError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


class VAE(Module):
    r"""Variational autoencoder (Kingma & Welling, 2014) on :mod:`aimath.nn` modules.

    Generative model and amortised variational family:

    .. math::
        p(z) = \mathcal N(0, I_k), \qquad p_\theta(x \mid z) = \prod_{j=1}^{D}
        \mathrm{Bernoulli}\big(x_j;\ \sigma(\ell_j(z))\big)
        \ \text{ or }\ \mathcal N\big(x;\ m(z), s^2 I_D\big), \\
        q_\phi(z \mid x) = \mathcal N\big(\mu(x), \mathrm{diag}\,\sigma^2(x)\big), \qquad
        z = \mu(x) + \sigma(x) \odot \varepsilon, \ \varepsilon \sim \mathcal N(0, I_k),

    trained by maximising the evidence lower bound, with the KL term in closed form:

    .. math::
        \mathrm{ELBO}(x) = \mathbb E_{q_\phi(z\mid x)}\big[\log p_\theta(x \mid z)\big]
        - \mathrm{KL}\big(q_\phi(z \mid x)\,\|\,p(z)\big), \qquad
        \mathrm{KL} = \tfrac12 \sum_{i=1}^{k} \big(\mu_i^2 + \sigma_i^2 - 1 - \log\sigma_i^2\big)
        \le \log p_\theta(x).

    ``encoder`` maps ``(n, D)`` to ``(n, 2k)``: the first ``k`` columns are :math:`\mu(x)`, the
    last ``k`` are :math:`\log\sigma^2(x)`. ``decoder`` maps ``(n, k)`` to ``(n, D)``: the logits
    :math:`\ell(z)` (Bernoulli) or the means :math:`m(z)` (Gaussian, with one learned
    :math:`\log s`). The gradient of the single-sample estimate is the reparameterisation
    (pathwise) gradient, computed by the :mod:`aimath.autodiff` engine.

    For pixels in [0, 1] that are not binary (grey levels) the Bernoulli term
    :math:`\sum_j x_j\log\sigma(\ell_j) + (1-x_j)\log(1-\sigma(\ell_j))` is the usual
    cross-entropy surrogate of Kingma & Welling; it is a log-likelihood exactly when ``x`` is
    binary. The Gaussian decoder is a density for any real ``x``.

    Parameters
    ----------
    encoder, decoder : Module
    latent_dim : int
        :math:`k`.
    likelihood : {"bernoulli", "gaussian"}
    dtype : float64 or float32
        Dtype of the noise (match the modules'; default float64).

    Attributes
    ----------
    history_ : list of float
        The training objective (mean single-sample ELBO of each mini-batch) after every step.
    optimizer_ : aimath.optim.Adam or None
        Built on the first :meth:`fit` and reused by later calls (training continues).

    Raises
    ------
    DomainError
        ``latent_dim`` not a positive integer, unknown ``likelihood``.
    TypeError
        ``encoder`` or ``decoder`` not a :class:`~aimath.nn.Module`.

    Curriculum: B15.

    Examples
    --------
    >>> import numpy as np
    >>> vae = VAE.mlp(6, hidden=(16,), latent_dim=2, rng=0)
    >>> X = (np.random.default_rng(0).random((64, 6)) < 0.3).astype(float)
    >>> before = vae.elbo(X, rng=0, n_samples=4).estimate
    >>> _ = vae.fit(X, steps=200, batch_size=32, lr=1e-2, rng=0)
    >>> bool(vae.elbo(X, rng=0, n_samples=4).estimate > before)
    True
    """

    def __init__(self, encoder: Module, decoder: Module, latent_dim: int, *, likelihood: str = "bernoulli",
                 dtype=np.float64):
        super().__init__()
        for name, m in (("encoder", encoder), ("decoder", decoder)):
            if not isinstance(m, Module):
                raise TypeError(f"{name} must be an aimath.nn.Module, got {type(m).__name__}")
        if likelihood not in _LIKELIHOODS:
            raise DomainError(f"likelihood must be one of {_LIKELIHOODS}, got {likelihood!r}")
        self.encoder, self.decoder = encoder, decoder
        self.latent_dim = _positive_int(latent_dim, "latent_dim")
        self.likelihood = likelihood
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise DomainError(f"dtype must be float32 or float64, got {self.dtype}")
        if likelihood == "gaussian":
            self.log_scale = Parameter(np.zeros((), dtype=self.dtype))
        self.optimizer_ = None
        self.history_: list[float] = []

    @classmethod
    def mlp(cls, input_dim: int, hidden=(128,), latent_dim: int = 2, *, activation: str = "relu",
            likelihood: str = "bernoulli", rng=None, dtype=np.float64) -> VAE:
        """A VAE whose encoder ``D → hidden → 2k`` and decoder ``k → reversed(hidden) → D`` are
        :class:`~aimath.nn.MLP` s (PyTorch's default initialisation, one generator)."""
        D = _positive_int(input_dim, "input_dim")
        k = _positive_int(latent_dim, "latent_dim")
        hidden = [_positive_int(h, "hidden") for h in hidden]
        g = B.as_generator(rng)
        enc = MLP([D, *hidden, 2 * k], activation, rng=g, dtype=dtype)
        dec = MLP([k, *reversed(hidden), D], activation, rng=g, dtype=dtype)
        return cls(enc, dec, k, likelihood=likelihood, dtype=dtype)

    def extra_repr(self) -> str:
        return f"latent_dim={self.latent_dim}, likelihood={self.likelihood!r}"

    # ------------------------------------------------------------------ checks
    def _check_X(self, X, name="X"):
        if isinstance(X, Tensor):
            X = X.data
        X = np.asarray(X)
        check_array(X, name, ndim=2, nonempty=True, floating=True)
        if self.likelihood == "bernoulli" and (X.min() < 0 or X.max() > 1):
            raise DomainError(f"{name} must lie in [0, 1] for a Bernoulli decoder, got values in "
                              f"[{X.min():.4g}, {X.max():.4g}]")
        return X.astype(self.dtype, copy=False)

    def _split(self, h):
        k = self.latent_dim
        s = tuple(int(v) for v in h.shape)
        if len(s) != 2 or s[1] != 2 * k:
            raise ShapeError(f"encoder must output shape (n, 2·latent_dim) = (n, {2 * k}), got {s}")
        return h[:, :k], h[:, k:]

    def _check_decoded(self, out, D):
        s = tuple(int(v) for v in out.shape)
        if len(s) != 2 or s[1] != D:
            raise ShapeError(f"decoder must output shape (n, {D}) to match X, got {s}")

    # ------------------------------------------------------------------ the model
    def encode(self, X) -> Normal:
        r"""The variational posterior :math:`q_\phi(z \mid x) = \mathcal N(\mu(x), \mathrm{diag}\,\sigma^2(x))`
        of each row, a batch of :class:`~aimath.prob.Normal` of shape ``(n, k)``."""
        X = self._check_X(X)
        with no_grad():
            mu, log_var = self._split(self.encoder(X))
        return Normal(mu.data, np.exp(0.5 * log_var.data))

    def decode(self, Z):
        r"""Mean of :math:`p_\theta(x \mid z)`: :math:`\sigma(\ell(z))` (Bernoulli) or :math:`m(z)` (Gaussian)."""
        Z = np.asarray(Z.data if isinstance(Z, Tensor) else Z)
        check_array(Z, "Z", ndim=2, shape=(self.latent_dim,), nonempty=True)
        with no_grad():
            out = self.decoder(Z.astype(self.dtype, copy=False)).data
        return 1.0 / (1.0 + np.exp(-out)) if self.likelihood == "bernoulli" else out

    def reconstruct(self, X):
        r"""Decode the posterior means: :math:`\mathbb E\,p_\theta(x \mid z = \mu(x))`, shape ``(n, D)``."""
        return self.decode(self.encode(X).mean)

    def sample(self, n: int, rng=None):
        r"""Draw :math:`z \sim \mathcal N(0, I)` and return the decoder means, shape ``(n, D)``."""
        n = _positive_int(n, "n")
        z = B.normal(B.as_generator(rng), (n, self.latent_dim), dtype=self.dtype)
        return self.decode(z)

    def kl_term(self, X):
        r"""Closed-form :math:`\mathrm{KL}(q_\phi(z\mid x)\,\|\,\mathcal N(0, I))` of each row, shape ``(n,)``."""
        X = self._check_X(X)
        with no_grad():
            mu, log_var = self._split(self.encoder(X))
        mu, lv = mu.data, log_var.data
        return 0.5 * np.sum(mu * mu + np.exp(lv) - 1.0 - lv, axis=-1)

    def log_likelihood(self, X, out):
        r""":math:`\log p_\theta(x \mid z)` per row from the decoder output ``out`` (Tensor or array).

        Bernoulli with logits :math:`\ell`: :math:`\sum_j x_j \ell_j - \operatorname{softplus}(\ell_j)`;
        Gaussian: :math:`-\sum_j (x_j - m_j)^2 / (2 s^2) - D \log s - \tfrac D2 \log 2\pi`.
        """
        D = int(X.shape[-1])
        if self.likelihood == "bernoulli":
            return _sum(X * out - softplus(out), axis=-1)
        r = X - out
        inv = exp(-2.0 * self.log_scale)
        return _sum(r * r, axis=-1) * inv * (-0.5) - D * self.log_scale - 0.5 * D * _LOG_2PI

    def elbo_terms(self, X, eps):
        r"""Single-sample ELBO of each row with the noise ``eps`` given, as a Tensor of shape ``(n,)``.

        .. math:: \widehat{\mathrm{ELBO}}(x) = \log p_\theta\big(x \mid \mu(x) + \sigma(x)\odot\varepsilon\big)
                  - \tfrac12 \textstyle\sum_i \big(\mu_i^2 + \sigma_i^2 - 1 - \log\sigma_i^2\big)

        Differentiable in every parameter (the reparameterisation trick); its gradient is an
        unbiased estimate of the ELBO's.
        """
        D = int(X.shape[-1])
        mu, log_var = self._split(self.encoder(X))
        eps = np.asarray(eps, dtype=self.dtype)
        if eps.shape != tuple(mu.shape):
            raise ShapeError(f"eps must have shape {tuple(mu.shape)}, got {eps.shape}")
        z = mu + exp(0.5 * log_var) * eps
        out = self.decoder(z)
        self._check_decoded(out, D)
        kl = _sum(mu * mu + exp(log_var) - 1.0 - log_var, axis=-1) * 0.5
        return self.log_likelihood(X, out) - kl

    def loss(self, X, rng=None, eps=None) -> Tensor:
        """The training objective: minus the mean single-sample ELBO of the rows of ``X`` (a Tensor)."""
        X = self._check_X(X)
        if eps is None:
            eps = B.normal(B.as_generator(rng), (X.shape[0], self.latent_dim), dtype=self.dtype)
        terms = self.elbo_terms(X, eps)
        return _sum(terms) * (-1.0 / X.shape[0])

    def elbo_samples(self, X, rng=None, n_samples: int = 1):
        r"""Monte Carlo ELBO of each row, averaging ``n_samples`` reparameterised draws; shape ``(n,)``.

        Each entry is an unbiased estimate of :math:`\mathrm{ELBO}(x_i) \le \log p_\theta(x_i)`.
        """
        X = self._check_X(X)
        S = _positive_int(n_samples, "n_samples")
        g = B.as_generator(rng)
        acc = np.zeros(X.shape[0])
        with no_grad():
            for _ in range(S):
                eps = B.normal(g, (X.shape[0], self.latent_dim), dtype=self.dtype)
                acc += np.asarray(self.elbo_terms(X, eps).data, dtype=np.float64)
        return acc / S

    def elbo(self, X, rng=None, n_samples: int = 1) -> MCEstimate:
        r"""Per-example mean ELBO on ``X`` with its standard error.

        .. math:: \overline{\mathrm{ELBO}} = \frac1n \sum_{i=1}^n \widehat{\mathrm{ELBO}}(x_i), \qquad
                  \mathrm{se} = \frac{\mathrm{sd}_i\,\widehat{\mathrm{ELBO}}(x_i)}{\sqrt n}

        The standard error covers both the spread over examples and the Monte Carlo noise of the
        per-example estimates (``n_samples`` draws each).

        Returns
        -------
        MCEstimate
            ``(estimate, se)`` as floats.

        Raises
        ------
        ShapeError, DomainError
            ``X`` not 2-D, empty, non-finite, outside [0, 1] (Bernoulli); ``n_samples`` < 1.
        """
        e = self.elbo_samples(X, rng, n_samples)
        se = float(np.std(e, ddof=1) / math.sqrt(e.size)) if e.size > 1 else float("nan")
        return MCEstimate(float(np.mean(e)), se)

    # ------------------------------------------------------------------ training
    def fit(self, X, *, steps: int | None = None, epochs: int | None = None, batch_size: int = 64,
            lr: float = 1e-3, rng=None, progress: bool = False, callback=None) -> VAE:
        r"""Maximise the ELBO by Adam on single-sample reparameterised mini-batch gradients.

        .. math:: (\theta, \phi) \leftarrow \mathrm{Adam}\Big(-\nabla_{\theta,\phi}\,\frac1{|B|}
                  \sum_{i\in B} \widehat{\mathrm{ELBO}}(x_i)\Big)

        The optimizer (:class:`aimath.optim.Adam`) is created on the first call and kept in
        ``optimizer_``, so a second call continues training (with its own ``lr`` ignored).

        Parameters
        ----------
        X : array of shape (n, D)
        steps, epochs : int
            Number of mini-batch steps, or of passes over shuffled data (exactly one of them;
            default one epoch).
        batch_size : int
        lr : float
        rng : seed or generator (shuffling and noise)
        progress : bool
            Show a rich progress bar.
        callback : callable, optional
            ``callback(step, vae)`` after every step.

        Returns
        -------
        self

        Raises
        ------
        ShapeError, DomainError
            Bad ``X``, non-positive sizes, both ``steps`` and ``epochs``.
        AimathError
            If the objective becomes NaN or infinite.
        """
        from aimath.optim import Adam

        X = self._check_X(X)
        n = X.shape[0]
        bs = min(_positive_int(batch_size, "batch_size"), n)
        if steps is not None and epochs is not None:
            raise DomainError(f"give steps or epochs, not both (got steps={steps}, epochs={epochs})")
        per_epoch = math.ceil(n / bs)
        total = _positive_int(steps, "steps") if steps is not None else \
            per_epoch * _positive_int(1 if epochs is None else epochs, "epochs")
        g = B.as_generator(rng)
        if self.optimizer_ is None:
            self.optimizer_ = Adam(list(self.parameters()), lr=lr)
        bar = None
        if progress:
            from rich.progress import Progress

            bar = Progress(transient=True)
            task = bar.add_task("VAE", total=total)
            bar.start()
        self.train()
        try:
            order, pos = B.to_numpy(B.permutation(g, n)), 0
            for step in range(total):
                if pos + bs > n:
                    order, pos = B.to_numpy(B.permutation(g, n)), 0
                idx = order[pos:pos + bs]
                pos += bs
                ell = self.loss(X[idx], g)
                self.optimizer_.zero_grad()
                ell.backward()
                self.optimizer_.step()
                v = -float(ell.data)
                if not math.isfinite(v):
                    raise AimathError(f"VAE training diverged at step {step}: ELBO {v}")
                self.history_.append(v)
                if callback is not None:
                    callback(step, self)
                if bar is not None:
                    bar.update(task, advance=1, description=f"ELBO {v:.3f}")
        finally:
            if bar is not None:
                bar.stop()
        return self
