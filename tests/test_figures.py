"""aimath.figures: the registry and rendering with the Agg backend."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure
from typer.testing import CliRunner

from aimath import figures as F
from aimath.cli import app

_IDS = sorted(F.registry())


def test_every_topic_imports():
    assert not F._IMPORT_ERRORS, "\n".join(F._IMPORT_ERRORS.values())


@pytest.mark.parametrize("figure_id", _IDS)
def test_figure_renders(figure_id, tmp_path):
    r = F.render_one(figure_id, outdir=str(tmp_path), fmt="png")
    assert r.ok, r.error
    data = open(r.path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 2000


def test_errors_become_results(tmp_path):
    @F.figure("TEST.broken", "raises")
    def broken():
        raise ValueError("no data")

    @F.figure("TEST.notfig", "returns a number")
    def notfig():
        return 3

    @F.figure("TEST.ok", "a line", caption="Just a line.")
    def ok():
        fig = Figure()
        fig.add_subplot().plot([0, 1], [0, 1])
        return fig

    try:
        res = {r.id: r for r in F.render("TEST", outdir=str(tmp_path))}
        assert "ValueError: no data" in res["TEST.broken"].error and res["TEST.broken"].path is None
        assert "expected a matplotlib Figure" in res["TEST.notfig"].error
        assert res["TEST.ok"].ok and res["TEST.ok"].path.endswith("TEST.ok.svg") and res["TEST.ok"].caption
        assert "<svg" in open(res["TEST.ok"].path).read()
        out = CliRunner().invoke(app, ["figures", "TEST", "--out", str(tmp_path / "cli")])
        assert out.exit_code == 1 and "aimath figures TEST.broken" in out.output
        assert CliRunner().invoke(app, ["figures", "TEST.ok", "--out", str(tmp_path / "c2")]).exit_code == 0
    finally:
        for i in ("TEST.broken", "TEST.notfig", "TEST.ok"):
            F.unregister(i)
    with pytest.raises(ValueError, match="fmt must be"):
        F.render_one(_IDS[0], outdir=str(tmp_path), fmt="jpg")


def test_info_command():
    r = CliRunner().invoke(app, ["info"])
    assert r.exit_code == 0 and "numpy" in r.output and "B2" in r.output and "theorems" in r.output
