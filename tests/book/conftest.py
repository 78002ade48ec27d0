"""Fixtures of the book tests: throwaway theorems and figures, and one small site built once."""

from __future__ import annotations

import numpy as np
import pytest

from aimath import figures as F
from aimath import theorems as T
from aimath.theorems import Evidence

EVIL = "<script>alert('x')</script> & <b>bold</b>"
THROWAWAY_THEOREMS = ("A9.zzbook-pass", "A9.zzbook-fail")
THROWAWAY_FIGURE = "A9.zzbook-figure"


def _register():
    @T.theorem("A9.zzbook-pass", f"passes; statement with markup {EVIL}")
    def passing(rng):
        x = rng.standard_normal(1000)
        return Evidence.all(**{"<i>mean</i>": Evidence.stat(x.mean(), 0.0, x.std() / np.sqrt(x.size)),
                               "sum of squares": Evidence.bound(float(x @ x), 0.0, kind=">=")})

    @T.theorem("A9.zzbook-fail", "fails on purpose: 1 + 1 = 3")
    def failing(rng):
        return Evidence.close(1.0 + 1.0, 3.0, rtol=0, note=EVIL)

    @F.figure(THROWAWAY_FIGURE, f"title {EVIL}", caption=f"caption {EVIL}")
    def picture():
        from matplotlib.figure import Figure

        fig = Figure(figsize=(3, 2))
        fig.add_subplot().plot([0, 1, 2], [0, 1, 4])
        return fig


@pytest.fixture(scope="module")
def throwaway():
    """Registers two theorems (one passing, one failing) and a figure whose texts carry markup;
    they are unregistered after each test module, so no other test sees them."""
    T.registry()
    F.registry()
    _register()
    yield {"theorems": THROWAWAY_THEOREMS, "figure": THROWAWAY_FIGURE, "evil": EVIL}
    for id_ in THROWAWAY_THEOREMS:
        T.unregister(id_)
    F.unregister(THROWAWAY_FIGURE)


SITE_SELECT = "B2,A9.zzbook"


@pytest.fixture(scope="module")
def site(tmp_path_factory, throwaway):
    """A book for chapter B2 plus the throwaway items, built once in this process."""
    from aimath.book import build

    out = tmp_path_factory.mktemp("book") / "site"
    report = build(str(out), SITE_SELECT, workers=1, bench_dir=str(out.parent / "no-bench"))
    return out, report
