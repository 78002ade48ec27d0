"""Book A's backpropagation, written out layer by layer with plain arrays (no autodiff engine).

For a batch of rows the forward pass stores z_k = a_{k−1} W_kᵀ + b_k and a_k = ρ(z_k); the backward
pass runs the recursion

.. math::

    \\delta_L = \\frac{\\partial \\ell}{\\partial z_L}, \\qquad
    \\delta_k = (\\delta_{k+1} W_{k+1}) \\odot \\rho'(z_k), \\qquad
    \\frac{\\partial \\ell}{\\partial W_k} = \\delta_k^{\\top} a_{k-1}, \\qquad
    \\frac{\\partial \\ell}{\\partial b_k} = \\mathbf 1^{\\top} \\delta_k,

which is the column form δ_k = (W_{k+1}ᵀ δ_{k+1}) ⊙ ρ′(z_k), ∂ℓ/∂W_k = δ_k a_{k−1}ᵀ summed over the
samples of the batch. This is the textbook form that the engine (:mod:`aimath.autodiff`) is
tested equal to.

Curriculum: A7.
"""

from __future__ import annotations

from aimath import backend as B
from aimath.errors import AimathError
from aimath.nn.activations import derivative
from aimath.nn.losses import LOSSES, loss_grad
from aimath.nn.network import as_network

__all__ = ["backprop"]


def backprop(mlp, X, y, loss: str = "cross_entropy"):
    """Loss and gradients of a dense network by the explicit layer recursion.

    Parameters
    ----------
    mlp : Network or MLP
        The network (an :class:`aimath.nn.MLP` is read through ``to_network()``).
    X : array of shape (n, d_0)
    y : array
        Integer labels of shape (n,) for ``cross_entropy``; targets of the output's shape for
        ``mse``; labels in {−1, +1} of shape (n,) for ``hinge``/``logistic`` (scalar output).
    loss : {'cross_entropy', 'mse', 'hinge', 'logistic'}
        Mean over the batch.

    Returns
    -------
    value : float
        The loss.
    grads : list of (dW, db)
        ∂ℓ/∂W_k of shape (d_k, d_{k−1}) and ∂ℓ/∂b_k of shape (d_k,), one pair per layer.

    Raises
    ------
    ShapeError, DomainError
        Bad shapes, NaN inputs or labels out of range.
    AimathError
        Unknown loss, or a softmax output layer (use ``cross_entropy`` on logits instead).

    Curriculum: A7.

    Examples
    --------
    >>> import numpy as np
    >>> from aimath.nn import Network
    >>> net = Network(((np.eye(2), np.zeros(2)), (np.ones((1, 2)), np.zeros(1))), "relu")
    >>> value, grads = backprop(net, np.array([[1.0, -1.0]]), np.array([[0.0]]), loss="mse")
    >>> value, grads[1][0]
    (1.0, array([[2., 0.]]))
    """
    net = as_network(mlp)
    if loss not in LOSSES:
        raise AimathError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}")
    out, zs, acts = net.forward(X, keep=True)
    scalar = loss in ("hinge", "logistic")
    if scalar and out.shape[1] != 1:
        raise AimathError(f"loss {loss!r} needs a network with one output, got {out.shape[1]}")
    xp = B.namespace(out)
    head = out[:, 0] if scalar else out
    value = float(LOSSES[loss](head, y))
    # δ_L = ∂ℓ/∂z_L: the loss gradient times the output activation's derivative
    g = loss_grad(loss, head, y)
    delta = (g[:, None] if scalar else g) * derivative(net.output)(zs[-1])
    grads = [None] * net.depth
    for k in range(net.depth - 1, -1, -1):
        W, _ = net.layers[k]
        grads[k] = (xp.matrix_transpose(delta) @ acts[k], xp.sum(delta, axis=0))  # δ_kᵀ a_{k−1}, 1ᵀδ_k
        if k > 0:
            delta = (delta @ W) * derivative(net.activation)(zs[k - 1])  # (W_{k+1}ᵀ δ_{k+1}) ⊙ ρ′(z_k)
    return value, grads
