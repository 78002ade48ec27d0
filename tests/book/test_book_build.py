"""The built site: structure, escaping, failures, caching, exit codes, and nothing written outside --out."""

from __future__ import annotations

import json
import os

import pytest
from book_html import parse
from typer.testing import CliRunner

from aimath import figures as F
from aimath import theorems as T
from aimath.book import build
from aimath.book.api import topic_packages
from aimath.book.chapters import CHAPTERS
from aimath.cli import app


def test_site_structure(site):
    out, report = site
    pages = {p.name for p in out.glob("*.html")}
    assert {"index.html"} | {f"{c}.html" for c in CHAPTERS} | {f"topic-{t}.html" for t in topic_packages()} <= pages
    assert (out / "style.css").is_file()
    data = json.loads((out / "book.json").read_text())
    th_ids = {r["id"] for r in data["theorems"]}
    assert th_ids == {t.id for t in T.select("B2,A9.zzbook")}
    assert {"A9.zzbook-pass", "A9.zzbook-fail"} <= th_ids
    for cid in ("B2", "A9"):
        page = parse(out / f"{cid}.html")
        assert len(page.rows) == sum(1 for r in report.theorems if r.chapter == cid)
        figs = [f for f in report.figures if f.chapter == cid]
        assert len(page.imgs) == sum(f.ok for f in figs)
        for f in figs:
            assert f.ok, f.error
            assert (out / f.path).is_file() and (out / f.path).read_bytes().lstrip().startswith(b"<?xml")


def test_every_local_link_resolves_and_nothing_is_remote(site):
    out, _ = site
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text.lower(), f"{page.name} contains a script"
        p = parse(page)
        for link in p.links:
            assert "://" not in link and not link.startswith("//"), f"{page.name} links outside: {link}"
            target, _, frag = link.partition("#")
            if target:
                assert (out / target).is_file(), f"{page.name}: broken link {link}"
            if frag and not target:
                assert frag in p.ids, f"{page.name}: broken anchor {link}"


def test_everything_from_code_is_escaped(site, throwaway):
    out, _ = site
    text = (out / "A9.html").read_text(encoding="utf-8")
    assert "<script>" not in text and "<b>bold</b>" not in text and "<i>mean</i>" not in text
    assert text.count("&lt;script&gt;alert(") >= 4  # statement, detail note, figure title and caption
    assert "&lt;i&gt;mean&lt;/i&gt;" in text


def test_failures_are_marked_and_listed(site):
    out, report = site
    assert not report.ok
    fail = [f for f in report.failures if f.id == "A9.zzbook-fail"]
    assert fail and fail[0].rerun == "aimath verify A9.zzbook-fail --seed 0"
    page = parse(out / "A9.html")
    assert sorted(page.rows) == ["theorem fail", "theorem pass"]
    a9 = (out / "A9.html").read_text(encoding="utf-8")
    assert "def failing(rng):" in a9 and "return Evidence.close(1.0 + 1.0, 3.0" in a9, "the theorem's code is shown"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "aimath verify A9.zzbook-fail --seed 0" in index and 'class="summary fail"' in index


def test_second_build_is_served_from_the_cache(tmp_path, throwaway):
    sel = "A9.zzbook," + ",".join(f.id for f in F.select("B2")[:1])
    out = tmp_path / "site"
    n = len(T.select(sel)) + len(F.select(sel))
    first = build(str(out), sel, workers=1, bench_dir=str(tmp_path / "nb"))
    assert first.executed == n and first.cache_hits == 0
    second = build(str(out), sel, workers=1, bench_dir=str(tmp_path / "nb"))
    assert second.executed == 0 and second.cache_hits == n
    assert [r.to_dict() for r in second.theorems] == [r.to_dict() for r in first.theorems]
    assert [(f.id, f.ok) for f in second.figures] == [(f.id, f.ok) for f in first.figures]
    assert "cached" in (out / "A9.html").read_text(encoding="utf-8")
    forced = build(str(out), sel, workers=1, use_cache=False, bench_dir=str(tmp_path / "nb"))
    assert forced.executed == n and forced.cache_hits == 0
    reseeded = build(str(out), sel, seed=1, workers=1, bench_dir=str(tmp_path / "nb"))
    assert reseeded.executed == len(T.select(sel)), "a new seed reruns the theorems only"
    assert all(r.seed == 1 for r in reseeded.theorems)


@pytest.mark.parametrize("select, code", [("A9.zzbook-pass", 0), ("A9.zzbook-fail", 1), ("A9.zzbook-nothing", 2)])
def test_cli_exit_code(tmp_path, throwaway, select, code):
    out = tmp_path / "site"
    res = CliRunner().invoke(app, ["book", "--out", str(out), "--select", select, "--workers", "1",
                                   "--bench-dir", str(tmp_path / "nb")])
    assert res.exit_code == code, res.output
    assert (out / "index.html").is_file() and (out / "A9.html").is_file()
    if code == 1:
        assert f"rerun: aimath verify {select} --seed 0" in res.output
        assert "theorem fail" in (out / "A9.html").read_text(encoding="utf-8")
    if code != 2:
        assert str(out / "index.html") in res.output.replace("\n", "")


def test_nothing_is_written_outside_out(tmp_path, throwaway, monkeypatch):
    @F.figure("A9.zzbook-../../../escape", "path traversal attempt")
    def evil():
        from matplotlib.figure import Figure

        return Figure(figsize=(1, 1))

    try:
        cwd = tmp_path / "cwd"
        cwd.mkdir()
        monkeypatch.chdir(cwd)
        report = build("site", "A9.zzbook", workers=1)
        assert report.out == str(cwd / "site")
    finally:
        F.unregister("A9.zzbook-../../../escape")
    written = sorted(os.path.relpath(os.path.join(d, f), tmp_path) for d, _, fs in os.walk(tmp_path) for f in fs)
    assert written and all(w.startswith(os.path.join("cwd", "site") + os.sep) for w in written), written
    assert len(list((cwd / "site" / "figures").iterdir())) == 2


def test_unreadable_cache_records_are_recomputed(tmp_path, throwaway):
    out = tmp_path / "site"
    first = build(str(out), "A9.zzbook-pass", workers=1, bench_dir=str(tmp_path / "nb"))
    assert first.executed == 1
    rec_path = out / "_cache" / "theorem" / "A9.zzbook-pass.json"
    rec = json.loads(rec_path.read_text())
    rec["value"]["field_from_another_version"] = 1
    rec_path.write_text(json.dumps(rec))
    again = build(str(out), "A9.zzbook-pass", workers=1, bench_dir=str(tmp_path / "nb"))
    assert again.executed == 1 and again.cache_hits == 0 and again.ok


def test_a_topic_that_fails_to_import_fails_the_full_build(tmp_path, monkeypatch):
    monkeypatch.setattr(T, "select", lambda pattern=None, theorems=None: [])  # keep the test cheap:
    monkeypatch.setattr(F, "select", lambda pattern=None: [])                # nothing else runs
    monkeypatch.setitem(T._IMPORT_ERRORS, "aimath.zzbroken.theorems",
                        "Traceback (most recent call last):\nImportError: <cannot> import zz")
    report = build(str(tmp_path / "site"), None, workers=1, bench_dir=str(tmp_path / "nb"))
    assert not report.ok
    (fail,) = [f for f in report.failures if f.kind == "import"]
    assert fail.id == "aimath.zzbroken.theorems" and fail.message == "ImportError: <cannot> import zz"
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "ImportError: &lt;cannot&gt; import zz" in index and "python -c" in index
