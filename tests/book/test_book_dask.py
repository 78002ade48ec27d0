"""Theorems and figures give identical results in this process, on local processes and on Dask."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from aimath import theorems as T
from aimath.book import build
from aimath.cli import app

SELECT = "B2"
SMALL = "B2.cauchy-schwarz,B2.angle-metric,B2.unit-balls"  # a few tasks: the cost here is starting workers


def _records(results) -> list[str]:
    out = []
    for r in results:
        d = dict(r)
        d.pop("seconds")
        out.append(json.dumps(d, sort_keys=True, default=str))
    return out


def test_verify_on_a_dask_local_cluster_matches_the_local_run(tmp_path):
    assert T.select(SELECT), "the foundation registers B2 theorems"
    runner = CliRunner()
    local = runner.invoke(app, ["verify", SELECT, "--workers", "1", "--json", str(tmp_path / "local.json")])
    dask = runner.invoke(app, ["verify", SELECT, "--scheduler", "local", "--workers", "1",
                               "--json", str(tmp_path / "dask.json")])
    assert local.exit_code in (0, 1), local.output
    assert dask.exit_code == local.exit_code, dask.output
    a = json.loads((tmp_path / "local.json").read_text())
    b = json.loads((tmp_path / "dask.json").read_text())
    assert [r["id"] for r in a] == [t.id for t in T.select(SELECT)]
    assert _records(a) == _records(b)


def test_book_results_agree_across_executors(tmp_path):
    """In this process, on local processes, and on a Dask cluster reached by its tcp:// address."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://")
        reports = {
            name: build(str(tmp_path / name), SMALL, use_cache=False, bench_dir=str(tmp_path / "nb"), **kw)
            for name, kw in {"inline": {"workers": 1}, "processes": {"workers": 2},
                             "dask": {"scheduler": cluster.scheduler_address}}.items()
        }
    base = reports["inline"]
    assert base.executed == len(base.theorems) + len(base.figures) >= 2
    for name, rep in reports.items():
        assert _records(r.to_dict() for r in rep.theorems) == _records(r.to_dict() for r in base.theorems), name
        assert [(f.id, f.ok) for f in rep.figures] == [(f.id, f.ok) for f in base.figures], name
        for f in rep.figures:
            if f.ok:
                got = (tmp_path / name / f.path).read_bytes()
                assert got == (tmp_path / "inline" / f.path).read_bytes(), f"{name}: {f.id} differs"
