"""B15 figures: EM iterations, the ELBO gap, gradient-estimator variance, CAVI's ELBO."""

from __future__ import annotations

import math
import warnings

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Ellipse

from aimath.figures import figure
from aimath.linalg import eigh
from aimath.prob import MultivariateNormal, kl_divergence
from aimath.vi import PPCA, GaussianMixture, cavi_gmm, reparam_grad, score_function_grad


def _mixture_data():
    rng = np.random.default_rng(4)
    parts = [rng.multivariate_normal([-3, 0], [[1.0, 0.6], [0.6, 1.0]], 250),
             rng.multivariate_normal([2.5, 2.5], [[0.6, -0.3], [-0.3, 0.8]], 200),
             rng.multivariate_normal([2.0, -3.0], [[1.5, 0.0], [0.0, 0.3]], 150)]
    return np.concatenate(parts)


@figure("B15.em-iterations", "EM on a 2-D Gaussian mixture",
        caption="EM from random soft assignments: the components (2-σ ellipses) after 1, 5, 15 and 60 "
                "iterations of aimath.vi.GaussianMixture, and the mean log-likelihood, which never decreases.")
def em_iterations():
    X = _mixture_data()
    fig = Figure(figsize=(12, 3.1))
    axes = fig.subplots(1, 5)
    for ax, it in zip(axes[:4], [1, 5, 15, 60], strict=True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gm = GaussianMixture(3, init_params="random", random_state=2, tol=0.0, max_iter=it).fit(X)
        ax.scatter(X[:, 0], X[:, 1], s=3, c=gm.predict(X), cmap="viridis", alpha=0.4)
        for j in range(3):
            w, V = eigh(gm.covariances_[j])
            angle = math.degrees(math.atan2(V[1, -1], V[0, -1]))
            ax.add_patch(Ellipse(gm.means_[j], 4 * math.sqrt(w[-1]), 4 * math.sqrt(w[0]), angle=angle,
                                 fill=False, color="C3", lw=1.5))
        ax.set_title(f"iteration {it}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    ax = axes[4]
    ax.plot(np.arange(1, 61), gm.log_likelihood_history_, color="C0")
    ax.set_xlabel("iteration")
    ax.set_title("mean log-likelihood", fontsize=10)
    fig.tight_layout()
    return fig


@figure("B15.elbo-gap", "The ELBO gap is the KL to the posterior",
        caption="Probabilistic PCA, one observation x: along a path of Gaussians q_t from the prior N(0, I) "
                "(t = 0) to the exact posterior p(z|x) (t = 1), the closed-form ELBO(q_t) stays below "
                "log p(x) and the gap equals KL(q_t ‖ p(z|x)) exactly, closing at t = 1.")
def elbo_gap():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((300, 2)) @ rng.standard_normal((2, 5)) + 0.4 * rng.standard_normal((300, 5))
    model = PPCA(2).fit(X)
    x = X[:1]
    post = model.posterior(x)
    log_px = float(model.score_samples(x)[0])
    ts = np.linspace(0, 1, 101)
    lower, kls = [], []
    for t in ts:
        m = t * post.mean
        V = (1 - t) * np.eye(2) + t * post.covariance
        lower.append(float(model.elbo(x, m, V)[0]))
        kls.append(float(kl_divergence(MultivariateNormal(m[0], covariance=V), MultivariateNormal(
            post.mean[0], covariance=post.covariance))))
    lower, kls = np.array(lower), np.array(kls)
    fig = Figure(figsize=(5.6, 3.8))
    ax = fig.add_subplot()
    ax.axhline(log_px, color="k", lw=1, label="log p(x)")
    ax.plot(ts, lower, color="C0", lw=2, label="ELBO(q_t)")
    ax.plot(ts, log_px - kls, "C3--", lw=1.2, label="log p(x) − KL(q_t ‖ p(z|x))")
    ax.fill_between(ts, lower, log_px, color="C0", alpha=0.12)
    ax.set_xlabel("t (prior → posterior)")
    ax.legend(fontsize=8)
    return fig


@figure("B15.gradient-variance", "Variance of the two ELBO gradient estimators",
        caption="Per-sample variance of the ∂/∂μ ELBO estimates for a 1-D Gaussian q = N(μ, 1) and target "
                "N(0, 1.5²), as μ moves away from the target's mean: the reparameterisation estimator's variance "
                "stays constant, the score-function estimator's grows quickly; a leave-one-out baseline helps "
                "but does not close the gap.")
def gradient_variance():
    mus = np.linspace(0, 4, 17)
    rep, sf, sf0 = [], [], []
    log_joint = lambda z: np.sum(-0.5 * z * z / 2.25, axis=-1)  # noqa: E731
    for i, mu in enumerate(mus):
        loc, ls = np.array([mu]), np.array([0.0])
        rep.append(reparam_grad(lambda z: -z / 2.25, loc, ls, rng=i, n_samples=20_000).samples_loc.var())
        sf.append(score_function_grad(log_joint, loc, ls, rng=i, n_samples=20_000).samples_loc.var())
        sf0.append(score_function_grad(log_joint, loc, ls, rng=i, n_samples=20_000, baseline=False).samples_loc.var())
    fig = Figure(figsize=(5.6, 3.8))
    ax = fig.add_subplot()
    ax.semilogy(mus, rep, "o-", color="C0", label="reparameterisation")
    ax.semilogy(mus, sf, "s-", color="C3", label="score function, leave-one-out baseline")
    ax.semilogy(mus, sf0, "^-", color="C1", label="score function, no baseline")
    ax.set_xlabel("distance of q's mean from the target's")
    ax.set_ylabel("per-sample variance of ∂ELBO/∂μ")
    ax.legend(fontsize=8)
    return fig


@figure("B15.cavi-elbo", "CAVI on a Bayesian Gaussian mixture",
        caption="Coordinate-ascent variational inference (known unit variance, N(0, 10 I) prior on the means): "
                "data coloured by the most probable component with the variational means, and the ELBO after "
                "each sweep, rising monotonically to a fixed point.")
def cavi_figure():
    X = _mixture_data()
    res = max((cavi_gmm(X, 3, rng=s) for s in range(3)), key=lambda r: r.elbo_history[-1])
    fig = Figure(figsize=(8.5, 3.5))
    a1, a2 = fig.subplots(1, 2)
    a1.scatter(X[:, 0], X[:, 1], s=3, c=np.argmax(res.resp, axis=1), cmap="viridis", alpha=0.5)
    a1.scatter(res.means[:, 0], res.means[:, 1], marker="x", s=80, color="C3")
    a1.set_title("q(c) and E_q[μ_k]", fontsize=10)
    a2.plot(res.elbo_history, "o-", ms=3)
    a2.set_xlabel("sweep")
    a2.set_ylabel("ELBO")
    fig.tight_layout()
    return fig
