"""Discrete information measures against SciPy, properties by Hypothesis, and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sc
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs
from scipy.spatial.distance import jensenshannon

from aimath.errors import DomainError, ShapeError
from aimath.prob import (
    conditional_entropy,
    cross_entropy,
    entropy,
    joint_entropy,
    js_divergence,
    kl,
    mutual_information,
)


def test_against_scipy(xp, rng):
    p = rng.dirichlet(np.ones(5), size=3)
    q = rng.dirichlet(np.ones(5), size=3)
    p[0, 1] = 0.0
    p[0] /= p[0].sum()
    P, Q = xp.asarray(p), xp.asarray(q)
    np.testing.assert_allclose(xp.to_numpy(entropy(P)), st.entropy(p, axis=-1), rtol=1e-13)
    np.testing.assert_allclose(xp.to_numpy(entropy(P, base=2)), st.entropy(p, axis=-1, base=2), rtol=1e-13)
    np.testing.assert_allclose(xp.to_numpy(kl(P, Q)), sc.rel_entr(p, q).sum(-1), rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(cross_entropy(P, Q)), -(p * np.log(q)).sum(-1), rtol=1e-13)
    np.testing.assert_allclose(xp.to_numpy(js_divergence(P, Q)), jensenshannon(p, q, axis=-1) ** 2, rtol=1e-10)


def test_joint_measures(xp, rng):
    pxy = rng.dirichlet(np.ones(12)).reshape(3, 4)
    P = xp.asarray(pxy)
    px, py = pxy.sum(1), pxy.sum(0)
    hxy = -(pxy * np.log(pxy)).sum()
    np.testing.assert_allclose(xp.to_numpy(joint_entropy(P)), hxy, rtol=1e-13)
    np.testing.assert_allclose(xp.to_numpy(conditional_entropy(P)), hxy - st.entropy(px), rtol=1e-12)
    mi = (pxy * np.log(pxy / np.outer(px, py))).sum()
    np.testing.assert_allclose(xp.to_numpy(mutual_information(P)), mi, rtol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(mutual_information(P, base=2)), mi / np.log(2), rtol=1e-12)


def test_zero_log_zero_and_infinities():
    assert entropy([1.0, 0.0]) == 0.0
    assert kl([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2))
    assert kl([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == np.inf
    assert float(mutual_information(np.array([[0.5, 0.0], [0.0, 0.5]]))) == pytest.approx(np.log(2))
    assert float(conditional_entropy(np.array([[0.5, 0.0], [0.0, 0.5]]))) == 0.0


def test_batched_tables(rng):
    p = rng.dirichlet(np.ones(6), size=(4, 5)).reshape(4, 5, 2, 3)
    assert mutual_information(p).shape == (4, 5)
    np.testing.assert_allclose(joint_entropy(p)[1, 2], st.entropy(p[1, 2].ravel()), rtol=1e-13)


@settings(max_examples=40, deadline=None)
@given(hs.lists(hs.floats(0, 1), min_size=2, max_size=8), hs.lists(hs.floats(0.01, 1), min_size=2, max_size=8))
def test_properties(a, b):
    n = min(len(a), len(b))
    p = np.array(a[:n]) + 1e-3
    q = np.array(b[:n])
    p, q = p / p.sum(), q / q.sum()
    assert kl(p, q) >= -1e-12
    assert abs(cross_entropy(p, q) - entropy(p) - kl(p, q)) <= 1e-12 * max(1.0, cross_entropy(p, q))
    assert 0 <= entropy(p) <= np.log(n) + 1e-12
    assert -1e-15 <= js_divergence(p, q) <= np.log(2) + 1e-12
    assert abs(js_divergence(p, q) - js_divergence(q, p)) < 1e-14


@pytest.mark.parametrize("bad, err, match", [
    (lambda: entropy([0.5, 0.6]), DomainError, "sum to 1"),
    (lambda: entropy([1.5, -0.5]), DomainError, "non-negative"),
    (lambda: entropy([0.5, np.nan]), DomainError, "finite"),
    (lambda: entropy(np.zeros((2, 0))), ShapeError, "outcome"),
    (lambda: kl([0.5, 0.5], [0.2, 0.3, 0.5]), ShapeError, "same number"),
    (lambda: kl([0.5, 0.5], [0.2, 0.3]), DomainError, "q must sum"),
    (lambda: mutual_information(np.ones((2, 2))), DomainError, "pxy must sum"),
    (lambda: mutual_information(np.ones(4) / 4), ShapeError, "pxy"),
    (lambda: entropy([0.5, 0.5], base=1), DomainError, "base"),
])
def test_bad_input(bad, err, match):
    with pytest.raises(err, match=match):
        bad()
