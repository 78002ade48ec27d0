"""Variational inference and latent-variable models: Book B, Part III (curriculum B15).

EM for Gaussian mixtures, the ELBO and its Monte Carlo estimate, reparameterisation and
score-function gradient estimators, probabilistic PCA with its closed-form evidence, the
variational autoencoder.

Curriculum: B15.
"""

from aimath.vi.bbvi import BBVIResult, bbvi
from aimath.vi.cavi import CAVIResult, cavi_elbo, cavi_gmm
from aimath.vi.elbo import GradEstimate, elbo, reparam_grad, score_function_grad
from aimath.vi.gmm import GaussianMixture, em_step_textbook, kmeans_init
from aimath.vi.ppca import PPCA
from aimath.vi.vae import VAE

__all__ = [
    "BBVIResult",
    "CAVIResult",
    "PPCA",
    "VAE",
    "GaussianMixture",
    "GradEstimate",
    "bbvi",
    "cavi_elbo",
    "cavi_gmm",
    "elbo",
    "em_step_textbook",
    "kmeans_init",
    "reparam_grad",
    "score_function_grad",
]
