"""The garbage collector paused while an analysis builds its objects, and set right after."""

from __future__ import annotations

import gc

from ties.analysis import collector


def test_the_collector_is_paused_and_switched_back_on() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_switched_back_on_after_an_error() -> None:
    try:
        with collector.paused():
            raise ValueError("bad input")
    except ValueError:
        pass
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nothing_is_frozen() -> None:
    """``gc.freeze`` does not wait for another thread's collection: never used here."""
    with collector.paused():
        kept = [[i] for i in range(100)]
    assert gc.get_freeze_count() == 0 and len(kept) == 100
