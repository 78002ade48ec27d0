"""Build the companion book: run (or fetch from the cache) every selected theorem and figure, then
write the static site.

>>> from aimath.book import build                                  # doctest: +SKIP
>>> report = build("build/book", select="B2", workers=2)           # doctest: +SKIP
>>> report.ok, report.index                                        # doctest: +SKIP
(True, '/…/build/book/index.html')
"""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import time
from collections.abc import Callable
from typing import Any

from aimath import figures as F
from aimath import theorems as T
from aimath.book.cache import ResultCache, SourceHasher, safe_name

__all__ = ["BuildReport", "Failure", "build", "default_workers", "make_executor"]


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclasses.dataclass
class Failure:
    """A failed theorem, figure or import, with the command that reruns just that one."""

    kind: str
    id: str
    message: str
    rerun: str


@dataclasses.dataclass
class BuildReport:
    """What a build did: results, cache use, failures, timing and where the site is."""

    out: str
    theorems: list[T.Result]
    figures: list[F.FigureResult]
    failures: list[Failure]
    cache_hits: int
    executed: int
    seconds: float
    seed: int
    select: str | None

    @property
    def ok(self) -> bool:
        """``True`` when every theorem passed, every figure rendered and every topic imported."""
        return not self.failures

    @property
    def index(self) -> str:
        return os.path.join(self.out, "index.html")


def make_executor(scheduler: str | None, workers: int):
    """``(client, cluster)`` for a Dask ``scheduler`` address or ``"local"`` (a ``LocalCluster`` of
    ``workers`` single-threaded processes); ``(None, None)`` without a scheduler."""
    if not scheduler:
        return None, None
    from distributed import Client, LocalCluster

    if scheduler == "local":
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster), cluster
    return Client(scheduler), None


def _lookup(registry: dict, module: str | None, id_: str, full: Callable[[], dict]):
    """Registered item ``id_``, importing only its ``module`` when that is enough (a worker then
    skips importing every other topic); falls back to full discovery."""
    import importlib

    if id_ not in registry and module:
        try:
            importlib.import_module(module)
        except Exception:  # discovery below reports import errors as failed results
            pass
    return registry[id_] if id_ in registry else full()[id_]


def run_theorem(id_: str, seed: int, module: str | None = None) -> T.Result:
    """Run registered theorem ``id_`` (defined in ``module``) with its seeded generator; for workers."""
    return T.run_one(_lookup(T._REGISTRY, module, id_, T.registry), seed)


def render_figure_svg(id_: str, module: str | None = None) -> tuple[F.FigureResult, bytes | None]:
    """Draw registered figure ``id_`` as SVG in memory and return ``(result, svg bytes)``.

    Runs in any worker (local process or Dask) and writes no file; an exception becomes the
    result's ``error`` and ``None`` bytes, as in :func:`aimath.figures.render_one`.
    """
    import io
    import traceback

    import matplotlib

    F._use_agg()
    fig = _lookup(F._REGISTRY, module, id_, F.registry)
    t0 = time.perf_counter()
    data, err = None, None
    try:
        f = fig.func()
        if not hasattr(f, "savefig"):
            raise TypeError(f"figure {fig.id} returned {type(f).__name__}, expected a matplotlib Figure")
        buf = io.BytesIO()
        with matplotlib.rc_context({"svg.hashsalt": fig.id}):  # reproducible element ids in the SVG
            f.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
        data = buf.getvalue()
    except Exception:
        err = traceback.format_exc()
    return F.FigureResult(fig.id, fig.chapter, fig.title, fig.caption, None, time.perf_counter() - t0, err), data


class WorkerError(str):
    """The message of a job whose worker raised (or died) instead of returning a result."""


def _call(key, fn, *args):
    return key, fn(*args)


def _run_jobs(jobs: list[tuple[tuple[str, str], Callable, tuple]], workers: int, executor,
              on_result: Callable[[tuple[str, str], Any], None]) -> None:
    """Run ``jobs = [(key, fn, args)]`` on ``executor``, on local processes, or in this process,
    handing ``(key, fn(*args))`` to ``on_result`` as each completes."""
    wrapped = [(job, (_call, job[0], job[1], *job[2])) for job in jobs]
    handler = lambda pair: on_result(*pair)
    on_error = lambda job, msg: (job[0], WorkerError(msg))
    if executor is None and workers > 1 and len(jobs) > 1:
        import concurrent.futures as cf
        import multiprocessing as mp

        with cf.ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=mp.get_context("spawn")) as pool:
            T._collect_generic(pool, wrapped, handler, on_error)
    elif executor is not None:
        T._collect_generic(executor, wrapped, handler, on_error)
    else:
        for key, fn, args in jobs:
            try:
                out = fn(*args)
            except Exception as exc:  # run_one/render_one turn errors into results; this is a guard
                out = WorkerError(f"{type(exc).__name__}: {exc}")
            on_result(key, out)


def _first_line(text: str | None) -> str:
    lines = [ln for ln in (text or "").strip().splitlines() if ln.strip()]
    return lines[0] if lines else ""


def _last_line(text: str | None) -> str:
    lines = [ln for ln in (text or "").strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def _sources(ths: list[T.Theorem]) -> dict[str, str]:
    """The source code of each theorem's measuring function (empty when it cannot be read)."""
    import inspect

    out = {}
    for th in ths:
        try:
            out[th.id] = inspect.getsource(th.func)
        except (OSError, TypeError):
            continue
    return out


def _failure_message(r: T.Result) -> str:
    """The first line of a failed result's detail; for ``Evidence.all`` only the failing parts."""
    if r.kind == "all" and isinstance(r.data, dict):
        bad = [f"{label}: {part.get('detail', '')}" for label, part in r.data.items()
               if isinstance(part, dict) and part.get("passed") is False]
        if bad:
            return "; ".join(bad)
    return _first_line(r.detail)


def build(out: str = "build/book", select: str | None = None, *, workers: int | None = None,
          scheduler: str | None = None, executor=None, use_cache: bool = True, cache_dir: str | None = None,
          seed: int = 0, bench_dir: str = "build/bench",
          on_start: Callable[[int], None] | None = None,
          on_done: Callable[[str, str, bool, bool], None] | None = None) -> BuildReport:
    """Build the companion book into ``out`` and return a :class:`BuildReport`.

    Parameters
    ----------
    out : str
        Output folder; nothing is written outside it (the cache defaults to ``out/_cache``).
    select : str, optional
        Theorems and figures to run (a chapter, id prefix or glob, comma-separated); all by default.
        Every chapter page is written either way.
    workers : int, optional
        Local worker processes (default: the cores available); ``1`` runs in this process.
    scheduler : str, optional
        A Dask scheduler address (``tcp://host:port``) or ``"local"`` for a ``LocalCluster``.
    executor : optional
        An executor with ``submit`` (``concurrent.futures`` or ``distributed.Client``); overrides
        ``workers`` and ``scheduler``.
    use_cache : bool
        ``False`` reruns everything (the cache is refreshed with the new results).
    cache_dir : str, optional
        Where cached results live (default ``out/_cache``).
    seed : int
        Base seed of every theorem's generator (part of the cache key).
    bench_dir : str
        Folder of the benchmark JSON files written by ``aimath bench``.
    on_start, on_done : callable, optional
        Progress hooks: ``on_start(total_tasks)`` once, ``on_done(kind, id, ok, cached)`` per task.
    """
    from aimath.book.api import scan_api, topic_packages
    from aimath.book.bench import load_bench
    from aimath.book.render import as_json, build_info, write_site

    t0 = time.perf_counter()
    workers = default_workers() if workers is None else max(1, int(workers))
    out = os.path.abspath(out)
    cache = ResultCache(os.path.abspath(cache_dir) if cache_dir else os.path.join(out, "_cache"), enabled=use_cache)
    fig_dir = os.path.join(out, "figures")
    os.makedirs(fig_dir, exist_ok=True)

    ths = T.select(select)
    figs = F.select(select)
    hasher = SourceHasher()
    keys = {("theorem", th.id): hasher.key("theorem", th.id, th.statement, th.func, [f"seed={seed}"]) for th in ths}
    keys.update({("figure", f.id): hasher.key("figure", f.id, f"{f.title}\0{f.caption}", f.func) for f in figs})
    th_by_id = {th.id: th for th in ths}
    fig_by_id = {f.id: f for f in figs}
    if on_start:
        on_start(len(keys))

    results: dict[str, T.Result] = {}
    fig_results: dict[str, F.FigureResult] = {}
    cached: set[tuple[str, str]] = set()

    def save_svg(id_: str, data: bytes) -> str:
        name = safe_name(id_) + ".svg"
        with open(os.path.join(fig_dir, name), "wb") as fh:
            fh.write(data)
        return f"figures/{name}"

    def from_cache(kind: str, id_: str, key: str):
        """The cached result, or ``None`` on a miss or a record this version cannot read."""
        hit = cache.get(kind, id_, key)
        if hit is None:
            return None
        value, payload = hit
        try:
            if kind == "theorem":
                return T.Result(**value)
            if payload is None:
                return None
            return F.FigureResult(**{**value, "path": None}), payload
        except TypeError:  # written by another version of the result classes
            return None

    jobs = []
    for (kind, id_), key in keys.items():
        got = from_cache(kind, id_, key)
        if got is None:
            if kind == "theorem":
                fn_args = (run_theorem, (id_, seed, th_by_id[id_].func.__module__))
            else:
                fn_args = (render_figure_svg, (id_, fig_by_id[id_].func.__module__))
            jobs.append(((kind, id_), *fn_args))
            continue
        if kind == "theorem":
            results[id_] = got
            ok = got.passed
        else:
            fr, payload = got
            fr.path = save_svg(id_, payload)
            fig_results[id_] = fr
            ok = fr.ok
        cached.add((kind, id_))
        if on_done:
            on_done(kind, id_, ok, True)

    def on_result(key: tuple[str, str], value) -> None:
        kind, id_ = key
        if kind == "theorem":
            th = th_by_id[id_]
            if isinstance(value, WorkerError):
                r = T.Result(th.id, th.chapter, th.statement, False, None, None, str(value), 0.0, "error",
                             th.source, seed)
            else:
                r = value
                if r.kind != "error":
                    cache.put(kind, id_, keys[key], r.to_dict())
            results[id_] = r
            ok = r.passed
        else:
            f = fig_by_id[id_]
            if isinstance(value, WorkerError):
                fr = F.FigureResult(f.id, f.chapter, f.title, f.caption, None, 0.0, str(value))
            else:
                fr, data = value
                if fr.ok and data:
                    fr.path = save_svg(id_, data)
                    cache.put(kind, id_, keys[key], dataclasses.replace(fr, path=None).to_dict(), data, ".svg")
                elif fr.ok:
                    fr.error = "the figure produced no SVG data"
            fig_results[id_] = fr
            ok = fr.ok
        if on_done:
            on_done(kind, id_, ok, False)

    # Longest first (by the time a task took when last cached; unknown tasks count as long), so a
    # slow theorem does not start last and leave the other workers idle.
    jobs.sort(key=lambda job: -(cache.previous_seconds(*job[0]) or float("inf")))
    if jobs:
        client = cluster = None
        if executor is None and scheduler:
            client, cluster = make_executor(scheduler, workers)
        try:
            _run_jobs(jobs, workers, executor if executor is not None else client, on_result)
        finally:
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()

    theorem_list = sorted(results.values(), key=lambda r: r.id)
    figure_list = sorted(fig_results.values(), key=lambda r: r.id)
    failures = [Failure("theorem", r.id, _failure_message(r), f"aimath verify {shlex.quote(r.id)} --seed {seed}")
                for r in theorem_list if not r.passed]
    failures += [Failure("figure", f.id, _last_line(f.error), f"aimath figures {shlex.quote(f.id)}")
                 for f in figure_list if not f.ok]
    api, api_errors = scan_api()
    if select in (None, "", "all"):
        import_errors = {**T._IMPORT_ERRORS, **F._IMPORT_ERRORS,
                         **{f"aimath.{t}": tb for t, tb in api_errors.items()}}
        failures += [Failure("import", mod, _last_line(tb), f"python -c 'import {mod}'")
                     for mod, tb in sorted(import_errors.items())]
    report = BuildReport(out, theorem_list, figure_list, failures, len(cached), len(jobs), 0.0, seed, select)
    bench = load_bench(bench_dir)
    report.seconds = time.perf_counter() - t0
    info = build_info(report.seconds, report)
    write_site(out, report, api, api_errors, bench, topic_packages(), info, cached, _sources(ths))
    with open(os.path.join(out, "book.json"), "w", encoding="utf-8") as fh:
        json.dump(as_json(report, api), fh, indent=1, default=str)
    _prune_figures(fig_dir, {os.path.basename(f.path) for f in figure_list if f.path})
    report.seconds = time.perf_counter() - t0
    return report


def _prune_figures(fig_dir: str, keep: set[str]) -> None:
    """Remove figure files of earlier builds that this build did not produce (inside ``out`` only)."""
    for name in os.listdir(fig_dir):
        if name.endswith(".svg") and name not in keep:
            os.remove(os.path.join(fig_dir, name))
