"""The cache: file-name safety, dependency tracking of source hashes, and the result store."""

from __future__ import annotations

import os
import types

from hypothesis import given, settings
from hypothesis import strategies as st

from aimath.book.cache import ResultCache, SourceHasher, safe_name


@given(st.text(min_size=1, max_size=60))
@settings(max_examples=100, deadline=None)
def test_safe_name_never_escapes_its_folder(s):
    name = safe_name(s)
    assert name and "/" not in name and "\\" not in name and "\0" not in name
    assert ".." not in name and not name.startswith(".")
    assert os.path.dirname(os.path.join("figures", name)) == "figures"


@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
@settings(max_examples=100, deadline=None)
def test_safe_name_is_injective(a, b):
    if a != b:
        assert safe_name(a) != safe_name(b)


def test_safe_name_keeps_ordinary_ids():
    assert safe_name("B19.em-strong-order") == "B19.em-strong-order"


def _tree(root):
    """A fake aimath source tree: topic a imports b, b imports nothing, c is unrelated."""
    files = {
        "__init__.py": "", "backend.py": "", "errors.py": "", "theorems.py": "", "figures.py": "",
        "a/__init__.py": "from aimath.b import thing\n", "a/theorems.py": "import aimath.a\n",
        "b/__init__.py": "thing = 1\n", "b/data.txt": "numbers",
        "c/__init__.py": "from aimath import a\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return types.SimpleNamespace(__module__="aimath.a.theorems")  # stands in for a registered function


def test_topic_closure_follows_imports(tmp_path):
    _tree(tmp_path)
    h = SourceHasher(str(tmp_path))
    assert h.topic_closure("a") == ["a", "b"]
    assert h.topic_closure("b") == ["b"]
    assert h.topic_closure("c") == ["a", "b", "c"]


def test_key_changes_exactly_when_a_dependency_changes(tmp_path):
    func = _tree(tmp_path)
    key = lambda seed=0: SourceHasher(str(tmp_path)).key("theorem", "A1.x", "stmt", func, [f"seed={seed}"])
    k0 = key()
    assert key() == k0, "the key must be deterministic"
    (tmp_path / "c" / "__init__.py").write_text("# an unrelated topic changed\n")
    assert key() == k0
    assert key(seed=1) != k0
    for rel in ("b/data.txt", "b/__init__.py", "errors.py"):  # imported topic, its data, the foundation
        before = key()
        (tmp_path / rel).write_text((tmp_path / rel).read_text() + "\n# edit\n")
        assert key() != before, rel
    h = SourceHasher(str(tmp_path))
    assert h.key("figure", "A1.x", "stmt", func) != h.key("theorem", "A1.x", "stmt", func)
    assert h.key("theorem", "A1.x", "other statement", func) != h.key("theorem", "A1.x", "stmt", func)


def test_result_cache_round_trip(tmp_path):
    c = ResultCache(str(tmp_path / "cache"))
    assert c.get("theorem", "B2.x", "k1") is None
    c.put("theorem", "B2.x", "k1", {"passed": True, "value": [1.5, 2]})
    assert c.get("theorem", "B2.x", "k1") == ({"passed": True, "value": [1.5, 2]}, None)
    assert c.get("theorem", "B2.x", "k2") is None, "a different key is a miss"
    c.put("figure", "../B2/evil", "k", {"ok": 1}, b"<svg/>", ".svg")
    assert c.get("figure", "../B2/evil", "k") == ({"ok": 1}, b"<svg/>")
    written = [os.path.join(d, f) for d, _, fs in os.walk(tmp_path) for f in fs]
    assert all(p.startswith(str(tmp_path / "cache")) for p in written)
    c.put("theorem", "B2.x", "k3", {"passed": False})
    assert c.get("theorem", "B2.x", "k1") is None and c.get("theorem", "B2.x", "k3") == ({"passed": False}, None)
    assert ResultCache(str(tmp_path / "cache"), enabled=False).get("theorem", "B2.x", "k3") is None


def test_corrupt_record_is_a_miss(tmp_path):
    c = ResultCache(str(tmp_path))
    c.put("theorem", "B2.x", "k", {"a": 1})
    (tmp_path / "theorem" / "B2.x.json").write_text("{not json")
    assert c.get("theorem", "B2.x", "k") is None


def test_previous_seconds_ignores_the_key(tmp_path):
    c = ResultCache(str(tmp_path))
    assert c.previous_seconds("theorem", "B2.x") is None
    c.put("theorem", "B2.x", "old-key", {"seconds": 2.5})
    assert c.previous_seconds("theorem", "B2.x") == 2.5
