import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings
from hypothesis import strategies as st

from aimath.autodiff import Tensor
from aimath.errors import DomainError, ShapeError
from aimath.nn import AvgPool2d, Conv2d, MaxPool2d, avg_pool2d, conv2d, conv2d_output_size, max_pool2d


@st.composite
def conv_case(draw):
    n, c, o = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    ph, pw = draw(st.integers(0, kh // 2 + 1)), draw(st.integers(0, kw // 2 + 1))
    h, w = draw(st.integers(max(kh - 2 * ph, 1), 9)), draw(st.integers(max(kw - 2 * pw, 1), 9))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    return n, c, o, h, w, (kh, kw), s, (ph, pw), draw(st.integers(0, 2**31 - 1))


def _grads(fn, arrays, G):
    ts = [Tensor(a, requires_grad=True) for a in arrays]
    y = fn(*ts)
    y.backward(G)
    return y.data, [t.grad for t in ts]


@settings(max_examples=40, deadline=None)
@given(conv_case())
def test_conv2d_forward_backward_match_torch(case):
    n, c, o, h, w, k, s, p, seed = case
    rng = np.random.default_rng(seed)
    x, W, b = rng.standard_normal((n, c, h, w)), rng.standard_normal((o, c) + k), rng.standard_normal(o)
    ref = TF.conv2d(torch.tensor(x), torch.tensor(W), torch.tensor(b), stride=s, padding=p)
    G = rng.standard_normal(tuple(ref.shape))
    y, (gx, gW, gb) = _grads(lambda a, bb, cc: conv2d(a, bb, cc, s, p), [x, W, b], G)
    xt, Wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, W, b))
    TF.conv2d(xt, Wt, bt, stride=s, padding=p).backward(torch.tensor(G))
    np.testing.assert_allclose(y, ref.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gx, xt.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gW, Wt.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gb, bt.grad.numpy(), rtol=1e-12, atol=1e-12)
    assert y.shape[2:] == (conv2d_output_size(h, k[0], s[0], p[0]), conv2d_output_size(w, k[1], s[1], p[1]))


@settings(max_examples=40, deadline=None)
@given(conv_case())
def test_pooling_forward_backward_match_torch(case):
    n, c, _, h, w, k, s, p, seed = case
    p = (min(p[0], k[0] // 2), min(p[1], k[1] // 2))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c, h + 2, w + 2))
    for ours, ref in ((max_pool2d, TF.max_pool2d), (avg_pool2d, TF.avg_pool2d)):
        r = ref(torch.tensor(x), k, s, p)
        G = rng.standard_normal(tuple(r.shape))
        y, (gx,) = _grads(lambda a, ours=ours: ours(a, k, s, p), [x], G)
        xt = torch.tensor(x, requires_grad=True)
        ref(xt, k, s, p).backward(torch.tensor(G))
        np.testing.assert_allclose(y, r.numpy(), rtol=1e-13, atol=1e-14)
        np.testing.assert_allclose(gx, xt.grad.numpy(), rtol=1e-12, atol=1e-13)


def test_circular_padding_matches_torch():
    rng = np.random.default_rng(0)
    x, W = rng.standard_normal((2, 3, 7, 6)), rng.standard_normal((4, 3, 3, 3))
    conv = Conv2d(3, 4, 3, padding=1, padding_mode="circular", bias=False, rng=0)
    conv.weight.data[...] = W
    ref = torch.nn.Conv2d(3, 4, 3, padding=1, padding_mode="circular", bias=False).double()
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(W))
    xt = torch.tensor(x, requires_grad=True)
    out_t = ref(xt)
    G = rng.standard_normal(tuple(out_t.shape))
    out_t.backward(torch.tensor(G))
    X = Tensor(x, requires_grad=True)
    out = conv(X)
    out.backward(G)
    np.testing.assert_allclose(out.data, out_t.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(X.grad, xt.grad.numpy(), atol=1e-12)
    np.testing.assert_allclose(conv.weight.grad, ref.weight.grad.numpy(), atol=1e-12)


def test_float32_and_torch_data():
    rng = np.random.default_rng(1)
    x, W = rng.standard_normal((2, 2, 8, 8)).astype(np.float32), rng.standard_normal((3, 2, 3, 3)).astype(np.float32)
    assert conv2d(x, W).dtype == np.float32 and max_pool2d(x, 2).dtype == np.float32
    y = conv2d(Tensor(torch.tensor(x), requires_grad=True), Tensor(torch.tensor(W), requires_grad=True), None, 2, 1)
    ref = TF.conv2d(torch.tensor(x), torch.tensor(W), stride=2, padding=1)
    np.testing.assert_allclose(y.data.numpy(), ref.numpy(), rtol=1e-5, atol=1e-5)
    y.backward(torch.ones_like(y.data))


def test_layer_errors_name_the_layer_and_shapes():
    conv = Conv2d(3, 8, 5, rng=0)
    with pytest.raises(ShapeError, match=r"Conv2d\(3, 8, kernel_size=\(5, 5\).*\(N, 3, H, W\), got \(2, 1, 28, 28\)"):
        conv(np.zeros((2, 1, 28, 28)))
    with pytest.raises(ShapeError, match="got \\(3, 28, 28\\)"):
        conv(np.zeros((3, 28, 28)))
    with pytest.raises(ShapeError, match="kernel 5×5 larger than the padded input 4×4"):
        conv(np.zeros((1, 3, 4, 4)))
    x = np.zeros((1, 3, 8, 8))
    x[0, 0, 0, 0] = np.nan
    with pytest.raises(DomainError, match="input must be finite"):
        conv(x)
    with pytest.raises(ShapeError, match="empty batch"):
        MaxPool2d(2)(np.zeros((0, 3, 4, 4)))
    with pytest.raises(DomainError, match="padding"):
        AvgPool2d(2, padding=3)(np.zeros((1, 1, 8, 8)))
    with pytest.raises(DomainError, match="stride"):
        conv2d(np.zeros((1, 1, 4, 4)), np.zeros((1, 1, 2, 2)), stride=0)


def test_weight_sharing_parameter_count():
    conv = Conv2d(3, 16, 5, rng=0)
    assert conv.num_parameters() == 16 * 3 * 25 + 16
    assert "Conv2d(3, 16, kernel_size=(5, 5)" in repr(conv)
