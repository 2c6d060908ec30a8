"""The forked-child helper never hangs the run: a stuck child fails its test (after one retry)."""

from __future__ import annotations

import time

import pytest
import reliability_kit


def test_a_stuck_child_fails_its_test_instead_of_hanging(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reliability_kit, "CHILD_TIMEOUT_S", 1)
    started = time.monotonic()
    with pytest.raises(AssertionError, match="did not finish"):
        reliability_kit.run_unprivileged(time.sleep, 30)
    assert time.monotonic() - started < 10  # two tries of a second each, not 30 s


def test_a_child_that_finishes_returns_its_result() -> None:
    assert reliability_kit.run_unprivileged(sum, [1, 2, 3]) == 6
