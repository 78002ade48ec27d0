import math

import numpy as np
import pytest

from aimath.errors import DomainError
from aimath.nn import confidence_bound, cross_entropy, loss_accuracy_path, low_confidence_fraction


def test_bound_is_tight_for_equal_confidences():
    # every sample has p_true = δ exactly: fraction 1, bound = (−log δ)/(−log δ) = 1
    delta = 0.3
    z = np.log(np.array([[delta, 1 - delta]] * 5))
    y = np.zeros(5, dtype=np.int64)
    assert low_confidence_fraction(z, y, delta + 1e-12) == 1.0
    assert math.isclose(confidence_bound(z, y, delta), 1.0, rel_tol=1e-12)
    with pytest.raises(DomainError, match="delta"):
        confidence_bound(z, y, 1.0)


@pytest.mark.parametrize("n", [2, 3, 10])
def test_path_trends(n):
    ts, Z, y = loss_accuracy_path(101, n_samples=n, margin=0.1)
    losses = [float(cross_entropy(z, y)) for z in Z]
    assert np.all(np.diff(losses) < 0)
    acc = [(z.argmax(1) == y).mean() for z in Z]
    assert acc[0] == 1.0 and acc[-1] == (n - 1) / n
    with pytest.raises(DomainError, match="n_samples"):
        loss_accuracy_path(n_samples=1)
