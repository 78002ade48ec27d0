"""The ``aimath`` command line: ``verify``, ``figures``, ``book``, ``bench``, ``info``.

``aimath verify [SELECT]`` runs the registered theorems (all, a chapter such as ``B19``, an id
prefix, or a glob such as ``B1*``) and prints a table; it exits 1 if any theorem failed.
``aimath figures`` renders the figures, ``aimath book`` builds the companion book (theorems,
figures, API and benchmarks as a static site), ``aimath bench`` runs the benchmark scripts.
Work runs on local processes (``--workers``; ``book`` uses every core by default, ``verify`` and
``figures`` run in-process unless asked) or on a Dask cluster
(``--scheduler tcp://host:port``, or ``--scheduler local`` for a ``LocalCluster``).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="aimath: the mathematics of deep learning and machine learning, executable and verified.")

SelectArg = Annotated[str | None, typer.Argument(help="Chapter (B19), id prefix (A7.backprop) or glob (B1*).")]


def _console() -> Console:
    return Console(stderr=False, highlight=False)


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    TextColumn("{task.fields[current]}"), console=console, transient=True,
                    disable=not console.is_terminal and os.environ.get("AIMATH_PROGRESS") != "1")


def _short(x, width: int = 28) -> str:
    from aimath.theorems import _fmt

    s = _fmt(x) if not isinstance(x, dict) else ", ".join(f"{k}={_fmt(v)}" for k, v in x.items())
    return s if len(s) <= width else s[: width - 1] + "…"


def _executor(workers: int, scheduler: str | None):
    """A Dask client for ``--scheduler`` (``local`` starts a LocalCluster), else None."""
    from aimath.book.build import make_executor

    return make_executor(scheduler, workers)


def _workers(workers: int | None) -> int:
    from aimath.book.build import default_workers

    return default_workers() if workers is None else max(1, workers)


WorkersOpt = Annotated[int | None, typer.Option(help="Local worker processes (default: the cores available).")]
SerialWorkersOpt = Annotated[int, typer.Option(help="Local worker processes (1 runs in this process).")]
SchedulerOpt = Annotated[str | None, typer.Option(help="Dask scheduler address (tcp://host:port), or 'local'.")]


@app.command()
def verify(
    select: SelectArg = None,
    seed: Annotated[int, typer.Option(help="Base seed of every theorem's generator.")] = 0,
    workers: SerialWorkersOpt = 1,
    scheduler: SchedulerOpt = None,
    json_out: Annotated[str | None, typer.Option("--json", help="Write the results as JSON here.")] = None,
) -> None:
    """Run the registered theorems and print measured vs expected; exit 1 on any failure."""
    from aimath import theorems as T

    console = _console()
    chosen = T.select(select)
    if not chosen:
        console.print(f"[red]no theorem matches {select!r}[/red]")
        raise typer.Exit(2)
    workers = _workers(workers)
    client, cluster = _executor(workers, scheduler)
    try:
        with _progress(console) as bar:
            task = bar.add_task("theorems", total=len(chosen), current="")
            results = T.run(select, seed=seed, workers=workers, executor=client,
                            progress=lambda r: bar.update(task, advance=1, current=r.id))
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    table = Table(title=f"aimath verify (seed {seed})", show_lines=False)
    for col in ("id", "statement", "measured", "expected", "result", "s"):
        table.add_column(col, overflow="fold" if col == "statement" else "ellipsis",
                         justify="right" if col == "s" else "left")
    for r in results:
        table.add_row(r.id, r.statement, _short(r.measured), _short(r.expected),
                      "[green]pass[/green]" if r.passed else "[red]FAIL[/red]", f"{r.seconds:.2f}")
    console.print(table)
    failed = [r for r in results if not r.passed]
    console.print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    for r in failed:
        console.print(f"[red]FAIL {r.id}[/red]: {r.detail.splitlines()[0] if r.detail else ''}")
        console.print(f"  rerun: aimath verify {r.id} --seed {seed}")
    if json_out:
        os.makedirs(os.path.dirname(os.path.abspath(json_out)), exist_ok=True)
        with open(json_out, "w") as fh:
            json.dump([r.to_dict() for r in results], fh, indent=1, default=str)
    raise typer.Exit(1 if failed else 0)


@app.command()
def figures(
    select: SelectArg = None,
    out: Annotated[str, typer.Option(help="Output folder.")] = "build/figures",
    fmt: Annotated[str, typer.Option(help="svg, png or pdf.")] = "svg",
    workers: SerialWorkersOpt = 1,
    scheduler: SchedulerOpt = None,
) -> None:
    """Render the registered figures to files; exit 1 if any failed."""
    from aimath import figures as F

    console = _console()
    chosen = F.select(select)
    workers = _workers(workers)
    client, cluster = _executor(workers, scheduler)
    try:
        with _progress(console) as bar:
            task = bar.add_task("figures", total=len(chosen), current="")
            results = F.render(select, outdir=out, fmt=fmt, workers=workers, executor=client,
                               progress=lambda r: bar.update(task, advance=1, current=r.id))
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    bad = [r for r in results if not r.ok]
    for r in results:
        console.print(f"{'[green]ok[/green]  ' if r.ok else '[red]FAIL[/red]'} {r.id:40s} {r.path or ''}")
    for r in bad:
        console.print(f"[red]{r.id}[/red]: {(r.error or '').strip().splitlines()[-1]}")
        console.print(f"  rerun: aimath figures {r.id} --out {out}")
    console.print(f"{len(results) - len(bad)} rendered, {len(bad)} failed, in {out}")
    raise typer.Exit(1 if bad else 0)


@app.command()
def book(
    out: Annotated[str, typer.Option(help="Output folder; nothing is written outside it.")] = "build/book",
    select: Annotated[str | None, typer.Option(help="Only these theorems/figures (chapter, id prefix, glob).")] = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Recompute every theorem and figure.")] = False,
    cache: Annotated[str | None, typer.Option(help="Cache folder (default: OUT/_cache).")] = None,
    seed: Annotated[int, typer.Option(help="Base seed of every theorem's generator.")] = 0,
    bench_dir: Annotated[str, typer.Option(help="Benchmark JSON files written by `aimath bench`.")] = "build/bench",
) -> None:
    """Build the companion book (static HTML); exit 1 if any theorem, figure or topic import failed."""
    from aimath.book import build

    console = _console()
    with _progress(console) as bar:
        task = bar.add_task("book", total=None, current="collecting theorems and figures…")

        def on_done(kind: str, id_: str, ok: bool, cached: bool) -> None:
            mark = "" if ok else " [red]FAIL[/red]"
            bar.update(task, advance=1, current=f"{kind} {id_}{' (cached)' if cached else ''}{mark}")

        report = build(out, select, workers=_workers(workers), scheduler=scheduler, use_cache=not no_cache,
                       cache_dir=cache, seed=seed, bench_dir=bench_dir,
                       on_start=lambda n: bar.update(task, total=n), on_done=on_done)
    n_pass = sum(r.passed for r in report.theorems)
    n_fig = sum(f.ok for f in report.figures)
    if select and not report.theorems and not report.figures:
        console.print(f"[red]no theorem or figure matches {select!r}[/red]; pages written to {report.out}")
        raise typer.Exit(2)
    console.print(f"{n_pass}/{len(report.theorems)} theorems passed, {n_fig}/{len(report.figures)} figures rendered; "
                  f"{report.cache_hits} cached, {report.executed} computed, in {report.seconds:.1f} s")
    for f in report.failures:
        console.print(f"[red]FAIL {f.kind} {f.id}[/red]: {f.message}", markup=True)
        console.print(f"  rerun: {f.rerun}", markup=False)
    console.print(f"book: {report.index}", markup=False)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def bench(
    select: Annotated[str | None, typer.Argument(help="Topics (linalg, sde…) or globs, comma-separated.")] = None,
    json_dir: Annotated[str, typer.Option(help="Where the JSON results go (the book reads them).")] = "build/bench",
    quick: Annotated[bool, typer.Option("--quick", help="Smaller sizes and fewer repeats.")] = False,
    scripts: Annotated[str | None, typer.Option(help="The benchmarks/ folder (default: found from here).")] = None,
    json_out: Annotated[str | None, typer.Option("--json", help="Also write this run's results to one file.")] = None,
) -> None:
    """Run benchmarks/<topic>.py for the selected topics and write their results as JSON."""
    from aimath.book.bench import bench_scripts, find_scripts_dir, load_bench, run_bench

    console = _console()
    scripts = scripts or find_scripts_dir()
    if scripts is None or not bench_scripts(scripts, select):
        console.print(f"[red]no benchmark script matches {select!r}[/red] (looked in {scripts or 'benchmarks/'})")
        raise typer.Exit(2)
    status = run_bench(select, json_dir, quick=quick, scripts_dir=scripts,
                       echo=lambda line: console.print(line, markup=False, highlight=False))
    bad = [t for t, rc in status.items() if rc != 0]
    for t in bad:
        console.print(f"[red]benchmarks/{t}.py failed[/red] (exit {status[t]}); rerun: aimath bench {t}")
    console.print(f"{len(status) - len(bad)} benchmark scripts ran; results in {json_dir}", markup=False)
    if json_out:
        loaded = load_bench(json_dir)
        os.makedirs(os.path.dirname(os.path.abspath(json_out)), exist_ok=True)
        with open(json_out, "w") as fh:
            json.dump({t: loaded[t] for t in status if t in loaded and t not in bad}, fh, indent=1)
    raise typer.Exit(1 if bad else 0)


@app.command()
def info() -> None:
    """Version, array libraries found, and theorems/figures per chapter."""
    import aimath
    from aimath import backend
    from aimath import figures as F
    from aimath import theorems as T

    console = _console()
    console.print(f"aimath {aimath.__version__} (Python {sys.version.split()[0]})")
    for lib, ver in backend.available_libraries().items():
        console.print(f"  {lib:12s} {ver or ('not available' if '.' in lib else 'not installed')}")
    th = Counter(t.chapter for t in T.registry().values())
    fg = Counter(f.chapter for f in F.registry().values())
    table = Table(title="registered per chapter")
    table.add_column("chapter")
    table.add_column("theorems", justify="right")
    table.add_column("figures", justify="right")
    for ch in sorted(set(th) | set(fg), key=lambda c: (c[0], int("".join(filter(str.isdigit, c)) or 0))):
        table.add_row(ch, str(th.get(ch, 0)), str(fg.get(ch, 0)))
    console.print(table)
    console.print(f"{sum(th.values())} theorems, {sum(fg.values())} figures")


def main() -> None:
    """Entry point of the ``aimath`` console script."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
