"""Mini-batch sampling, learning-rate schedules and the test problems' derivatives."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from aimath.errors import DomainError
from aimath.optim import (
    SGD,
    batch_indices,
    cosine_annealing_lr,
    exponential_lr,
    linear_lr,
    minibatch_gradient,
    minibatches,
    schedule,
    step_lr,
)
from aimath.optim.test_functions import (
    logcosh_loss,
    logistic_ridge,
    random_least_squares,
    random_orthogonal,
    rosenbrock,
    rosenbrock_grad,
    rosenbrock_hess,
)


@given(n=st.integers(1, 40), b=st.integers(1, 12), drop=st.booleans(), seed=st.integers(0, 2**31))
@settings(max_examples=40, deadline=None)
def test_minibatches_partition_an_epoch(n, b, drop, seed):
    batches = minibatches(n, b, rng=seed, drop_last=drop)
    flat = np.concatenate(batches) if batches else np.array([], dtype=np.int64)
    assert all(len(x) == b for x in batches[:-1])
    if drop:
        assert len(flat) == n - n % b and all(len(x) == b for x in batches)
    else:
        np.testing.assert_array_equal(np.sort(flat), np.arange(n))
    assert len(set(flat.tolist())) == len(flat)


def test_batch_indices_uniform_and_distinct(rng):
    idx = batch_indices(rng, 10, 4, 20000)
    assert idx.shape == (20000, 4) and idx.dtype == np.int64
    assert all(len(set(row)) == 4 for row in idx[:500].tolist())
    counts = np.bincount(idx.ravel(), minlength=10)  # each index appears with probability 4/10 per batch
    expected, sd = 8000, math.sqrt(20000 * 0.4 * 0.6)
    assert np.all(np.abs(counts - expected) < 5 * sd)
    first = np.bincount(idx[:, 0], minlength=10)  # and every slot is uniform
    assert np.all(np.abs(first - 2000) < 5 * math.sqrt(20000 * 0.1 * 0.9))
    rep = batch_indices(rng, 3, 5, 10, replace=True)
    assert rep.shape == (10, 5) and rep.max() < 3


def test_minibatch_gradient_mean_and_unbiased(rng, xp):
    G = rng.standard_normal((30, 3))
    idx = batch_indices(rng, 30, 5, 7)
    out = minibatch_gradient(xp.asarray(G), idx)
    np.testing.assert_allclose(xp.to_numpy(out), G[idx].mean(axis=1), atol=1e-15)
    many = minibatch_gradient(G, batch_indices(rng, 30, 5, 40000))
    se = many.std(0) / math.sqrt(40000)
    assert np.all(np.abs(many.mean(0) - G.mean(0)) < 5 * se)


def test_minibatch_errors():
    with pytest.raises(DomainError, match="batch_size"):
        minibatches(5, 0)
    with pytest.raises(DomainError, match="batch_size"):
        batch_indices(0, 3, 5, 2)
    with pytest.raises(DomainError, match="batches"):
        minibatch_gradient(np.ones((3, 2)), np.array([[0, 3]]))


def test_schedule_closed_forms():
    assert step_lr(25, 0.1, 10, 0.5) == pytest.approx(0.025)
    assert exponential_lr(3, 1.0, 0.5) == 0.125
    assert cosine_annealing_lr(0, 1.0, 10) == 1.0 and cosine_annealing_lr(10, 1.0, 10, 0.1) == pytest.approx(0.1)
    assert cosine_annealing_lr(5, 1.0, 10) == pytest.approx(0.5)
    assert linear_lr(0, 1.0, 0.25, 1.0, 4) == 0.25 and linear_lr(9, 1.0, 0.25, 1.0, 4) == 1.0
    lr = schedule("cosine", 0.1, T_max=100)
    assert lr(0) == 0.1 and lr(100) == pytest.approx(0.0, abs=1e-17)
    with pytest.raises(ValueError, match="kind"):
        schedule("cyclic", 0.1)
    with pytest.raises(TypeError):
        schedule("step", 0.1, bogus=3)


def test_scheduler_bad_input():
    from aimath.optim import CosineAnnealingLR, StepLR

    class P:
        data, grad = np.zeros(1), None

    opt = SGD([P()], lr=0.1)
    with pytest.raises(DomainError, match="step_size"):
        StepLR(opt, step_size=0)
    with pytest.raises(DomainError, match="T_max"):
        CosineAnnealingLR(opt, T_max=0)
    assert "StepLR(last_epoch=0" in repr(StepLR(opt, step_size=2))


def test_rosenbrock_derivatives_vs_torch(rng):
    x = rng.uniform(-2, 2, (6, 2))
    t = torch.tensor(x, requires_grad=True)
    v = 100 * (t[:, 1] - t[:, 0] ** 2) ** 2 + (1 - t[:, 0]) ** 2
    v.sum().backward()
    np.testing.assert_allclose(rosenbrock(x), v.detach().numpy(), rtol=1e-14)
    np.testing.assert_allclose(rosenbrock_grad(x), t.grad.numpy(), rtol=1e-13)
    H = torch.autograd.functional.hessian(lambda z: 100 * (z[1] - z[0] ** 2) ** 2 + (1 - z[0]) ** 2,
                                          torch.tensor(x[0]))
    np.testing.assert_allclose(rosenbrock_hess(x[0]), H.numpy(), rtol=1e-13)


def test_problem_derivatives_by_central_differences(rng):
    A, b = rng.standard_normal((6, 9)), rng.standard_normal(6)
    X, y = rng.standard_normal((20, 4)), np.sign(rng.standard_normal(20))
    f1, g1 = logcosh_loss(A, b)
    f2, g2, h2 = logistic_ridge(X, y, 0.3)
    for f, g, n in ((f1, g1, 9), (f2, g2, 4)):
        x, h = rng.standard_normal(n), 1e-6
        fd = np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(n)])
        np.testing.assert_allclose(g(x), fd, atol=1e-7)
    x = rng.standard_normal(4)
    fdH = np.array([(g2(x + 1e-6 * e) - g2(x - 1e-6 * e)) / 2e-6 for e in np.eye(4)])
    np.testing.assert_allclose(h2(x), fdH, atol=1e-7)


def test_least_squares_construction(rng):
    p = random_least_squares(rng, 40, 6, 0.5, 3.0, lam=0.1, noise=0.2)
    ev = np.linalg.eigvalsh(p.X.T @ p.X / 40 + 0.1 * np.eye(6))
    assert ev[0] == pytest.approx(p.mu, rel=1e-12) and ev[-1] == pytest.approx(p.L, rel=1e-12)
    np.testing.assert_allclose(p.grad(p.w_star), 0, atol=1e-13)
    np.testing.assert_allclose(p.per_example_grads(p.w_star).mean(0), p.grad(p.w_star), atol=1e-13)
    Q = random_orthogonal(rng, 5)
    np.testing.assert_allclose(Q.T @ Q, np.eye(5), atol=1e-13)
