"""Shared op cases for the autodiff tests: each op with its torch reference, input shapes and domain."""

from __future__ import annotations

import numpy as np
import torch

import aimath.autodiff as ad

# name: (ours, torch reference, input shapes, domain)  -- domain "pos" draws inputs in (0.5, 2)
OPS = {
    "add": (lambda a, b: a + b, lambda a, b: a + b, [(3, 4), (4,)], None),
    "radd-const": (lambda a: 2.5 + a, lambda a: 2.5 + a, [(3,)], None),
    "sub": (lambda a, b: a - b, lambda a, b: a - b, [(2, 1, 3), (4, 1)], None),
    "rsub-const": (lambda a: 1.0 - a, lambda a: 1.0 - a, [(3,)], None),
    "mul": (lambda a, b: a * b, lambda a, b: a * b, [(3, 1), (1, 4)], None),
    "div": (lambda a, b: a / b, lambda a, b: a / b, [(3, 4), (4,)], "pos"),
    "rdiv-const": (lambda a: 2.0 / a, lambda a: 2.0 / a, [(3,)], "pos"),
    "pow-const": (lambda a: a**3, lambda a: a**3, [(5,)], None),
    "pow-half": (lambda a: a**0.5, lambda a: a**0.5, [(5,)], "pos"),
    "pow-tensor": (lambda a, b: a**b, lambda a, b: a**b, [(2, 3), (3,)], "pos"),
    "rpow": (lambda a: 2.0**a, lambda a: 2.0**a, [(4,)], None),
    "neg": (lambda a: -a, lambda a: -a, [(2, 2)], None),
    "matmul-2d": (lambda a, b: a @ b, lambda a, b: a @ b, [(3, 4), (4, 2)], None),
    "matmul-batched": (lambda a, b: a @ b, lambda a, b: a @ b, [(2, 3, 4), (4, 5)], None),
    "matmul-bcast": (lambda a, b: a @ b, lambda a, b: a @ b, [(2, 1, 3, 4), (5, 4, 2)], None),
    "matmul-vec-mat": (lambda a, b: a @ b, lambda a, b: a @ b, [(4,), (2, 4, 3)], None),
    "matmul-mat-vec": (lambda a, b: a @ b, lambda a, b: a @ b, [(2, 3, 4), (4,)], None),
    "matmul-vec-vec": (lambda a, b: a @ b, lambda a, b: a @ b, [(4,), (4,)], None),
    "exp": (ad.exp, torch.exp, [(3, 2)], None),
    "log": (ad.log, torch.log, [(3, 2)], "pos"),
    "log1p": (ad.log1p, torch.log1p, [(4,)], "pos"),
    "sqrt": (ad.sqrt, torch.sqrt, [(4,)], "pos"),
    "square": (ad.square, torch.square, [(4,)], None),
    "sin": (ad.sin, torch.sin, [(4,)], None),
    "cos": (ad.cos, torch.cos, [(4,)], None),
    "tanh": (ad.tanh, torch.tanh, [(4,)], None),
    "sigmoid": (ad.sigmoid, torch.sigmoid, [(6,)], None),
    "relu": (ad.relu, torch.relu, [(6,)], None),
    "softplus": (ad.softplus, torch.nn.functional.softplus, [(6,)], None),
    "abs": (ad.abs, torch.abs, [(6,)], None),
    "maximum": (ad.maximum, torch.maximum, [(3, 4), (4,)], None),
    "minimum": (ad.minimum, torch.minimum, [(3, 4), (3, 1)], None),
    "where": (lambda a, b: ad.where(a.data > 0, a, b), lambda a, b: torch.where(a > 0, a, b), [(3, 4), (4,)], None),
    "clip": (lambda a: ad.clip(a, -0.5, 0.7), lambda a: torch.clamp(a, -0.5, 0.7), [(8,)], None),
    "sum-all": (lambda a: a.sum(), lambda a: a.sum(), [(3, 4)], None),
    "sum-axis": (lambda a: a.sum(axis=1), lambda a: a.sum(dim=1), [(3, 4, 2)], None),
    "sum-axes-keep": (lambda a: a.sum(axis=(0, 2), keepdims=True), lambda a: a.sum(dim=(0, 2), keepdim=True),
                      [(3, 4, 2)], None),
    "mean": (lambda a: a.mean(axis=-1), lambda a: a.mean(dim=-1), [(3, 4)], None),
    "var": (lambda a: a.var(axis=0, ddof=1), lambda a: a.var(dim=0, correction=1), [(5, 3)], None),
    "max": (lambda a: a.max(axis=1), lambda a: a.amax(dim=1), [(3, 5)], None),
    "min-all": (lambda a: a.min(), lambda a: a.amin(), [(3, 5)], None),
    "logsumexp": (lambda a: ad.logsumexp(a, axis=1), lambda a: torch.logsumexp(a, dim=1), [(3, 5)], None),
    "logsumexp-all": (lambda a: ad.logsumexp(a * 300), lambda a: torch.logsumexp((a * 300).reshape(-1), 0),
                      [(2, 3)], None),
    "softmax": (lambda a: ad.softmax(a, axis=0), lambda a: torch.softmax(a, dim=0), [(4, 3)], None),
    "log_softmax": (ad.log_softmax, lambda a: torch.log_softmax(a, dim=-1), [(3, 5)], None),
    "reshape": (lambda a: a.reshape(6, 2), lambda a: a.reshape(6, 2), [(3, 4)], None),
    "transpose": (lambda a: a.transpose(2, 0, 1), lambda a: a.permute(2, 0, 1), [(2, 3, 4)], None),
    "T": (lambda a: a.T, lambda a: a.permute(1, 0), [(2, 3)], None),
    "mT": (lambda a: a.mT, lambda a: a.mT, [(2, 3, 4)], None),
    "broadcast_to": (lambda a: a.broadcast_to((2, 3, 4)), lambda a: a.broadcast_to((2, 3, 4)), [(3, 1)], None),
    "squeeze": (lambda a: a.squeeze(), lambda a: a.squeeze(), [(3, 1, 2)], None),
    "expand_dims": (lambda a: ad.expand_dims(a, 1), lambda a: a.unsqueeze(1), [(3, 2)], None),
    "getitem-slice": (lambda a: a[1:, ::2], lambda a: a[1:, ::2], [(3, 5)], None),
    "getitem-int": (lambda a: a[1], lambda a: a[1], [(3, 5)], None),
    "getitem-fancy-repeat": (lambda a: a[[0, 2, 0, 0]], lambda a: a[[0, 2, 0, 0]], [(3, 5)], None),
    "getitem-mixed": (lambda a: a[:, [1, 1, 3]], lambda a: a[:, [1, 1, 3]], [(3, 5)], None),
    "getitem-none-ellipsis": (lambda a: a[None, ..., 0], lambda a: a[None, ..., 0], [(3, 5)], None),
    "concatenate": (lambda a, b: ad.concatenate([a, b, a], axis=1), lambda a, b: torch.cat([a, b, a], dim=1),
                    [(2, 3), (2, 1)], None),
    "stack": (lambda a, b: ad.stack([a, b], axis=1), lambda a, b: torch.stack([a, b], dim=1), [(2, 3), (2, 3)], None),
    "einsum-matmul": (lambda a, b: ad.einsum("ij,jk->ik", a, b), lambda a, b: torch.einsum("ij,jk->ik", a, b),
                      [(3, 4), (4, 2)], None),
    "einsum-batched-dot": (lambda a, b: ad.einsum("bi,bi->b", a, b), lambda a, b: torch.einsum("bi,bi->b", a, b),
                           [(3, 4), (3, 4)], None),
    "einsum-implicit-outer": (lambda a, b: ad.einsum("i,j", a, b), lambda a, b: torch.einsum("i,j", a, b),
                              [(3,), (2,)], None),
    "einsum-summed-away": (lambda a, b: ad.einsum("ij,k->i", a, b), lambda a, b: torch.einsum("ij,k->i", a, b),
                           [(3, 4), (2,)], None),
    "einsum-three": (lambda a, b, c: ad.einsum("ij,jk,kl->il", a, b, c),
                     lambda a, b, c: torch.einsum("ij,jk,kl->il", a, b, c), [(2, 3), (3, 4), (4, 2)], None),
    "solve-vec": (ad.solve, torch.linalg.solve, [(4, 4), (4,)], "wellcond"),
    "solve-mat-batched": (ad.solve, torch.linalg.solve, [(2, 3, 3), (3, 2)], "wellcond"),
    "inv": (ad.inv, torch.linalg.inv, [(2, 3, 3)], "wellcond"),
    "det": (ad.det, torch.linalg.det, [(3, 3)], "wellcond"),
    "det-batched": (ad.det, torch.linalg.det, [(2, 3, 3)], "wellcond"),
    "slogdet": (lambda a: ad.slogdet(a)[1], lambda a: torch.linalg.slogdet(a)[1], [(2, 4, 4)], "wellcond"),
}


def _inputs(shapes, domain, seed):
    g = np.random.default_rng(seed)
    if domain == "pos":
        return [g.uniform(0.5, 2.0, s) for s in shapes]
    if domain == "wellcond":  # square inputs get 3 I added, so they are far from singular
        return [g.standard_normal(s) + (3 * np.eye(s[-1]) if len(s) >= 2 and s[-1] == s[-2] else 0) for s in shapes]
    return [g.standard_normal(s) for s in shapes]
