"""The sums kept per period (schema v7) always agree with the rows they sum, for any window."""

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
from ties.store import window_totals as wt
from ties.store.coverage_reads import active_ids, entry_counts
from ties.store.window_totals import (
    ALL_TIME,
    kept_problems,
    plan,
    side_totals,
    summed,
    window_totals,
)

START, AS_OF = "2026-01-31", "2026-03-31"
TYPES = ["confidant", "career_guidance", "introductions", "encouragement"]
DIRECTIONS = ["received", "gave", "mutual", "contact"]


def _same(store: Store, start: str, as_of: str) -> None:
    kept = window_totals(store, start, as_of)
    rows = summed(store.conn, start, as_of)
    assert sorted(kept.sides) == sorted(rows.sides)
    assert sorted(kept.people) == sorted(rows.people)
    # Each side read alone: the same sums, only the pairs with entries on it, in key order.
    for side, i in (("received", 2), ("given", 4)):
        want = sorted((r[0], r[1], r[i], r[i + 1]) for r in rows.sides if r[i])
        assert side_totals(store, start, as_of, side) == want
    named = {r[0] for r in rows.people}
    assert active_ids(store, start, as_of) == named
    archived = {r[0] for r in store.conn.execute("SELECT id FROM people WHERE archived = 1")}
    closeness = dict(store.conn.execute("SELECT id, closeness FROM people"))
    for levels in ((1, 2), (3,), (1, 2, 3, 4, 5)):
        want_counts = {
            r[0]: r[1] for r in rows.people if r[0] not in archived and closeness[r[0]] in levels
        }
        assert entry_counts(store, start, as_of, levels) == want_counts
    assert kept_problems(store.conn) == []


def _people(store: Store, n: int = 5) -> list[int]:
    """People of every closeness (1 to 5, so that weak ties are among them)."""
    return [
        store.add_person(Person(name=f"Person {i}", closeness=i % 5 + 1)).id  # type: ignore[misc]
        for i in range(n)
    ]


def _random_entry(rng: random.Random, people: list[int]) -> Entry:
    day = date(2024, 11, 20) + timedelta(days=rng.randrange(500))  # across years and months
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


def _random_window(rng: random.Random) -> tuple[str, str]:
    """A window of any length ending anywhere around the entries' dates (or far from them)."""
    as_of = date(2024, 10, 1) + timedelta(days=rng.randrange(640))
    days = rng.choice([1, 2, 7, 30, 31, 90, 365, 366, 400, 800, 36_525, rng.randrange(1, 700)])
    return (as_of - timedelta(days=days)).isoformat(), as_of.isoformat()


def test_a_window_is_read_from_the_kept_sums(store: Store) -> None:
    people = _people(store)
    rng = random.Random(1)
    for _ in range(30):
        store.add_entry(_random_entry(rng, people))
    kept = window_totals(store, "2024-12-31", "2025-12-31")
    assert kept.held
    assert kept.sides, "the sample has support in the window"
    _same(store, "2024-12-31", "2025-12-31")
    for _ in range(40):
        _same(store, *_random_window(rng))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(0, 10_000), steps=st.integers(1, 40))
def test_every_kind_of_write_keeps_the_sums(tmp_path: Path, seed: int, steps: int) -> None:
    """Adds, edits, deletes, deleting a person and undoing it, merges and their undo, bulk
    loads, rolled-back writes: after each, the kept sums equal a GROUP BY over the rows,
    and random windows read from them equal the same windows summed from the rows."""
    rng = random.Random(seed)
    today = [date(2025, 9, 1) + timedelta(days=rng.randrange(-200, 200))]
    real_today = wt._today
    wt._today = lambda: today[0]  # the kept window ends on this day, amid the entries
    try:
        _every_kind_of_write(rng, tmp_path / f"j{seed}-{steps}.ties", steps, today)
    finally:
        wt._today = real_today


def _every_kind_of_write(rng: random.Random, path: Path, steps: int, today: list[date]) -> None:
    with Store.open(path) as store:
        people = _people(store)
        entries = [store.add_entry(_random_entry(rng, people)) for _ in range(10)]
        undo: list = []  # the last action, when it can be undone (the window's undo stack)
        for _ in range(steps):
            action = rng.choice(
                [
                    *("add", "edit", "delete", "delete person", "undo", "merge", "bulk"),
                    *("rollback", "another day"),
                ]
            )
            last, undo = undo, []
            if action == "another day":  # the next write moves the kept window
                today[0] += timedelta(days=rng.choice([1, 1, 2, 7, 40, 63, 64, 300, -1, -90]))
                store.set_setting("another_day", str(today[0]))
                assert wt.kept_window(store.conn) == (
                    (today[0] - timedelta(days=wt.WINDOW_DAYS)).isoformat(),
                    today[0].isoformat(),
                )
            elif action == "add" or not entries:
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
                undo.append(("person", store.delete_person(gone, with_entries=True)))
            elif action == "merge" and len(people) > 2:
                keep, other = rng.sample(people, 2)
                people.remove(other)
                undo.append(("merge", store.merge_people(keep, other)))
            elif action == "undo" and last:
                kind, record = last.pop()
                if kind == "person":
                    people.append(store.restore_person(record).id)  # type: ignore[arg-type]
                else:
                    store.unmerge_people(record)
                    people.append(record.other.id)
            elif action == "bulk":
                n = store.conn.execute("SELECT max(id) FROM entries").fetchone()[0] or 0
                more = [replace(_random_entry(rng, people), id=n + i + 1) for i in range(5)]
                store.bulk_insert([], more)
            elif action == "rollback":
                with pytest.raises(RuntimeError), store.transaction():
                    store.add_entry(_random_entry(rng, people))
                    raise RuntimeError("changed my mind")
            entries = [e for batch in store.iter_entries() for e in batch]
            assert kept_problems(store.conn) == []
            _same(store, *_random_window(rng))
            _same(store, *_near_the_kept_window(rng, store))
        for _ in range(10):
            _same(store, *_random_window(rng))


def _near_the_kept_window(rng: random.Random, store: Store) -> tuple[str, str]:
    """The kept window itself, or one whose ends are a few days from its ends."""
    window = wt.kept_window(store.conn)
    assert window is not None
    lo, hi = (date.fromisoformat(d) for d in window)
    return (
        (lo + timedelta(days=rng.choice([0, 0, 1, -1, 3, -20]))).isoformat(),
        (hi + timedelta(days=rng.choice([0, 0, 1, -1, 2, -35]))).isoformat(),
    )


def _days(piece: str | tuple[str, str]) -> range:
    """The day ordinals a piece of a plan stands for."""
    if isinstance(piece, tuple):
        lo, hi = (date.fromisoformat(d).toordinal() for d in piece)
        return range(lo + 1, hi + 1)
    if piece == ALL_TIME:
        return range(date(1, 1, 1).toordinal(), date(9999, 12, 31).toordinal())
    year, month = int(piece[:4]), int(piece[5:] or 0)
    first = date(year, month or 1, 1)
    end = date(year + (month == 12 or not month), (month % 12 + 1) if month else 1, 1)
    return range(first.toordinal(), end.toordinal())


@settings(deadline=None)
@given(
    first=st.dates(date(2000, 1, 1), date(2030, 1, 1)),
    length=st.integers(0, 4000),
    as_of=st.dates(date(1998, 1, 1), date(2042, 1, 1)),
    days=st.integers(1, 36_525),
)
def test_a_plan_adds_up_to_exactly_the_window(
    first: date, length: int, as_of: date, days: int
) -> None:
    last = first + timedelta(days=length)
    start = as_of - timedelta(days=days)
    counts: dict[int, int] = {}
    for sign, piece in plan(
        start.isoformat(), as_of.isoformat(), first.isoformat(), last.isoformat()
    ):
        span = _days(piece)
        for d in range(max(span.start, first.toordinal()), min(span.stop, last.toordinal() + 1)):
            counts[d] = counts.get(d, 0) + sign
    inside = {d for d, n in counts.items() if n}
    assert set(counts.values()) <= {0, 1}
    window = range(max(start.toordinal() + 1, first.toordinal()), min(as_of, last).toordinal() + 1)
    assert inside == set(window)


def test_a_year_ending_today_is_this_year_and_last_years_last_month() -> None:
    """The window the places open on reads ~55,000 kept rows on the reference journal."""
    assert plan("2025-12-07", "2026-12-07", "2020-03-01", "2026-12-07") == [
        (-1, ("2025-11-30", "2025-12-07")),
        (1, "2025-12"),
        (1, "2026"),
    ]


def test_a_window_covering_the_whole_journal_is_all_time() -> None:
    assert plan("1990-01-01", "2030-01-01", "2020-03-01", "2026-12-31") == [(1, ALL_TIME)]
    assert plan("1990-01-01", "2000-01-01", "2020-03-01", "2026-12-31") == []


def test_whole_months_are_read_as_months() -> None:
    assert plan("2026-02-28", "2026-04-30", "2020-03-01", "2026-12-31") == [
        (1, "2026-03"),
        (1, "2026-04"),
    ]


def test_a_read_only_journal_reads_the_kept_sums_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "j.ties"
    with Store.open(path) as store:
        people = _people(store)
        store.add_entry(_confidant(people[0], "mutual", weight=3))
    before = path.read_bytes()
    with Store.open(path, readonly=True) as ro:
        kept = window_totals(ro, START, AS_OF)
        assert kept.held
        assert kept.sides == [("confidant", people[0], 1, 3, 1, 3)]
        assert kept.people == [(people[0], 1, 3, 0, 0, 3)]
        assert ro.conn.total_changes == 0
    assert path.read_bytes() == before


def test_kept_problems_notices_sums_that_drifted(store: Store) -> None:
    people = _people(store)
    store.add_entry(_confidant(people[0], "received"))
    assert kept_problems(store.conn) == []
    with store.transaction() as conn:
        conn.execute("UPDATE period_support SET received_weight = received_weight + 1")
    assert kept_problems(store.conn) == [
        f"support sums kept for 2026, 2026-02, {ALL_TIME}, … disagree with the entries"
    ]
    assert any("disagree with the entries" in p for p in store.integrity_problems())


def test_a_journal_busy_elsewhere_gets_its_figures_at_once(store: Store) -> None:
    """The policy: reading never writes, so another writer holding the lock delays nothing."""
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
    assert kept.held and waited < 5
    assert kept.sides == [("confidant", people[0], 1, 3, 0, 0)]


def test_a_window_read_again_sees_every_write_since(tmp_path: Path) -> None:
    """The last window is kept in memory only until the journal changes, by anyone."""
    path = tmp_path / "j.ties"
    with Store.open(path) as store, Store.open(path) as other:
        people = _people(store)
        store.add_entry(_confidant(people[0], "received"))
        assert window_totals(store, START, AS_OF).sides == [("confidant", people[0], 1, 1, 0, 0)]
        assert side_totals(store, START, AS_OF, "given") == []
        other.add_entry(_confidant(people[0], "gave", weight=2))  # another connection
        assert window_totals(store, START, AS_OF).sides == [("confidant", people[0], 1, 1, 1, 2)]
        assert side_totals(store, START, AS_OF, "given") == [("confidant", people[0], 1, 2)]
        store.add_entry(_confidant(people[1], "mutual"))  # this one
        _same(store, START, AS_OF)
        with pytest.raises(RuntimeError), store.transaction():
            store.add_entry(_confidant(people[2], "received"))
            assert len(window_totals(store, START, AS_OF).sides) == 3  # inside the transaction
            raise RuntimeError("changed my mind")
        _same(store, START, AS_OF)


def test_active_counts_are_the_windows_entries_per_person(store: Store) -> None:
    from ties.store.coverage_reads import ACTIVE_SQL, active_counts

    people = _people(store)
    rng = random.Random(3)
    for _ in range(40):
        store.add_entry(_random_entry(rng, people))
    for _ in range(10):
        start, as_of = _random_window(rng)
        rows = store.conn.execute(ACTIVE_SQL, {"start": start, "as_of": as_of}).fetchall()
        assert active_counts(store, start, as_of) == dict(rows)


def test_without_kept_sums_each_side_is_summed_from_the_rows(tmp_path: Path) -> None:
    """A journal without the v7 tables (the kept sums dropped) still gets each side, the
    same figures in the same order, summed from the rows."""
    with Store.open(tmp_path / "j.ties") as store:
        people = _people(store)
        rng = random.Random(5)
        for _ in range(30):
            store.add_entry(_random_entry(rng, people))
        start, as_of = "2024-01-01", "2026-06-30"
        want = {side: side_totals(store, start, as_of, side) for side in ("received", "given")}
        assert want["received"] and want["given"]
        from ties.store import window_totals as wt

        with store.transaction():
            wt.stop_keeping(store.conn)
            store.conn.execute("DROP TABLE period_support")
            store.conn.execute("DROP TABLE period_people")
        store._window_memo = None
        for side in ("received", "given"):
            assert side_totals(store, start, as_of, side) == want[side]


def test_a_clock_at_the_start_of_the_calendar_still_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kept window cannot end 365 days after the first day there is: it stays where it
    was and the write goes through."""
    with Store.open(tmp_path / "j.ties") as store:
        before = wt.kept_window(store.conn)
        monkeypatch.setattr(wt, "_today", lambda: date(1, 3, 1))
        people = _people(store, 1)
        assert people and wt.kept_window(store.conn) == before
        _same(store, START, AS_OF)
