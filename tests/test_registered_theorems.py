"""Every registered theorem runs in the test suite, each as its own test case."""

from __future__ import annotations

import pytest

from aimath import theorems as T

_IDS = sorted(T.registry())


def test_every_topic_imports():
    assert not T._IMPORT_ERRORS, "a topic's theorems module failed to import:\n" + "\n".join(
        T._IMPORT_ERRORS.values()
    )


@pytest.mark.parametrize("theorem_id", _IDS)
def test_theorem_holds(theorem_id):
    result = T.run_one(theorem_id, seed=0)
    assert result.passed, f"{theorem_id}: {result.statement}\n{result.detail}"
