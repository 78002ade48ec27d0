"""Continuous limits of algorithms (curriculum B20): ODE solvers, gradient flow and gradient descent,
modified equations, heavy-ball and Nesterov ODEs, SGD as an SDE, ResNets as Euler steps.

Curriculum: B20.
"""

from aimath.limits.flows import (
    flow_vs_gd,
    gd_trajectory,
    gradient_flow,
    heavy_ball_ode,
    heavy_ball_trajectory,
    modified_flow,
    nesterov_ode,
    nesterov_trajectory,
    resnet_euler,
)
from aimath.limits.odeint import ODE_METHODS, dormand_prince_step, euler_step, heun_step, odeint, rk4_step
from aimath.limits.sgd import sgd_iterates, sgd_sde, sgd_stationary_variance

__all__ = [
    "ODE_METHODS", "dormand_prince_step", "euler_step", "flow_vs_gd", "gd_trajectory", "gradient_flow",
    "heavy_ball_ode", "heavy_ball_trajectory", "heun_step", "modified_flow", "nesterov_ode", "nesterov_trajectory",
    "odeint", "resnet_euler", "rk4_step", "sgd_iterates", "sgd_sde", "sgd_stationary_variance",
]
