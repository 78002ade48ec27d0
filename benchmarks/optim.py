"""Per-step time of aimath's optimizers against torch.optim on one 10⁶-parameter vector.

Each case times ``opt.step()`` with a fixed gradient: aimath on a NumPy array (and, marked
``[torch data]``, on a torch tensor through the same rule) against the torch.optim optimizer with the
same hyper-parameters on a torch tensor (CPU, default single-tensor path). Ratios only; the issue
sets no target. With a fixed gradient, centred RMSprop's variance estimate v − m² decays to round-off
and float32 hits sqrt of tiny negatives (NaN, as in torch); those warnings are silenced.

    python benchmarks/optim.py [--quick] [--json build/bench/optim.json]
"""

from __future__ import annotations

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _harness import Case, main  # noqa: E402


class _Param:
    def __init__(self, data, grad):
        self.data, self.grad = data, grad


CONFIGS = [
    ("SGD", dict(lr=1e-3)),
    ("SGD", dict(lr=1e-3, momentum=0.9)),
    ("SGD", dict(lr=1e-3, momentum=0.9, nesterov=True, weight_decay=1e-4)),
    ("Adagrad", dict(lr=1e-2)),
    ("RMSprop", dict(lr=1e-3)),
    ("RMSprop", dict(lr=1e-3, momentum=0.9, centered=True)),
    ("Adam", dict(lr=1e-3)),
    ("Adam", dict(lr=1e-3, amsgrad=True)),
    ("AdamW", dict(lr=1e-3, weight_decay=1e-2)),
]


def cases(quick: bool) -> list[Case]:
    import torch

    from aimath import optim

    np.seterr(invalid="ignore")
    n = 100_000 if quick else 1_000_000
    rng = np.random.default_rng(0)
    out = []
    for dtype in ("float64", "float32"):
        x0 = rng.standard_normal(n).astype(dtype)
        g0 = rng.standard_normal(n).astype(dtype) * 1e-3
        for name, hp in CONFIGS:
            label = f"{name}({', '.join(f'{k}={v}' for k, v in hp.items() if k != 'lr')}) {dtype} n={n:g}"
            ours = getattr(optim, name)([_Param(x0.copy(), g0.copy())], **hp)
            tp = torch.nn.Parameter(torch.tensor(x0))
            tp.grad = torch.tensor(g0)
            ref = getattr(torch.optim, name)([tp], **hp)
            out.append(Case(label, ours.step, ref.step, reference_name=f"torch.optim.{name}"))
            if dtype == "float64" and name in ("SGD", "Adam") and len(hp) == 1:
                tours = getattr(optim, name)([_Param(torch.tensor(x0), torch.tensor(g0))], **hp)
                out.append(Case(label + " [torch data]", tours.step, ref.step, reference_name=f"torch.optim.{name}"))
    return out


if __name__ == "__main__":
    main("optim", cases)
