"""grad, value_and_grad, vjp, jvp, jacobian (fwd and rev), hessian and hvp against
torch.autograd.functional, and forward mode = reverse mode for every op."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from autodiff_cases import OPS, _inputs

import aimath.autodiff as ad
from aimath.autodiff import Dual, Tensor
from aimath.errors import ShapeError


def _single(name, lib=None):
    """Op ``name`` as a function of its first input (the others held as constants, in ``lib``)."""
    ours, ref, shapes, domain = OPS[name]
    arrays = _inputs(shapes, domain, 4)
    rest = arrays[1:]

    def f(x):
        return ours(x, *[Tensor(lib.asarray(r) if lib is not None else r) for r in rest])

    def fr(x):
        return ref(x, *[torch.tensor(r) for r in rest])

    return f, fr, arrays[0]


@pytest.mark.parametrize("name", sorted(OPS))
def test_forward_mode_equals_reverse_mode(name, xp):
    f, fr, x = _single(name, xp)
    x = xp.asarray(x)
    jf = xp.to_numpy(ad.jacobian(f, mode="fwd")(x))
    jr = xp.to_numpy(ad.jacobian(f, mode="rev")(x))
    jt = torch.autograd.functional.jacobian(fr, torch.tensor(xp.to_numpy(x))).numpy()
    assert jf.shape == jt.shape
    np.testing.assert_allclose(jr, jt, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(jf, jt, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", sorted(OPS))
def test_hessian_of_every_op_matches_torch(name):
    f, fr, x = _single(name)
    w = np.random.default_rng(5).standard_normal(fr(torch.tensor(x)).shape)

    def s(x):
        return (ad.tanh(f(x)) * w).sum()

    def sr(x):
        return (torch.tanh(fr(x)) * torch.tensor(w)).sum()

    H = ad.hessian(s)(x)
    Ht = torch.autograd.functional.hessian(sr, torch.tensor(x)).numpy()
    assert H.shape == x.shape + x.shape
    np.testing.assert_allclose(H, Ht, rtol=1e-9, atol=1e-10)


def _mlp_loss(x, A, B):
    h = ad.tanh(x @ A)
    return ad.logsumexp(h @ B) + (x * x).sum() * 0.1


def _mlp_loss_t(x, A, B):
    h = torch.tanh(x @ A)
    return torch.logsumexp(h @ B, 0) + (x * x).sum() * 0.1


def test_grad_value_and_grad_vjp(xp):
    g = np.random.default_rng(0)
    x, A, B = g.standard_normal(5), g.standard_normal((5, 4)), g.standard_normal((4, 3))
    xs, As, Bs = (xp.asarray(v) for v in (x, A, B))
    v, (gx, gA) = ad.value_and_grad(_mlp_loss, argnums=(0, 1))(xs, As, Bs)
    tt = [torch.tensor(a, requires_grad=True) for a in (x, A, B)]
    yt = _mlp_loss_t(*tt)
    yt.backward()
    np.testing.assert_allclose(xp.to_numpy(v), yt.item(), rtol=1e-13)
    np.testing.assert_allclose(xp.to_numpy(gx), tt[0].grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(xp.to_numpy(gA), tt[1].grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(xp.to_numpy(ad.grad(_mlp_loss, argnums=2)(xs, As, Bs)), tt[2].grad.numpy(), rtol=1e-10)
    y, pb = ad.vjp(lambda a: ad.tanh(a @ As), xs)
    ct = g.standard_normal(4)
    (r1,) = pb(xp.asarray(ct))
    (r2,) = pb(xp.asarray(ct))  # the pullback can be called again
    ref = torch.autograd.functional.vjp(lambda a: torch.tanh(a @ torch.tensor(A)), torch.tensor(x), torch.tensor(ct))
    np.testing.assert_allclose(xp.to_numpy(r1), ref[1].numpy(), rtol=1e-10)
    np.testing.assert_allclose(xp.to_numpy(r2), ref[1].numpy(), rtol=1e-10)


def test_jvp_hessian_hvp_match_torch(xp):
    g = np.random.default_rng(1)
    A, B = g.standard_normal((6, 4)), g.standard_normal((4, 3))
    x, v = g.standard_normal(6), g.standard_normal(6)

    def f(z):
        return _mlp_loss(z, Tensor(xp.asarray(A)), Tensor(xp.asarray(B)))

    def ft(z):
        return _mlp_loss_t(z, torch.tensor(A), torch.tensor(B))

    y, t = ad.jvp(f, (xp.asarray(x),), (xp.asarray(v),))
    _, t_ref = torch.autograd.functional.jvp(ft, torch.tensor(x), torch.tensor(v))
    np.testing.assert_allclose(xp.to_numpy(t), t_ref.numpy(), rtol=1e-10)
    H = ad.hessian(f)(xp.asarray(x))
    H_ref = torch.autograd.functional.hessian(ft, torch.tensor(x)).numpy()
    np.testing.assert_allclose(xp.to_numpy(H), H_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(xp.to_numpy(ad.hvp(f, xp.asarray(x), xp.asarray(v))), H_ref @ v, rtol=1e-10, atol=1e-12)


def test_matrix_argument_hessian_shape():
    X = np.random.default_rng(2).standard_normal((2, 3))
    H = ad.hessian(lambda x: (x**4).sum())(X)
    assert H.shape == (2, 3, 2, 3)
    np.testing.assert_allclose(H.reshape(6, 6), np.diag(12 * X.ravel() ** 2), rtol=1e-14)


def test_constant_functions_give_zeros():
    x = np.ones(3)
    np.testing.assert_array_equal(ad.grad(lambda z: Tensor(np.array(2.0)))(x), np.zeros(3))
    np.testing.assert_array_equal(ad.hessian(lambda z: z.sum())(x), np.zeros((3, 3)))
    np.testing.assert_array_equal(ad.jvp(lambda z: Tensor(np.ones(2)), (x,), (x,))[1], np.zeros(2))


def test_dual_numbers_directly():
    x = Dual(np.array([1.0, 2.0]), np.array([[1.0, 0.0], [0.0, 1.0]]))
    y = (x * x + 3.0 * x) / (1.0 + x)
    d = (np.array([1.0, 2.0]) ** 2 + 2 * np.array([1.0, 2.0]) + 3) / (1 + np.array([1.0, 2.0])) ** 2
    np.testing.assert_allclose(y.tangent, np.diag(d), rtol=1e-14)


def test_functional_errors():
    with pytest.raises(ShapeError, match=r"scalar.*\(3,\)"):
        ad.grad(lambda z: z * 2)(np.ones(3))
    with pytest.raises(ShapeError, match=r"\(3,\).*\(2,\)"):
        ad.hvp(lambda z: z.sum(), np.ones(3), np.ones(2))
    with pytest.raises(ShapeError, match=r"\(3,\).*\(2,\)"):
        ad.jvp(lambda z: z, (np.ones(3),), (np.ones(2),))
    with pytest.raises(ValueError, match="mode"):
        ad.jacobian(lambda z: z, mode="sideways")
    with pytest.raises(ValueError, match="argnums"):
        ad.grad(lambda z: z.sum(), argnums=3)(np.ones(2))


def test_hessian_fast_form_equals_textbook_form(xp):
    g = np.random.default_rng(8)
    A = g.standard_normal((4, 5))
    X = xp.asarray(g.standard_normal((5, 2)))

    def f(z):
        return ad.logsumexp(Tensor(xp.asarray(A)) @ ad.tanh(z)) + (z**3).sum()

    fast = xp.to_numpy(ad.hessian(f)(X))
    slow = xp.to_numpy(ad.hessian(f, batched=False)(X))
    assert fast.shape == (5, 2, 5, 2)
    np.testing.assert_allclose(fast, slow, rtol=1e-13, atol=1e-14)


def test_float32_kept_by_grad_jacobian_hessian(xp):
    x = xp.asarray(np.array([0.3, -0.2, 0.5]), dtype=np.float32)

    def f(z):
        return (ad.logsumexp(z * z) + z.max() * z.sum() + ad.softmax(z)[0] + ad.var(z) + ad.maximum(z, 0.1).sum()
                + ad.clip(z, -0.1, 0.4).sum() + z[[0, 0]].sum() + ad.einsum("i,i->", z, z))

    for out in (ad.grad(f)(x), ad.hessian(f)(x), ad.jacobian(ad.softmax, mode="fwd")(x), ad.jacobian(ad.softmax)(x)):
        assert str(out.dtype).endswith("float32")
    H64 = xp.to_numpy(ad.hessian(f)(xp.asarray(xp.to_numpy(x).astype(np.float64))))
    np.testing.assert_allclose(xp.to_numpy(ad.hessian(f)(x)), H64, rtol=1e-5, atol=1e-5)


def test_empty_and_constant_jacobians(xp):
    x = xp.asarray(np.ones(3))
    assert tuple(ad.jacobian(lambda z: Tensor(xp.asarray(np.ones(2))))(x).shape) == (2, 3)
    for mode in ("rev", "fwd"):
        assert tuple(ad.jacobian(lambda z: z[:0], mode=mode)(x).shape) == (0, 3)
        assert tuple(ad.jacobian(lambda z: z * 2, mode=mode)(xp.asarray(np.ones(0))).shape) == (0, 0)


def test_has_aux():
    x = np.array([1.0, 2.0])

    def f(z):
        h = ad.tanh(z)
        return (h * h).sum(), {"h": h.data}

    (v, aux), g = ad.value_and_grad(f, has_aux=True)(x)
    g2, aux2 = ad.grad(f, has_aux=True)(x)
    np.testing.assert_allclose(g, 2 * np.tanh(x) * (1 - np.tanh(x) ** 2), rtol=1e-14)
    np.testing.assert_array_equal(g, g2)
    np.testing.assert_array_equal(aux["h"], np.tanh(x))
    assert float(v) == pytest.approx(float(np.sum(np.tanh(x) ** 2)))
    with pytest.raises(TypeError, match="loss, aux"):
        ad.grad(lambda z: z.sum(), has_aux=True)(x)
