"""Supervised learning and classifiers (A1): hard classifiers from soft ones, and the polynomial
degree sweep that shows under- and overfitting on a train/test split.

Curriculum: A1.
"""

from __future__ import annotations

import numpy as np

from aimath import backend as B
from aimath.errors import ShapeError, check_array

__all__ = ["hard_classifier", "polynomial_features", "polynomial_degree_sweep"]


def hard_classifier(probs):
    """The hard classifier of a soft one: the most probable class of each row.

    .. math:: \\hat y(x) = \\arg\\max_{c} p_c(x), \\qquad p(x) \\in \\Delta^{C-1}

    Parameters
    ----------
    probs : array of shape (n, C)
        Rows on the probability simplex (or logits: the arg-max is the same).

    Returns
    -------
    int array of shape (n,)

    Curriculum: A1.

    Examples
    --------
    >>> import numpy as np
    >>> hard_classifier(np.array([[0.2, 0.8], [0.6, 0.4]]))
    array([1, 0])
    """
    check_array(probs, "probs", ndim=2, nonempty=True)
    return B.namespace(probs).argmax(probs, axis=1)


def polynomial_features(x, degree: int):
    """Legendre features P_0(x), …, P_degree(x) of points x ∈ [−1, 1] (a well-conditioned basis of the
    polynomials of that degree).

    Returns
    -------
    array of shape (n, degree + 1)
    """
    check_array(x, "x", ndim=1, nonempty=True)
    if int(degree) != degree or degree < 0:
        raise ShapeError(f"degree must be a non-negative integer, got {degree!r}")
    x = np.asarray(B.to_numpy(x), dtype=np.float64)
    cols = [np.ones_like(x), x]
    for k in range(1, int(degree)):  # Bonnet's recursion (k+1)P_{k+1} = (2k+1)xP_k − kP_{k−1}
        cols.append(((2 * k + 1) * x * cols[k] - k * cols[k - 1]) / (k + 1))
    return np.stack(cols[: int(degree) + 1], axis=1)


def polynomial_degree_sweep(x_train, y_train, x_test, y_test, degrees):
    """Least-squares polynomial fits of increasing degree: training and test mean squared errors.

    .. math:: \\hat w_d = \\arg\\min_w \\|\\Phi_d(x_{train}) w - y_{train}\\|^2, \\qquad
              \\text{MSE}_{train/test}(d) = \\tfrac1n \\|\\Phi_d(x) \\hat w_d - y\\|^2

    Nested models make the training error non-increasing in d; the test error is U-shaped
    (underfitting at low degree, overfitting at high degree).

    Parameters
    ----------
    x_train, y_train, x_test, y_test : arrays of shape (n,)
        Inputs in [−1, 1].
    degrees : sequence of int

    Returns
    -------
    train_mse, test_mse : arrays of shape (len(degrees),)

    Curriculum: A1.
    """
    from aimath.linalg import lstsq

    for name, a in (("x_train", x_train), ("y_train", y_train), ("x_test", x_test), ("y_test", y_test)):
        check_array(a, name, ndim=1, nonempty=True)
    train, test = [], []
    for d in degrees:
        P = polynomial_features(x_train, d)
        w = lstsq(P, np.asarray(y_train, dtype=np.float64))[0]
        train.append(np.mean((P @ w - y_train) ** 2))
        test.append(np.mean((polynomial_features(x_test, d) @ w - y_test) ** 2))
    return np.array(train), np.array(test)
