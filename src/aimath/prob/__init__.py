"""Probability and information theory: Book B, Part III (curriculum B13, B14).

Distributions with one interface (``sample``, ``log_prob``, ``score``, moments, ``entropy``,
``cdf``/``icdf``), closed-form and Monte Carlo KL divergences, information measures of discrete
tables, samplers written from scratch, maximum likelihood, empirical CDFs and the KS statistic.
Everything is portable across NumPy and PyTorch and batched over leading axes.

Curriculum: B13, B14.
"""

from aimath.prob.bernoulli import Bernoulli
from aimath.prob.beta import Beta
from aimath.prob.categorical import Categorical
from aimath.prob.dirichlet import Dirichlet
from aimath.prob.distribution import Distribution
from aimath.prob.divergence import kl_divergence, kl_monte_carlo, register_kl
from aimath.prob.empirical import KSResult, empirical_cdf, ks_statistic
from aimath.prob.gamma import Gamma, standard_gamma
from aimath.prob.information import (
    conditional_entropy,
    cross_entropy,
    entropy,
    joint_entropy,
    js_divergence,
    kl,
    mutual_information,
)
from aimath.prob.mixture import Mixture
from aimath.prob.mle import mle_categorical, mle_multivariate_normal, mle_normal
from aimath.prob.mvn import MultivariateNormal
from aimath.prob.normal import Normal
from aimath.prob.sampling import MCEstimate, box_muller, inverse_cdf_sample, monte_carlo, rejection_sample
from aimath.prob.transformed import (
    AffineTransform,
    ExpTransform,
    SigmoidTransform,
    Transform,
    TransformedDistribution,
)
from aimath.prob.uniform import Uniform

__all__ = [
    "AffineTransform",
    "Bernoulli",
    "Beta",
    "Categorical",
    "Dirichlet",
    "Distribution",
    "ExpTransform",
    "Gamma",
    "KSResult",
    "MCEstimate",
    "Mixture",
    "MultivariateNormal",
    "Normal",
    "SigmoidTransform",
    "Transform",
    "TransformedDistribution",
    "Uniform",
    "box_muller",
    "conditional_entropy",
    "cross_entropy",
    "empirical_cdf",
    "entropy",
    "inverse_cdf_sample",
    "joint_entropy",
    "js_divergence",
    "kl",
    "kl_divergence",
    "kl_monte_carlo",
    "ks_statistic",
    "mle_categorical",
    "mle_multivariate_normal",
    "mle_normal",
    "monte_carlo",
    "mutual_information",
    "register_kl",
    "rejection_sample",
    "standard_gamma",
]
