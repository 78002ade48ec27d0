"""Shared timing harness for ``benchmarks/<topic>.py``.

Each topic script builds a list of :class:`Case` (aimath vs its reference on the same inputs, in
the same process), calls :func:`main` with it, and gets a printed ratio table plus, with
``--json FILE``, a JSON file the book reads. Usage of a topic script::

    python benchmarks/linalg.py [--quick] [--json build/bench/linalg.json] [-k FILTER]

``ratio`` is aimath's time over the reference's (lower is better): the rounds of the two alternate
and the ratio is the median of the per-round ratios (:func:`time_pair`); ``target`` is the ratio
the issue asks for (``None`` when only reported).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable

__all__ = ["Case", "time_call", "time_pair", "machine", "main"]


@dataclasses.dataclass
class Case:
    """One comparison: ``ours`` and ``reference`` are zero-argument callables doing the same work."""

    name: str
    ours: Callable[[], object]
    reference: Callable[[], object] | None
    reference_name: str = ""
    target: float | None = None  # required ratio ours/reference (<=)
    note: str = ""
    higher_is_better: bool = False  # set when the callables return a throughput instead of timing


def time_call(fn: Callable[[], object], *, repeat: int = 5, min_time: float = 0.2, warmup: int = 1) -> float:
    """Median seconds per call over ``repeat`` rounds, each long enough to measure (≥ ``min_time``)."""
    for _ in range(warmup):
        fn()
    t0 = time.perf_counter()
    fn()
    one = max(time.perf_counter() - t0, 1e-9)
    inner = max(1, int(min_time / one))
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(inner):
            fn()
        samples.append((time.perf_counter() - t0) / inner)
    return statistics.median(samples)


def time_pair(ours: Callable[[], object], ref: Callable[[], object], *, repeat: int = 5,
              min_time: float = 0.2) -> tuple[float, float, float]:
    """Paired timing: rounds of ``ours`` and ``ref`` alternate, so a drift in the machine's speed
    (other tenants, frequency) hits both alike. Returns the median seconds per call of each and the
    median of the per-round ratios ours/ref."""
    inner = []
    for fn in (ours, ref):
        fn()  # warm-up
        t0 = time.perf_counter()
        fn()
        inner.append(max(1, int(min_time / max(time.perf_counter() - t0, 1e-9))))
    a, b = [], []
    for _ in range(repeat):
        for fn, k, out in ((ours, inner[0], a), (ref, inner[1], b)):
            t0 = time.perf_counter()
            for _ in range(k):
                fn()
            out.append((time.perf_counter() - t0) / k)
    return statistics.median(a), statistics.median(b), statistics.median(x / y for x, y in zip(a, b, strict=True))


def machine() -> dict:
    """A short description of where the numbers were taken."""
    info = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
            "processor": platform.processor() or platform.machine()}
    try:
        import numpy as np

        info["numpy"] = np.__version__
    except ImportError:  # pragma: no cover
        pass
    try:
        import torch

        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    except ImportError:
        pass
    return info


def main(topic: str, cases: Callable[[bool], list[Case]] | list[Case], argv: list[str] | None = None) -> list[dict]:
    """Run ``cases`` (or ``cases(quick)``), print the ratio table, optionally write JSON."""
    ap = argparse.ArgumentParser(description=f"aimath {topic} benchmarks")
    ap.add_argument("--quick", action="store_true", help="smaller sizes and fewer repeats")
    ap.add_argument("--json", default=None, help="write results to this JSON file")
    ap.add_argument("-k", default=None, help="only cases whose name contains this")
    ap.add_argument("--repeat", type=int, default=None)
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    try:
        import torch

        torch.set_num_threads(2)
    except ImportError:
        pass
    todo = cases(args.quick) if callable(cases) else cases
    if args.k:
        todo = [c for c in todo if args.k in c.name]
    repeat = args.repeat or (3 if args.quick else 5)
    rows = []
    print(f"aimath benchmarks: {topic}")
    print(f"{'case':52s} {'aimath':>11s} {'reference':>11s} {'ratio':>7s} {'target':>7s}  ok")
    for c in todo:
        if c.reference is not None and not c.higher_is_better:
            ours, ref, ratio = time_pair(c.ours, c.reference, repeat=repeat)
        else:
            ours = time_call(c.ours, repeat=repeat)
            ref = time_call(c.reference, repeat=repeat) if c.reference is not None else None
            ratio = ours / ref if ref else None
        ok = None if (ratio is None or c.target is None) else ratio <= c.target
        rows.append({"topic": topic, "case": c.name, "aimath_s": ours, "reference_s": ref,
                     "reference": c.reference_name, "ratio": ratio, "target": c.target, "ok": ok,
                     "note": c.note})
        rs = f"{ref:11.3g}" if ref is not None else f"{'-':>11s}"
        ra = f"{ratio:7.2f}" if ratio is not None else f"{'-':>7s}"
        ta = f"{c.target:7.2f}" if c.target is not None else f"{'-':>7s}"
        mark = "" if ok is None else ("yes" if ok else "NO")
        print(f"{c.name[:52]:52s} {ours:11.3g} {rs} {ra} {ta}  {mark}", flush=True)
        if c.note:
            print(f"    {c.note}", flush=True)
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as fh:
            json.dump({"topic": topic, "machine": machine(), "quick": args.quick,
                       "time": time.strftime("%Y-%m-%d %H:%M:%S"), "rows": rows}, fh, indent=1)
    return rows
