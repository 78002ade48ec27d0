"""Mini-batches for stochastic gradient descent: index sampling and mini-batch gradients.

The mini-batch gradient :math:`\\hat g_B = \\frac1B\\sum_{i \\in B} \\nabla \\ell_i(x)` is an
unbiased estimate of the full gradient; drawn with replacement its covariance is
:math:`\\Sigma / B`, drawn without replacement :math:`\\frac{n - B}{n - 1}\\,\\Sigma / B`, where
:math:`\\Sigma` is the covariance of the per-example gradients (curriculum A6).

Curriculum: A6.
"""

from __future__ import annotations

import numpy as np

from aimath.backend import as_generator, namespace
from aimath.errors import DomainError, check_array, shape_of

__all__ = ["minibatches", "batch_indices", "minibatch_gradient"]


def _check_sizes(n: int, batch_size: int) -> None:
    if int(n) != n or n < 1:
        raise DomainError(f"n must be a positive integer, got {n!r}")
    if int(batch_size) != batch_size or not 1 <= batch_size:
        raise DomainError(f"batch_size must be a positive integer, got {batch_size!r}")


def minibatches(n: int, batch_size: int, *, rng=None, shuffle: bool = True, drop_last: bool = False) -> list:
    """One epoch of mini-batches: a (random) permutation of ``range(n)`` cut into batches.

    Parameters
    ----------
    n : int
        Number of examples.
    batch_size : int
    rng : seed or generator
        Used when ``shuffle``.
    shuffle : bool
    drop_last : bool
        Drop a final batch smaller than ``batch_size``.

    Returns
    -------
    list of int64 arrays

    Curriculum: A6.

    Examples
    --------
    >>> [b.tolist() for b in minibatches(5, 2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    _check_sizes(n, batch_size)
    order = as_generator(rng).permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    return [order[i:i + batch_size] for i in range(0, stop, batch_size)]


def batch_indices(rng, n: int, batch_size: int, num_batches: int, *, replace: bool = False):
    """``num_batches`` independent mini-batches of ``batch_size`` indices drawn uniformly from ``range(n)``.

    Each row is a uniformly random ``batch_size``-subset (``replace=False``, a prefix of a random
    permutation) or
    ``batch_size`` i.i.d. uniform draws (``replace=True``). Vectorised over batches.

    Returns
    -------
    numpy.ndarray of int64, shape (num_batches, batch_size)

    Raises
    ------
    DomainError
        If ``batch_size > n`` without replacement, or non-positive sizes.

    Curriculum: A6.
    """
    _check_sizes(n, batch_size)
    if int(num_batches) != num_batches or num_batches < 0:
        raise DomainError(f"num_batches must be a non-negative integer, got {num_batches!r}")
    g = as_generator(rng)
    if replace:
        return g.integers(0, n, (num_batches, batch_size), dtype=np.int64)
    if batch_size > n:
        raise DomainError(f"batch_size must be <= n = {n} without replacement, got {batch_size}")
    # every row an independent uniform permutation of range(n) (in C); its first batch_size entries are a uniform subset
    idx = g.permuted(np.broadcast_to(np.arange(n, dtype=np.int64), (num_batches, n)), axis=1)
    return idx[:, :batch_size]


def minibatch_gradient(per_example_grads, batches):
    r"""Mini-batch gradients :math:`\hat g_B = \frac1{|B|}\sum_{i\in B} \nabla\ell_i` for many batches at once.

    Parameters
    ----------
    per_example_grads : array of shape (n, d)
        Row ``i`` is :math:`\nabla \ell_i(x)`.
    batches : int array of shape (..., B)
        Index batches (from :func:`batch_indices` or :func:`minibatches`).

    Returns
    -------
    array of shape (..., d)

    Curriculum: A6.

    Examples
    --------
    >>> import numpy as np
    >>> G = np.arange(6.0).reshape(3, 2)
    >>> minibatch_gradient(G, np.array([[0, 2], [1, 1]]))
    array([[2., 3.],
           [2., 3.]])
    """
    check_array(per_example_grads, "per_example_grads", ndim=2)
    xp = namespace(per_example_grads)
    b = np.asarray(batches)
    n = shape_of(per_example_grads)[0]
    if b.size and (b.min() < 0 or b.max() >= n):
        raise DomainError(f"batches must index range(n) = range({n}), got indices in [{b.min()}, {b.max()}]")
    sel = xp.take(per_example_grads, xp.asarray(b.reshape(-1)), axis=0)
    sel = xp.reshape(sel, (*b.shape, shape_of(per_example_grads)[1]))
    return xp.mean(sel, axis=-2)
