"""The examples in aimath.autodiff's docstrings run and give what they show; every public name
has a docstring naming its curriculum chapter or a module that does."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import aimath.autodiff as ad

_MODULES = sorted(m.name for m in pkgutil.walk_packages(ad.__path__, "aimath.autodiff."))


@pytest.mark.parametrize("name", _MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(name)
    res = doctest.testmod(mod, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0


@pytest.mark.parametrize("name", sorted(ad.__all__))
def test_public_names_are_documented(name):
    obj = getattr(ad, name)
    assert obj.__doc__ and len(obj.__doc__.strip()) > 20
