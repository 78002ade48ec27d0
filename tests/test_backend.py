"""aimath.backend: namespaces, conversion and seeded random helpers on NumPy and torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from aimath import backend as B
from aimath.errors import DomainError


def test_namespace_by_library():
    assert B.namespace(np.ones(2)).__name__.endswith("numpy")
    assert B.namespace(torch.ones(2)).__name__.endswith("torch")
    assert B.namespace(1.0, None).__name__.endswith("numpy")
    with pytest.raises(TypeError, match="mix array libraries"):
        B.namespace(np.ones(2), torch.ones(2))


def test_float_dtype_and_asarray():
    assert B.float_dtype(np.arange(3)) == np.float64
    assert B.float_dtype(np.ones(2, np.float32)) == np.float32
    t = B.asarray([1, 2], dtype="float", like=torch.ones(1))
    assert isinstance(t, torch.Tensor) and t.dtype == torch.float64
    a = B.asarray(torch.tensor([1.0, 2.0]), xp=B.namespace(np.ones(1)))
    assert isinstance(a, np.ndarray)
    assert B.asarray(np.ones(2, np.float32), dtype="float").dtype == np.float32
    np.testing.assert_array_equal(B.to_numpy(torch.arange(3)), np.arange(3))


@pytest.mark.parametrize("fn", ["normal", "uniform"])
def test_same_seed_same_stream_numpy(fn):
    f = getattr(B, fn)
    a, b = f(7, (3, 4)), f(7, (3, 4))
    assert isinstance(a, np.ndarray) and a.dtype == np.float64 and a.shape == (3, 4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, f(8, (3, 4)))
    g1, g2 = np.random.default_rng(3), np.random.default_rng(3)
    np.testing.assert_array_equal(f(g1, 5), f(g2, 5))


@pytest.mark.parametrize("fn", ["normal", "uniform"])
def test_same_seed_same_stream_torch(fn):
    f = getattr(B, fn)
    a = f(torch.Generator().manual_seed(5), (2, 3))
    b = f(torch.Generator().manual_seed(5), (2, 3))
    assert isinstance(a, torch.Tensor) and a.dtype == torch.float64
    assert torch.equal(a, b)
    like = torch.zeros(1, dtype=torch.float32)
    c, d = f(11, (4,), like=like), f(11, (4,), like=like)
    assert c.dtype == torch.float32 and torch.equal(c, d)
    # a numpy generator with a torch `like` keeps numpy's stream, converted
    np.testing.assert_allclose(B.to_numpy(f(np.random.default_rng(2), 6, like=torch.zeros(1, dtype=torch.float64))),
                               f(np.random.default_rng(2), 6))


def test_dtype_kept():
    assert B.normal(0, 4, dtype=np.float32).dtype == np.float32
    assert B.uniform(0, 4, like=np.zeros(1, np.float32)).dtype == np.float32
    assert B.normal(0, 3, dtype=torch.float32, like=torch.zeros(1)).dtype == torch.float32


def test_moments_and_ranges():
    n = 200_000
    z = B.normal(1, n, loc=2.0, scale=3.0)
    assert abs(z.mean() - 2.0) < 5 * 3.0 / np.sqrt(n)
    assert abs(z.var() - 9.0) < 5 * 9.0 * np.sqrt(2.0 / n)
    u = B.uniform(2, n, low=-1.0, high=3.0)
    assert u.min() >= -1.0 and u.max() < 3.0
    assert abs(u.mean() - 1.0) < 5 * (4 / np.sqrt(12)) / np.sqrt(n)
    t = B.normal(torch.Generator().manual_seed(0), n, loc=-1.0, scale=0.5)
    assert abs(float(t.mean()) + 1.0) < 5 * 0.5 / np.sqrt(n)


def test_integers_and_permutation():
    k = B.integers(0, 3, 7, shape=(1000,))
    assert k.dtype == np.int64 and k.min() >= 3 and k.max() < 7 and set(np.unique(k)) == {3, 4, 5, 6}
    kt = B.integers(torch.Generator().manual_seed(1), 5, shape=(50,))
    assert isinstance(kt, torch.Tensor) and int(kt.min()) >= 0 and int(kt.max()) < 5
    p = B.permutation(4, 10)
    np.testing.assert_array_equal(np.sort(p), np.arange(10))
    pt = B.permutation(4, 10, like=torch.zeros(1))
    assert isinstance(pt, torch.Tensor) and sorted(pt.tolist()) == list(range(10))
    np.testing.assert_array_equal(p, B.permutation(4, 10))


def test_as_generator_and_errors():
    g = np.random.default_rng(0)
    assert B.as_generator(g) is g
    tg = torch.Generator()
    assert B.as_generator(tg) is tg
    assert isinstance(B.as_generator(3, like=torch.zeros(1)), torch.Generator)
    assert isinstance(B.as_generator(None), np.random.Generator)
    with pytest.raises(TypeError, match="rng must be"):
        B.as_generator("seed")
    with pytest.raises(DomainError, match="low < high"):
        B.uniform(0, 3, low=1.0, high=1.0)
    with pytest.raises(DomainError, match="low < high"):
        B.integers(0, 5, 5)


def test_available_libraries():
    libs = B.available_libraries()
    assert libs["numpy"] == np.__version__ and libs["torch"] == torch.__version__
