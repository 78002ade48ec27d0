"""The registry of figures, regenerated from the code.

A figure is a function ``f() -> matplotlib.figure.Figure`` registered with :func:`figure`. Each
topic keeps its figures in ``aimath/<topic>/figures.py``; :func:`registry` imports them all and
:func:`render` draws a selection to files with matplotlib's Agg backend (no display needed).

Figure functions should build a ``matplotlib.figure.Figure`` directly (``Figure()`` rather than
``pyplot.figure()``) so nothing leaks between figures; anything random takes a fixed seed so the
picture is reproducible.
"""

from __future__ import annotations

import dataclasses
import os
import time
import traceback
from collections.abc import Callable, Iterable

from aimath.theorems import _filter, discover

__all__ = ["Figure", "FigureResult", "figure", "registry", "select", "render", "render_one", "unregister"]


@dataclasses.dataclass(frozen=True)
class Figure:
    """A registered figure: id (``<chapter>.<name>``), chapter, title, caption and its function."""

    id: str
    chapter: str
    title: str
    func: Callable
    caption: str = ""

    @property
    def statement(self) -> str:  # lets theorems' selection helpers work on figures too
        return self.title


@dataclasses.dataclass
class FigureResult:
    """Where a rendered figure went (``path``), or why it failed (``error``)."""

    id: str
    chapter: str
    title: str
    caption: str
    path: str | None
    seconds: float
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


_REGISTRY: dict[str, Figure] = {}
_DISCOVERED = False
_IMPORT_ERRORS: dict[str, str] = {}


def figure(id: str, title: str, *, chapter: str | None = None, caption: str = "",
           register: bool = True) -> Callable:
    """Decorator registering ``f() -> matplotlib.figure.Figure`` as figure ``id``.

    Parameters
    ----------
    id : str
        ``<chapter>.<name>``, unique across aimath.
    title : str
        Short title.
    chapter : str, optional
        Curriculum chapter; defaults to the id's prefix.
    caption : str
        What the figure shows, in a sentence or two (shown in the book).
    """
    if "." not in id:
        raise ValueError(f"figure id must look like '<chapter>.<name>', got {id!r}")

    def deco(func):
        fig = Figure(id=id, chapter=chapter or id.split(".", 1)[0], title=title, func=func,
                     caption=caption or (func.__doc__ or "").strip().split("\n\n")[0])
        if register:
            old = _REGISTRY.get(id)
            if old is not None and (old.func.__module__, old.func.__qualname__) != (
                func.__module__, func.__qualname__
            ):
                raise ValueError(f"figure id {id!r} is already registered")
            _REGISTRY[id] = fig
        return fig

    return deco


def unregister(id: str) -> None:
    """Remove figure ``id`` from the registry."""
    _REGISTRY.pop(id, None)


def registry() -> dict[str, Figure]:
    """Every registered figure by id (imports each topic's ``figures`` module once)."""
    global _DISCOVERED
    if not _DISCOVERED:
        _IMPORT_ERRORS.update(discover("figures"))
        _DISCOVERED = True
    return dict(sorted(_REGISTRY.items()))


def select(pattern: str | Iterable[str] | None = None) -> list[Figure]:
    """Figures matching ``pattern`` (same rules as :func:`aimath.theorems.select`)."""
    return _filter(pattern, registry())


def _use_agg() -> None:
    import matplotlib

    if matplotlib.get_backend().lower() != "agg":
        matplotlib.use("Agg", force=True)


def render_one(fig: Figure | str, outdir: str = "build/figures", fmt: str = "svg", dpi: int = 110) -> FigureResult:
    """Draw one figure to ``outdir/<id>.<fmt>``; an exception becomes ``FigureResult.error``."""
    if fmt not in ("svg", "png", "pdf"):
        raise ValueError(f"fmt must be 'svg', 'png' or 'pdf', got {fmt!r}")
    _use_agg()
    if isinstance(fig, str):
        fig = registry()[fig]
    os.makedirs(outdir, exist_ok=True)
    t0 = time.perf_counter()
    path = os.path.join(outdir, f"{fig.id}.{fmt}")
    try:
        f = fig.func()
        if not hasattr(f, "savefig"):
            raise TypeError(f"figure {fig.id} returned {type(f).__name__}, expected a matplotlib Figure")
        meta = {"Date": None} if fmt == "svg" else {}
        f.savefig(path, format=fmt, dpi=dpi, bbox_inches="tight", metadata=meta)
        import matplotlib.pyplot as plt

        plt.close(f)
        err = None
    except Exception:
        path, err = None, traceback.format_exc()
    return FigureResult(fig.id, fig.chapter, fig.title, fig.caption, path, time.perf_counter() - t0, err)


def _render_by_id(id_: str, outdir: str, fmt: str) -> FigureResult:
    return render_one(registry()[id_], outdir, fmt)


def render(select: str | Iterable[str] | None = None, outdir: str = "build/figures", fmt: str = "svg",
           workers: int = 1, *, executor=None,
           progress: Callable[[FigureResult], None] | None = None) -> list[FigureResult]:
    """Render the selected figures to ``outdir`` and return one :class:`FigureResult` each.

    ``workers > 1`` uses local processes; ``executor`` (a ``concurrent.futures`` executor or a
    ``dask.distributed.Client``) overrides it.
    """
    from aimath.theorems import _collect_generic

    chosen = _filter(select, registry())
    out: list[FigureResult] = []
    if select in (None, "", "all"):
        for mod, tb in _IMPORT_ERRORS.items():
            out.append(FigureResult(f"import.{mod.split('.')[1]}", "import", mod, "", None, 0.0, tb))
    if executor is None and workers > 1 and len(chosen) > 1:
        import concurrent.futures as cf
        import multiprocessing as mp

        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
            out += _collect_generic(pool, [(f, (_render_by_id, f.id, outdir, fmt)) for f in chosen], progress,
                                    lambda f, e: FigureResult(f.id, f.chapter, f.title, f.caption, None, 0.0, e))
    elif executor is not None:
        out += _collect_generic(executor, [(f, (_render_by_id, f.id, outdir, fmt)) for f in chosen], progress,
                                lambda f, e: FigureResult(f.id, f.chapter, f.title, f.caption, None, 0.0, e))
    else:
        for f in chosen:
            r = render_one(f, outdir, fmt)
            out.append(r)
            if progress:
                progress(r)
    return sorted(out, key=lambda r: r.id)
