"""Stochastic calculus: Brownian motion, Itô and Stratonovich integrals, SDEs with closed forms,
fixed-step SDE solvers and their empirical convergence orders.

Curriculum: B19
"""

from aimath.sde.brownian import (
    BrownianPath,
    brownian_bridge,
    brownian_increments,
    brownian_motion,
    coarsen,
    quadratic_variation,
)
from aimath.sde.convergence import ErrorStudy, estimate_order, strong_error, weak_error
from aimath.sde.integrals import ito_integral, stratonovich_integral
from aimath.sde.processes import BrownianWithDrift, Gaussian, GeometricBrownianMotion, OrnsteinUhlenbeck
from aimath.sde.sde import SDE
from aimath.sde.solvers import SOLVERS, Solver, sdeint

__all__ = [
    "BrownianPath", "brownian_motion", "brownian_increments", "brownian_bridge", "coarsen", "quadratic_variation",
    "ito_integral", "stratonovich_integral",
    "SDE", "Gaussian", "OrnsteinUhlenbeck", "GeometricBrownianMotion", "BrownianWithDrift",
    "Solver", "SOLVERS", "sdeint",
    "ErrorStudy", "strong_error", "weak_error", "estimate_order",
]
