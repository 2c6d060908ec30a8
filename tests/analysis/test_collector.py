"""The garbage collector paused while an analysis builds its objects, and set right after."""

from __future__ import annotations

import gc

from ties.analysis import collector


def test_the_collector_is_paused_and_switched_back_on() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        kept = [[i] for i in range(5000)]
    assert gc.isenabled()
    # what the block made and kept went to the oldest generation: no young walk over it
    oldest = gc.get_objects(generation=2)
    assert any(o is kept for o in oldest) and any(o is kept[-1] for o in oldest)


def test_a_collector_switched_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_frozen_on_purpose_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        with collector.paused():
            _ = [[i] for i in range(100)]
        assert gc.get_freeze_count() == frozen
        assert gc.isenabled()
    finally:
        gc.unfreeze()
