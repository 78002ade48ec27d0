r"""The empirical neural tangent kernel of an aimath.nn model.

For a network :math:`f_\theta` with scalar output, the (empirical) neural tangent kernel is the
Gram matrix of the parameter gradients,

.. math:: \Theta(x, x') = \Big\langle \frac{\partial f_\theta(x)}{\partial\theta},
          \frac{\partial f_\theta(x')}{\partial\theta} \Big\rangle .

Gradient descent on a squared loss moves the outputs by :math:`\dot f = -\Theta(f - y)/n`; for
wide networks in the NTK scaling :math:`\Theta` barely changes during training (its relative
change is :math:`O(m^{-1/2})` in the width m by the lazy-training bound, and falls like
:math:`m^{-1}` for smooth activations: :mod:`aimath.learn.ntk_mlp`), so training behaves like
kernel regression.

Two forms: :func:`ntk` for a dense :class:`aimath.nn.MLP` uses the layer recursion of
backpropagation vectorised over samples — with :math:`\delta_L = 1`,
:math:`\delta_k = (\delta_{k+1}W_{k+1}) \odot \rho'(z_k)` and activations :math:`a_k`,

.. math:: \Theta = \sum_k (\delta_k\delta_k^\top) \odot (a_{k-1}a_{k-1}^\top + 1),

(the +1 is the bias); :func:`ntk_autodiff` builds the per-sample gradients with the aimath
autodiff engine, one sample at a time, for any scalar-output module.

Curriculum: A10.
"""

from __future__ import annotations

import numpy as np

from aimath.errors import ShapeError, check_array

__all__ = ["ntk", "ntk_autodiff", "mlp_jacobians"]


def _network(model):
    from aimath.nn import MLP, Network

    if isinstance(model, Network):
        return model
    if isinstance(model, MLP):
        return model.to_network()
    return None


def mlp_jacobians(model, X):
    r"""Per-sample gradients of a scalar-output MLP with respect to each layer's weight and bias.

    Returns a list over layers of ``(dW, db)`` with ``dW`` of shape (n, out, in) given as the
    factors ``(delta, a_prev)`` — :math:`\partial f(x_i)/\partial W_k = \delta_k[i]\, a_{k-1}[i]^\top` —
    and ``db = delta`` of shape (n, out).

    Raises
    ------
    ShapeError
        The network's output is not one-dimensional.
    """
    from aimath.nn import activation, derivative

    net = _network(model)
    X = np.asarray(X, dtype=np.float64)
    check_array(X, "X", ndim=2)
    rho, drho = activation(net.activation), derivative(net.activation)
    acts, zs = [X], []
    a = X
    for k, (W, b) in enumerate(net.layers):
        z = a @ np.asarray(W).T + np.asarray(b)
        zs.append(z)
        a = rho(z) if k < len(net.layers) - 1 else z
        acts.append(a)
    if acts[-1].shape[1] != 1:
        raise ShapeError(f"ntk needs a scalar-output model, got output shape {acts[-1].shape}")
    delta = np.ones((X.shape[0], 1))
    out = [None] * len(net.layers)
    for k in range(len(net.layers) - 1, -1, -1):
        out[k] = (delta, acts[k])
        if k > 0:
            delta = (delta @ np.asarray(net.layers[k][0])) * drho(zs[k - 1])
    return out


def ntk(model, X, Y=None):
    r"""The empirical NTK :math:`\Theta(x_i, y_j)` of a scalar-output model.

    Parameters
    ----------
    model : aimath.nn.MLP, aimath.nn.Network or any scalar-output aimath.nn Module
        Dense networks use the vectorised layer recursion; other modules fall back to
        :func:`ntk_autodiff`.
    X : array of shape (n, d)
    Y : array of shape (m, d), optional
        Defaults to ``X``.

    Returns
    -------
    Theta : array of shape (n, m)

    Raises
    ------
    ShapeError
        The model's output is not scalar, or ``X`` is not 2-D.

    Curriculum: A10.

    Examples
    --------
    >>> from aimath.nn import MLP
    >>> net = MLP([2, 16, 1], activation="tanh", rng=0)
    >>> X = np.random.default_rng(1).standard_normal((5, 2))
    >>> bool(np.allclose(ntk(net, X), ntk_autodiff(net, X)))
    True
    """
    net = _network(model)
    if net is None or net.output is not None:
        return ntk_autodiff(model, X, Y)
    JX = mlp_jacobians(net, X)
    JY = JX if Y is None else mlp_jacobians(net, Y)
    theta = 0.0
    for (dx, ax), (dy, ay) in zip(JX, JY, strict=True):
        theta = theta + (dx @ dy.T) * (ax @ ay.T + 1.0)
    return theta


def ntk_autodiff(model, X, Y=None):
    """The empirical NTK from per-sample gradients by reverse-mode autodiff (textbook form).

    Same arguments and return as :func:`ntk`; one backward pass per sample.
    """
    X = np.asarray(X, dtype=np.float64)
    check_array(X, "X", ndim=2)
    params = list(model.parameters())

    def grads(Z):
        rows = []
        for i in range(Z.shape[0]):
            model.zero_grad()
            out = model(Z[i : i + 1])
            if int(np.prod(out.shape)) != 1:
                raise ShapeError(f"ntk needs a scalar-output model, got output shape {tuple(out.shape)}")
            out.sum().backward()
            rows.append(np.concatenate([np.asarray(p.grad, dtype=np.float64).ravel() for p in params]))
        model.zero_grad()
        return np.asarray(rows)

    GX = grads(X)
    GY = GX if Y is None else grads(np.asarray(Y, dtype=np.float64))
    return GX @ GY.T
