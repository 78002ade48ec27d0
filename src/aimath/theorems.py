"""The registry of executable theorems.

A theorem is a function ``f(rng) -> Evidence`` registered with :func:`theorem`. It builds fresh
random instances from ``rng`` (a ``numpy.random.Generator``), measures the statement on them and
returns the numbers as :class:`Evidence`. :func:`run` executes a selection and returns
:class:`Result` records; an exception inside a theorem becomes a failed result carrying the
traceback, never a crash of the run.

>>> from aimath.theorems import theorem, Evidence
>>> @theorem("B2.example", "1 + 1 = 2", register=False)
... def example(rng):
...     return Evidence.close(1.0 + 1.0, 2.0, rtol=0)
>>> example(None).passed
True

Each topic keeps its theorems in ``aimath/<topic>/theorems.py``; :func:`registry` imports them
all. Ids are ``<chapter>.<name>`` (``B19.em-strong-order``); the chapter defaults to the prefix.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import importlib
import inspect
import math
import os
import pkgutil
import time
import traceback
import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "Evidence",
    "Result",
    "Theorem",
    "theorem",
    "registry",
    "select",
    "run",
    "run_one",
    "unregister",
    "discover",
    "theorem_rng",
    "fit_line",
]


def _to_plain(x: Any) -> Any:
    """Numbers and small arrays as plain Python values (for reports and JSON)."""
    if x is None or isinstance(x, bool | int | str):
        return x
    if isinstance(x, float):
        return x
    try:
        from aimath.backend import to_numpy

        a = to_numpy(x)
    except Exception:  # pragma: no cover - exotic objects
        return repr(x)
    if a.ndim == 0:
        v = a.item()
        return v if isinstance(v, bool | int | float) else float(np.real(v))
    if a.size <= 16:
        return [_to_plain(v) for v in a.ravel()]
    return {"shape": list(a.shape), "max": float(np.max(a)), "min": float(np.min(a))}


def _fmt(x: Any) -> str:
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        return f"{x:.4g}"
    if isinstance(x, list):
        inner = ", ".join(_fmt(v) for v in x[:4])
        return f"[{inner}{', …' if len(x) > 4 else ''}]"
    if isinstance(x, dict) and "shape" in x:
        return f"array{tuple(x['shape'])} in [{x['min']:.3g}, {x['max']:.3g}]"
    return str(x)


def fit_line(x, y) -> tuple[float, float, float]:
    r"""Least-squares line :math:`y \approx a + b x` in closed form: returns ``(b, a, se_b)``.

    .. math::
        b = \frac{\sum_i (x_i - \bar x)(y_i - \bar y)}{\sum_i (x_i - \bar x)^2}, \qquad
        a = \bar y - b \bar x, \qquad
        \operatorname{se}(b) = \sqrt{\frac{\sum_i r_i^2 / (n - 2)}{\sum_i (x_i - \bar x)^2}}

    Theorems use it for log–log orders (:meth:`Evidence.slope`) and semi-log rates.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if x.shape != y.shape or x.ndim != 1 or x.size < 3:
        raise ValueError(f"fit_line needs two 1-D sequences of equal length >= 3, got {x.shape}, {y.shape}")
    xc, yc = x - x.mean(), y - y.mean()
    b = float(xc @ yc / (xc @ xc))
    resid = yc - b * xc
    se = float(math.sqrt(resid @ resid / max(x.size - 2, 1) / (xc @ xc)))
    return b, float(y.mean() - b * x.mean()), se


@dataclasses.dataclass(frozen=True)
class Evidence:
    """What a theorem measured: the numbers, what they were held against, and the verdict.

    Build one with :meth:`close`, :meth:`bound`, :meth:`slope`, :meth:`stat`, or combine several
    with :meth:`all`.

    Attributes
    ----------
    kind : str
        ``close``, ``bound``, ``slope``, ``stat`` or ``all``.
    passed : bool
    measured, expected : Any
        The measured value(s) and the value/bound they are compared with (plain Python values).
    detail : str
        A one-line account, e.g. ``|Δ| = 3e-15 ≤ 1e-12``.
    data : dict
        Extra numbers (errors, standard errors, fitted points) for reports and figures.
    """

    kind: str
    passed: bool
    measured: Any
    expected: Any
    detail: str = ""
    data: dict = dataclasses.field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.passed)

    @classmethod
    def close(cls, measured, expected, *, rtol: float = 1e-7, atol: float = 0.0, note: str = "") -> Evidence:
        """``|measured − expected| ≤ atol + rtol·|expected|`` elementwise (arrays allowed)."""
        from aimath.backend import to_numpy

        m = np.asarray(to_numpy(measured), dtype=np.complex128 if np.iscomplexobj(to_numpy(measured)) else np.float64)
        e = np.asarray(to_numpy(expected), dtype=m.dtype)
        m, e = np.broadcast_arrays(m, e)
        err = np.abs(m - e)
        tol = atol + rtol * np.abs(e)
        finite = bool(np.all(np.isfinite(m)))
        passed = finite and bool(np.all(err <= tol))
        worst = float(np.max(err)) if err.size else 0.0
        rel = float(np.max(err / np.maximum(np.abs(e), 1e-300))) if err.size else 0.0
        detail = f"max |Δ| = {worst:.3g} (rel {rel:.3g}); tol atol={atol:g}, rtol={rtol:g}"
        if not finite:
            detail = "measured value is not finite; " + detail
        if note:
            detail = f"{note}; {detail}"
        return cls("close", passed, _to_plain(measured), _to_plain(expected), detail,
                   {"max_abs_error": worst, "max_rel_error": rel, "rtol": rtol, "atol": atol})

    @classmethod
    def bound(cls, value, bound, *, kind: str = "<=", note: str = "") -> Evidence:
        """``value ≤ bound`` (or ``<``, ``>=``, ``>`` via ``kind``), elementwise."""
        from aimath.backend import to_numpy

        ops = {"<=": np.less_equal, "<": np.less, ">=": np.greater_equal, ">": np.greater}
        if kind not in ops:
            raise ValueError(f"kind must be one of {sorted(ops)}, got {kind!r}")
        v = np.asarray(to_numpy(value), dtype=np.float64)
        b = np.asarray(to_numpy(bound), dtype=np.float64)
        ok = ops[kind](v, b)
        passed = bool(np.all(ok)) and bool(np.all(np.isfinite(v)))
        n_bad = int(np.size(ok) - np.count_nonzero(ok))
        margin = b - v if kind in ("<=", "<") else v - b
        detail = f"value {kind} bound; worst margin {float(np.min(margin)) if margin.size else 0.0:.3g}"
        if np.size(ok) > 1:
            detail += f"; {n_bad} violation(s) in {np.size(ok)}"
        if note:
            detail = f"{note}; {detail}"
        return cls("bound", passed, _to_plain(value), _to_plain(bound), detail,
                   {"violations": n_bad, "trials": int(np.size(ok)), "kind": kind})

    @classmethod
    def slope(cls, xs, ys, expected: float, tol: float, *, note: str = "") -> Evidence:
        """Fit ``log y = a + s·log x`` by least squares and test ``|s − expected| ≤ tol``.

        The fit is the closed-form simple regression on the logs; its standard error is
        reported too. At least three points are required (the curriculum asks for four).
        """
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.log(np.asarray(xs, dtype=np.float64))
            y = np.log(np.asarray(ys, dtype=np.float64))
        if x.shape != y.shape or x.ndim != 1 or x.size < 3:
            raise ValueError(f"slope needs two 1-D sequences of equal length >= 3, got {x.shape}, {y.shape}")
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            return cls("slope", False, float("nan"), expected, "non-positive or non-finite data in the fit",
                       {"xs": _to_plain(np.asarray(xs)), "ys": _to_plain(np.asarray(ys))})
        s, _, se = fit_line(x, y)
        passed = abs(s - expected) <= tol
        detail = f"fitted slope {s:.4f} ± {se:.2g} vs {expected:g} ± {tol:g} over {x.size} levels"
        if note:
            detail = f"{note}; {detail}"
        return cls("slope", passed, s, expected, detail,
                   {"se": se, "tol": tol, "xs": np.asarray(xs, float).tolist(), "ys": np.asarray(ys, float).tolist()})

    @classmethod
    def stat(cls, estimate, expected, se, *, z: float = 5.0, note: str = "") -> Evidence:
        """A Monte Carlo ``estimate`` with standard error ``se``: ``|estimate − expected| ≤ z·se``.

        The default ``z = 5`` makes a correct implementation fail less than once in 10⁶ runs
        (two-sided normal tail 5.7e-7); pass ``z=3`` to check "within 3 SE" literally.
        """
        from aimath.backend import to_numpy

        est = np.asarray(to_numpy(estimate), dtype=np.float64)
        exp = np.asarray(to_numpy(expected), dtype=np.float64)
        s = np.asarray(to_numpy(se), dtype=np.float64)
        if np.any(s < 0) or not np.all(np.isfinite(s)):
            raise ValueError(f"se must be finite and non-negative, got {s}")
        zs = np.abs(est - exp) / np.maximum(s, 1e-300)
        passed = bool(np.all(np.isfinite(est))) and bool(np.all(np.abs(est - exp) <= z * s))
        zmax = float(np.max(zs)) if zs.size else 0.0
        detail = f"|estimate − expected| = {zmax:.2f} SE (limit {z:g} SE)"
        if note:
            detail = f"{note}; {detail}"
        return cls("stat", passed, _to_plain(estimate), _to_plain(expected), detail,
                   {"se": _to_plain(se), "z": zmax, "z_limit": z})

    @classmethod
    def all(cls, *parts: Evidence, **named: Evidence) -> Evidence:
        """Passes when every part passes; measured/expected list the parts'.

        Parts may be given positionally or by name (names label the detail).
        """
        items = [(f"#{i}", p) for i, p in enumerate(parts)] + list(named.items())
        if not items:
            raise ValueError("Evidence.all needs at least one part")
        for label, p in items:
            if not isinstance(p, Evidence):
                raise TypeError(f"Evidence.all part {label} is {type(p).__name__}, not Evidence")
        passed = all(p.passed for _, p in items)
        detail = "; ".join(f"{label}: {'ok' if p.passed else 'FAIL'} ({p.detail})" for label, p in items)
        return cls("all", passed, {label: p.measured for label, p in items},
                   {label: p.expected for label, p in items}, detail,
                   {label: dataclasses.asdict(p) for label, p in items})


@dataclasses.dataclass(frozen=True)
class Theorem:
    """A registered theorem: its id, chapter, statement, tags and the measuring function."""

    id: str
    chapter: str
    statement: str
    func: Callable[[np.random.Generator], Evidence]
    tags: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """``path:line`` of the function, relative to the package root."""
        try:
            f = inspect.getsourcefile(self.func) or "?"
            line = inspect.getsourcelines(self.func)[1]
        except (OSError, TypeError):
            return "?"
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        return f"{os.path.relpath(f, root)}:{line}"

    def __call__(self, rng=None) -> Evidence:
        ev = self.func(theorem_rng(self.id) if rng is None else rng)
        if not isinstance(ev, Evidence):
            raise TypeError(f"theorem {self.id} returned {type(ev).__name__}, expected Evidence")
        return ev


@dataclasses.dataclass
class Result:
    """The outcome of running one theorem."""

    id: str
    chapter: str
    statement: str
    passed: bool
    measured: Any
    expected: Any
    detail: str
    seconds: float
    kind: str = ""
    source: str = ""
    seed: int = 0
    data: dict = dataclasses.field(default_factory=dict)

    def to_dict(self) -> dict:
        """A JSON-serialisable dict of every field."""
        import json

        d = dataclasses.asdict(self)
        try:
            json.dumps(d)
        except (TypeError, ValueError):
            d["data"] = json.loads(json.dumps(d["data"], default=str))
            d["measured"] = json.loads(json.dumps(d["measured"], default=str))
            d["expected"] = json.loads(json.dumps(d["expected"], default=str))
        return d


_REGISTRY: dict[str, Theorem] = {}
_DISCOVERED = False
_IMPORT_ERRORS: dict[str, str] = {}


def _chapter_of(id_: str) -> str:
    head = id_.split(".", 1)[0]
    return head


def theorem(id: str, statement: str, *, chapter: str | None = None, tags: Sequence[str] = (),
            register: bool = True) -> Callable:
    """Decorator registering ``f(rng) -> Evidence`` as theorem ``id``.

    Parameters
    ----------
    id : str
        ``<chapter>.<name>``, unique across aimath.
    statement : str
        The statement in one line (unicode maths welcome).
    chapter : str, optional
        Curriculum chapter (``A4``, ``B19``); defaults to the id's prefix.
    tags : sequence of str
        Free labels (``"slow"``, ``"stat"``…).
    register : bool
        ``False`` builds the :class:`Theorem` without registering it (for tests and examples).

    Returns
    -------
    The :class:`Theorem` object (callable with an ``rng``).
    """
    if "." not in id:
        raise ValueError(f"theorem id must look like '<chapter>.<name>', got {id!r}")

    def deco(func):
        th = Theorem(id=id, chapter=chapter or _chapter_of(id), statement=statement, func=func,
                     tags=tuple(tags))
        if register:
            old = _REGISTRY.get(id)
            if old is not None and (old.func.__module__, old.func.__qualname__) != (
                func.__module__, func.__qualname__
            ):
                raise ValueError(f"theorem id {id!r} is already registered by {old.source}")
            _REGISTRY[id] = th
        return th

    return deco


def unregister(id: str) -> None:
    """Remove theorem ``id`` from the registry (tests use this to clean up)."""
    _REGISTRY.pop(id, None)


def _topic_modules(leaf: str) -> list[str]:
    """``aimath.<topic>.<leaf>`` for every topic that has one (a module or a package)."""
    import aimath

    names = []
    root = os.path.dirname(aimath.__file__)
    for info in pkgutil.iter_modules(aimath.__path__):
        if not info.ispkg or info.name == "book":
            continue
        base = os.path.join(root, info.name, leaf)
        if os.path.exists(base + ".py") or os.path.exists(os.path.join(base, "__init__.py")):
            names.append(f"aimath.{info.name}.{leaf}")
    return sorted(names)


def discover(leaf: str = "theorems") -> dict[str, str]:
    """Import ``aimath.<topic>.<leaf>`` for every topic; returns ``{module: error}`` for failures."""
    errors = {}
    for mod in _topic_modules(leaf):
        try:
            importlib.import_module(mod)
        except Exception:
            errors[mod] = traceback.format_exc()
    return errors


def registry() -> dict[str, Theorem]:
    """Every registered theorem by id (imports each topic's ``theorems`` module once)."""
    global _DISCOVERED
    if not _DISCOVERED:
        _IMPORT_ERRORS.update(discover("theorems"))
        _DISCOVERED = True
    return dict(sorted(_REGISTRY.items()))


def _matches(id_: str, chapter: str, pattern: str) -> bool:
    if any(c in pattern for c in "*?["):
        return fnmatch.fnmatchcase(id_, pattern) or fnmatch.fnmatchcase(chapter, pattern)
    if id_ == pattern or chapter == pattern or id_.startswith(pattern + "."):
        return True
    return "." in pattern and id_.startswith(pattern)


def select(pattern: str | Iterable[str] | None = None,
           theorems: dict[str, Theorem] | None = None) -> list[Theorem]:
    """The theorems whose id matches ``pattern``.

    A pattern is a chapter (``B19``), an id or id prefix (``A7.backprop``), or a glob
    (``B1*``, ``A7.backprop-*``); several may be given as a list or separated by commas.
    ``B1`` selects chapter B1 only, not B10–B19 (use ``B1*`` for those).
    """
    return _filter(pattern, registry() if theorems is None else theorems)


def _filter(pattern, ths: dict[str, Theorem]) -> list[Theorem]:
    if pattern is None or pattern == "" or pattern == "all":
        return list(ths.values())
    pats = [p.strip() for p in (pattern.split(",") if isinstance(pattern, str) else pattern) if p.strip()]
    return [t for t in ths.values() if any(_matches(t.id, t.chapter, p) for p in pats)]


def theorem_rng(id_: str, seed: int = 0) -> np.random.Generator:
    """The generator a theorem gets: seeded by ``(seed, crc32(id))``, so results do not depend
    on the order or the process in which theorems run."""
    return np.random.default_rng([int(seed), zlib.crc32(id_.encode())])


def run_one(th: Theorem | str, seed: int = 0) -> Result:
    """Run one theorem (or id) with its seeded generator; exceptions become failed results."""
    if isinstance(th, str):
        th = registry()[th]
    t0 = time.perf_counter()
    try:
        ev = th(theorem_rng(th.id, seed))
        res = Result(th.id, th.chapter, th.statement, bool(ev.passed), ev.measured, ev.expected,
                     ev.detail, 0.0, ev.kind, th.source, seed, ev.data)
    except Exception as exc:
        res = Result(th.id, th.chapter, th.statement, False, None, None,
                     f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}", 0.0, "error",
                     th.source, seed)
    res.seconds = time.perf_counter() - t0
    return res


def _run_by_id(id_: str, seed: int) -> Result:
    return run_one(registry()[id_], seed)


def _import_failures(selected_all: bool) -> list[Result]:
    if not selected_all:
        return []
    out = []
    for mod, tb in _IMPORT_ERRORS.items():
        chapter = mod.split(".")[1]
        out.append(Result(f"import.{chapter}", "import", f"{mod} imports", False, None, None, tb, 0.0,
                          "error", mod))
    return out


def run(select: str | Iterable[str] | None = None, seed: int = 0, workers: int = 1, *,
        executor: Any = None, progress: Callable[[Result], None] | None = None) -> list[Result]:
    """Run the selected theorems and return their results, sorted by id.

    Parameters
    ----------
    select : str or list of str, optional
        Which theorems (see :func:`select`); all by default.
    seed : int
        Base seed; each theorem gets :func:`theorem_rng` ``(id, seed)``.
    workers : int
        Local processes (``1`` runs in this process).
    executor : concurrent.futures.Executor-like, optional
        Anything with ``submit(fn, *args)`` returning futures (a ``ProcessPoolExecutor`` or a
        ``dask.distributed.Client``); overrides ``workers``.
    progress : callable, optional
        Called with each :class:`Result` as it completes.
    """
    pattern = select
    chosen = _filter(pattern, registry())
    results: list[Result] = _import_failures(pattern in (None, "", "all"))
    if executor is None and workers > 1 and len(chosen) > 1:
        import concurrent.futures as cf
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            results += _collect(pool, chosen, seed, progress)
    elif executor is not None:
        results += _collect(executor, chosen, seed, progress)
    else:
        for th in chosen:
            r = run_one(th, seed)
            results.append(r)
            if progress:
                progress(r)
    return sorted(results, key=lambda r: r.id)


def _collect(executor, chosen, seed, progress) -> list[Result]:
    def failed(th, err):
        return Result(th.id, th.chapter, th.statement, False, None, None, err, 0.0, "error", th.source, seed)

    return _collect_generic(executor, [(th, (_run_by_id, th.id, seed)) for th in chosen], progress, failed)


def _collect_generic(executor, jobs, progress, on_error) -> list:
    """Submit ``fn(*args)`` for each ``(item, (fn, *args))`` to ``executor`` and gather results.

    Works with ``concurrent.futures`` executors and ``dask.distributed.Client`` alike; a job whose
    worker raised becomes ``on_error(item, message)``.
    """
    import concurrent.futures as cf

    futs = {executor.submit(fn, *args): item for item, (fn, *args) in jobs}
    if all(isinstance(f, cf.Future) for f in futs):
        done_iter = cf.as_completed(futs)
    else:
        from distributed import as_completed as dask_as_completed

        done_iter = dask_as_completed(list(futs))
    out = []
    for f in done_iter:
        item = futs[f]
        try:
            r = f.result()
        except Exception as exc:  # the worker died or could not unpickle
            r = on_error(item, f"{type(exc).__name__} in worker: {exc}")
        out.append(r)
        if progress:
            progress(r)
    return out
