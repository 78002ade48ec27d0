import numpy as np
import pytest

from aimath.data import digits, mnist, train_test_split
from aimath.errors import DomainError, ShapeError


def test_digits_matches_sklearn_rows_and_split_is_a_stratified_partition():
    from sklearn.datasets import load_digits

    d = load_digits()
    Xtr, Xte, ytr, yte = digits()
    assert Xtr.shape == (1347, 64) and Xte.shape == (450, 64)
    assert Xtr.min() == 0.0 and Xtr.max() == 1.0
    X = np.concatenate([Xtr, Xte]) * 16
    y = np.concatenate([ytr, yte])
    # every original row appears exactly once, with its label
    order = np.lexsort(np.c_[d.data, d.target].T)
    order2 = np.lexsort(np.c_[X, y].T)
    np.testing.assert_array_equal(np.c_[d.data, d.target][order], np.c_[X, y][order2])
    np.testing.assert_array_equal(np.bincount(yte), np.round(0.25 * np.bincount(d.target)).astype(int))


def test_digits_options():
    a = digits(images=True, dtype=np.float32, seed=3, test_size=0.5)
    assert a[0].shape[1:] == (1, 8, 8) and a[0].dtype == np.float32
    b = digits(images=True, dtype=np.float32, seed=3, test_size=0.5)
    np.testing.assert_array_equal(a[1], b[1])
    c = digits(seed=4)
    assert not np.array_equal(c[3], digits(seed=3)[3])
    with pytest.raises(DomainError, match="dtype"):
        digits(dtype=np.int32)
    with pytest.raises(DomainError, match="test_size"):
        digits(test_size=1.5)


def test_mnist_subset():
    Xtr, Xte, ytr, yte = mnist(images=True)
    assert Xtr.shape == (3750, 1, 28, 28) and Xte.shape == (1250, 1, 28, 28)
    assert 0.0 <= Xtr.min() and Xtr.max() == 1.0
    np.testing.assert_array_equal(np.bincount(yte), [125] * 10)
    np.testing.assert_array_equal(np.bincount(ytr), [375] * 10)


def test_train_test_split_partition_and_errors():
    X = np.arange(40.0).reshape(20, 2)
    y = np.repeat([0, 1], 10)
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, seed=1)
    assert sorted(np.r_[Xtr[:, 0], Xte[:, 0]].tolist()) == X[:, 0].tolist()
    np.testing.assert_array_equal(ytr, Xtr[:, 0] // 20)
    assert np.bincount(yte).tolist() == [3, 3]
    with pytest.raises(ShapeError, match="same number of samples"):
        train_test_split(X, y[:5])
