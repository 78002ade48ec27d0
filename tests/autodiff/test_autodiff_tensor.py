"""The engine's semantics: graph, accumulation, freeing, no_grad, detach, depth, errors,
and Hypothesis-generated broadcasting shapes against torch.autograd."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import aimath.autodiff as ad
from aimath.autodiff import Tensor, no_grad
from aimath.errors import AimathError, ShapeError


def test_grad_is_none_until_backward_and_accumulates(xp):
    x = Tensor(xp.asarray(np.array([1.0, -2.0])), requires_grad=True)
    assert x.grad is None
    (x * x).sum().backward()
    np.testing.assert_allclose(xp.to_numpy(x.grad), [2.0, -4.0])
    (x * 3.0).sum().backward()  # a second, fresh graph adds to the gradient
    np.testing.assert_allclose(xp.to_numpy(x.grad), [5.0, -1.0])
    x.zero_grad()
    assert x.grad is None


def test_leaves_do_not_share_gradient_memory():
    a = Tensor(np.ones(3), requires_grad=True)
    b = Tensor(np.ones(3), requires_grad=True)
    (a + b).sum().backward()
    a.grad[0] = 100.0
    assert b.grad[0] == 1.0


def test_graph_is_freed_unless_retained():
    x = Tensor(np.array([0.3, 0.7]), requires_grad=True)
    y = ad.exp(x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad, 2 * np.exp(x.data))
    with pytest.raises(AimathError, match="freed"):
        y.backward()


def test_shared_subexpression_counts_every_path():
    x = Tensor(np.array(1.5), requires_grad=True)
    u = x * x
    y = u * u + u  # x^4 + x^2
    y.backward()
    assert np.isclose(float(x.grad), 4 * 1.5**3 + 2 * 1.5, rtol=1e-15)


def test_no_grad_and_detach(xp):
    x = Tensor(xp.asarray(np.array([1.0, 2.0])), requires_grad=True)
    with no_grad():
        y = x * 2
    assert not y.requires_grad and y.is_leaf
    assert ad.is_grad_enabled()
    z = (x.detach() * x).sum()  # d/dx of c·x with c = x held fixed
    z.backward()
    np.testing.assert_allclose(xp.to_numpy(x.grad), [1.0, 2.0])


def test_retain_grad_on_intermediate():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    h = (x * 3.0).retain_grad()
    (h * h).sum().backward()
    np.testing.assert_allclose(h.grad, 2 * h.data)
    np.testing.assert_allclose(x.grad, 18 * x.data)


def test_depth_1e5_without_recursion_error():
    x = Tensor(np.array(1.0), requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert float(x.grad) == 1.0


def test_backward_errors():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    y = x * 2
    with pytest.raises(ShapeError, match=r"one element.*\(2, 3\)"):
        y.backward()
    with pytest.raises(ShapeError, match=r"\(2, 3\).*\(3,\)"):
        y.backward(np.ones(3))
    with pytest.raises(AimathError, match="does not require grad"):
        Tensor(np.ones(2)).sum().backward()
    with pytest.raises(TypeError, match="floating"):
        Tensor(np.arange(3), requires_grad=True)


@pytest.mark.parametrize("op", ["add", "mul", "sub", "div", "maximum"])
def test_shape_mismatch_names_both_shapes(op):
    a = Tensor(np.ones((2, 3)), requires_grad=True)
    b = Tensor(np.ones((4,)))
    fn = {"add": lambda: a + b, "mul": lambda: a * b, "sub": lambda: a - b, "div": lambda: a / b,
          "maximum": lambda: ad.maximum(a, b)}[op]
    with pytest.raises(ShapeError, match=r"\(2, 3\) and \(4,\)"):
        fn()


def test_matmul_and_reshape_errors():
    with pytest.raises(ShapeError, match=r"\(2, 3\) and \(4, 5\)"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((4, 5)))
    with pytest.raises(ShapeError, match=r"\(2, 3\).*\(4,\)"):
        Tensor(np.ones((2, 3))).reshape(4)
    with pytest.raises(ShapeError, match="out of range"):
        Tensor(np.ones((2, 3))).sum(axis=2)
    with pytest.raises(ShapeError, match="permutation"):
        Tensor(np.ones((2, 3))).transpose(0, 0)


def test_numpy_left_operand_defers_to_tensor():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = np.array([3.0, 4.0]) * x + np.ones(2)
    assert isinstance(y, Tensor)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [3.0, 4.0])


def test_repr_mentions_grad_and_op():
    x = Tensor(np.array([1.0]), requires_grad=True)
    assert "requires_grad=True" in repr(x)
    assert "op=exp" in repr(ad.exp(x))
    assert repr(Tensor([1.0])).startswith("Tensor(array(")


_shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), shape=_shapes)
def test_broadcast_binary_ops_match_torch(data, shape):
    bshape = data.draw(hnp.broadcastable_shapes(shape, min_dims=0, max_dims=3, max_side=3))
    g = np.random.default_rng(abs(hash((shape, bshape))) % 2**32)
    a, b = g.uniform(0.5, 2.0, shape), g.uniform(0.5, 2.0, bshape)
    op = data.draw(st.sampled_from(["add", "sub", "mul", "div", "pow", "maximum"]))
    f = {"add": lambda u, v: u + v, "sub": lambda u, v: u - v, "mul": lambda u, v: u * v,
         "div": lambda u, v: u / v, "pow": lambda u, v: u**v}.get(op)
    ours_f = f or ad.maximum
    ref_f = f or torch.maximum
    ta, tb = Tensor(a, requires_grad=True), Tensor(b, requires_grad=True)
    y = ours_f(ta, tb)
    w = g.standard_normal(y.shape)
    (y * w).sum().backward()
    ra, rb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    (ref_f(ra, rb) * torch.tensor(w)).sum().backward()
    assert ta.grad.shape == a.shape and tb.grad.shape == b.shape
    np.testing.assert_allclose(ta.grad, ra.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(tb.grad, rb.grad.numpy(), rtol=1e-10, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4), data=st.data())
def test_reductions_any_axis_match_torch(shape, data):
    nd = len(shape)
    axis = data.draw(st.one_of(st.none(), st.integers(-nd, nd - 1) if nd else st.none()))
    keep = data.draw(st.booleans())
    name = data.draw(st.sampled_from(["sum", "mean", "max", "logsumexp"]))
    g = np.random.default_rng(7)
    a = g.standard_normal(shape)
    t = Tensor(a, requires_grad=True)
    y = {"sum": ad.sum, "mean": ad.mean, "max": ad.max, "logsumexp": ad.logsumexp}[name](t, axis=axis, keepdims=keep)
    r = torch.tensor(a, requires_grad=True)
    dim = tuple(range(nd)) if axis is None else axis
    if name == "sum":
        yr = r.sum(dim=dim, keepdim=keep) if nd else r
    elif name == "mean":
        yr = r.mean(dim=dim, keepdim=keep) if nd else r
    elif name == "max":
        yr = r.amax(dim=dim, keepdim=keep) if nd else r
    else:
        yr = torch.logsumexp(r, dim=dim, keepdim=keep) if nd else r
    assert tuple(y.shape) == tuple(yr.shape)
    w = g.standard_normal(tuple(yr.shape))
    (y * w).sum().backward()
    (yr * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(y.data, yr.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(t.grad, r.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_zero_dim_results_are_arrays_and_iteration_and_astype(xp):
    x = Tensor(xp.asarray(np.array(0.5)), requires_grad=True)
    y = ad.exp(x)
    assert hasattr(y.data, "shape") and not isinstance(y.data, np.generic)
    rows = list(Tensor(np.arange(6.0).reshape(3, 2)))
    assert len(rows) == 3 and rows[2].shape == (2,)
    z = Tensor(xp.asarray(np.array([1.0, 2.0])), requires_grad=True)
    w = z.astype(np.float32)
    assert str(w.dtype).endswith("float32")
    (w * w).sum().backward()
    assert str(z.grad.dtype).endswith("float64")
    np.testing.assert_allclose(xp.to_numpy(z.grad), [2.0, 4.0])
    with pytest.raises(TypeError, match="numeric"):
        Tensor(np.array(["a", "b"]))


def test_no_in_place_assignment_and_array_conversion():
    x = Tensor(np.ones(3), requires_grad=True)
    with pytest.raises(TypeError, match="in place"):
        x[0] = 2.0
    with pytest.raises(TypeError, match="requires grad"):
        np.asarray(x)
    np.testing.assert_array_equal(np.asarray(x.detach()), np.ones(3))


def test_functional_arithmetic_names():
    a = Tensor(np.array([2.0, 3.0]), requires_grad=True)
    y = ad.sub(ad.add(ad.mul(a, a), ad.div(a, 2.0)), ad.power(a, 2)) + ad.negative(ad.matmul(a, np.ones(2)))
    y.sum().backward()
    np.testing.assert_allclose(a.grad, [0.5 - 2.0, 0.5 - 2.0])


_UNARY = {
    "exp": (ad.exp, torch.exp), "log": (ad.log, torch.log), "sqrt": (ad.sqrt, torch.sqrt),
    "tanh": (ad.tanh, torch.tanh), "sigmoid": (ad.sigmoid, torch.sigmoid), "softplus": (ad.softplus,
    torch.nn.functional.softplus), "sin": (ad.sin, torch.sin), "abs": (ad.abs, torch.abs),
    "log1p": (ad.log1p, torch.log1p), "relu": (ad.relu, torch.relu), "cos": (ad.cos, torch.cos),
}


@settings(max_examples=40, deadline=None)
@given(shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3), name=st.sampled_from(sorted(_UNARY)),
       seed=st.integers(0, 2**16))
def test_unary_ops_any_shape_match_torch(shape, name, seed):
    ours, ref = _UNARY[name]
    g = np.random.default_rng(seed)
    a = g.uniform(0.2, 2.0, shape) * g.choice([-1.0, 1.0], shape) if name not in ("log", "sqrt", "log1p") \
        else g.uniform(0.2, 2.0, shape)
    w = g.standard_normal(shape)
    t = Tensor(a, requires_grad=True)
    y = ours(t)
    (y * w).sum().backward()
    r = torch.tensor(a, requires_grad=True)
    (ref(r) * torch.tensor(w)).sum().backward()
    assert y.shape == tuple(shape) and t.grad.shape == tuple(shape)
    np.testing.assert_allclose(y.data, ref(torch.tensor(a)).numpy(), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(t.grad, r.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_backward_releases_intermediate_nodes():
    import gc
    import weakref

    x = Tensor(np.ones(4), requires_grad=True)
    y = ad.exp(x * 2.0)
    z = y.sum()
    ref = weakref.ref(y)
    del y
    z.backward()
    gc.collect()
    assert ref() is None  # the graph no longer holds the intermediate
    assert z._parents == ()


def test_no_grad_is_per_thread():
    import threading

    seen = {}
    started, release = threading.Event(), threading.Event()

    def other():
        with no_grad():
            started.set()
            release.wait(5)

    t = threading.Thread(target=other)
    t.start()
    started.wait(5)
    x = Tensor(np.ones(2), requires_grad=True)
    seen["main"] = (x * 2).requires_grad
    release.set()
    t.join()
    assert seen["main"] is True


def test_empty_axis_tuple_reduces_nothing(xp):
    a = np.arange(6.0).reshape(2, 3)
    x = Tensor(xp.asarray(a), requires_grad=True)
    for f in (ad.sum, ad.max, ad.min):
        y = f(x, axis=())
        assert y.shape == (2, 3)
        np.testing.assert_array_equal(xp.to_numpy(y.data), a)
    (ad.sum(x, axis=()) * xp.asarray(a)).sum().backward()
    np.testing.assert_array_equal(xp.to_numpy(x.grad), a)


def test_grad_never_aliases_seed_views_or_other_grads(xp):
    x = Tensor(xp.asarray(np.ones(3)), requires_grad=True)
    y = Tensor(xp.asarray(np.ones(3)), requires_grad=True)
    h = (x + y).retain_grad()
    seed = xp.asarray(np.arange(3.0))
    (h + 0.0).backward(seed)  # every pullback here passes the seed through unchanged
    x.grad[0] = 100.0
    assert float(xp.to_numpy(seed)[0]) == 0.0
    assert float(xp.to_numpy(y.grad)[0]) == 0.0 and float(xp.to_numpy(h.grad)[0]) == 0.0
    z = Tensor(xp.asarray(np.ones((2, 3))), requires_grad=True)
    z.reshape(6).sum().backward()  # a broadcast view reaches the leaf: stored as a writable copy
    z.grad[0, 0] = 5.0
    np.testing.assert_array_equal(xp.to_numpy(z.grad)[1], np.ones(3))


def test_dtype_argument(xp):
    t = Tensor(xp.asarray(np.ones(2), dtype=np.float32), dtype=np.float64)
    assert str(t.dtype).endswith("float64")
    assert Tensor([1, 2]).dtype == np.int64
    assert Tensor([1, 2], dtype=np.float32).dtype == np.float32
