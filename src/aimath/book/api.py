"""The public API of each chapter, read from the code.

A topic package (``aimath.linalg``) exports its public names in ``__all__``. Each name belongs to
the chapters named on the ``Curriculum:`` line of its own docstring, or failing that of its
module's docstring, or failing that of the topic package's docstring.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import os
import pkgutil
import re
import traceback

from aimath.book.chapters import parse_chapters

__all__ = ["ApiEntry", "topic_packages", "scan_api"]


@dataclasses.dataclass(frozen=True)
class ApiEntry:
    """One public name: where it lives, its signature, its first docstring line and its chapters."""

    name: str
    topic: str
    qualname: str
    kind: str
    signature: str
    summary: str
    chapters: tuple[str, ...]
    source: str


def topic_packages() -> list[str]:
    """Names of aimath's topic packages (``linalg``, ``sde``…), excluding the book itself."""
    import aimath

    return sorted(i.name for i in pkgutil.iter_modules(aimath.__path__) if i.ispkg and i.name != "book")


def _first_line(doc: str | None) -> str:
    doc = inspect.cleandoc(doc or "")
    para = doc.split("\n\n", 1)[0]
    return " ".join(para.split())


class _Raw:
    """An annotation written as a string (``from __future__ import annotations``), shown unquoted."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _signature(obj) -> str:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return ""
    raw = lambda a: _Raw(a) if isinstance(a, str) else a
    params = [p.replace(annotation=raw(p.annotation)) for p in sig.parameters.values()]
    return str(sig.replace(parameters=params, return_annotation=raw(sig.return_annotation)))


def _kind(obj) -> str:
    if inspect.isclass(obj):
        return "class"
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return "function"
    if callable(obj):
        return "callable"
    return "constant"


_LINES: dict[str, list[str]] = {}


def _source(obj) -> str:
    """``path:line`` of a function or class, relative to the package root (cheap: no tokenizing)."""
    import aimath

    obj = inspect.unwrap(obj) if callable(obj) else obj
    try:
        f = inspect.getsourcefile(obj)
    except TypeError:
        return ""
    if not f:
        return ""
    line = 0
    code = getattr(obj, "__code__", None)
    if code is not None:
        line = code.co_firstlineno
    elif inspect.isclass(obj):
        if f not in _LINES:
            try:
                with open(f, encoding="utf-8") as fh:
                    _LINES[f] = fh.read().splitlines()
            except OSError:
                _LINES[f] = []
        pat = re.compile(rf"\s*class\s+{re.escape(obj.__name__)}\b")
        line = next((i + 1 for i, text in enumerate(_LINES[f]) if pat.match(text)), 0)
    root = os.path.dirname(os.path.dirname(os.path.abspath(aimath.__file__)))
    return f"{os.path.relpath(f, root)}" + (f":{line}" if line else "")


def scan_api(topics: list[str] | None = None) -> tuple[list[ApiEntry], dict[str, str]]:
    """Every public name of the topic packages, with its chapters.

    Returns
    -------
    entries : list of ApiEntry
        Sorted by topic and name.
    errors : dict
        ``{topic: traceback}`` for topic packages that failed to import.
    """
    entries: list[ApiEntry] = []
    errors: dict[str, str] = {}
    for topic in topics if topics is not None else topic_packages():
        try:
            pkg = importlib.import_module(f"aimath.{topic}")
        except Exception:
            errors[topic] = traceback.format_exc()
            continue
        names = getattr(pkg, "__all__", None)
        if names is None:
            names = [n for n in vars(pkg) if not n.startswith("_") and not inspect.ismodule(vars(pkg)[n])]
        pkg_chapters = parse_chapters(pkg.__doc__)
        for name in sorted(set(names)):
            obj = getattr(pkg, name, None)
            if obj is None or inspect.ismodule(obj):
                continue
            doc = inspect.getdoc(obj) if (inspect.isclass(obj) or callable(obj)) else None
            chapters = parse_chapters(doc)
            mod_name = getattr(obj, "__module__", None) or pkg.__name__
            if not chapters:
                mod = importlib.import_module(mod_name) if mod_name.startswith("aimath.") else None
                chapters = parse_chapters(getattr(mod, "__doc__", None))
            if not chapters:
                chapters = pkg_chapters
            entries.append(ApiEntry(
                name=name, topic=topic,
                qualname=f"{mod_name}.{getattr(obj, '__qualname__', name)}",
                kind=_kind(obj),
                signature=_signature(obj) if callable(obj) else "",
                summary=_first_line(doc),
                chapters=tuple(chapters),
                source=_source(obj) if callable(obj) else "",
            ))
    return entries, errors
