"""Langevin dynamics and MCMC: ULA, MALA, random-walk Metropolis, HMC, SGLD, annealed Langevin,
the ``init``/``step`` kernels underneath, test targets and diagnostics (ESS, R-hat, MCSE).

Curriculum: B18
"""

from aimath.sampling.chain import Kernel, SamplerResult, StepInfo, run_chain
from aimath.sampling.diagnostics import Summary, autocorrelation, effective_sample_size, mcse, rhat, summary
from aimath.sampling.langevin import (
    LangevinState,
    MALAState,
    annealed_langevin,
    mala,
    mala_kernel,
    minibatch_score,
    sgld,
    sgld_kernel,
    ula,
    ula_kernel,
)
from aimath.sampling.metropolis import (
    HMCState,
    MHState,
    hmc,
    hmc_kernel,
    leapfrog,
    random_walk_metropolis,
    rwm_kernel,
)
from aimath.sampling.targets import Target, banana, funnel, gaussian_ar1, gaussian_mixture

__all__ = [
    "Kernel", "StepInfo", "SamplerResult", "run_chain",
    "LangevinState", "MALAState", "MHState", "HMCState",
    "ula", "mala", "sgld", "random_walk_metropolis", "hmc", "annealed_langevin", "minibatch_score",
    "ula_kernel", "mala_kernel", "sgld_kernel", "rwm_kernel", "hmc_kernel", "leapfrog",
    "autocorrelation", "effective_sample_size", "rhat", "mcse", "summary", "Summary",
    "Target", "gaussian_ar1", "gaussian_mixture", "banana", "funnel",
]
