"""Neural networks as Book A defines them (curriculum A1, A4, A5, A7, A8, A9, A11).

- Definitions on plain arrays: activations ρ and derivatives ρ′, losses from logits and their
  gradients, the :class:`Network` of affine maps, Book A's explicit :func:`backprop`.
- Modules on the :mod:`aimath.autodiff` engine, with PyTorch's names and shapes: :class:`Module`,
  :class:`Linear`, :class:`Conv2d`, :class:`MaxPool2d`, :class:`AvgPool2d`, :class:`Flatten`,
  :class:`Dropout`, :class:`Sequential`, :class:`MLP`, activation modules, initialisers;
  :func:`fit`, :func:`evaluate`, :func:`predict`.
- Theory made executable: the A4 constructions, the A9 confidence bound, the A11
  Marchenko–Pastur law and SVD pruning.

The activation and loss functions exported here accept plain arrays and Tensors alike.

Curriculum: A1, A4, A5, A7, A8, A9, A11.
"""

from aimath.nn import functional
from aimath.nn.activations import ACTIVATIONS, activation, derivative, identity
from aimath.nn.backprop import backprop
from aimath.nn.classification import hard_classifier, polynomial_degree_sweep, polynomial_features
from aimath.nn.confidence import confidence_bound, loss_accuracy_path, low_confidence_fraction, true_class_probability
from aimath.nn.constructions import (
    collapse_linear,
    count_linear_pieces,
    relu_interpolant,
    sawtooth_network,
    universal_approximant,
    xor_network,
)
from aimath.nn.conv import Conv2d, conv2d, conv2d_output_size
from aimath.nn.functional import (
    abs_,
    cross_entropy,
    dropout,
    gelu,
    hinge_loss,
    leaky_relu,
    linear,
    log_softmax,
    logistic_loss,
    mse_loss,
    nll_loss,
    relu,
    sigmoid,
    softmax,
    softplus,
    tanh,
)
from aimath.nn.init import fans, he_normal, he_uniform, xavier_normal, xavier_uniform
from aimath.nn.layers import (
    GELU,
    MLP,
    Abs,
    Activation,
    Dropout,
    Flatten,
    Identity,
    LeakyReLU,
    Linear,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
)
from aimath.nn.losses import LOSSES, accuracy, check_labels, loss_grad, one_hot
from aimath.nn.module import Module, Parameter, Sequential
from aimath.nn.network import Network, as_network, parameter_count
from aimath.nn.pool import AvgPool2d, MaxPool2d, avg_pool2d, max_pool2d
from aimath.nn.pruning import prune_svd
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
from aimath.nn.training import EarlyStopping, History, evaluate, fit, predict

__all__ = [
    "ACTIVATIONS", "GELU", "LOSSES", "MLP", "Abs", "Activation", "AvgPool2d", "Conv2d", "Dropout", "EarlyStopping",
    "Flatten", "History", "Identity", "LeakyReLU", "Linear", "LogSoftmax", "MaxPool2d", "Module", "Network",
    "Parameter", "ReLU", "Sequential", "Sigmoid", "Softmax", "Softplus", "Tanh", "abs_", "accuracy", "activation",
    "as_network", "avg_pool2d", "backprop", "check_labels", "collapse_linear", "confidence_bound", "conv2d",
    "conv2d_output_size", "count_linear_pieces", "cross_entropy", "derivative", "dropout", "estimate_noise_sigma",
    "evaluate", "fans", "fit", "functional", "gelu", "hard_classifier", "he_normal", "he_uniform", "hinge_loss",
    "identity", "ks_distance_mp", "leaky_relu", "linear", "log_softmax", "logistic_loss", "loss_accuracy_path",
    "loss_grad", "low_confidence_fraction", "marchenko_pastur_cdf", "marchenko_pastur_pdf", "marchenko_pastur_ppf",
    "marchenko_pastur_support", "max_pool2d", "mp_singular_edge", "mse_loss", "nll_loss", "one_hot",
    "parameter_count", "polynomial_degree_sweep", "polynomial_features", "predict", "prune_svd", "relu",
    "relu_interpolant", "sawtooth_network", "sigmoid", "softmax", "softplus", "svd_prune_matrix", "tanh",
    "true_class_probability", "universal_approximant", "xavier_normal", "xavier_uniform", "xor_network",
]
