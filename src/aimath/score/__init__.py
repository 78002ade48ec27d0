"""Score functions and score matching: analytic and autodiff scores, Stein's identity, Tweedie's
formula, Hyvärinen, sliced and denoising score matching.

Curriculum: B17
"""

from aimath.score.analytic import score_from_log_prob, score_of
from aimath.score.ebm import EnergyModel, contrastive_divergence
from aimath.score.matching import (
    LinearScore,
    denoising_score_matching_loss,
    fit_denoising_score,
    hyvarinen_loss,
    sliced_score_matching_loss,
)
from aimath.score.stein import SteinResult, stein_identity_check
from aimath.score.tweedie import tweedie_denoise

__all__ = ["score_of", "score_from_log_prob", "stein_identity_check", "SteinResult", "tweedie_denoise",
           "hyvarinen_loss", "sliced_score_matching_loss", "denoising_score_matching_loss", "LinearScore",
           "fit_denoising_score", "EnergyModel", "contrastive_divergence"]
