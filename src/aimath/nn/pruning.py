"""SVD pruning of a trained network's weight matrices below the Marchenko–Pastur edge (A11).

Curriculum: A11.
"""

from __future__ import annotations

import copy

from aimath import backend as B
from aimath.nn.layers import Linear
from aimath.nn.random_matrix import svd_prune_matrix

__all__ = ["prune_svd"]


def prune_svd(model, threshold="mp", *, min_size: int = 16, inplace: bool = False):
    """Replace every Linear weight W by its truncated SVD, keeping singular values above the threshold.

    .. math:: W = \\sum_i s_i u_i v_i^\\top \\;\\mapsto\\; \\sum_{s_i > \\tau} s_i u_i v_i^\\top,
              \\qquad \\tau = \\hat\\sigma(\\sqrt{m} + \\sqrt{n}) \\;(\\text{threshold} = \\text{"mp"})

    The singular values of an m × n matrix of iid N(0, σ²) noise fill [0, σ(√m + √n)] (the
    Marchenko–Pastur bulk of WᵀW); what training added stands out above the edge, so cutting the
    bulk removes mostly noise.

    Parameters
    ----------
    model : Module
    threshold : "mp" or float
        See :func:`aimath.nn.svd_prune_matrix`.
    min_size : int
        Layers whose weight has fewer than this many rows or columns are left alone.
    inplace : bool
        Modify ``model`` (default: a deep copy is pruned).

    Returns
    -------
    pruned : Module
    ranks : dict
        Layer name → (kept rank, full rank).

    Curriculum: A11.
    """
    target = model if inplace else copy.deepcopy(model)
    ranks = {}
    for name, m in _named_modules(target):
        if isinstance(m, Linear) and min(m.weight.shape) >= min_size:
            W = m.weight.data
            Wp, r = svd_prune_matrix(W, threshold)
            m.weight.data[...] = B.asarray(Wp, like=W)
            ranks[name] = (r, min(W.shape))
    return target, ranks


def _named_modules(module, prefix=""):
    yield prefix.rstrip("."), module
    for name, child in module.named_children():
        yield from _named_modules(child, prefix + name + ".")
