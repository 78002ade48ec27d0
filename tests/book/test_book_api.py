"""The public API of each chapter, read from docstrings."""

from __future__ import annotations

import sys
import types

from aimath.book.api import scan_api, topic_packages
from aimath.book.chapters import CHAPTERS


def _fake_topic(monkeypatch):
    pkg = types.ModuleType("aimath.zzbookfake", "Fake topic.\n\nCurriculum: B19.")
    impl = types.ModuleType("aimath.zzbookfake.impl", "Implementation.\n\nCurriculum: B18, A7–A8.")

    def own(x, *, n: int = 3):
        """Has its own chapter line.

        More text.

        Curriculum: B13.
        """

    def from_module(y):
        """Falls back to the module docstring's chapters <b>escaped later</b>."""

    class Thing:
        """A class without a chapter line."""

        def __init__(self, a, b=2):
            pass

    own.__module__ = from_module.__module__ = "aimath.zzbookfake.impl"
    Thing.__module__ = "aimath.zzbookfake.other"  # a module without docstring: falls back to the package
    other = types.ModuleType("aimath.zzbookfake.other")
    pkg.own, pkg.from_module, pkg.Thing, pkg.CONSTANT = own, from_module, Thing, 3.0
    pkg.__all__ = ["own", "from_module", "Thing", "CONSTANT"]
    for name, mod in (("aimath.zzbookfake", pkg), ("aimath.zzbookfake.impl", impl),
                      ("aimath.zzbookfake.other", other)):
        monkeypatch.setitem(sys.modules, name, mod)


def test_chapters_come_from_the_nearest_curriculum_line(monkeypatch):
    _fake_topic(monkeypatch)
    entries, errors = scan_api(["zzbookfake"])
    assert not errors
    by = {e.name: e for e in entries}
    assert set(by) == {"own", "from_module", "Thing", "CONSTANT"}
    assert by["own"].chapters == ("B13",)
    assert by["own"].signature == "(x, *, n: int = 3)"
    assert by["own"].summary == "Has its own chapter line."
    assert by["own"].kind == "function" and by["own"].source.endswith(".py:" + by["own"].source.split(":")[-1])
    assert by["from_module"].chapters == ("A7", "A8", "B18")
    assert by["Thing"].chapters == ("B19",) and by["Thing"].kind == "class"
    assert by["Thing"].signature == "(a, b=2)"
    assert by["CONSTANT"].kind == "constant" and by["CONSTANT"].signature == ""


def test_import_failure_is_reported_not_raised(monkeypatch):
    entries, errors = scan_api(["zz_no_such_topic"])
    assert entries == [] and "zz_no_such_topic" in errors and "ModuleNotFoundError" in errors["zz_no_such_topic"]


def test_real_topics_scan():
    topics = topic_packages()
    assert "book" not in topics and "linalg" in topics
    entries, _ = scan_api(topics)
    assert entries, "the library exports public names"
    for e in entries:
        assert set(e.chapters) <= set(CHAPTERS)
        assert e.topic in topics
