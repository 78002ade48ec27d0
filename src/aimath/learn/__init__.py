"""Regression, support vector machines and kernel methods as scikit-learn estimators.

Least squares (normal equations, QR, SVD), ridge, logistic regression (GD, Newton/IRLS,
L-BFGS), the perceptron with Novikoff's bound, linear and kernel SVMs (dual coordinate descent,
Pegasos, SMO), kernels and their Gram matrices, kernel ridge regression, PCA and kernel PCA,
the empirical neural tangent kernel.

Curriculum: A2, A3, A10.
"""

from aimath.learn.duality import kkt_residuals, primal_dual_gap, svm_dual_objective, svm_primal_objective
from aimath.learn.kernel_pca import KernelPCA
from aimath.learn.kernel_ridge import KernelRidge
from aimath.learn.kernels import (
    KERNELS,
    is_psd_kernel,
    laplacian_kernel,
    linear_kernel,
    pairwise_kernel,
    polynomial_feature_map,
    polynomial_kernel,
    rbf_kernel,
    sigmoid_kernel,
)
from aimath.learn.linear_model import LinearRegression, Ridge, least_squares, ridge_solve
from aimath.learn.linear_svc import LinearSVC, linear_svc_dual_cd, pegasos
from aimath.learn.logistic import LogisticRegression, lbfgs_minimize
from aimath.learn.ntk import ntk, ntk_autodiff
from aimath.learn.ntk_mlp import NTKMLP, lazy_training
from aimath.learn.pca import PCA
from aimath.learn.perceptron import Perceptron, novikoff_bound
from aimath.learn.smo import smo, smo_batch
from aimath.learn.svc import SVC

__all__ = [
    "KERNELS", "linear_kernel", "polynomial_kernel", "rbf_kernel", "laplacian_kernel", "sigmoid_kernel",
    "pairwise_kernel", "polynomial_feature_map", "is_psd_kernel",
    "LinearRegression", "Ridge", "least_squares", "ridge_solve",
    "LogisticRegression", "lbfgs_minimize",
    "Perceptron", "novikoff_bound",
    "LinearSVC", "linear_svc_dual_cd", "pegasos",
    "SVC", "smo", "smo_batch",
    "svm_dual_objective", "svm_primal_objective", "kkt_residuals", "primal_dual_gap",
    "KernelRidge", "KernelPCA", "PCA",
    "ntk", "ntk_autodiff", "NTKMLP", "lazy_training",
]
