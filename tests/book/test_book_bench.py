"""`aimath bench` runs benchmark scripts into JSON, and the book turns that JSON into tables."""

from __future__ import annotations

import json
import textwrap

from book_html import parse
from typer.testing import CliRunner

from aimath.book import build
from aimath.book.bench import bench_scripts, load_bench, summarise
from aimath.cli import app


def _scripts(tmp_path, harness_dir):
    d = tmp_path / "benchmarks"
    d.mkdir()
    (d / "_harness.py").write_text(f"import sys\nsys.path.insert(0, {str(harness_dir)!r})\n")
    (d / "toy.py").write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(harness_dir)!r})
        from _harness import Case, main

        def cases(quick):
            xs = list(range(2000 if quick else 20000))
            return [Case("sum <of> a list", lambda: sum(xs), lambda: sum(list(xs)), "builtin sum", target=50.0)]

        if __name__ == "__main__":
            main("toy", cases)
    """))
    (d / "broken.py").write_text("raise SystemExit(3)\n")
    return d


def test_bench_command_writes_json_the_book_reads(tmp_path):
    from aimath.book.bench import find_scripts_dir

    harness = find_scripts_dir()
    assert harness is not None, "the repository's benchmarks/ folder is found"
    scripts = _scripts(tmp_path, harness)
    assert list(bench_scripts(str(scripts))) == ["broken", "toy"]
    assert list(bench_scripts(str(scripts), "t*")) == ["toy"]
    json_dir = tmp_path / "bench"
    combined = tmp_path / "all.json"
    res = CliRunner().invoke(app, ["bench", "toy", "--json-dir", str(json_dir), "--scripts", str(scripts), "--quick",
                                   "--json", str(combined)])
    assert res.exit_code == 0, res.output
    data = json.loads((json_dir / "toy.json").read_text())
    assert json.loads(combined.read_text()) == {"toy": data}  # --json FILE: this run's results in one file
    assert data["topic"] == "toy" and data["quick"] is True and len(data["rows"]) == 1
    s = summarise(data)
    assert s["cases"] == 1 and s["with_target"] == 1 and s["geomean"] == data["rows"][0]["ratio"]

    bad = CliRunner().invoke(app, ["bench", "broken", "--json-dir", str(json_dir), "--scripts", str(scripts)])
    assert bad.exit_code == 1 and "benchmarks/broken.py failed" in bad.output
    none = CliRunner().invoke(app, ["bench", "nothing-like-this", "--scripts", str(scripts)])
    assert none.exit_code == 2

    (json_dir / "garbled.json").write_text("{oops")
    loaded = load_bench(str(json_dir))
    assert "error" in loaded["garbled"] and loaded["toy"]["rows"]

    out = tmp_path / "site"
    build(str(out), "A9.zzbook-none", workers=1, bench_dir=str(json_dir))
    topic = (out / "topic-toy.html").read_text(encoding="utf-8")
    assert "sum &lt;of&gt; a list" in topic and "builtin sum" in topic
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="topic-toy.html"' in index and "unreadable results" in index
    for page in ("index.html", "topic-toy.html", "topic-garbled.html"):
        for link in parse(out / page).links:
            assert (out / link.partition("#")[0]).is_file(), (page, link)
