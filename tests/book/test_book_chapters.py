"""The chapter map: every chapter of both books, with a summary, and the Curriculum-line parser."""

from __future__ import annotations

import pytest

from aimath.book.chapters import CHAPTERS, TOPICS, chapter, chapter_sort_key, parse_chapters


def test_every_chapter_of_both_books_is_mapped():
    expected = [f"A{i}" for i in range(1, 12)] + [f"B{i}" for i in range(1, 22)]
    assert list(CHAPTERS) == expected
    assert sorted(CHAPTERS, key=chapter_sort_key) == expected


def test_summaries_titles_and_topics():
    summaries = set()
    for c in CHAPTERS.values():
        assert c.title and c.page == f"{c.id}.html"
        assert len(c.summary.split()) >= 25, c.id
        assert c.summary not in summaries
        summaries.add(c.summary)
        assert c.topics and all(t in TOPICS for t in c.topics), c.id
        assert c.book.startswith(c.id[0])


def test_chapter_lookup():
    assert chapter("B19").title.startswith("SDEs")
    with pytest.raises(KeyError, match="unknown chapter 'B22'"):
        chapter("B22")


@pytest.mark.parametrize("text, expected", [
    ("Curriculum: B2.", ["B2"]),
    ("Norms.\n\n    Curriculum: B2 (inner products), A7–A9.", ["A7", "A8", "A9", "B2"]),
    ("Curriculum: B1–B10.", [f"B{i}" for i in range(1, 11)]),
    ("Curriculum: B1-B3 and A1", ["A1", "B1", "B2", "B3"]),
    ("Curriculum: B11, A7", ["A7", "B11"]),
    ("Curriculum: B99, Z1", []),  # ids outside the map are ignored
    ("mentions B2 but has no curriculum line", []),
    ("", []),
    (None, []),
])
def test_parse_chapters(text, expected):
    assert parse_chapters(text) == expected


def test_sort_key_orders_numerically():
    assert sorted(["B10", "B2", "A11", "A2", "zz"], key=chapter_sort_key) == ["A2", "A11", "B2", "B10", "zz"]
