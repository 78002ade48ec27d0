"""The examples in aimath.linalg's docstrings run and print what they say."""

import doctest
import importlib
import pkgutil

import pytest

import aimath.linalg

_MODULES = sorted(m.name for m in pkgutil.iter_modules(aimath.linalg.__path__) if not m.ispkg)


@pytest.mark.parametrize("name", _MODULES)
def test_doctests(name):
    mod = importlib.import_module(f"aimath.linalg.{name}")
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, report=False)
    assert res.failed == 0
