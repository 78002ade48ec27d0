"""aimath.prob against scipy.stats, NumPy's generators and torch.distributions (float64, same process).

    python benchmarks/prob.py [--quick] [--json build/bench/prob.json] [-k FILTER]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")
os.environ.setdefault("MKL_NUM_THREADS", "2")

import numpy as np  # noqa: E402
import scipy.stats as st  # noqa: E402

import aimath.prob as ap  # noqa: E402
from _harness import Case, main  # noqa: E402


def cases(quick: bool) -> list[Case]:
    rng = np.random.default_rng(0)
    d = 100
    n = 10_000 if quick else 100_000
    A = rng.standard_normal((d, d))
    S = A @ A.T / d + np.eye(d)
    mu = rng.standard_normal(d)
    X = rng.standard_normal((n, d))
    ours = ap.MultivariateNormal(mu, covariance=S)
    ref = st.multivariate_normal(mu, S)
    B = rng.standard_normal((d, d))
    S2 = B @ B.T / d + np.eye(d)
    mu2 = rng.standard_normal(d)
    m = 100_000 if quick else 1_000_000
    x1 = rng.standard_normal(m)
    P = rng.dirichlet(np.ones(50), size=m // 50)
    Q = rng.dirichlet(np.ones(50), size=m // 50)
    cases = [
        Case(f"MultivariateNormal(d={d}).log_prob, {n} points", lambda: ours.log_prob(X), lambda: ref.logpdf(X),
             "scipy.stats.multivariate_normal (frozen)", 2.0),
        Case(f"MVN(d={d}) build + log_prob, {n} points",
             lambda: ap.MultivariateNormal(mu, covariance=S).log_prob(X),
             lambda: st.multivariate_normal(mu, S).logpdf(X), "scipy.stats.multivariate_normal"),
        Case(f"MultivariateNormal(d={d}).sample({n})", lambda: ours.sample(1, n),
             lambda: ref.rvs(size=n, random_state=1), "scipy.stats.multivariate_normal.rvs"),
        Case(f"Normal.log_prob, {m} points", lambda: ap.Normal(0.3, 1.7).log_prob(x1),
             lambda: st.norm(0.3, 1.7).logpdf(x1), "scipy.stats.norm.logpdf"),
        Case(f"Gamma(2.5).sample({m}) (Marsaglia–Tsang)", lambda: ap.Gamma(2.5, 1.0).sample(1, m),
             lambda: np.random.default_rng(1).gamma(2.5, size=m), "numpy Generator.gamma"),
        Case(f"Beta(2, 5).log_prob, {m} points", lambda: ap.Beta(2.0, 5.0).log_prob(np.abs(x1) % 1),
             lambda: st.beta(2, 5).logpdf(np.abs(x1) % 1), "scipy.stats.beta.logpdf"),
        Case(f"entropy of {m // 50} tables × 50", lambda: ap.entropy(P), lambda: st.entropy(P, axis=-1),
             "scipy.stats.entropy"),
        Case(f"kl of {m // 50} tables × 50", lambda: ap.kl(P, Q), lambda: st.entropy(P, Q, axis=-1),
             "scipy.stats.entropy(p, q)"),
    ]
    # EM for a Gaussian mixture: same data, same initialisation, same number of iterations.
    from sklearn.mixture import GaussianMixture as SkGM

    from aimath.vi import GaussianMixture

    k, dg = 10, 10
    ng = 10_000 if quick else 100_000
    centres = rng.normal(0, 4, (k, dg))
    Xg = centres[rng.integers(k, size=ng)] + rng.standard_normal((ng, dg))
    start = SkGM(k, max_iter=1, random_state=0).fit(Xg)
    init = dict(weights_init=start.weights_, means_init=start.means_, precisions_init=start.precisions_,
                tol=0.0, max_iter=20)
    cases.append(Case(f"GaussianMixture EM k={k} d={dg} n={ng}, 20 iterations",
                      lambda: GaussianMixture(k, **init).fit(Xg), lambda: SkGM(k, **init).fit(Xg),
                      "sklearn.mixture.GaussianMixture", 2.0))
    try:
        import torch
        import torch.distributions as D

        tp = D.MultivariateNormal(torch.tensor(mu), torch.tensor(S))
        tq = D.MultivariateNormal(torch.tensor(mu2), torch.tensor(S2))
        cases.append(Case(f"kl_divergence(MVN, MVN) d={d} (incl. factorisations)",
                          lambda: ap.kl_divergence(ap.MultivariateNormal(mu, covariance=S),
                                                   ap.MultivariateNormal(mu2, covariance=S2)),
                          lambda: D.kl_divergence(D.MultivariateNormal(torch.tensor(mu), torch.tensor(S)),
                                                  D.MultivariateNormal(torch.tensor(mu2), torch.tensor(S2))),
                          "torch.distributions.kl_divergence"))
        Xt = torch.tensor(X)
        cases.append(Case(f"MVN(d={d}).log_prob on torch, {n} points", lambda: ap.MultivariateNormal(
            torch.tensor(mu), covariance=torch.tensor(S)).log_prob(Xt), lambda: tp.log_prob(Xt),
            "torch.distributions.MultivariateNormal (frozen)"))
        del tq
    except ImportError:  # pragma: no cover
        pass
    return cases


if __name__ == "__main__":
    main("prob", cases)
