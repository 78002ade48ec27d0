"""aimath.theorems: Evidence kinds, the registry, selection and running."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from aimath import theorems as T
from aimath.cli import app
from aimath.theorems import Evidence, theorem


def test_close():
    ok = Evidence.close(1.0 + 1e-12, 1.0, rtol=1e-10)
    assert ok.passed and ok.kind == "close" and ok.data["max_abs_error"] == pytest.approx(1e-12, rel=1e-3)
    bad = Evidence.close(np.array([1.0, 2.1]), np.array([1.0, 2.0]), rtol=1e-3)
    assert not bad.passed and bad.measured == [1.0, 2.1] and "0.1" in bad.detail
    assert not Evidence.close(np.nan, 1.0, atol=1e9).passed
    assert Evidence.close(0.0, 1e-13, atol=1e-12).passed


def test_bound():
    assert Evidence.bound(np.array([0.1, 0.9]), 1.0).passed
    v = Evidence.bound(np.array([0.1, 1.2, 1.5]), 1.0)
    assert not v.passed and v.data["violations"] == 2 and "2 violation(s) in 3" in v.detail
    assert Evidence.bound(2.0, 1.0, kind=">").passed and not Evidence.bound(1.0, 1.0, kind="<").passed
    assert not Evidence.bound(np.nan, 1.0).passed
    with pytest.raises(ValueError, match="kind must be one of"):
        Evidence.bound(1.0, 2.0, kind="=<")


def test_slope_recovers_known_order():
    h = np.array([0.1, 0.05, 0.025, 0.0125, 0.00625])
    rng = np.random.default_rng(0)
    err = 3.0 * h**2 * np.exp(0.01 * rng.standard_normal(h.size))
    ev = Evidence.slope(h, err, expected=2.0, tol=0.05)
    assert ev.passed and abs(ev.measured - 2.0) < 0.05 and ev.data["se"] < 0.05
    assert not Evidence.slope(h, 3.0 * h, expected=2.0, tol=0.1).passed
    assert not Evidence.slope(h, np.r_[h[:-1], 0.0], expected=1.0, tol=0.1).passed  # log 0
    with pytest.raises(ValueError, match="slope needs"):
        Evidence.slope([1, 2], [1, 2], 1.0, 0.1)


def test_stat_and_all():
    assert Evidence.stat(1.02, 1.0, 0.01, z=3).passed
    s = Evidence.stat(1.04, 1.0, 0.01, z=3)
    assert not s.passed and s.data["z"] == pytest.approx(4.0)
    with pytest.raises(ValueError, match="se must be finite"):
        Evidence.stat(1.0, 1.0, -1.0)
    a = Evidence.all(first=Evidence.bound(0.0, 1.0), second=s)
    assert not a.passed and "second: FAIL" in a.detail and set(a.measured) == {"first", "second"}
    assert Evidence.all(Evidence.bound(0.0, 1.0), Evidence.close(1, 1)).passed
    with pytest.raises(TypeError):
        Evidence.all(x=1.0)


@pytest.fixture
def temp_theorems():
    """Registers a passing, a failing and a raising theorem under chapter TEST, then removes them."""

    @theorem("TEST.pass", "2 + 2 = 4")
    def _pass(rng):
        return Evidence.close(2.0 + 2.0, 4.0, rtol=0)

    @theorem("TEST.fail", "a deliberately false statement: 1 = 2")
    def _fail(rng):
        return Evidence.close(float(rng.integers(1, 2)), 2.0, rtol=1e-12)

    @theorem("TEST.raise", "a theorem that crashes")
    def _raise(rng):
        raise RuntimeError("boom")

    yield ["TEST.pass", "TEST.fail", "TEST.raise"]
    for i in ("TEST.pass", "TEST.fail", "TEST.raise"):
        T.unregister(i)


def test_failing_and_raising_theorems_are_results(temp_theorems):
    res = {r.id: r for r in T.run("TEST")}
    assert set(res) == set(temp_theorems)
    assert res["TEST.pass"].passed
    f = res["TEST.fail"]
    assert not f.passed and f.measured == 1.0 and f.expected == 2.0 and f.chapter == "TEST"
    r = res["TEST.raise"]
    assert not r.passed and r.kind == "error" and "RuntimeError: boom" in r.detail and "Traceback" in r.detail
    d = f.to_dict()
    assert json.loads(json.dumps(d))["id"] == "TEST.fail" and d["source"].startswith("..")  # tests/ is outside src


def test_verify_exits_one_on_failure(temp_theorems, tmp_path):
    runner = CliRunner()
    out = tmp_path / "res.json"
    r = runner.invoke(app, ["verify", "TEST", "--json", str(out)])
    assert r.exit_code == 1, r.output
    assert "FAIL" in r.output and "aimath verify TEST.fail" in r.output and "1 passed, 2 failed" in r.output
    data = json.loads(out.read_text())
    assert {d["id"]: d["passed"] for d in data} == {"TEST.pass": True, "TEST.fail": False, "TEST.raise": False}
    assert runner.invoke(app, ["verify", "TEST.pass"]).exit_code == 0
    assert runner.invoke(app, ["verify", "NOPE.none"]).exit_code == 2


def test_duplicate_id_rejected(temp_theorems):
    with pytest.raises(ValueError, match="already registered"):
        @theorem("TEST.pass", "another function under the same id")
        def other(rng):
            return Evidence.close(0, 0)
    with pytest.raises(ValueError, match="'<chapter>.<name>'"):
        theorem("nodot", "x")


def test_selection_rules():
    reg = {i: T.Theorem(i, i.split(".")[0], i, lambda rng: None) for i in
           ["B1.rank", "B10.svd", "B19.em-strong", "B19.em-weak", "A7.backprop-engine", "A7.backprop-explicit"]}
    ids = lambda p: sorted(t.id for t in T.select(p, reg))  # noqa: E731
    assert ids("B1") == ["B1.rank"]
    assert ids("B1*") == ["B1.rank", "B10.svd", "B19.em-strong", "B19.em-weak"]
    assert ids("A7.backprop-*") == ["A7.backprop-engine", "A7.backprop-explicit"]
    assert ids("B19.em-s") == ["B19.em-strong"]
    assert ids("B10,A7.backprop-engine") == ["A7.backprop-engine", "B10.svd"]
    assert len(ids(None)) == 6


def test_rng_is_per_theorem_and_seed():
    a = T.theorem_rng("B2.x", 0).standard_normal(3)
    assert np.array_equal(a, T.theorem_rng("B2.x", 0).standard_normal(3))
    assert not np.array_equal(a, T.theorem_rng("B2.y", 0).standard_normal(3))
    assert not np.array_equal(a, T.theorem_rng("B2.x", 1).standard_normal(3))


def test_parallel_run_matches_serial():
    serial = T.run("B2", seed=3)
    parallel = T.run("B2", seed=3, workers=2)
    assert [r.id for r in serial] == [r.id for r in parallel] and len(serial) >= 4
    assert [(r.passed, r.measured) for r in serial] == [(r.passed, r.measured) for r in parallel]


def test_registry_counts():
    reg = T.registry()
    assert len(reg) >= 4 and all(t.chapter == t.id.split(".")[0] for t in reg.values())
    assert all(t.source.startswith("aimath/") for t in reg.values())


def test_fit_line_matches_a_reference_regression():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 10, 50)
    y = 2.0 - 0.7 * x + 0.1 * rng.standard_normal(50)
    b, a, se = T.fit_line(x, y)
    ref = np.polyfit(x, y, 1, cov=True)  # NumPy's least squares as the independent reference
    assert b == pytest.approx(ref[0][0], rel=1e-12) and a == pytest.approx(ref[0][1], rel=1e-12)
    assert se == pytest.approx(np.sqrt(ref[1][0, 0]), rel=1e-10)
    with pytest.raises(ValueError, match="fit_line needs"):
        T.fit_line([1, 2], [1, 2])
