"""Content-addressed cache of theorem results and rendered figures.

A task's key hashes every source file it can depend on: the foundation modules, the file that
defines it, and, when it lives in a topic package, every file of that package and of the topic
packages those files import (followed transitively, read statically with :mod:`ast`). The seed, the
task's id and statement, and the versions of the numerical libraries go into the key as well, so
a change to any of them reruns the task and nothing else does.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import inspect
import json
import os
import re
import sys
from collections.abc import Iterable

__all__ = ["SourceHasher", "ResultCache", "safe_name"]

_FOUNDATION = ("__init__.py", "backend.py", "errors.py", "theorems.py", "figures.py")
_LIBRARIES = ("numpy", "scipy", "matplotlib", "torch", "array-api-compat")


def safe_name(id_: str) -> str:
    """A file-name-safe form of a task id: no path separators, no ``..``, no leading dot.

    Ids that had to change get a short hash of the original appended, so two ids never collide.

    >>> safe_name("B2.unit-balls")
    'B2.unit-balls'
    >>> "/" in safe_name("../../etc/passwd") or ".." in safe_name("../../etc/passwd")
    False
    """
    s = re.sub(r"[^A-Za-z0-9._-]", "_", id_).replace("..", "__").lstrip(".")[:150] or "_"
    return s if s == id_ else f"{s}-{hashlib.sha1(id_.encode()).hexdigest()[:8]}"


def _aimath_root() -> str:
    import aimath

    return os.path.dirname(os.path.abspath(aimath.__file__))


class SourceHasher:
    """Hashes the source files a theorem or figure depends on; digests are memoised per instance."""

    def __init__(self, root: str | None = None):
        self.root = root or _aimath_root()
        self._file: dict[str, str] = {}
        self._topic_files: dict[str, list[str]] = {}
        self._topic_deps: dict[str, set[str]] = {}
        self._env = self._environment()

    @staticmethod
    def _environment() -> str:
        parts = [sys.version.split()[0]]
        for lib in _LIBRARIES:
            try:
                parts.append(f"{lib}={importlib.metadata.version(lib)}")
            except importlib.metadata.PackageNotFoundError:
                parts.append(f"{lib}=none")
        return ";".join(parts)

    def file_digest(self, path: str) -> str:
        path = os.path.abspath(path)
        if path not in self._file:
            h = hashlib.sha256()
            try:
                with open(path, "rb") as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        h.update(chunk)
            except OSError:
                h.update(b"<missing>")
            self._file[path] = h.hexdigest()
        return self._file[path]

    def topic_files(self, topic: str) -> list[str]:
        """Every file of ``aimath/<topic>`` (code and package data), sorted, without caches."""
        if topic not in self._topic_files:
            base = os.path.join(self.root, topic)
            files = []
            for d, dirs, names in os.walk(base):
                dirs[:] = sorted(x for x in dirs if x != "__pycache__" and not x.startswith("."))
                files += [os.path.join(d, n) for n in names if not n.endswith((".pyc", ".pyo"))]
            self._topic_files[topic] = sorted(files)
        return self._topic_files[topic]

    def _imported_topics(self, topic: str) -> set[str]:
        if topic not in self._topic_deps:
            found: set[str] = set()
            for f in self.topic_files(topic):
                if f.endswith(".py"):
                    found |= self._imports_of(f)
            found.discard(topic)
            self._topic_deps[topic] = {t for t in found if os.path.isdir(os.path.join(self.root, t))}
        return self._topic_deps[topic]

    @staticmethod
    def _imports_of(path: str) -> set[str]:
        try:
            with open(path, encoding="utf-8") as fh:
                tree = ast.parse(fh.read(), filename=path)
        except (OSError, SyntaxError, ValueError):
            return set()
        out = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                mods = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            else:
                continue
            for m in mods:
                parts = m.split(".")
                if parts[0] == "aimath" and len(parts) > 1:
                    out.add(parts[1])
        return out

    def topic_closure(self, topic: str) -> list[str]:
        """``topic`` and every topic package it imports, transitively."""
        seen, todo = set(), [topic]
        while todo:
            t = todo.pop()
            if t in seen or not os.path.isdir(os.path.join(self.root, t)):
                continue
            seen.add(t)
            todo += sorted(self._imported_topics(t) - seen)
        return sorted(seen)

    def files_for(self, func) -> list[str]:
        """The files a registered function depends on (see the module docstring)."""
        files = [os.path.join(self.root, f) for f in _FOUNDATION]
        try:
            src = inspect.getsourcefile(func)
        except TypeError:
            src = None
        if src:
            files.append(os.path.abspath(src))
        parts = (getattr(func, "__module__", "") or "").split(".")
        if parts[0] == "aimath" and len(parts) > 1:
            for t in self.topic_closure(parts[1]):
                files += self.topic_files(t)
        return sorted(set(files))

    def key(self, kind: str, id_: str, text: str, func, extra: Iterable[str] = ()) -> str:
        """The cache key of one task: a SHA-256 over its files, identity, environment and ``extra``."""
        h = hashlib.sha256()
        for part in (kind, id_, text, self._env, *extra):
            h.update(str(part).encode())
            h.update(b"\0")
        for f in self.files_for(func):
            rel = os.path.relpath(f, os.path.dirname(self.root))
            h.update(rel.encode() + b"\0" + self.file_digest(f).encode() + b"\0")
        return h.hexdigest()


class ResultCache:
    """One JSON record (and optional payload file) per task id under ``root/<kind>/``.

    A record is served only when its stored key equals the requested key; storing a new key
    overwrites the old record, so the cache never grows beyond one entry per task.
    """

    def __init__(self, root: str, enabled: bool = True):
        self.root = os.path.abspath(root)
        self.enabled = enabled

    def _path(self, kind: str, id_: str, ext: str) -> str:
        return os.path.join(self.root, kind, safe_name(id_) + ext)

    def get(self, kind: str, id_: str, key: str) -> tuple[dict, bytes | None] | None:
        """``(record, payload)`` for a hit, ``None`` for a miss (or when the cache is disabled)."""
        if not self.enabled:
            return None
        try:
            with open(self._path(kind, id_, ".json"), encoding="utf-8") as fh:
                rec = json.load(fh)
        except (OSError, ValueError):
            return None
        if rec.get("key") != key or rec.get("id") != id_:
            return None
        payload = None
        if rec.get("payload"):
            try:
                with open(self._path(kind, id_, rec["payload"]), "rb") as fh:
                    payload = fh.read()
            except OSError:
                return None
        return rec["value"], payload

    def previous_seconds(self, kind: str, id_: str) -> float | None:
        """How long the task took when it was last stored, whatever its key (for scheduling only)."""
        try:
            with open(self._path(kind, id_, ".json"), encoding="utf-8") as fh:
                sec = json.load(fh)["value"].get("seconds")
        except (OSError, ValueError, KeyError, AttributeError, TypeError):
            return None
        return float(sec) if isinstance(sec, int | float) else None

    def put(self, kind: str, id_: str, key: str, value: dict, payload: bytes | None = None,
            payload_ext: str = "") -> None:
        """Store ``value`` (JSON-serialisable) and an optional ``payload`` file for ``id_``."""
        os.makedirs(os.path.join(self.root, kind), exist_ok=True)
        if payload is not None:
            _atomic_write(self._path(kind, id_, payload_ext), payload)
        rec = {"id": id_, "key": key, "value": value, "payload": payload_ext if payload is not None else ""}
        _atomic_write(self._path(kind, id_, ".json"), json.dumps(rec, default=str).encode())


def _atomic_write(path: str, data: bytes) -> None:
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
