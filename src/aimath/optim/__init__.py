"""Optimization: gradient descent and its accelerations, adaptive methods, Newton, line search,
constraints, learning-rate schedules (curriculum B12 and A6).

Two faces over one implementation of each update rule: the functional
:func:`minimize` (scipy/optax style, on one array) and the stateful PyTorch-like optimizers
(:class:`SGD`, :class:`Adagrad`, :class:`RMSprop`, :class:`Adam`, :class:`AdamW`) that train
models parameter by parameter.

Curriculum: B12, A6.
"""

from aimath.optim.adagrad import Adagrad, AdagradState, adagrad_init, adagrad_textbook, adagrad_update
from aimath.optim.adam import Adam, AdamState, AdamW, adam_init, adam_textbook, adam_update
from aimath.optim.constrained import KKTResult, kkt_solve, project_box, projected_gradient
from aimath.optim.line_search import ArmijoResult, armijo
from aimath.optim.minibatch import batch_indices, minibatch_gradient, minibatches
from aimath.optim.minimize import METHODS, OptimizeResult, fista_momentum, minimize
from aimath.optim.newton import newton, newton_direction, newton_update
from aimath.optim.optimizer import Optimizer
from aimath.optim.rmsprop import RMSprop, RMSpropState, rmsprop_init, rmsprop_textbook, rmsprop_update
from aimath.optim.schedules import (
    CosineAnnealingLR,
    ExponentialLR,
    LinearLR,
    LRScheduler,
    StepLR,
    cosine_annealing_lr,
    exponential_lr,
    linear_lr,
    schedule,
    step_lr,
)
from aimath.optim.sgd import SGD, SGDState, sgd_init, sgd_textbook, sgd_update
from aimath.optim.test_functions import rosenbrock, rosenbrock_grad, rosenbrock_hess

__all__ = [
    "Adagrad", "AdagradState", "adagrad_init", "adagrad_textbook", "adagrad_update",
    "Adam", "AdamState", "AdamW", "adam_init", "adam_textbook", "adam_update",
    "KKTResult", "kkt_solve", "project_box", "projected_gradient",
    "ArmijoResult", "armijo",
    "batch_indices", "minibatch_gradient", "minibatches",
    "METHODS", "OptimizeResult", "fista_momentum", "minimize",
    "newton", "newton_direction", "newton_update",
    "Optimizer",
    "RMSprop", "RMSpropState", "rmsprop_init", "rmsprop_textbook", "rmsprop_update",
    "CosineAnnealingLR", "ExponentialLR", "LinearLR", "LRScheduler", "StepLR",
    "cosine_annealing_lr", "exponential_lr", "linear_lr", "schedule", "step_lr",
    "SGD", "SGDState", "sgd_init", "sgd_textbook", "sgd_update",
    "rosenbrock", "rosenbrock_grad", "rosenbrock_hess",
]
