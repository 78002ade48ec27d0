"""Maximum-likelihood estimation in closed form for the normal, multivariate normal and
categorical families.

Curriculum: B13, B14.
"""

from __future__ import annotations

from aimath.backend import asarray, namespace
from aimath.errors import DomainError, ShapeError, check_array, shape_of
from aimath.prob.categorical import Categorical
from aimath.prob.normal import Normal

__all__ = ["mle_normal", "mle_multivariate_normal", "mle_categorical"]


def mle_normal(x, axis: int = 0) -> Normal:
    r"""Maximum-likelihood normal fit: sample mean and the (biased, :math:`1/n`) variance.

    .. math::
        \hat\mu = \frac1n\sum_i x_i, \qquad \hat\sigma^2 = \frac1n\sum_i (x_i - \hat\mu)^2
        \;=\; \arg\max_{\mu,\sigma} \sum_i \log \mathcal N(x_i; \mu, \sigma^2)

    Parameters
    ----------
    x : array of shape (n, ...)
        Observations along ``axis``; the other axes become the batch shape.
    axis : int

    Returns
    -------
    Normal

    Raises
    ------
    ShapeError
        Fewer than two observations.
    DomainError
        NaN/inf, or all observations equal (zero variance).

    Curriculum: B13.

    Examples
    --------
    >>> import numpy as np
    >>> mle_normal(np.array([1.0, 2.0, 3.0, 4.0]))
    Normal(loc=2.5, scale=1.118033988749895)
    """
    x = asarray(x, dtype="float")
    check_array(x, "x", min_ndim=1)
    xp = namespace(x)
    if shape_of(x)[axis] < 2:
        raise ShapeError(f"x needs at least 2 observations along axis {axis}, got shape {shape_of(x)}")
    mu = xp.mean(x, axis=axis)
    var = xp.mean((x - xp.expand_dims(mu, axis=axis)) ** 2, axis=axis)
    if float(xp.min(var)) <= 0:
        raise DomainError("x has zero variance along the sample axis: the MLE scale would be 0")
    return Normal(mu, xp.sqrt(var))


def mle_multivariate_normal(X):
    r"""Maximum-likelihood multivariate normal: sample mean and :math:`1/n` covariance.

    .. math::
        \hat\mu = \frac1n\sum_i x_i, \qquad \hat\Sigma = \frac1n \sum_i (x_i-\hat\mu)(x_i-\hat\mu)^\top

    Parameters
    ----------
    X : array of shape (n, d)

    Returns
    -------
    MultivariateNormal

    Raises
    ------
    ShapeError
        Not 2-D or ``n <= d`` (the covariance would be singular).
    DomainError
        NaN/inf, or a singular sample covariance.

    Curriculum: B13.

    Examples
    --------
    >>> import numpy as np
    >>> d = mle_multivariate_normal(np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0]]))
    >>> d.mean, d.covariance
    (array([1., 1.]), array([[1., 0.],
           [0., 1.]]))
    """
    from aimath.prob.mvn import MultivariateNormal

    X = asarray(X, dtype="float")
    check_array(X, "X", ndim=2)
    n, d = shape_of(X)
    if n <= d:
        raise ShapeError(f"X needs more observations than dimensions for a non-singular covariance, got shape {(n, d)}")
    xp = namespace(X)
    mu = xp.mean(X, axis=0)
    Xc = X - mu
    cov = (xp.matrix_transpose(Xc) @ Xc) / n
    cov = 0.5 * (cov + xp.matrix_transpose(cov))
    return MultivariateNormal(mu, covariance=cov)


def mle_categorical(x, num_categories: int | None = None) -> Categorical:
    r"""Maximum-likelihood categorical fit: the empirical frequencies.

    .. math::
        \hat p_j = \frac{n_j}{n} = \arg\max_{p \in \Delta} \sum_j n_j \log p_j
        = \arg\min_{p} \mathrm{KL}(\hat p_{\text{data}}\,\|\,p)

    Parameters
    ----------
    x : array of shape (n,) of int
        Observed categories in ``0 .. k-1``.
    num_categories : int, optional
        :math:`k` (default ``max(x) + 1``).

    Returns
    -------
    Categorical

    Raises
    ------
    ShapeError
        Empty or not 1-D.
    DomainError
        Non-integer or out-of-range categories.

    Curriculum: B13, B14.

    Examples
    --------
    >>> import numpy as np
    >>> mle_categorical(np.array([0, 1, 1, 2])).probs
    array([0.25, 0.5 , 0.25])
    """
    x = asarray(x)
    check_array(x, "x", ndim=1, nonempty=True)
    xp = namespace(x)
    if not xp.isdtype(x.dtype, "integral"):
        xi = xp.astype(x, xp.int64)
        if not bool(xp.all(xp.astype(xi, x.dtype) == x)):
            raise DomainError("x must hold integer category labels")
        x = xi
    lo, hi = int(xp.min(x)), int(xp.max(x))
    k = hi + 1 if num_categories is None else int(num_categories)
    if lo < 0 or hi >= k:
        raise DomainError(f"x must hold categories in 0..{k - 1}, got values in {lo}..{hi}")
    onehot = x[:, None] == xp.arange(k, dtype=x.dtype, **({"device": x.device} if hasattr(x, "device")
                                                              and not isinstance(x.device, str) else {}))
    counts = xp.sum(xp.astype(onehot, xp.float64), axis=0)
    return Categorical(probs=counts / x.shape[0])
