"""Benchmarks of aimath.autodiff against PyTorch's autograd on the CPU, in the same process.

Cases (issue 4):
- MLP 784-256-256-10, batch 128: forward + backward + SGD step, float32 and float64 (target 1.5x);
- a chain of 1,000 small elementwise ops, forward + backward: per-op time (target 2x);
- ``hessian`` of a 100-variable function vs torch.autograd.functional.hessian (target 3x).

Both libraries run on one thread (torch and the BLAS under NumPy), so that the ratios compare the
same work and stay stable on a shared machine.

Run: ``.venv/bin/python benchmarks/autodiff.py [--quick] [--json build/bench/autodiff.json]``.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import aimath.autodiff as ad  # noqa: E402
from _harness import Case, main  # noqa: E402
from aimath.autodiff import Tensor  # noqa: E402


def _mlp_case(dtype, batch=128, sizes=(784, 256, 256, 10), lr=1e-3):
    g = np.random.default_rng(0)
    X = g.standard_normal((batch, sizes[0])).astype(dtype)
    y = g.integers(0, sizes[-1], batch)
    shapes = [(sizes[i], sizes[i + 1]) for i in range(len(sizes) - 1)]
    init = []
    for m, n in shapes:
        init.append((g.standard_normal((m, n)) / np.sqrt(m)).astype(dtype))
        init.append(np.zeros(n, dtype=dtype))
    params = [Tensor(w.copy(), requires_grad=True) for w in init]
    rows = np.arange(batch)
    Xc = Tensor(X)

    def ours():
        h = Xc
        for i in range(0, len(params), 2):
            h = h @ params[i] + params[i + 1]
            if i + 2 < len(params):
                h = ad.relu(h)
        loss = -ad.log_softmax(h)[rows, y].mean()
        loss.backward()
        for p in params:
            p.data -= lr * p.grad
            p.grad = None
        return loss

    tparams = [torch.tensor(w.copy(), requires_grad=True) for w in init]
    Xt, yt = torch.tensor(X), torch.tensor(y)

    def ref():
        h = Xt
        for i in range(0, len(tparams), 2):
            h = h @ tparams[i] + tparams[i + 1]
            if i + 2 < len(tparams):
                h = torch.relu(h)
        loss = torch.nn.functional.cross_entropy(h, yt)
        loss.backward()
        with torch.no_grad():
            for p in tparams:
                p -= lr * p.grad
                p.grad = None
        return loss

    name = f"MLP 784-256-256-10 b={batch} fwd+bwd+SGD {np.dtype(dtype).name}"
    return Case(name, ours, ref, "torch autograd", target=1.5)


def _chain_case(n_ops=1000, size=8):
    x0 = np.linspace(0.1, 0.9, size)

    def ours():
        x = Tensor(x0, requires_grad=True)
        y = x
        for _ in range(n_ops // 4):
            y = ad.sin(y * 1.01 + 0.01).tanh()
        y.sum().backward()
        return x.grad

    def ref():
        x = torch.tensor(x0, requires_grad=True)
        y = x
        for _ in range(n_ops // 4):
            y = torch.sin(y * 1.01 + 0.01).tanh()
        y.sum().backward()
        return x.grad

    return Case(f"chain of {n_ops} elementwise ops fwd+bwd (size {size})", ours, ref, "torch autograd",
                target=2.0, note="ratio of per-op times = ratio of totals")


def _hessian_case(n=100):
    g = np.random.default_rng(1)
    A = g.standard_normal((n, n)) / np.sqrt(n)
    b = g.standard_normal(n)
    x0 = g.standard_normal(n)
    At, bt = torch.tensor(A), torch.tensor(b)
    Ac = Tensor(A)

    def f(x):
        return ad.logsumexp(ad.tanh(Ac @ x) + b) + 0.5 * (x * x).sum() + ad.softplus(x).sum()

    def ft(x):
        return torch.logsumexp(torch.tanh(At @ x) + bt, 0) + 0.5 * (x * x).sum() + torch.nn.functional.softplus(x).sum()

    xt = torch.tensor(x0)
    H = ad.hessian(f)(x0)
    Ht = torch.autograd.functional.hessian(ft, xt).numpy()
    err = float(np.abs(H - Ht).max())
    return Case(f"hessian of a {n}-variable function", lambda: ad.hessian(f)(x0),
                lambda: torch.autograd.functional.hessian(ft, xt), "torch.autograd.functional.hessian",
                target=3.0, note=f"max |H - H_torch| = {err:.2g}")


def _single_thread():
    """Run both libraries on one thread (BLAS and torch): on a shared 2-core machine, spinning BLAS
    threads make multi-threaded timings swing by 10x; one thread each compares the same work."""
    torch.set_num_threads(1)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # threadpoolctl comes with scikit-learn; without it BLAS keeps its default
        return
    threadpool_limits(1)


def cases(quick: bool):
    _single_thread()
    note = "both single-threaded"
    out = [_mlp_case(np.float32), _mlp_case(np.float64), _chain_case(), _hessian_case()]
    for c in out:
        c.note = f"{c.note}; {note}" if c.note else note
    return out


if __name__ == "__main__":
    main("autodiff", cases)
