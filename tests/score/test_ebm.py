import numpy as np
import pytest

from aimath import autodiff as ad
from aimath.errors import DomainError
from aimath.nn.module import Module, Parameter
from aimath.score import EnergyModel, contrastive_divergence

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Quartic(Module):
    """E(x) = Σ a x⁴/4 + c·x: a non-Gaussian energy with a known gradient."""

    def __init__(self):
        super().__init__()
        self.a = Parameter(np.array([1.5]))
        self.c = Parameter(np.array([0.3, -0.2]))

    def forward(self, x):
        return (self.a * x**4 * 0.25 + self.c * x).sum(axis=-1)


def test_score_is_minus_energy_gradient_and_leaves_param_grads():
    m = EnergyModel(Quartic())
    x = np.random.default_rng(0).standard_normal((5, 2))
    np.testing.assert_allclose(m.score(x), -(1.5 * x**3 + np.array([0.3, -0.2])), rtol=1e-12)
    np.testing.assert_allclose(m.energy(x), (1.5 * x**4 / 4 + x * [0.3, -0.2]).sum(1), rtol=1e-12)
    assert all(p.grad is None for p in m.parameters())
    assert len(list(m.parameters())) == 2


class Gauss1D(Module):
    def __init__(self):
        super().__init__()
        self.m = Parameter(np.zeros(1))
        self.rho = Parameter(np.zeros(1))

    def forward(self, x):
        return (0.5 * ad.exp(self.rho) * (x - self.m) ** 2).sum(axis=-1)


@pytest.mark.parametrize("persistent", [False, True])
def test_cd_moves_gaussian_ebm_towards_data(persistent, rng):
    data = 2.0 + 0.5 * rng.standard_normal((1000, 1))
    m = EnergyModel(Gauss1D())
    hist = contrastive_divergence(m, data, n_iter=120, k=10, step_size=0.02, lr=0.3, batch_size=400,
                                  persistent=persistent, rng=rng)
    assert len(hist) == 120
    assert abs(float(m.net.m.data[0]) - 2.0) < 0.15
    assert abs(float(np.exp(-m.net.rho.data[0])) - 0.25) < 0.08  # model variance e^{−ρ} → 0.25


def test_cd_bad_input():
    m = EnergyModel(Gauss1D())
    data = np.zeros((10, 1))
    with pytest.raises(DomainError, match="k must be"):
        contrastive_divergence(m, data, k=0)
    with pytest.raises(DomainError, match="batch_size"):
        contrastive_divergence(m, data, batch_size=20)
    with pytest.raises(DomainError, match="step_size"):
        contrastive_divergence(m, data, step_size=-1.0)
