"""A1 supervised learning and classifiers: soft classifiers on the simplex, hard classifiers, an
exact classifier of the training set, and the under/overfitting of a polynomial degree sweep."""

from __future__ import annotations

import numpy as np

from aimath.linalg import lstsq
from aimath.nn.classification import hard_classifier, polynomial_degree_sweep, polynomial_features
from aimath.nn.layers import MLP
from aimath.nn.losses import accuracy
from aimath.theorems import Evidence, theorem


@theorem("A1.soft-classifier-simplex",
         "a softmax-output network is a soft classifier: outputs ≥ 0 summing to 1 (1e-12); its hard classifier is "
         "the arg-max of the logits")
def soft_classifier(rng):
    seed = int(rng.integers(2**31))
    logits_net = MLP([5, 16, 16, 7], "tanh", rng=seed)
    soft_net = MLP([5, 16, 16, 7], "tanh", output="softmax", rng=seed)  # same weights, softmax on top
    X = rng.standard_normal((2000, 5)) * 10.0 ** rng.uniform(-1, 2, (2000, 1))
    P = soft_net(X).data
    Z = logits_net(X).data
    return Evidence.all(
        sums=Evidence.close(P.sum(axis=1), 1.0, rtol=0, atol=1e-12),
        nonnegative=Evidence.bound(float(P.min()), 0.0, kind=">="),
        hard=Evidence.close(float(np.mean(hard_classifier(P) == np.argmax(Z, axis=1))), 1.0, rtol=0),
    )


@theorem("A1.degree-sweep",
         "polynomial least squares: training error non-increasing in the degree, zero at degree n−1 (an exact fit "
         "of the training set); test error has an interior minimum")
def degree_sweep(rng):
    n = 14
    freq = rng.uniform(2.0, 4.0)

    def f(x):
        return np.sin(freq * x)

    x = np.sort(rng.uniform(-1, 1, n))
    y = f(x) + 0.2 * rng.standard_normal(n)
    xt = rng.uniform(-1, 1, 5000)
    yt = f(xt) + 0.2 * rng.standard_normal(5000)
    degrees = np.arange(0, n)
    train, test = polynomial_degree_sweep(x, y, xt, yt, degrees)
    best = int(np.argmin(test))
    # an exact classifier of the training set: the sign of the interpolating polynomial
    labels = np.where(y > 0, 1, -1)
    P = polynomial_features(x, n - 1)
    fitted_scores = P @ lstsq(P, y)[0]
    return Evidence.all(
        train_monotone=Evidence.bound(float(np.max(np.diff(train))), 1e-12, note="max increase of training MSE"),
        interpolates=Evidence.bound(float(train[-1]), 1e-16 + 1e-12 * float(np.mean(y**2)),
                                    note="training MSE at degree n − 1"),
        interior_minimum=Evidence.all(
            above_low=Evidence.bound(best, 0, kind=">", note=f"best test degree {best}"),
            below_high=Evidence.bound(best, n - 1, kind="<")),
        overfit=Evidence.bound(float(test[-1]), float(test[best]) * 2, kind=">", note="test MSE at degree n−1"),
        exact_classifier=Evidence.close(accuracy(fitted_scores, labels), 1.0, rtol=0,
                                        note="sign of the degree-(n−1) fit classifies every training point"),
    )
