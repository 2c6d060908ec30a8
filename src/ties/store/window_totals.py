"""Totals per person and support type over one look-back window, kept up to date.

Coverage asks, for a year, how many entries and how much weight each person
gave or received per support type. Summing that from the rows each time is a
GROUP BY over a quarter of a million-entry journal; schema v4 keeps the answer
for one window in ``window_support`` and ``window_people``, updated by
triggers on every write (see ``schema._v4_window_totals``). Asking for another
window moves the held one: only the days that left it and the days that
entered it are read, so the next day's coverage costs a day of entries, and a
window far from the held one is summed again from the rows.

**The one policy for whether reading an analysis may write** (every report,
Today, the window's places; docs/performance.md): the kept totals are a cache
that only this module writes. It moves them when the journal is open for
writing *and* its write lock is free at once; a journal open read-only, or
whose lock another connection holds at that moment, gets the same figures
summed from the rows, and nothing is written or waited for. So the command
line opens the journal for a report the way it does for any command (read-write
when the file allows it), and no report ever waits on another program's
writes, fails for being unable to write, or gives other figures.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ties.store.errors import JournalError

if TYPE_CHECKING:
    from ties.store.core import StoreCore

#: Per support type and person with ``lo < date <= hi``: what they gave me
#: (``received`` and ``mutual`` entries) and what I gave them (``gave`` and
#: ``mutual``), entries and weight of each side. ``entry_person_support`` (schema
#: v3) has one row per entry, person and type with the entry's date, direction
#: and weight: one range read of a covering index. ``:sign`` is 1, or -1 to subtract.
SIDES_SQL = """
SELECT type_key, person_id,
    :sign * sum(direction != 'gave'),
    :sign * sum(CASE WHEN direction != 'gave' THEN weight ELSE 0 END),
    :sign * sum(direction != 'received'),
    :sign * sum(CASE WHEN direction != 'received' THEN weight ELSE 0 END)
FROM entry_person_support INDEXED BY entry_person_support_window
WHERE date > :lo AND date <= :hi AND direction IN ('received', 'gave', 'mutual')
GROUP BY type_key, person_id
"""

#: Per person named on an entry with ``lo < date <= hi`` (with or without support
#: types): entries, their weight, and the weight of the ``gave``, ``received``
#: and ``mutual`` ones (the Today list's give and take), from the compact
#: ``entry_people_give_take`` index.
PEOPLE_SQL = """
SELECT person_id, :sign * count(*), :sign * sum(weight),
    :sign * sum(CASE WHEN direction = 'gave' THEN weight ELSE 0 END),
    :sign * sum(CASE WHEN direction = 'received' THEN weight ELSE 0 END),
    :sign * sum(CASE WHEN direction = 'mutual' THEN weight ELSE 0 END)
FROM entry_people INDEXED BY entry_people_give_take
WHERE date > :lo AND date <= :hi GROUP BY person_id
"""

_ADD_SIDES = f"""
INSERT INTO window_support {SIDES_SQL}
ON CONFLICT DO UPDATE SET
    received = received + excluded.received,
    received_weight = received_weight + excluded.received_weight,
    given = given + excluded.given,
    given_weight = given_weight + excluded.given_weight
"""

_ADD_PEOPLE = f"""
INSERT INTO window_people {PEOPLE_SQL}
ON CONFLICT DO UPDATE SET
    entries = entries + excluded.entries,
    weight = weight + excluded.weight,
    gave = gave + excluded.gave,
    received = received + excluded.received,
    mutual = mutual + excluded.mutual
"""

_READ_SIDES = "SELECT * FROM window_support"
_READ_PEOPLE = "SELECT * FROM window_people"


@dataclass(frozen=True)
class WindowTotals:
    """The sums of one window (``start`` exclusive, ``as_of`` inclusive, ISO dates).

    ``sides`` rows are ``(type_key, person_id, received entries, received weight,
    given entries, given weight)``, where received counts ``received`` and
    ``mutual`` entries and given counts ``gave`` and ``mutual``, in type order
    (empty when not asked for); ``people`` rows are ``(person_id, entries,
    weight, gave weight, received weight, mutual weight)`` for everyone named on
    an entry, whatever its direction. Archived people and retired types are
    still in them (the analysis decides what counts). ``held`` says whether they
    came from the kept totals.
    """

    start: str
    as_of: str
    sides: list[tuple[str, int, int, int, int, int]]
    people: list[tuple[int, int, int, int, int, int]]
    held: bool


def window_totals(store: StoreCore, start: str, as_of: str, *, sides: bool = True) -> WindowTotals:
    """The sums over ``start < date <= as_of``, from the kept totals when the journal allows.

    The kept totals are moved to this window only when the journal is writable
    and its write lock is free at once (the module's policy); otherwise the
    sums come from the rows. ``sides=False`` leaves out the per-support-type
    sums (the Today list needs only the people's).
    """
    if not store.readonly and _has_tables(store.conn):
        try:
            return _held(store, start, as_of, sides)
        except JournalError:  # busy past the timeout, disk full, …: sum from the rows
            pass
    return summed(store.conn, start, as_of, sides=sides)


def summed(conn: sqlite3.Connection, start: str, as_of: str, *, sides: bool = True) -> WindowTotals:
    """The same sums read from the rows: the definition the kept totals must agree with."""
    params = {"lo": start, "hi": as_of, "sign": 1}
    return WindowTotals(
        start,
        as_of,
        conn.execute(SIDES_SQL, params).fetchall() if sides else [],
        conn.execute(PEOPLE_SQL, params).fetchall(),
        held=False,
    )


def drop_held(conn: sqlite3.Connection) -> None:
    """Forget the held window (inside the caller's transaction): the triggers then do nothing.

    For bulk loads, which would otherwise update the totals row by row.
    """
    if _has_tables(conn):
        conn.execute("DELETE FROM window_span")
        conn.execute("DELETE FROM window_support")
        conn.execute("DELETE FROM window_people")


def held_problems(conn: sqlite3.Connection) -> list[str]:
    """Where the kept totals disagree with the rows (for ``ties check``)."""
    if not _has_tables(conn):
        return []
    span = conn.execute("SELECT start, as_of FROM window_span").fetchone()
    if span is None:
        extra = conn.execute(
            "SELECT (SELECT count(*) FROM window_support) + (SELECT count(*) FROM window_people)"
        ).fetchone()[0]
        return [f"{extra} window totals kept without a window"] if extra else []
    params = {"lo": span[0], "hi": span[1], "sign": 1}
    problems = []
    kept = sorted(conn.execute(_READ_SIDES).fetchall())
    if kept != sorted(conn.execute(SIDES_SQL, params).fetchall()):
        problems.append(f"support totals for {span[0]}…{span[1]} disagree with the entries")
    kept_people = sorted(conn.execute(_READ_PEOPLE).fetchall())
    if kept_people != sorted(conn.execute(PEOPLE_SQL, params).fetchall()):
        problems.append(f"people totals for {span[0]}…{span[1]} disagree with the entries")
    return problems


def _has_tables(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'window_span'"
        ).fetchone()
        is not None
    )


def _held(store: StoreCore, start: str, as_of: str, sides: bool) -> WindowTotals:
    conn = store.conn
    span = conn.execute("SELECT start, as_of FROM window_span").fetchone()
    if span != (start, as_of):
        with _write_lock_at_once(store):
            span = conn.execute("SELECT start, as_of FROM window_span").fetchone()
            if span != (start, as_of):
                _move(conn, span, start, as_of)
    # One read transaction, so the span and the totals are of the same moment: another
    # connection may move the window between the move above and this read.
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        if conn.execute("SELECT start, as_of FROM window_span").fetchone() != (start, as_of):
            return summed(conn, start, as_of, sides=sides)
        return WindowTotals(
            start,
            as_of,
            conn.execute(_READ_SIDES).fetchall() if sides else [],
            conn.execute(_READ_PEOPLE).fetchall(),
            held=True,
        )
    finally:
        if own:
            conn.execute("COMMIT")


@contextlib.contextmanager
def _write_lock_at_once(store: StoreCore) -> Iterator[None]:
    """``store.transaction()``, but refused at once (a busy error) when another connection
    holds the write lock, instead of waiting for the busy timeout."""
    conn = store.conn
    if conn.in_transaction:  # the caller's own transaction: a savepoint inside it
        with store.transaction():
            yield
        return
    timeout = int(conn.execute("PRAGMA busy_timeout").fetchone()[0])
    with contextlib.ExitStack() as stack:
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            stack.enter_context(store.transaction())
        finally:
            conn.execute(f"PRAGMA busy_timeout = {timeout}")
        yield


def _move(conn: sqlite3.Connection, span: tuple[str, str] | None, start: str, as_of: str) -> None:
    """Make the held totals those of ``(start, as_of]``, reading as few rows as it can."""
    leaving: list[tuple[str, str]] = []
    entering: list[tuple[str, str]] = []
    if span is not None:
        old_start, old_as_of = span
        leaving = _minus((old_start, old_as_of), (start, as_of))
        entering = _minus((start, as_of), (old_start, old_as_of))
    moved = sum(_days(lo, hi) for lo, hi in leaving + entering)
    if span is None or moved >= _days(start, as_of):
        conn.execute("DELETE FROM window_support")
        conn.execute("DELETE FROM window_people")
        entering, leaving = [(start, as_of)], []
    for sign, ranges in ((-1, leaving), (1, entering)):
        for lo, hi in ranges:
            params = {"sign": sign, "lo": lo, "hi": hi}
            conn.execute(_ADD_SIDES, params)
            conn.execute(_ADD_PEOPLE, params)
    if leaving:
        conn.execute("DELETE FROM window_support WHERE received <= 0 AND given <= 0")
        conn.execute("DELETE FROM window_people WHERE entries <= 0")
    conn.execute(
        "INSERT INTO window_span (id, start, as_of) VALUES (1, ?, ?) "
        "ON CONFLICT DO UPDATE SET start = excluded.start, as_of = excluded.as_of",
        (start, as_of),
    )


def _minus(a: tuple[str, str], b: tuple[str, str]) -> list[tuple[str, str]]:
    """The parts of the half-open span ``a`` = (lo, hi] outside ``b``."""
    lo, hi = a
    parts = []
    left_end = min(hi, b[0])
    if lo < left_end:
        parts.append((lo, left_end))
    right_start = max(lo, b[1])
    if right_start < hi:
        parts.append((right_start, hi))
    return parts


def _days(lo: str, hi: str) -> int:
    return max(date.fromisoformat(hi).toordinal() - date.fromisoformat(lo).toordinal(), 0)
