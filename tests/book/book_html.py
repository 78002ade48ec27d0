"""Reading the built pages in tests: links, ids, theorem rows and images."""

from __future__ import annotations

from html.parser import HTMLParser


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids, self.rows, self.imgs = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        for attr in ("href", "src"):
            if a.get(attr) is not None:
                self.links.append(a[attr])
        if tag == "tr" and "theorem" in (a.get("class") or "").split():
            self.rows.append(a.get("class"))
        if tag == "img":
            self.imgs.append(a.get("src"))


def parse(path) -> _Links:
    p = _Links()
    p.feed(path.read_text(encoding="utf-8"))
    return p
