"""Diffusion models: forward noising SDEs, exact scores of noised Gaussian mixtures, reverse-SDE,
predictor–corrector, probability-flow ODE and DDIM samplers, likelihoods and sample metrics;
learned scores (time-embedded MLP and U-Net noise predictors, denoising score matching with EMA)
and their results on 2-D data and 8×8 digits.

Curriculum: B21
"""

from aimath.diffusion.digits import judge_digits, load_digits_model, sample_digits, train_digits_model
from aimath.diffusion.exact import ExactScore, exact_score
from aimath.diffusion.forward import VESDE, VPSDE, DDPMSchedule, ForwardProcess, subVPSDE
from aimath.diffusion.likelihood import log_likelihood, score_divergence
from aimath.diffusion.metrics import energy_distance, ks_two_sample, mmd, pairwise_sq_distances, sliced_wasserstein
from aimath.diffusion.samplers import ddim_sampler, euler_maruyama_sampler, ode_sampler, predictor_corrector_sampler
from aimath.diffusion.score_net import ScoreNet, ScoreUNet, score_function, sinusoidal_embedding
from aimath.diffusion.toy2d import load_toy_2d, mmd_vs_heldout, toy_data, train_toy_2d
from aimath.diffusion.training import dsm_loss, ema_update, train_score_model

__all__ = [
    "ForwardProcess", "VPSDE", "subVPSDE", "VESDE", "DDPMSchedule",
    "ExactScore", "exact_score",
    "euler_maruyama_sampler", "predictor_corrector_sampler", "ode_sampler", "ddim_sampler",
    "log_likelihood", "score_divergence",
    "ScoreNet", "ScoreUNet", "score_function", "sinusoidal_embedding",
    "dsm_loss", "ema_update", "train_score_model",
    "toy_data", "train_toy_2d", "load_toy_2d", "mmd_vs_heldout",
    "train_digits_model", "load_digits_model", "sample_digits", "judge_digits",
    "mmd", "energy_distance", "sliced_wasserstein", "ks_two_sample", "pairwise_sq_distances",
]
