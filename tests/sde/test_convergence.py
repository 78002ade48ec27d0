import numpy as np
import pytest

from aimath.errors import DomainError, ShapeError
from aimath.sde import GeometricBrownianMotion as GBM
from aimath.sde import OrnsteinUhlenbeck, estimate_order, strong_error, weak_error


def test_estimate_order_exact_and_noisy():
    h = np.array([0.1, 0.05, 0.025, 0.0125])
    s, se = estimate_order(h, 3 * h**1.5)
    assert abs(s - 1.5) < 1e-12 and se < 1e-12
    s, se = estimate_order(h, 3 * h**1.5 * np.array([1.1, 0.9, 1.05, 1.0]))
    ref = np.polyfit(np.log(h), np.log(3 * h**1.5 * np.array([1.1, 0.9, 1.05, 1.0])), 1)[0]
    assert abs(s - ref) < 1e-12 and se > 0
    with pytest.raises(ShapeError):
        estimate_order([1, 2], [1, 2])
    with pytest.raises(DomainError):
        estimate_order([1, 2, 3], [1, 0, 2])


def test_strong_error_decreases_and_reference_without_closed_form():
    st = strong_error(GBM(0.5, 1.0), [1.0], 1.0, [4, 8, 16, 32], n_paths=2000, rng=0)
    assert np.all(np.diff(st.errors) < 0) and st.step_sizes[0] == 0.25
    assert "ErrorStudy" in repr(st)
    ou = OrnsteinUhlenbeck(1.0, 0.0, 1.0)
    st = strong_error(ou, [1.0], 1.0, [4, 8, 16], n_paths=500, rng=0)  # fine-grid numerical reference
    assert np.all(st.errors > 0)
    with pytest.raises(DomainError, match="divide"):
        strong_error(ou, [1.0], 1.0, [3, 8], rng=0)


def test_weak_error_with_expected_value():
    ou = OrnsteinUhlenbeck(1.0, 0.0, 1.0)
    with pytest.raises(DomainError, match="expected"):
        weak_error(ou, [1.0], 1.0, [4, 8, 16], n_paths=100, rng=0)
    # E X_1 = e^{-1}; Euler gives (1 - h)^{1/h}: error ≈ e^{-1} h / 2
    st = weak_error(ou, [1.0], 1.0, [2, 4, 8], n_paths=50_000, rng=0, expected=np.exp(-1.0))
    exact = np.abs((1 - st.step_sizes) ** (1 / st.step_sizes) - np.exp(-1.0))
    assert np.all(np.abs(st.errors - exact) < 5 * st.se)
