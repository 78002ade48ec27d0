"""B2: inner products, norms, cosine similarity and angles against NumPy's LAPACK-backed norms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from aimath.errors import DomainError, ShapeError
from aimath.linalg import angle, cosine_similarity, inner, matrix_norm, norm

VEC_ORDS = [1, 2, 3, 0.5, np.inf, -np.inf, 0]
MAT_ORDS = ["fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("ord", VEC_ORDS)
def test_vector_norm_matches_numpy(ord, rng, xp):
    x = rng.standard_normal((4, 3, 7))
    x[0, 0, :3] = 0.0
    got = xp.to_numpy(norm(xp.asarray(x), ord))
    np.testing.assert_allclose(got, np.linalg.norm(x, ord, axis=-1), rtol=1e-13)
    got0 = xp.to_numpy(norm(xp.asarray(x), ord, axis=0, keepdims=True))
    np.testing.assert_allclose(got0, np.linalg.norm(x, ord, axis=0, keepdims=True), rtol=1e-13)


@pytest.mark.parametrize("ord", MAT_ORDS)
def test_matrix_norm_matches_numpy(ord, rng, xp):
    A = rng.standard_normal((3, 5, 4))
    got = xp.to_numpy(matrix_norm(xp.asarray(A), ord))
    np.testing.assert_allclose(got, np.linalg.norm(A, ord, axis=(-2, -1)), rtol=1e-12)
    assert matrix_norm(A, ord, keepdims=True).shape == (3, 1, 1)


def test_float32_kept(rng):
    x = rng.standard_normal(10).astype(np.float32)
    assert norm(x).dtype == np.float32 and matrix_norm(x.reshape(2, 5)).dtype == np.float32
    assert inner(x, x).dtype == np.float32
    np.testing.assert_allclose(norm(x), np.linalg.norm(x.astype(np.float64)), rtol=1e-6)


def test_two_norm_neither_overflows_nor_underflows():
    big = np.full(4, 1e300)
    tiny = np.full(4, 1e-300)
    assert norm(big) == pytest.approx(2e300, rel=1e-15)
    assert norm(tiny) == pytest.approx(2e-300, rel=1e-15)
    assert norm(np.zeros(3)) == 0.0 and norm(np.zeros((2, 0))).shape == (2,)


def test_inner_products(rng, xp):
    x, y = rng.standard_normal((2, 6, 5))
    # summation order differs between libraries: the rounding bound is n·ε·Σ|x_i y_i|
    atol = 5 * np.finfo(float).eps * np.sum(np.abs(x * y), axis=-1)
    np.testing.assert_allclose(xp.to_numpy(inner(xp.asarray(x), xp.asarray(y))), np.sum(x * y, axis=-1),
                               rtol=0, atol=atol.max())
    M = rng.standard_normal((5, 5))
    W = M @ M.T + np.eye(5)
    np.testing.assert_allclose(xp.to_numpy(inner(xp.asarray(x), xp.asarray(y), W=xp.asarray(W))),
                               np.einsum("bi,ij,bj->b", x, W, y), rtol=1e-12)
    z = x + 1j * y
    assert inner(z, z).imag == pytest.approx(0.0) and inner(z, z).real == pytest.approx(norm(z) ** 2)


def test_cosine_and_angle(rng, xp):
    x, y = rng.standard_normal((2, 50, 3))
    c = xp.to_numpy(cosine_similarity(xp.asarray(x), xp.asarray(y)))
    ref = np.sum(x * y, -1) / (np.linalg.norm(x, axis=-1) * np.linalg.norm(y, axis=-1))
    np.testing.assert_allclose(c, ref, rtol=1e-13)
    np.testing.assert_allclose(xp.to_numpy(angle(xp.asarray(x), xp.asarray(y))), np.arccos(ref), rtol=1e-10)
    # Kahan's formula keeps a tiny angle that arccos of the cosine rounds to zero
    e, f = np.array([1.0, 0.0]), np.array([1.0, 1e-9])
    assert angle(e, f) == pytest.approx(1e-9, rel=1e-12) and np.arccos(cosine_similarity(e, f)) < 5e-8
    assert angle(e, -e, degrees=True) == pytest.approx(180.0)
    assert math.isclose(float(angle(e, np.array([0.0, 3.0]))), math.pi / 2)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e6, 1e6)), st.floats(-1e3, 1e3),
       st.sampled_from([1, 2, 3, np.inf]))
def test_norm_is_absolutely_homogeneous(x, a, ord):
    assert norm(a * x, ord) == pytest.approx(abs(a) * norm(x, ord), rel=1e-12, abs=1e-300)


def test_bad_input():
    with pytest.raises(DomainError, match="x must be finite"):
        norm(np.array([1.0, np.nan]))
    with pytest.raises(DomainError, match="ord must be a positive number"):
        norm(np.ones(3), -2)
    with pytest.raises(ShapeError, match="x must have at least 1 dimension"):
        norm(np.float64(3.0))
    with pytest.raises(ShapeError, match=r"A must be a matrix of shape \(\.\.\., m, n\), got shape \(3,\)"):
        matrix_norm(np.ones(3))
    with pytest.raises(ValueError, match="ord must be one of"):
        matrix_norm(np.ones((2, 2)), 3)
    with pytest.raises(ShapeError, match=r"same length along axis -1, got shapes \(3,\) and \(4,\)"):
        inner(np.ones(3), np.ones(4))
    with pytest.raises(DomainError, match="W must be symmetric"):
        inner(np.ones(2), np.ones(2), W=np.array([[1.0, 2.0], [0.0, 1.0]]))
    with pytest.raises(DomainError, match="W must be positive definite"):
        inner(np.ones(2), np.ones(2), W=np.diag([1.0, -1.0]))
    with pytest.raises(ShapeError, match=r"W must have shape \(\.\.\., 3, 3\)"):
        inner(np.ones(3), np.ones(3), W=np.eye(2))
    with pytest.raises(DomainError, match="y must be non-zero to define a direction"):
        cosine_similarity(np.ones(2), np.zeros(2))
    with pytest.raises(ShapeError, match="x must be non-empty"):
        angle(np.ones(0), np.ones(0))
