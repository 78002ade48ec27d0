"""The stateful optimizers: parameter protocol, groups, zero_grad, state_dict round trip, validation, portability."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimath import optim
from aimath.errors import DomainError, ShapeError


class Param:
    def __init__(self, data):
        self.data, self.grad = data, None


ALL = ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"]


def _kw(name):
    return {"momentum": 0.9} if name in ("SGD", "RMSprop") else {}


@pytest.mark.parametrize("name", ALL)
def test_update_in_place_and_skip_none(name, rng):
    a, b = Param(rng.standard_normal(4)), Param(rng.standard_normal((2, 3)))
    a_arr, a_before, b_before = a.data, a.data.copy(), b.data.copy()
    opt = getattr(optim, name)([a, b], lr=0.1, **_kw(name))
    a.grad = np.ones(4)
    opt.step()
    assert a.data is a_arr  # same array, updated in place
    assert np.all(a.data < a_before)  # moved against the gradient
    np.testing.assert_array_equal(b.data, b_before)  # grad None: untouched, no state
    assert id(b) not in opt.state and id(a) in opt.state


@pytest.mark.parametrize("name", ALL)
def test_functional_and_stateful_faces_agree(name, rng):
    """The class applies exactly the pure rule: same iterates as calling init/update by hand."""
    mod = {"SGD": "sgd", "Adagrad": "adagrad", "RMSprop": "rmsprop", "Adam": "adam", "AdamW": "adam"}[name]
    init, update = getattr(optim, f"{mod}_init"), getattr(optim, f"{mod}_update")
    x0 = rng.standard_normal(5)
    p = Param(x0.copy())
    opt = getattr(optim, name)([p], lr=0.05, **_kw(name))
    hp = {k: opt.param_groups[0][k] for k in type(opt).hyper}
    x, st = x0.copy(), init(x0, **{k: opt.param_groups[0][k] for k in type(opt).init_hyper})
    for _ in range(20):
        p.grad = np.sin(p.data) + p.data
        opt.step()
        x, st = update(x, np.sin(x) + x, st, **hp)
    np.testing.assert_array_equal(p.data, x)


@pytest.mark.parametrize("name", ALL)
def test_state_dict_round_trip(name, rng):
    x0 = rng.standard_normal(6)
    p, q = Param(x0.copy()), Param(x0.copy())
    o1 = getattr(optim, name)([p], lr=0.05, **_kw(name))
    for _ in range(5):
        p.grad = 2 * p.data
        o1.step()
    q.data[...] = p.data
    o2 = getattr(optim, name)([q], lr=1.0, **_kw(name))
    o2.load_state_dict(o1.state_dict())
    assert o2.param_groups[0]["lr"] == 0.05
    for _ in range(5):
        p.grad, q.grad = 2 * p.data, 2 * q.data
        o1.step()
        o2.step()
    np.testing.assert_array_equal(p.data, q.data)
    sd = o1.state_dict()
    assert sd["param_groups"][0]["params"] == [0] and sd["state"][0]["step"] == 10


def test_zero_grad():
    p = Param(np.ones(3))
    opt = optim.SGD([p], lr=0.1)
    p.grad = np.ones(3)
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad, np.zeros(3))
    opt.zero_grad()
    assert p.grad is None


def test_closure_returns_loss():
    p = Param(np.ones(3))
    opt = optim.SGD([p], lr=0.1)

    def closure():
        p.grad = 2 * p.data
        return float(p.data @ p.data)

    assert opt.step(closure) == 3.0
    np.testing.assert_allclose(p.data, 0.8)


def test_torch_tensors_as_data(xp, rng):
    x0 = rng.standard_normal(5)
    p = Param(xp.asarray(x0.copy()))
    ref = Param(x0.copy())
    o, oref = optim.Adam([p], lr=0.1, amsgrad=True), optim.Adam([ref], lr=0.1, amsgrad=True)
    for _ in range(10):
        p.grad = 2 * p.data
        ref.grad = 2 * ref.data
        o.step()
        oref.step()
    np.testing.assert_allclose(xp.to_numpy(p.data), ref.data, atol=1e-14)


def test_autodiff_tensors_train():
    import aimath.autodiff as ad
    w = ad.Tensor(np.array([3.0, -2.0]), requires_grad=True)
    opt = optim.SGD([w], lr=0.1, momentum=0.5)
    for _ in range(100):
        opt.zero_grad()
        loss = ((w - ad.Tensor(np.array([1.0, 1.0]))) ** 2).sum()
        loss.backward()
        opt.step()
    np.testing.assert_allclose(w.data, [1.0, 1.0], atol=1e-8)


def test_bad_construction():
    p = Param(np.ones(2))
    with pytest.raises(ShapeError, match="empty"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="data"):
        optim.SGD([np.ones(2)], lr=0.1)
    with pytest.raises(DomainError, match="lr"):
        optim.SGD([p], lr=-0.1)
    with pytest.raises(DomainError, match="nesterov"):
        optim.SGD([p], lr=0.1, nesterov=True)
    with pytest.raises(DomainError, match="betas"):
        optim.Adam([p], betas=(0.9, 1.0))
    with pytest.raises(DomainError, match="alpha"):
        optim.RMSprop([p], alpha=1.5)
    with pytest.raises(DomainError, match="eps"):
        optim.Adagrad([p], eps=-1.0)
    with pytest.raises(TypeError, match="betas"):
        optim.Adam([p], betas=(0.9,))
    with pytest.raises(ValueError, match="more than one"):
        optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1)


def test_grad_shape_mismatch():
    p = Param(np.ones(3))
    opt = optim.Adam([p])
    p.grad = np.ones(4)
    with pytest.raises(ShapeError, match=r"\(3,\).*\(4,\)"):
        opt.step()


def test_repr_lists_groups():
    opt = optim.Adam([Param(np.ones(1))], lr=0.01)
    text = repr(opt)
    assert text.startswith("Adam (") and "lr: 0.01" in text and "amsgrad: False" in text


TEXTBOOK_CONFIGS = [
    ("sgd", {}, dict(lr=0.1)),
    ("sgd", {}, dict(lr=0.1, momentum=0.9, dampening=0.2, weight_decay=0.1, maximize=True)),
    ("sgd", {}, dict(lr=0.1, momentum=0.9, nesterov=True, next_momentum=0.7)),
    ("adagrad", dict(initial_accumulator_value=0.3), dict(lr=0.1, lr_decay=0.1, weight_decay=0.2)),
    ("rmsprop", dict(momentum=0.5, centered=True), dict(lr=0.01, alpha=0.3, momentum=0.5, centered=True,
                                                         weight_decay=0.1, maximize=True)),
    ("rmsprop", {}, dict(lr=0.01)),
    ("adam", dict(amsgrad=True), dict(lr=0.01, betas=(0.4, 0.9), amsgrad=True, weight_decay=0.1)),
    ("adam", {}, dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
]


@pytest.mark.parametrize("mod,ikw,kw", TEXTBOOK_CONFIGS)
def test_fast_form_equals_textbook_form(xp, rng, mod, ikw, kw):
    """The in-place fast form and the line-by-line textbook form give bitwise the same iterates and states,
    and the pure call leaves its inputs untouched."""
    init = getattr(optim, f"{mod}_init")
    fast, book = getattr(optim, f"{mod}_update"), getattr(optim, f"{mod}_textbook")
    x0 = xp.asarray(rng.standard_normal(7))
    xa, sa = x0, init(x0, **ikw)
    xb, sb = x0, init(x0, **ikw)
    xc, sc = xp.asarray(xp.to_numpy(x0).copy()), init(x0, **ikw)
    for _ in range(15):
        g = xp.asarray(rng.standard_normal(7))
        g_before, xa_before = xp.to_numpy(g).copy(), xp.to_numpy(xa).copy()
        xa, sa = fast(xa, g, sa, **kw)
        xb, sb = book(xb, g, sb, **kw)
        xc_new, sc = fast(xc, g, sc, inplace=True, **kw)
        assert xc_new is xc
        np.testing.assert_array_equal(xp.to_numpy(g), g_before)
        assert not np.array_equal(xp.to_numpy(xa), xa_before)
        np.testing.assert_array_equal(xp.to_numpy(xa), xp.to_numpy(xb))
        np.testing.assert_array_equal(xp.to_numpy(xc), xp.to_numpy(xb))
        for u, v in zip(sa, sb, strict=True):
            if hasattr(u, "shape"):
                np.testing.assert_array_equal(xp.to_numpy(u), xp.to_numpy(v))
            else:
                assert u == v


@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple), seed=st.integers(0, 2**31),
       cfg=st.sampled_from(TEXTBOOK_CONFIGS), dtype=st.sampled_from(["float32", "float64"]))
@settings(max_examples=40, deadline=None)
def test_any_shape_and_dtype(shape, seed, cfg, dtype):
    """0-d, size-1 and n-d parameters, float32 and float64: the class keeps shape and dtype and matches the
    textbook form."""
    mod, ikw, kw = cfg
    name = {"sgd": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop", "adam": "Adam"}[mod]
    r = np.random.default_rng(seed)
    x0 = np.asarray(r.standard_normal(shape), dtype=dtype)
    hp = {k: v for k, v in kw.items() if k not in ("next_momentum", "decoupled_weight_decay")}
    if name == "SGD" and hp.get("nesterov"):
        hp.pop("dampening", None)
    opt = (optim.AdamW if kw.get("decoupled_weight_decay") else getattr(optim, name))([Param(x0.copy())], **hp)
    p = opt.param_groups[0]["params"][0]
    book = getattr(optim, f"{mod}_textbook")
    xb = x0.copy()
    sb = getattr(optim, f"{mod}_init")(x0, **{k: opt.param_groups[0][k] for k in type(opt).init_hyper})
    for _ in range(3):
        g = np.asarray(r.standard_normal(shape), dtype=dtype)
        p.grad = g
        opt.step()
        xb, sb = book(xb, g, sb, **{k: opt.param_groups[0][k] for k in type(opt).hyper})
    assert p.data.shape == shape and p.data.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(p.data, xb)
