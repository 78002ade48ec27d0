"""Open the built book in headless Chromium: every page loads without console errors, no broken
image or link, the stylesheet applies, failures show red, and chapters with registered content show
their figures and theorem rows. The index screenshot is saved to build/test-artifacts/index.png.

Set ``AIMATH_BOOK_SITE=build/book`` to check a full ``make book`` site instead of the small one
built here; then every chapter must show at least one figure and one theorem row (unless
``AIMATH_BOOK_STRICT=0``, which checks only the chapters that have registered content).
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
from urllib.parse import unquote, urlparse

import pytest

from aimath.book.chapters import CHAPTERS

REPO = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "build" / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium() -> str:
    for c in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if c and os.path.exists(c):
            return c
    pytest.skip("no Chromium found: install Debian's package with `apt-get install -y chromium`")


@pytest.fixture(scope="module")
def browser():
    exe = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed: `pip install playwright` (it drives /usr/bin/chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _site_under_test(site):
    env = os.environ.get("AIMATH_BOOK_SITE")
    if env:
        return pathlib.Path(env).resolve(), os.environ.get("AIMATH_BOOK_STRICT", "1") != "0"
    return site[0], False


def test_site_in_chromium(browser, site):
    root, strict = _site_under_test(site)
    data = json.loads((root / "book.json").read_text())
    with_theorems = {r["chapter"] for r in data["theorems"]}
    with_figures = {f["chapter"] for f in data["figures"] if f["path"]}
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    pages = sorted(root.glob("*.html"))
    assert len(pages) >= 1 + len(CHAPTERS)
    for path in pages:
        before = len(problems)
        resp = page.goto(path.as_uri(), wait_until="load")
        assert resp is None or resp.ok, f"{path.name} did not load"
        assert page.title().endswith("aimath companion book"), path.name
        header_bg = page.eval_on_selector("header.top", "e => getComputedStyle(e).backgroundColor")
        assert header_bg == "rgb(20, 36, 61)", f"{path.name}: style.css not applied ({header_bg})"
        images = page.eval_on_selector_all("img", "els => els.map(e => [e.getAttribute('src'), "
                                                  "e.complete && e.naturalWidth > 0])")
        broken = [src for src, ok in images if not ok]
        assert not broken, f"{path.name}: broken images {broken}"
        for href in page.eval_on_selector_all("a[href], link[href]", "els => els.map(e => e.href)"):
            url = urlparse(href)
            assert url.scheme == "file", f"{path.name} links off the site: {href}"
            target = pathlib.Path(unquote(url.path))
            assert target.is_file(), f"{path.name}: broken link {href}"
            if url.fragment and target == path:
                assert page.query_selector(f"[id='{unquote(url.fragment)}']"), f"{path.name}: broken anchor {href}"
        cid = path.stem
        if cid in CHAPTERS:
            rows = page.eval_on_selector_all("tr.theorem", "els => els.length")
            figs = page.eval_on_selector_all("figure img", "els => els.length")
            has_content = cid in with_theorems or cid in with_figures
            if has_content or strict:
                assert rows >= 1 and figs >= 1, f"{cid}: {rows} theorem rows and {figs} figures"
            if page.query_selector("tr.theorem.fail"):
                bg = page.eval_on_selector("tr.theorem.fail td", "e => getComputedStyle(e).backgroundColor")
                assert bg == "rgb(253, 231, 232)", f"{cid}: a failing row is not red ({bg})"
        assert len(problems) == before, f"{path.name}: {problems[before:]}"
    page.goto((root / "index.html").as_uri(), wait_until="load")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "index.png"), full_page=False)
    assert (ARTIFACTS / "index.png").stat().st_size > 10_000
    page.close()
