r"""A dense network in the NTK parameterisation and its lazy training by gradient descent.

In the *NTK parameterisation* (Jacot, Gabriel & Hongler 2018) every weight is a standard normal
and each pre-activation is divided by the square root of its fan-in,

.. math::
    z_1 = \frac{W_1 x}{\sqrt{d}} + \beta b_1, \qquad
    z_{k} = \frac{W_k\,\rho(z_{k-1})}{\sqrt{m_{k-1}}} + \beta b_k, \qquad f(x) = z_L \in \mathbb R,
    \qquad W_k, b_k \sim \mathcal N(0, 1).

With this scaling the neural tangent kernel
:math:`\Theta(x, x') = \langle \partial_\theta f(x), \partial_\theta f(x')\rangle` has a finite,
deterministic limit as the widths :math:`m \to \infty`, so one width-independent learning rate
:math:`\eta` serves every width. Gradient descent on
:math:`L(\theta) = \frac1{2n}\sum_i (f(x_i) - y_i)^2` moves the outputs by
:math:`\dot f = -\Theta (f - y)/n`, and in a wide network the parameters hardly move
("lazy training"): after a width-independent time each first-layer weight has moved by
:math:`O(m^{-1/2})`, i.e. :math:`\|W_1(T) - W_1(0)\|_F / \|W_1(0)\|_F = O(m^{-1/2})`, and the
kernel's relative change :math:`\|\Theta_T - \Theta_0\|_F / \|\Theta_0\|_F` is :math:`O(m^{-1/2})`
too (Jacot et al.; Lee et al. 2019). That kernel bound is not sharp: for a smooth activation the
first-order change is a sum of :math:`m` terms of random sign and size :math:`m^{-3/2}`, and the
kernel moves by :math:`O(m^{-1})` (Dyer & Gur-Ari 2020; Huang & Yau 2020); for ReLU the units whose
pre-activation crosses zero add an :math:`O(m^{-3/4})` part (a heuristic count, confirmed by
measurement here).

Gradients and the NTK come from the backpropagation recursion vectorised over samples: with
:math:`\delta_L = 1` and :math:`\delta_{k-1} = (\delta_k W_k / \sqrt{m_{k-1}}) \odot \rho'(z_{k-1})`,

.. math:: \frac{\partial f(x_i)}{\partial W_k} = \frac{\delta_k[i]\, a_{k-1}[i]^\top}{\sqrt{m_{k-1}}},
          \qquad
          \Theta = \sum_k (\delta_k \delta_k^\top) \odot
          \Big(\frac{a_{k-1} a_{k-1}^\top}{m_{k-1}} + \beta^2\Big).

Curriculum: A10.
"""

from __future__ import annotations

import numpy as np

from aimath.errors import ShapeError, check_array

__all__ = ["NTKMLP", "lazy_training"]


class NTKMLP:
    r"""A scalar-output dense network in the NTK parameterisation (see the module docstring).

    Parameters
    ----------
    sizes : sequence of int
        ``[d, m_1, ..., m_{L-1}, 1]``: input dimension, hidden widths, output 1.
    activation : str, default "tanh"
        Any activation name of :func:`aimath.nn.activation` with a derivative.
    beta : float, default 1.0
        Scale of the biases (:math:`\beta = 0` removes them).
    rng : seed or Generator
        For the standard normal initialisation.

    Attributes
    ----------
    params : list of (W, b)
        ``W`` of shape (m_k, m_{k-1}) and ``b`` of shape (m_k,), all initialised N(0, 1).

    Examples
    --------
    >>> net = NTKMLP([3, 256, 1], rng=0)
    >>> X = np.random.default_rng(1).standard_normal((4, 3))
    >>> net.ntk(X).shape
    (4, 4)
    """

    def __init__(self, sizes, activation="tanh", *, beta=1.0, rng=None):
        from aimath.nn import activation as act
        from aimath.nn import derivative

        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ShapeError(f"sizes must list at least 2 positive layer sizes, got {sizes}")
        if sizes[-1] != 1:
            raise ShapeError(f"NTKMLP has a scalar output: sizes[-1] must be 1, got {sizes[-1]}")
        self.sizes = sizes
        self.activation = activation
        self.beta = float(beta)
        self._rho, self._drho = act(activation), derivative(activation)
        rng = np.random.default_rng(rng)
        self.params = [(rng.standard_normal((o, i)), rng.standard_normal(o))
                       for i, o in zip(sizes[:-1], sizes[1:], strict=True)]

    def _check(self, X):
        X = np.asarray(X, dtype=np.float64)
        check_array(X, "X", ndim=2)
        if X.shape[1] != self.sizes[0]:
            raise ShapeError(f"X must have {self.sizes[0]} columns (the input size), got {X.shape[1]}")
        return X

    def _forward(self, X):
        a, cache, L = X, [], len(self.params)
        for k, (W, b) in enumerate(self.params):
            z = (a @ W.T) * (1.0 / np.sqrt(W.shape[1])) + self.beta * b
            a_prev = a
            a = self._rho(z) if k < L - 1 else z
            cache.append((a_prev, z, a))
        return a[:, 0], cache

    def _rho_prime(self, z, a):
        """ρ'(z), from the stored output a = ρ(z) where that is cheaper (tanh: 1 − a²)."""
        if self.activation == "tanh":
            return 1.0 - a * a
        return self._drho(z)

    def _deltas(self, cache):
        """δ_k of every layer, shape (n, m_k), from δ_L = 1."""
        L = len(self.params)
        delta = np.ones((cache[0][0].shape[0], 1))
        out = [None] * L
        for k in range(L - 1, -1, -1):
            out[k] = delta
            if k > 0:
                W = self.params[k][0]
                delta = (delta @ W) * (1.0 / np.sqrt(W.shape[1])) * self._rho_prime(*cache[k - 1][1:])
        return out

    def __call__(self, X):
        """The outputs :math:`f(x_i)`, shape (n,)."""
        return self._forward(self._check(X))[0]

    def ntk(self, X, Y=None):
        r"""The empirical NTK :math:`\Theta(x_i, y_j)`, shape (n, m); ``Y`` defaults to ``X``."""
        X = self._check(X)
        _, cx = self._forward(X)
        dx = self._deltas(cx)
        if Y is None:
            cy, dy = cx, dx
        else:
            _, cy = self._forward(self._check(Y))
            dy = self._deltas(cy)
        theta = 0.0
        for (ax, _, _), (ay, _, _), ex, ey in zip(cx, cy, dx, dy, strict=True):
            theta = theta + (ex @ ey.T) * ((ax @ ay.T) / ax.shape[1] + self.beta**2)
        return theta

    def loss_and_grad(self, X, y):
        r"""The loss :math:`\frac1{2n}\|f(X) - y\|^2` and its gradient, a list of ``(dW, db)``."""
        X = self._check(X)
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        if y.shape[0] != X.shape[0]:
            raise ShapeError(f"y must have {X.shape[0]} entries (one per row of X), got {y.shape[0]}")
        f, cache = self._forward(X)
        r = (f - y) / X.shape[0]
        grads = []
        for (a, _, _), delta in zip(cache, self._deltas(cache), strict=True):
            rd = r[:, None] * delta
            grads.append(((rd.T @ a) * (1.0 / np.sqrt(a.shape[1])), self.beta * rd.sum(axis=0)))
        return 0.5 * float(np.mean((f - y) ** 2)), grads

    def step(self, X, y, lr):
        """One full-batch gradient-descent step :math:`\\theta \\leftarrow \\theta - \\eta\\nabla L`;
        returns the loss before the step."""
        loss, grads = self.loss_and_grad(X, y)
        self.params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(self.params, grads, strict=True)]
        return loss

    def fit(self, X, y, *, lr, steps):
        """``steps`` gradient-descent steps; returns the losses, shape (steps + 1,)."""
        losses = [self.step(X, y, lr) for _ in range(int(steps))]
        losses.append(self.loss_and_grad(X, y)[0])
        return np.asarray(losses)


def _fro(A):
    return float(np.sqrt(np.sum(A * A)))


def lazy_training(width, X, y, *, activation="tanh", depth=1, lr=0.5, steps=100, rng=None):
    r"""Train one NTK-parameterised network and measure how far it moved.

    Parameters
    ----------
    width : int
        Width of each of the ``depth`` hidden layers.
    X, y : arrays of shape (n, d) and (n,)
    activation : str, default "tanh"
    depth : int, default 1
        Number of hidden layers.
    lr, steps : float, int
        Width-independent learning rate and number of full-batch steps. The step must stay below
        the stability edge :math:`2n/\lambda_{\max}(\Theta)`.
    rng : seed or Generator
        For the initialisation.

    Returns
    -------
    dict
        ``ntk_change`` :math:`\|\Theta_T - \Theta_0\|_F/\|\Theta_0\|_F`, ``weight_change``
        :math:`\|W_1(T) - W_1(0)\|_F / \|W_1(0)\|_F`, and ``loss0``, ``loss`` (before/after).
    """
    X = np.asarray(X, dtype=np.float64)
    net = NTKMLP([X.shape[1]] + [int(width)] * int(depth) + [1], activation, rng=rng)
    K0, W0 = net.ntk(X), net.params[0][0].copy()
    losses = net.fit(X, y, lr=lr, steps=steps)
    K1 = net.ntk(X)
    return {"ntk_change": _fro(K1 - K0) / _fro(K0),
            "weight_change": _fro(net.params[0][0] - W0) / _fro(W0),
            "loss0": float(losses[0]), "loss": float(losses[-1])}
