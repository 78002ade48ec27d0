"""Docstring text in the book: inline roles and maths become HTML, and nothing from code injects markup."""

from __future__ import annotations

import doctest
import importlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aimath.book.text import inline_rst, latex_to_unicode

_OUR_TAGS = re.compile(r'</?code>|<span class="math">|</span>|</?em>')


@pytest.mark.parametrize("tex, text", [
    (r"\bar x^\top W y", "x̄ᵀ W y"),
    (r"\|x\|_2 \le \sqrt{n}\,\|x\|_\infty", "‖x‖₂ ≤ √(n) ‖x‖_∞"),
    (r"A^{-\top}", "A⁻ᵀ"),
    (r"\sigma_{k+1}", "σₖ₊₁"),
    (r"\operatorname{sign}(x)", "sign(x)"),
    (r"\mathbb{E}[X]", "𝔼[X]"),
    (r"\frac{a}{b}", "(a)/(b)"),
    (r"e^{-\beta E(x)}", "e^(-β E(x))"),  # no superscript for every character: kept readable
    (r"\langle x, y \rangle", "⟨ x, y ⟩"),
])
def test_latex_to_unicode(tex, text):
    assert latex_to_unicode(tex) == text


def test_inline_rst_roles():
    got = str(inline_rst("Use ``norm(x, 2)`` for :math:`\\|x\\|_2`, see :func:`~aimath.linalg.qr` and `ref`."))
    assert got == ('Use <code>norm(x, 2)</code> for <span class="math">‖x‖₂</span>, see '
                   "<code>aimath.linalg.qr</code> and <em>ref</em>.")


@given(st.text(alphabet=st.sampled_from(list("<>&\"'`:math{}\\_^ab </script>")), max_size=80))
@settings(max_examples=200, deadline=None)
def test_inline_rst_never_emits_foreign_markup(text):
    html = _OUR_TAGS.sub("", str(inline_rst(text)))
    assert "<" not in html and ">" not in html


@pytest.mark.parametrize("module", ["aimath.book.text", "aimath.book.chapters", "aimath.book.cache"])
def test_doctests(module):
    res = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert res.attempted > 0 and res.failed == 0
