"""Fokker–Planck equations in 1-D and 2-D: conservative, positivity-preserving finite volumes
(Scharfetter–Gummel fluxes) with implicit time steps, stationary Gibbs states, free energy and
relative entropy, and the tridiagonal solvers they run on.

Curriculum: B21
"""

from aimath.fokker_planck.fp1d import FokkerPlanck1D
from aimath.fokker_planck.fp2d import FokkerPlanck2D
from aimath.fokker_planck.scheme import bernoulli, relative_entropy, sg_generator
from aimath.fokker_planck.tridiagonal import (
    CyclicReduction,
    cyclic_reduction,
    periodic_tridiagonal,
    solve_periodic_tridiagonal,
    solve_tridiagonal,
    thomas,
)

__all__ = [
    "FokkerPlanck1D", "FokkerPlanck2D", "bernoulli", "relative_entropy", "sg_generator",
    "CyclicReduction", "cyclic_reduction", "periodic_tridiagonal", "solve_periodic_tridiagonal",
    "solve_tridiagonal", "thomas",
]
