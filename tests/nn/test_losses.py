import numpy as np
import pytest
import torch
import torch.nn.functional as F

from aimath.errors import DomainError, ShapeError
from aimath.nn import accuracy, cross_entropy, hinge_loss, logistic_loss, loss_grad, mse_loss, nll_loss
from aimath.nn.activations import log_softmax


@pytest.fixture
def batch():
    rng = np.random.default_rng(0)
    return rng.standard_normal((9, 5)) * 3, rng.integers(0, 5, 9), rng.standard_normal((9, 5))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_losses_match_torch(batch, reduction, xp):
    z, y, t = batch
    zt, yt, tt = torch.tensor(z), torch.tensor(y), torch.tensor(t)
    np.testing.assert_allclose(xp.to_numpy(cross_entropy(xp.asarray(z), xp.asarray(y), reduction=reduction)),
                               F.cross_entropy(zt, yt, reduction=reduction).numpy(), rtol=1e-13)
    np.testing.assert_allclose(nll_loss(log_softmax(z), y, reduction=reduction),
                               F.nll_loss(F.log_softmax(zt, 1), yt, reduction=reduction).numpy(), rtol=1e-13)
    np.testing.assert_allclose(mse_loss(z, t, reduction=reduction),
                               F.mse_loss(zt, tt, reduction=reduction).numpy(), rtol=1e-13)


def test_binary_losses_closed_forms():
    s = np.array([2.0, -0.5, 0.0, 3.0])
    y = np.array([1, 1, -1, -1])
    np.testing.assert_allclose(hinge_loss(s, y, reduction="none"), [0.0, 1.5, 1.0, 4.0])
    np.testing.assert_allclose(logistic_loss(s, y, reduction="none"), np.log1p(np.exp(-y * s)), rtol=1e-14)
    assert np.isfinite(logistic_loss(np.array([-1e4]), np.array([1])))
    assert accuracy(s, y) == 0.5  # sign(0) counts as −1


def test_loss_grads_match_torch(batch):
    z, y, t = batch
    for name, ref in [("cross_entropy", lambda v: F.cross_entropy(v, torch.tensor(y))),
                      ("mse", lambda v: F.mse_loss(v, torch.tensor(t)))]:
        v = torch.tensor(z, requires_grad=True)
        ref(v).backward()
        np.testing.assert_allclose(loss_grad(name, z, y if name == "cross_entropy" else t), v.grad.numpy(),
                                   rtol=1e-12, atol=1e-15)


def test_accuracy_and_bad_labels(batch):
    z, y, _ = batch
    assert accuracy(z, y) == np.mean(z.argmax(1) == y)
    with pytest.raises(DomainError, match=r"labels in \[0, 5\)"):
        cross_entropy(z, y + 5)
    with pytest.raises(DomainError, match="integer class labels"):
        cross_entropy(z, y.astype(float))
    with pytest.raises(ShapeError, match="one label per sample"):
        cross_entropy(z, y[:3])
    with pytest.raises(ShapeError, match="non-empty"):
        cross_entropy(np.zeros((0, 5)), np.zeros(0, dtype=int))
    zn = z.copy()
    zn[0, 0] = np.nan
    with pytest.raises(DomainError, match="logits must be finite"):
        cross_entropy(zn, y)
    with pytest.raises(DomainError, match=r"\{-1, \+1\}"):
        hinge_loss(np.zeros(3), np.array([0, 1, 1]))
    with pytest.raises(ShapeError, match="same shape"):
        mse_loss(z, z[:, :2])
