"""Write the static site from build results with Jinja2 (autoescaped) templates.

Pages: ``index.html``, one ``<chapter>.html`` per chapter (``A1.html`` … ``B21.html``), one
``topic-<name>.html`` per topic, ``style.css`` and ``figures/*.svg``. All links are relative, so
the site works from ``file://``; there is no script and nothing is fetched from the network.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import platform
import subprocess
import sys
from collections import defaultdict

import jinja2

from aimath.book.api import ApiEntry
from aimath.book.bench import summarise
from aimath.book.chapters import CHAPTERS, TOPICS, chapter_sort_key
from aimath.book.text import inline_rst

__all__ = ["environment", "build_info", "write_site", "as_json"]

_TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def _fmt_value(x) -> str:
    """Measured/expected values in a short readable form (dicts as ``label: value`` pairs)."""
    from aimath.theorems import _fmt

    if x is None:
        return "—"
    if isinstance(x, dict) and "shape" not in x:
        return "; ".join(f"{k}: {_fmt_value(v)}" for k, v in x.items())
    return _fmt(x)


def _labelled(x) -> list[tuple[str, str]]:
    """``[(label, text)]``: one entry per part of an ``Evidence.all`` value, one unlabelled otherwise."""
    if isinstance(x, dict) and "shape" not in x:
        return [(str(k), _fmt_value(v)) for k, v in x.items()]
    return [("", _fmt_value(x))]


def _fmt_seconds(s) -> str:
    if s is None:
        return "—"
    s = float(s)
    if s < 1e-3:
        return f"{s * 1e6:.3g} µs"
    if s < 1:
        return f"{s * 1e3:.3g} ms"
    return f"{s:.3g} s"


def _fmt_ratio(r) -> str:
    return "—" if r is None else f"{float(r):.2f}×"


def environment() -> jinja2.Environment:
    """The Jinja2 environment: package templates, autoescaping on for every template, strict undefined."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(_TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["value"] = _fmt_value
    env.filters["labelled"] = _labelled
    env.filters["rst"] = inline_rst
    env.filters["seconds"] = _fmt_seconds
    env.filters["ratio"] = _fmt_ratio
    return env


def _git_commit(root: str) -> str:
    if not os.path.isdir(os.path.join(root, ".git")):
        return ""
    try:
        out = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             timeout=5, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def build_info(seconds: float, report) -> dict:
    """When, where and how the book was built."""
    import numpy

    import aimath

    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(aimath.__file__))))
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "seconds": seconds,
        "host": platform.node(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "numpy": numpy.__version__,
        "aimath": aimath.__version__,
        "commit": _git_commit(repo),
        "seed": report.seed,
        "select": report.select or "all",
        "cache_hits": report.cache_hits,
        "executed": report.executed,
    }


def _topic_pages(api: list[ApiEntry], bench: dict[str, dict], packages: list[str]) -> dict[str, dict]:
    topics = sorted(set(packages) | set(bench))
    pages = {}
    for t in topics:
        entries = [e for e in api if e.topic == t]
        chapters = sorted({c for e in entries for c in e.chapters} |
                          {c.id for c in CHAPTERS.values() if t in c.topics}, key=chapter_sort_key)
        data = bench.get(t)
        pages[t] = {
            "name": t, "title": TOPICS.get(t, t), "page": f"topic-{t}.html", "api": entries,
            "chapters": chapters, "bench": data, "summary": summarise(data) if data else None,
        }
    return pages


def write_site(out: str, report, api: list[ApiEntry], api_errors: dict[str, str], bench: dict[str, dict],
               packages: list[str], info: dict, cached: set[tuple[str, str]],
               sources: dict[str, str] | None = None) -> list[str]:
    """Render every page into ``out`` and return the paths written.

    ``sources`` maps theorem ids to the source code of their measuring function (shown folded).
    """
    env = environment()
    written: list[str] = []

    def write(name: str, text: str) -> None:
        path = os.path.join(out, name)
        if os.path.dirname(os.path.abspath(path)) != os.path.abspath(out):
            raise ValueError(f"refusing to write {name!r} outside {out!r}")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        written.append(path)

    by_ch_th, by_ch_fig, by_ch_api = defaultdict(list), defaultdict(list), defaultdict(list)
    for r in report.theorems:
        by_ch_th[r.chapter].append(r)
    for f in report.figures:
        by_ch_fig[f.chapter].append(f)
    for e in api:
        for c in e.chapters:
            by_ch_api[c].append(e)
    topics = _topic_pages(api, bench, packages)
    order = list(CHAPTERS)
    coverage = []
    for cid in order:
        ch = CHAPTERS[cid]
        ths = by_ch_th.get(cid, [])
        coverage.append({
            "chapter": ch, "api": by_ch_api.get(cid, []),
            "passed": sum(r.passed for r in ths), "total": len(ths), "figures": len(by_ch_fig.get(cid, [])),
        })
    other = sorted((set(by_ch_th) | set(by_ch_fig)) - set(CHAPTERS), key=chapter_sort_key)
    common = {"info": info, "chapters": [CHAPTERS[c] for c in order], "topics": topics, "cached": cached,
              "sources": sources or {}}
    write("index.html", env.get_template("index.html").render(
        **common, coverage=coverage, report=report, api_errors=api_errors,
        other=[(c, by_ch_th.get(c, []), by_ch_fig.get(c, [])) for c in other],
        bench_rows=[(t, p) for t, p in topics.items() if p["bench"]],
        n_api=len({(e.topic, e.name) for e in api}),
    ))
    for i, cid in enumerate(order):
        ch = CHAPTERS[cid]
        write(ch.page, env.get_template("chapter.html").render(
            **common, ch=ch, api=sorted(by_ch_api.get(cid, []), key=lambda e: (e.topic, e.name)),
            theorems=by_ch_th.get(cid, []), figures=by_ch_fig.get(cid, []),
            prev=CHAPTERS[order[i - 1]] if i > 0 else None,
            next=CHAPTERS[order[i + 1]] if i + 1 < len(order) else None,
        ))
    for page in topics.values():
        write(page["page"], env.get_template("topic.html").render(**common, topic=page))
    with open(os.path.join(_TEMPLATES, "style.css"), encoding="utf-8") as fh:
        write("style.css", fh.read())
    return written


def as_json(report, api: list[ApiEntry]) -> dict:
    """A machine-readable summary of the build (written as ``book.json``)."""
    return {
        "ok": report.ok, "seed": report.seed, "select": report.select, "seconds": report.seconds,
        "cache_hits": report.cache_hits, "executed": report.executed,
        "theorems": [r.to_dict() for r in report.theorems],
        "figures": [f.to_dict() for f in report.figures],
        "failures": [dataclasses.asdict(f) for f in report.failures],
        "api": [dataclasses.asdict(e) for e in api],
    }
