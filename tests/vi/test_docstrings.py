"""The docstring examples of aimath.vi run."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import aimath.vi


@pytest.mark.parametrize("name", [f"aimath.vi.{m.name}" for m in pkgutil.iter_modules(aimath.vi.__path__)
                                  if m.name not in ("theorems", "figures")])
def test_docstring_examples_run(name):
    res = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0
