"""Benchmark results for the book: run ``benchmarks/<topic>.py`` and read their JSON.

The scripts (see ``benchmarks/_harness.py``) write ``{"topic", "machine", "quick", "time",
"rows": [{"case", "aimath_s", "reference_s", "reference", "ratio", "target", "ok", "note"}]}``.
"""

from __future__ import annotations

import fnmatch
import glob
import json
import math
import os
import subprocess
import sys
from collections.abc import Callable

__all__ = ["find_scripts_dir", "bench_scripts", "run_bench", "load_bench", "summarise"]


def find_scripts_dir(start: str | None = None) -> str | None:
    """The ``benchmarks`` folder: under ``start`` (default: the working directory) or the repository
    that holds this source tree; ``None`` when neither has one."""
    import aimath

    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(aimath.__file__))))
    for base in (start or os.getcwd(), repo):
        d = os.path.join(base, "benchmarks")
        if os.path.isfile(os.path.join(d, "_harness.py")):
            return d
    return None


def bench_scripts(scripts_dir: str, select: str | None = None) -> dict[str, str]:
    """``{topic: script path}`` for ``benchmarks/<topic>.py`` matching ``select`` (names or globs,
    comma-separated; all when ``None``)."""
    out = {}
    for path in sorted(glob.glob(os.path.join(scripts_dir, "*.py"))):
        topic = os.path.splitext(os.path.basename(path))[0]
        if topic.startswith("_"):
            continue
        if select:
            pats = [p.strip() for p in select.split(",") if p.strip()]
            if not any(fnmatch.fnmatchcase(topic, p) for p in pats):
                continue
        out[topic] = path
    return out


def run_bench(select: str | None, json_dir: str, *, quick: bool = False, scripts_dir: str | None = None,
              echo: Callable[[str], None] = print) -> dict[str, int]:
    """Run each selected benchmark script with ``--json <json_dir>/<topic>.json``.

    Returns ``{topic: exit status}``; the scripts' output is passed to ``echo`` line by line.
    """
    scripts_dir = scripts_dir or find_scripts_dir()
    if scripts_dir is None:
        raise FileNotFoundError("no benchmarks/ folder found (run from the repository root or pass scripts_dir)")
    scripts = bench_scripts(scripts_dir, select)
    os.makedirs(json_dir, exist_ok=True)
    status = {}
    for topic, path in scripts.items():
        cmd = [sys.executable, path, "--json", os.path.join(json_dir, f"{topic}.json")] + (["--quick"] if quick else [])
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                cwd=os.path.dirname(scripts_dir))
        assert proc.stdout is not None
        for line in proc.stdout:
            echo(line.rstrip("\n"))
        status[topic] = proc.wait()
    return status


def load_bench(json_dir: str) -> dict[str, dict]:
    """``{topic: results}`` from every readable ``<json_dir>/*.json``; unreadable files are reported
    as ``{"error": message}`` so the book can say so."""
    out: dict[str, dict] = {}
    for path in sorted(glob.glob(os.path.join(json_dir, "*.json"))):
        name = os.path.splitext(os.path.basename(path))[0]
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
                raise ValueError("expected an object with a 'rows' list")
        except (OSError, ValueError) as exc:
            out[name] = {"topic": name, "error": f"{type(exc).__name__}: {exc}", "rows": []}
            continue
        data.setdefault("topic", name)
        out[str(data["topic"])] = data
    return out


def summarise(data: dict) -> dict:
    """Cases, geometric-mean and worst ratio, and targets met for one topic's results."""
    ratios = [r["ratio"] for r in data.get("rows", []) if isinstance(r.get("ratio"), int | float)
              and r["ratio"] > 0 and math.isfinite(r["ratio"])]
    targets = [r for r in data.get("rows", []) if r.get("ok") is not None]
    return {
        "cases": len(data.get("rows", [])),
        "geomean": math.exp(sum(map(math.log, ratios)) / len(ratios)) if ratios else None,
        "worst": max(ratios) if ratios else None,
        "met": sum(1 for r in targets if r["ok"]),
        "with_target": len(targets),
    }
