"""Hybrid logical clocks: stamps that order changes whatever the wall clocks say."""

from __future__ import annotations

import pytest

from ties.sync.hlc import MAX_COUNTER, Clock, parse


def test_stamps_compare_as_text_in_time_order() -> None:
    clock = Clock("aaaaaa", now=1_000)
    first = clock.tick()
    second = clock.tick()  # same millisecond: the counter moves
    assert first < second
    assert parse(second).counter == 1
    later = Clock("aaaaaa", second, now=2_000).tick()
    assert second < later and parse(later).counter == 0


def test_a_clock_moves_past_every_stamp_it_receives() -> None:
    ahead = Clock("bbbbbb", now=10_000_000).tick()
    behind = Clock("aaaaaa", now=1_000)
    behind.receive(ahead)
    mine = behind.tick()
    assert mine > ahead  # made after seeing it: it wins, though this clock is behind


def test_an_edit_time_orders_changes_but_never_runs_ahead_of_the_clock() -> None:
    clock = Clock("aaaaaa", now=5_000)
    assert parse(clock.tick(at_ms=3_000)).ms == 3_000
    assert parse(clock.tick(at_ms=9_999_999_999_999)).ms == 5_000  # capped at now
    assert parse(clock.tick(at_ms=1_000)).ms == 5_000  # never backwards


def test_the_counter_overflows_into_the_next_millisecond() -> None:
    clock = Clock("aaaaaa", f"{5:013d}-{MAX_COUNTER:06d}-aaaaaa", now=5)
    assert parse(clock.tick()).ms == 6


@pytest.mark.parametrize("text", ["", "12-000000-x", "0000000000001-000000-", "abc"])
def test_malformed_stamps_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse(text)
