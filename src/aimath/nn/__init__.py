"""Neural networks as Book A defines them (curriculum A1, A4, A5, A7, A8, A9, A11).

Plain-array pieces: activations and their derivatives, losses from logits, the
:class:`Network` of affine maps, Book A's explicit :func:`backprop`, the A4 constructions, the A9
confidence bound and the A11 Marchenko–Pastur law and SVD pruning.

Curriculum: A1, A4, A5, A7, A8, A9, A11.
"""

from aimath.nn.activations import (
    ACTIVATIONS,
    abs_,
    activation,
    derivative,
    gelu,
    identity,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    softplus,
    tanh,
)
from aimath.nn.backprop import backprop
from aimath.nn.confidence import confidence_bound, loss_accuracy_path, low_confidence_fraction, true_class_probability
from aimath.nn.constructions import (
    collapse_linear,
    count_linear_pieces,
    relu_interpolant,
    sawtooth_network,
    universal_approximant,
    xor_network,
)
from aimath.nn.losses import (
    LOSSES,
    accuracy,
    check_labels,
    cross_entropy,
    hinge_loss,
    logistic_loss,
    loss_grad,
    mse_loss,
    nll_loss,
    one_hot,
)
from aimath.nn.network import Network, as_network, parameter_count
from aimath.nn.random_matrix import (
    estimate_noise_sigma,
    ks_distance_mp,
    marchenko_pastur_cdf,
    marchenko_pastur_pdf,
    marchenko_pastur_ppf,
    marchenko_pastur_support,
    mp_singular_edge,
    svd_prune_matrix,
)

__all__ = [
    "ACTIVATIONS", "LOSSES", "Network", "abs_", "accuracy", "activation", "as_network", "backprop", "check_labels",
    "collapse_linear", "confidence_bound", "count_linear_pieces", "cross_entropy", "derivative",
    "estimate_noise_sigma", "gelu", "hinge_loss", "identity", "ks_distance_mp", "leaky_relu", "log_softmax",
    "logistic_loss", "loss_accuracy_path", "loss_grad", "low_confidence_fraction", "marchenko_pastur_cdf",
    "marchenko_pastur_pdf", "marchenko_pastur_ppf", "marchenko_pastur_support", "mp_singular_edge", "mse_loss",
    "nll_loss", "one_hot", "parameter_count", "relu", "relu_interpolant", "sawtooth_network", "sigmoid", "softmax",
    "softplus", "svd_prune_matrix", "tanh", "true_class_probability", "universal_approximant", "xor_network",
]
