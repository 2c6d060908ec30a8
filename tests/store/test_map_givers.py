"""The map's read of who gave which support (``map_reads.givers``) names exactly the
pairs the window's sums give a received entry, on random journals and windows."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ties.model import Entry, Person
from ties.store import Store
from ties.store.map_reads import givers, window_pieces
from ties.store.window_totals import summed

TYPES = ["confidant", "career_guidance", "introductions", "encouragement"]
DIRECTIONS = ["received", "gave", "mutual", "contact"]


def _want(store: Store, start: str, as_of: str) -> set[tuple[str, int]]:
    """The definition: a side of the window's sums with received entries."""
    return {
        (key, pid) for key, pid, received, *_ in summed(store.conn, start, as_of).sides if received
    }


def _journal(store: Store, rng: random.Random, n: int = 60) -> None:
    people = [store.add_person(Person(name=f"P{i}")).id for i in range(6)]
    for _ in range(n):
        store.add_entry(
            Entry(
                date=date(2023, 11, 20) + timedelta(days=rng.randrange(900)),
                person_ids=rng.sample(people, rng.randint(1, 3)),  # type: ignore[arg-type]
                direction=rng.choice(DIRECTIONS),
                support_types=rng.sample(TYPES, rng.randint(0, 2)),
                weight=rng.randint(1, 3),
            )
        )


def _window(rng: random.Random) -> tuple[str, str]:
    """Any length, ending anywhere around the entries, before them or after them."""
    as_of = date(2023, 6, 1) + timedelta(days=rng.randrange(1300))
    days = rng.choice([1, 7, 30, 31, 90, 365, 366, 730, 36_500, rng.randrange(1, 900)])
    return (as_of - timedelta(days=days)).isoformat(), as_of.isoformat()


def test_givers_agree_with_the_sums_on_random_journals(tmp_path: Path) -> None:
    for seed in range(4):
        rng = random.Random(seed)
        with Store.open(tmp_path / f"j{seed}.ties") as store:
            _journal(store, rng)
            last = store.conn.execute("SELECT max(date) FROM entries").fetchone()[0]
            windows = [_window(rng) for _ in range(40)]
            windows += [("2024-12-06", last), ("2000-01-01", last), ("2000-01-01", "2025-03-15")]
            for start, as_of in windows:
                assert givers(store, start, as_of) == _want(store, start, as_of), (start, as_of)
            assert not store.conn.in_transaction  # its read transaction is over


def test_givers_of_a_journal_without_kept_sums_come_from_the_rows(tmp_path: Path) -> None:
    """A journal older than schema v7 (opened read-only, not migrated) keeps no sums."""
    rng = random.Random(7)
    with Store.open(tmp_path / "old.ties") as store:
        _journal(store, rng, 40)
        with store.transaction() as conn:
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'period_%'"
            ).fetchall():
                conn.execute(f"DROP TRIGGER {name}")
            conn.execute("DROP TABLE period_support")
        for start, as_of in [_window(rng) for _ in range(15)]:
            assert givers(store, start, as_of) == _want(store, start, as_of)


def test_an_empty_journal_or_window_has_no_givers(store: Store) -> None:
    assert givers(store, "2025-01-01", "2026-01-01") == set()
    _journal(store, random.Random(3), 10)
    assert givers(store, "2026-01-01", "2026-01-01") == set()


@given(
    lo=st.dates(date(1, 1, 1), date(9999, 12, 31)),
    days=st.integers(0, 3000),
)
def test_window_pieces_cover_every_day_once(lo: date, days: int) -> None:
    hi = min(date(9999, 12, 31), lo + timedelta(days=min(days, (date.max - lo).days)))
    periods, spans = window_pieces(lo, hi)
    covered: list[tuple[date, date]] = list(spans)
    for p in periods:
        if len(p) == 4:
            covered.append((date(int(p), 1, 1), date(int(p), 12, 31)))
        else:
            first = date(int(p[:4]), int(p[5:]), 1)
            nxt = first.replace(day=28) + timedelta(days=4)
            covered.append((first, nxt - timedelta(days=nxt.day)))
    covered.sort()
    assert covered[0][0] == lo and covered[-1][1] == hi
    for (_, end), (start, _) in itertools.pairwise(covered):
        assert start == end + timedelta(days=1)  # no gap, no overlap
    assert all(a <= b for a, b in covered)
    assert len(spans) <= 2  # only the two ends are read from the rows


def test_a_date_that_is_no_date_falls_back_to_the_rows(tmp_path: Path) -> None:
    """A damaged date as the journal's first or last: the rows answer, no traceback."""
    rng = random.Random(11)
    with Store.open(tmp_path / "odd.ties") as store:
        _journal(store, rng, 30)
        with store.transaction() as conn:
            conn.execute(
                "UPDATE entries SET date = '9999-99-99' WHERE id = (SELECT max(id) FROM entries)"
            )
        for start, as_of in [_window(rng) for _ in range(10)]:
            assert givers(store, start, as_of) == _want(store, start, as_of)
