"""aimath.errors: the exception hierarchy and the validators' messages."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from aimath import errors as E


def test_hierarchy():
    assert issubclass(E.ShapeError, E.AimathError) and issubclass(E.ShapeError, ValueError)
    assert issubclass(E.DomainError, E.AimathError) and issubclass(E.DomainError, ValueError)
    assert issubclass(E.ConvergenceError, E.AimathError) and issubclass(E.ConvergenceError, RuntimeError)
    assert issubclass(E.NumericalWarning, UserWarning)
    err = E.ConvergenceError("diverged", iterate=np.ones(2), history=(3.0, 2.0, np.inf))
    assert err.history == [3.0, 2.0, np.inf] and err.iterate.shape == (2,) and "diverged" in str(err)


@pytest.mark.parametrize("lib", [np, torch])
def test_check_matrix(lib):
    A = lib.ones((3, 4)) if lib is np else torch.ones(3, 4)
    with pytest.raises(E.ShapeError, match=r"A must be square, got shape \(3, 4\)"):
        E.check_matrix(A, "A", square=True)
    with pytest.raises(E.ShapeError, match=r"M must be a matrix of shape \(\.\.\., m, n\), got shape \(3,\)"):
        E.check_matrix(np.ones(3), "M")
    with pytest.raises(E.ShapeError, match=r"must be a matrix of shape \(m, n\)"):
        E.check_matrix(np.ones((2, 3, 3)), "M", batched=False)
    S = np.array([[1.0, 2.0], [0.0, 1.0]])
    with pytest.raises(E.DomainError, match="S must be symmetric"):
        E.check_matrix(S if lib is np else torch.tensor(S), "S", symmetric=True)
    bad = np.array([[1.0, np.nan], [np.inf, 1.0]])
    with pytest.raises(E.DomainError, match="B must be finite, got 1 NaN and 1 infinite"):
        E.check_matrix(bad if lib is np else torch.tensor(bad), "B")
    E.check_matrix(np.eye(3)[None].repeat(2, 0), "A", square=True, symmetric=True)


def test_check_array():
    with pytest.raises(E.ShapeError, match=r"x must have 2 dimension\(s\), got shape \(3,\)"):
        E.check_array(np.ones(3), "x", ndim=2)
    with pytest.raises(E.ShapeError, match=r"x must have trailing shape \(\*, 2\), got shape \(4, 3\)"):
        E.check_array(np.ones((4, 3)), "x", shape=(None, 2))
    with pytest.raises(E.ShapeError, match="x must be non-empty"):
        E.check_array(np.ones((0, 3)), "x", nonempty=True)
    with pytest.raises(TypeError, match="x must have a floating dtype"):
        E.check_array(np.arange(3), "x", floating=True)
    E.check_array(np.array([np.nan]), "x", finite=False)


def test_probability_and_stochastic():
    with pytest.raises(E.DomainError, match="p must be non-negative, got minimum entry -0.1"):
        E.check_probability_vector(np.array([1.1, -0.1]), "p")
    with pytest.raises(E.DomainError, match="p must sum to 1 along axis -1"):
        E.check_probability_vector(np.array([0.5, 0.6]), "p")
    E.check_probability_vector(np.array([[0.5, 0.5], [1.0, 0.0]]), "p")
    with pytest.raises(E.DomainError, match="P must sum to 1"):
        E.check_stochastic_matrix(np.array([[0.5, 0.4], [0.0, 1.0]]), "P")
    with pytest.raises(E.ShapeError, match="P must be square"):
        E.check_stochastic_matrix(np.ones((2, 3)) / 3, "P")


def test_scalar_checks():
    with pytest.raises(E.DomainError, match="sigma must be positive, got -1"):
        E.check_positive(-1.0, "sigma")
    with pytest.raises(E.DomainError, match="var must be non-negative"):
        E.check_positive(np.array([1.0, -2.0]), "var", strict=False)
    E.check_positive(0.0, "var", strict=False)
    with pytest.raises(E.DomainError, match=r"gamma must lie in \[0, 1\), got 1"):
        E.check_in_range(1.0, "gamma", 0.0, 1.0, closed="left")
    with pytest.raises(E.ShapeError, match=r"x and y must have the same shape, got \(2,\) and \(3,\)"):
        E.check_same_shape(np.ones(2), np.ones(3), "x", "y")
