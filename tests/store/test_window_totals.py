"""The kept window totals (schema v4) always agree with the rows they sum."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ties.model import Entry, Person
from ties.store import Store
from ties.store.window_totals import drop_held, held_problems, summed, window_totals

START, AS_OF = "2026-01-31", "2026-03-31"
TYPES = ["confidant", "career_guidance", "introductions", "encouragement"]
DIRECTIONS = ["received", "gave", "mutual", "contact"]


def _same(store: Store, start: str, as_of: str) -> None:
    kept = window_totals(store, start, as_of)
    rows = summed(store.conn, start, as_of)
    assert sorted(kept.sides) == sorted(rows.sides)
    assert sorted(kept.people) == sorted(rows.people)
    assert held_problems(store.conn) == []


def _people(store: Store, n: int = 5) -> list[int]:
    return [store.add_person(Person(name=f"Person {i}")).id for i in range(n)]  # type: ignore[misc]


def _random_entry(rng: random.Random, people: list[int]) -> Entry:
    day = date(2026, 1, 20) + timedelta(days=rng.randrange(80))  # inside, before and after
    return Entry(
        date=day,
        person_ids=rng.sample(people, rng.randint(1, min(3, len(people)))),
        direction=rng.choice(DIRECTIONS),
        support_types=rng.sample(TYPES, rng.randint(0, 2)),
        weight=rng.randint(1, 3),
    )


def _confidant(pid: int, direction: str, weight: int = 1, day: int = 10) -> Entry:
    """One confidant entry with one person, in February 2026 (inside START…AS_OF)."""
    return Entry(
        date=date(2026, 2, day),
        person_ids=[pid],
        direction=direction,
        support_types=["confidant"],
        weight=weight,
    )


def test_a_new_window_is_summed_from_the_rows(store: Store) -> None:
    people = _people(store)
    rng = random.Random(1)
    for _ in range(30):
        store.add_entry(_random_entry(rng, people))
    kept = window_totals(store, START, AS_OF)
    assert kept.held
    assert kept.sides, "the sample has support in the window"
    _same(store, START, AS_OF)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), steps=st.integers(1, 40))
def test_every_kind_of_write_keeps_the_totals(tmp_path: Path, seed: int, steps: int) -> None:
    rng = random.Random(seed)
    with Store.open(tmp_path / f"j{seed}-{steps}.ties") as store:
        people = _people(store)
        entries = [store.add_entry(_random_entry(rng, people)) for _ in range(10)]
        window_totals(store, START, AS_OF)  # hold it; from now on the triggers keep it
        for _ in range(steps):
            action = rng.choice(["add", "edit", "delete", "delete person", "move"])
            if action == "add" or not entries:
                entries.append(store.add_entry(_random_entry(rng, people)))
            elif action == "edit":
                i = rng.randrange(len(entries))
                fresh = _random_entry(rng, people)
                entries[i] = store.update_entry(
                    replace(
                        entries[i],
                        date=fresh.date,
                        person_ids=fresh.person_ids,
                        direction=fresh.direction,
                        support_types=fresh.support_types,
                        weight=fresh.weight,
                    )
                )
            elif action == "delete":
                store.delete_entry(entries.pop(rng.randrange(len(entries))).id)  # type: ignore[arg-type]
            elif action == "delete person" and len(people) > 2:
                gone = people.pop(rng.randrange(len(people)))
                store.delete_person(gone, with_entries=True)
                entries = [e for e in entries if gone not in e.person_ids]
                entries = [store.get_entry(e.id) for e in entries]  # type: ignore[arg-type]
            else:  # another window: moved a few days, or far away
                shift = rng.choice([1, 3, -2, 45, 400])
                start = date.fromisoformat(START) + timedelta(days=shift)
                as_of = date.fromisoformat(AS_OF) + timedelta(days=shift)
                _same(store, start.isoformat(), as_of.isoformat())
                window_totals(store, START, AS_OF)  # and back
            assert held_problems(store.conn) == []
        _same(store, START, AS_OF)


def test_a_day_later_only_the_moved_days_change(store: Store) -> None:
    people = _people(store)
    rng = random.Random(7)
    for _ in range(60):
        store.add_entry(_random_entry(rng, people))
    window_totals(store, START, AS_OF)
    _same(store, "2026-02-01", "2026-04-01")
    _same(store, "2026-01-30", "2026-03-30")
    span = store.conn.execute("SELECT start, as_of FROM window_span").fetchone()
    assert span == ("2026-01-30", "2026-03-30")


def test_a_rolled_back_write_leaves_the_totals_as_they_were(store: Store) -> None:
    people = _people(store)
    window_totals(store, START, AS_OF)
    store.add_entry(_confidant(people[0], "received"))
    before = window_totals(store, START, AS_OF)
    with pytest.raises(RuntimeError), store.transaction():
        store.add_entry(_confidant(people[1], "gave", day=11))
        raise RuntimeError("changed my mind")
    after = window_totals(store, START, AS_OF)
    assert after.sides == before.sides and after.people == before.people
    _same(store, START, AS_OF)


def test_a_read_only_journal_sums_from_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "j.ties"
    with Store.open(path) as store:
        people = _people(store)
        store.add_entry(_confidant(people[0], "mutual", weight=3))
    with Store.open(path, readonly=True) as ro:
        kept = window_totals(ro, START, AS_OF)
        assert not kept.held
        assert kept.sides == [("confidant", people[0], 1, 3, 1, 3)]
        assert kept.people == [(people[0], 1, 3, 0, 0, 3)]


def test_held_problems_notices_totals_that_drifted(store: Store) -> None:
    people = _people(store)
    store.add_entry(_confidant(people[0], "received"))
    window_totals(store, START, AS_OF)
    assert held_problems(store.conn) == []
    with store.transaction() as conn:
        conn.execute("UPDATE window_support SET received_weight = received_weight + 1")
    assert held_problems(store.conn) == [
        f"support totals for {START}…{AS_OF} disagree with the entries"
    ]
    assert any("disagree with the entries" in p for p in store.integrity_problems())


def test_a_bulk_load_forgets_the_held_window(store: Store) -> None:
    people = _people(store)
    window_totals(store, START, AS_OF)
    assert store.conn.execute("SELECT count(*) FROM window_span").fetchone()[0] == 1
    with store.transaction() as conn:
        drop_held(conn)
    assert store.conn.execute("SELECT count(*) FROM window_span").fetchone()[0] == 0
    store.add_entry(_confidant(people[0], "received"))
    assert store.conn.execute("SELECT count(*) FROM window_support").fetchone()[0] == 0
    _same(store, START, AS_OF)


def test_a_journal_busy_elsewhere_still_gets_its_figures(store: Store) -> None:
    people = _people(store)
    store.add_entry(_confidant(people[0], "gave", weight=2))
    other = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the journal
    try:
        store.conn.execute("PRAGMA busy_timeout = 50")
        kept = window_totals(store, START, AS_OF)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not kept.held
    assert kept.sides == [("confidant", people[0], 0, 0, 1, 2)]


def test_a_busy_journal_is_summed_at_once_without_waiting(store: Store) -> None:
    """The policy: the kept totals move only when the write lock is free at once."""
    import time

    people = _people(store)
    store.add_entry(_confidant(people[0], "received", weight=3))
    other = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        kept = window_totals(store, START, AS_OF)  # the store's busy timeout is 15 s
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert not kept.held and waited < 5
    assert kept.sides == [("confidant", people[0], 1, 3, 0, 0)]
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 15_000  # put back
    assert window_totals(store, START, AS_OF).held  # the lock free again: kept
