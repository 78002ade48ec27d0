"""The empirical NTK: the vectorised layer recursion equals per-sample autodiff and finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from aimath.errors import ShapeError
from aimath.learn import is_psd_kernel, ntk, ntk_autodiff
from aimath.nn import MLP


@pytest.mark.parametrize("act", ["tanh", "relu", "sigmoid"])
def test_recursion_equals_autodiff(rng, act):
    net = MLP([3, 12, 7, 1], activation=act, rng=1)
    X, Y = rng.standard_normal((6, 3)), rng.standard_normal((4, 3))
    np.testing.assert_allclose(ntk(net, X), ntk_autodiff(net, X), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ntk(net, X, Y), ntk_autodiff(net, X, Y), rtol=1e-12, atol=1e-12)
    assert is_psd_kernel(lambda A, B: ntk(net, A, B), X)


def test_against_finite_differences(rng):
    net = MLP([2, 5, 1], activation="tanh", rng=2)
    X = rng.standard_normal((3, 2))
    names = [n for n, _ in net.named_parameters()]
    base = {k: np.array(v, copy=True) for k, v in net.state_dict().items()}
    eps = 1e-6
    rows = []
    for name in names:
        for idx in np.ndindex(base[name].shape):
            vals = []
            for s in (1, -1):
                st = {k: v.copy() for k, v in base.items()}
                st[name][idx] += s * eps
                net.load_state_dict(st)
                vals.append(np.asarray(net(X).data)[:, 0])
            rows.append((vals[0] - vals[1]) / (2 * eps))
    net.load_state_dict(base)
    J = np.asarray(rows).T  # (n, n_params)
    np.testing.assert_allclose(ntk(net, X), J @ J.T, rtol=1e-7, atol=1e-8)


def test_vector_output_is_rejected(rng):
    with pytest.raises(ShapeError, match="scalar-output"):
        ntk(MLP([2, 4, 3], rng=0), rng.standard_normal((2, 2)))
