"""grad_check: passes on correct gradients, catches a wrong backward rule, reports the worst entry."""

from __future__ import annotations

import numpy as np
import pytest

import aimath.autodiff as ad
from aimath.autodiff import Tensor
from aimath.autodiff.check import central_difference
from aimath.autodiff.tensor import _result
from aimath.errors import ShapeError


def test_grad_check_passes_for_engine_gradients(rng):
    A, x = rng.standard_normal((4, 3)), rng.standard_normal(3)
    res = ad.grad_check(lambda a, z: ad.logsumexp(ad.tanh(a @ z)) + (z**2).sum(), A, x)
    assert res and res.passed
    assert res.max_abs_error < 1e-8
    assert len(res.analytic) == 2 and res.analytic[0].shape == (4, 3)
    assert "passed=True" in repr(res)


def _bad_square(x):
    """x² with a deliberately wrong backward rule (3x instead of 2x) in entry 2."""
    d = x.data

    def vjp(g):
        wrong = 2 * d
        wrong[2] = 3 * d[2]
        return (g * wrong,)

    return _result(d * d, (x,), vjp, "bad_square")


def test_grad_check_catches_a_wrong_rule_and_names_the_entry():
    x = np.array([0.5, -1.0, 2.0, 0.3])
    res = ad.grad_check(lambda z: _bad_square(z).sum(), x)
    assert not res
    assert res.worst == (0, (2,))
    assert res.max_abs_error == pytest.approx(2.0, rel=1e-6)


def test_central_difference_error_is_second_order():
    f = lambda z: float(np.sum(np.sin(z) * np.exp(z)))  # noqa: E731
    x = np.array([0.3, -0.4])
    exact = np.exp(x) * (np.sin(x) + np.cos(x))
    e1 = np.abs(central_difference(f, x, 1e-2) - exact).max()
    e2 = np.abs(central_difference(f, x, 5e-3) - exact).max()
    assert 3.8 < e1 / e2 < 4.2


def test_grad_check_errors():
    with pytest.raises(ShapeError, match="at least one input"):
        ad.grad_check(lambda: Tensor(1.0))
    with pytest.raises(TypeError, match="floating"):
        ad.grad_check(lambda z: z.sum(), np.arange(3))
    with pytest.raises(ShapeError, match="scalar"):
        ad.grad_check(lambda z: z * 2, np.ones(3))
