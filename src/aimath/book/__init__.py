"""The companion book: a static site with every chapter's summary, public API, theorems (measured)
and figures (regenerated), plus benchmark tables; built by ``aimath book``.

Curriculum: the whole curriculum (A1–A11, B1–B21) is mapped in :mod:`aimath.book.chapters`.
"""

from aimath.book.build import BuildReport, Failure, build, default_workers, make_executor
from aimath.book.chapters import CHAPTERS, TOPICS, Chapter, parse_chapters

__all__ = ["BuildReport", "CHAPTERS", "Chapter", "Failure", "TOPICS", "build", "default_workers", "make_executor",
           "parse_chapters"]
