"""Totals per person and support type over any look-back window, from sums kept per period.

Coverage asks, for a window, how many entries and how much weight each person
gave or received per support type; the Today list and the map ask every
person's give and take. Summing that from the rows each time is a GROUP BY over
a third of a million rows for a year of a large journal. Schema v7 keeps the
sums per calendar month, per calendar year and for all time in
``period_support`` (per support type and person) and ``period_people`` (per
person), updated by triggers in the transaction of every write, whatever its
path (undo, import, merge, sync, cascade deletes); see :func:`sum_triggers`.

Any window is then a few kept periods added or taken away, plus the days at its
two ends that no whole month covers, read from the rows: :func:`plan` chooses the
pieces that read the fewest rows (a year ending today is this calendar year,
minus the days after today, plus the days of last year's tail). Nothing after a
window's last day or before its first counts.

**The one policy for whether reading an analysis may write**: it never does.
The kept sums are always current (the triggers run in the writer's own
transaction), so a report, the Today list or a window place reads them the same
way on a journal open read-only, on one another program is writing, and on one
opened for writing: the same figures, no write, no wait for a lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

if TYPE_CHECKING:
    from ties.store.core import StoreCore

_T = TypeVar("_T")

#: Per support type and person with ``lo < date <= hi``: what they gave me
#: (``received`` and ``mutual`` entries) and what I gave them (``gave`` and
#: ``mutual``), entries and weight of each side. ``entry_person_support`` (schema
#: v3) has one row per entry, person and type with the entry's date, direction
#: and weight: one range read of a covering index. The definition the kept sums
#: agree with.
SIDES_SQL = """
SELECT type_key, person_id,
    sum(direction != 'gave'),
    sum(CASE WHEN direction != 'gave' THEN weight ELSE 0 END),
    sum(direction != 'received'),
    sum(CASE WHEN direction != 'received' THEN weight ELSE 0 END)
FROM entry_person_support INDEXED BY entry_person_support_window
WHERE date > :lo AND date <= :hi AND direction IN ('received', 'gave', 'mutual')
GROUP BY type_key, person_id
"""

#: Per person named on an entry with ``lo < date <= hi`` (with or without support
#: types): entries, their weight, and the weight of the ``gave``, ``received``
#: and ``mutual`` ones (the Today list's give and take), from the compact
#: ``entry_people_give_take`` index.
PEOPLE_SQL = """
SELECT person_id, count(*), sum(weight),
    sum(CASE WHEN direction = 'gave' THEN weight ELSE 0 END),
    sum(CASE WHEN direction = 'received' THEN weight ELSE 0 END),
    sum(CASE WHEN direction = 'mutual' THEN weight ELSE 0 END)
FROM entry_people INDEXED BY entry_people_give_take
WHERE date > :lo AND date <= :hi GROUP BY person_id
"""

#: The first and last entry dates, each one probe of ``entries_date`` (``min`` and ``max``
#: in one SELECT would read the whole index).
_DATA_RANGE_SQL = "SELECT (SELECT min(date) FROM entries), (SELECT max(date) FROM entries)"

#: The kept period of all time (months are ``YYYY-MM``, years ``YYYY``).
ALL_TIME = "all"
#: The kept period of the window ending today (``period_window`` holds its ends).
WINDOW = "window"
#: Its length: the default look-back window of every place and report.
WINDOW_DAYS = 365
#: A move of the kept window by more days than this sums it again from the periods.
_MOVE_DAYS = 62


def _in_window(r: str) -> str:
    """Whether the row ``r`` (NEW or OLD) lies inside the kept window (false with none)."""
    return f"EXISTS (SELECT 1 FROM period_window WHERE {r}.date > lo AND {r}.date <= hi)"


#: The row ``{r}`` (NEW or OLD, or a row read) of ``entry_person_support`` as sums:
#: received counts received and mutual entries, given counts gave and mutual ones.
_SUPPORT_VALUES = (
    "{r}.direction != 'gave'",
    "CASE WHEN {r}.direction != 'gave' THEN {r}.weight ELSE 0 END",
    "{r}.direction != 'received'",
    "CASE WHEN {r}.direction != 'received' THEN {r}.weight ELSE 0 END",
)
#: A row of ``entry_people`` as sums: entries, weight, gave, received, mutual.
_PEOPLE_VALUES = (
    "1",
    "{r}.weight",
    "CASE WHEN {r}.direction = 'gave' THEN {r}.weight ELSE 0 END",
    "CASE WHEN {r}.direction = 'received' THEN {r}.weight ELSE 0 END",
    "CASE WHEN {r}.direction = 'mutual' THEN {r}.weight ELSE 0 END",
)


@dataclass(frozen=True)
class _Kept:
    """One kept table: its source table and index, key columns past ``period``, sum
    columns and how a source row ``{r}`` makes them, the test of a sum with no entry
    behind it, and which source rows count."""

    table: str
    source: str
    index: str
    keys: tuple[str, ...]
    sums: tuple[str, ...]
    values: tuple[str, ...]
    empty: str
    only: str  # a condition on the source row ({r}), or ""
    kept_only: str = ""  # a condition on a kept row: which of them can count, or ""

    def _values(self, r: str, sign: str = "") -> str:
        return ", ".join(f"{sign}({v.format(r=r)})" for v in self.values)

    def add(self, r: str) -> str:
        """Trigger body: the row ``r`` added to its month, year, all time, and to the kept
        window when its date is inside it."""
        cols = ", ".join(("period", *self.keys, *self.sums))
        update = ",\n        ".join(f"{c} = {c} + excluded.{c}" for c in self.sums)
        keys = ", ".join(f"{r}.{k}" for k in self.keys)
        return (
            f"\n    INSERT INTO {self.table} ({cols})\n"
            f"    SELECT p.column1, {keys}, {self._values(r)}\n"
            f"    FROM (VALUES (substr({r}.date, 1, 7)), (substr({r}.date, 1, 4)), "
            f"('{ALL_TIME}'), ('{WINDOW}')) AS p\n"
            f"    WHERE p.column1 != '{WINDOW}' OR {_in_window(r)}\n"
            f"    ON CONFLICT DO UPDATE SET\n        {update};"
        )

    def remove(self, r: str) -> str:
        """Trigger body: the row ``r`` taken from its periods; a sum left empty deleted."""
        minus = ",\n        ".join(
            f"{c} = {c} - ({v.format(r=r)})" for c, v in zip(self.sums, self.values, strict=True)
        )
        where = (
            f"period IN (substr({r}.date, 1, 7), substr({r}.date, 1, 4), '{ALL_TIME}', "
            f"(SELECT '{WINDOW}' WHERE {_in_window(r)}))"
            + "".join(f" AND {k} = {r}.{k}" for k in self.keys)
        )
        return (
            f"\n    UPDATE {self.table} SET\n        {minus}\n    WHERE {where};"
            f"\n    DELETE FROM {self.table} WHERE {where} AND {self.empty};"
        )

    def rows(self, sign: str = "") -> str:
        """The source rows of ``lo < date <= hi`` (``?`` twice), one per row, signed."""
        only = f" AND {self.only.format(r='r')}" if self.only else ""
        keys = ", ".join(f"r.{k}" for k in self.keys)
        return (
            f"SELECT {keys}, {self._values('r', sign)} FROM {self.source} AS r "
            f"INDEXED BY {self.index} WHERE r.date > ? AND r.date <= ?{only}"
        )

    def by_period(self, period: str) -> str:
        """Every source row summed per ``period`` (an expression of ``r.date``) and key."""
        only = f" WHERE {self.only.format(r='r')}" if self.only else ""
        keys = ", ".join(f"r.{k}" for k in self.keys)
        sums = ", ".join(f"sum({v.format(r='r')})" for v in self.values)
        n = len(self.keys) + 1
        return (
            f"SELECT {period}, {keys}, {sums} FROM {self.source} AS r{only} "
            f"GROUP BY {', '.join(str(i + 1) for i in range(n))}"
        )


_SUPPORT = _Kept(
    "period_support",
    "entry_person_support",
    "entry_person_support_window",
    ("type_key", "person_id"),
    ("received", "received_weight", "given", "given_weight"),
    _SUPPORT_VALUES,
    "received <= 0 AND given <= 0",
    "{r}.direction IN ('received', 'gave', 'mutual')",
)
_PEOPLE = _Kept(
    "period_people",
    "entry_people",
    "entry_people_give_take",
    ("person_id",),
    ("entries", "weight", "gave", "received", "mutual"),
    _PEOPLE_VALUES,
    "entries <= 0",
    "",
)
#: One side of the support sums: what people gave me (received and mutual entries) or
#: what I gave them (gave and mutual), read alone. Coverage's lists and the map need
#: one side at a time; a kept row with nothing on that side is not read, so the sums
#: sort about half the rows (61 against 116 ms for a 365-day window of the reference
#: journal that no year covers).
_SIDES = {
    side: replace(
        _SUPPORT,
        sums=_SUPPORT.sums[part],
        values=_SUPPORT.values[part],
        empty=f"{side} <= 0",
        only=f"{{r}}.direction IN {directions}",
        kept_only=f"{side} != 0",
    )
    for side, part, directions in (
        ("received", slice(0, 2), "('received', 'mutual')"),
        ("given", slice(2, 4), "('gave', 'mutual')"),
    )
}
#: The periods of a row's date: its month, its year, all time.
_PERIODS = ("substr(r.date, 1, 7)", "substr(r.date, 1, 4)", f"'{ALL_TIME}'")

TABLES_SQL = """
CREATE TABLE period_support (
    period TEXT NOT NULL,
    type_key TEXT NOT NULL,
    person_id INTEGER NOT NULL,
    received INTEGER NOT NULL,
    received_weight INTEGER NOT NULL,
    given INTEGER NOT NULL,
    given_weight INTEGER NOT NULL,
    PRIMARY KEY (period, type_key, person_id)
) WITHOUT ROWID;
CREATE TABLE period_people (
    period TEXT NOT NULL,
    person_id INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    weight INTEGER NOT NULL,
    gave INTEGER NOT NULL,
    received INTEGER NOT NULL,
    mutual INTEGER NOT NULL,
    PRIMARY KEY (period, person_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS period_window (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    lo TEXT NOT NULL,
    hi TEXT NOT NULL
);
"""

#: The columns each source table's triggers watch on an update.
_WATCHED = {"entry_person_support": "", "entry_people": "OF person_id, date, direction, weight "}


def _triggers() -> list[tuple[str, str]]:
    out = []
    for kept in (_SUPPORT, _PEOPLE):
        for event, r, body in (
            ("insert", "NEW", kept.add("NEW")),
            ("delete", "OLD", kept.remove("OLD")),
            ("update_old", "OLD", kept.remove("OLD")),
            ("update_new", "NEW", kept.add("NEW")),
        ):
            name = f"{kept.table}_{event}"
            what = event.split("_")[0].upper()
            on = f"{what} {_WATCHED[kept.source] if what == 'UPDATE' else ''}ON {kept.source}"
            when = f"\nWHEN {kept.only.format(r=r)}" if kept.only else ""
            out.append((name, f"CREATE TRIGGER {name} AFTER {on}{when}\nBEGIN{body}\nEND;\n"))
    return out


def sum_triggers() -> str:
    """The eight triggers that keep the period sums.

    Per source table, a row that enters adds to its month, its year and all time
    (an insert, and the new row of an update) and a row that leaves takes away
    (a delete, and the old row of an update); a sum left with no entry behind it
    is deleted, so every kept row stands for at least one entry.
    """
    return "".join(sql for _name, sql in _triggers())


def _fill(conn: sqlite3.Connection) -> None:
    """Sum every period from the rows (the tables empty): months, then years and all time,
    then the kept window from those."""
    for kept in (_SUPPORT, _PEOPLE):
        conn.execute(f"INSERT INTO {kept.table} {kept.by_period(_PERIODS[0])}")
        keys = ", ".join(kept.keys)
        totals = ", ".join(f"sum({c})" for c in kept.sums)
        for period in ("substr(period, 1, 4)", f"'{ALL_TIME}'"):
            conn.execute(
                f"INSERT INTO {kept.table} SELECT {period}, {keys}, {totals} FROM {kept.table} "
                f"WHERE length(period) = 7 GROUP BY 1, {keys}"
            )
    window = kept_window(conn)
    if window is not None:
        _fill_window(conn, *window)


def _fill_window(conn: sqlite3.Connection, lo: str, hi: str) -> None:
    """Sum the kept window ``lo < date <= hi`` from the calendar periods (none kept yet)."""
    first, last = conn.execute(_DATA_RANGE_SQL).fetchone()
    if first is None:
        return
    try:
        pieces = _plan(lo, hi, first, last)
    except (OverflowError, ValueError):
        pieces = [(1, (lo, hi))]
    if not pieces:
        return
    for kept in (_SUPPORT, _PEOPLE):
        sql, args = _summed_sql(pieces, kept)
        conn.execute(f"INSERT INTO {kept.table} SELECT '{WINDOW}', * FROM ({sql})", args)


#: Today, as the kept window sees it (tests move it).
_today = date.today


def keep_window_current(conn: sqlite3.Connection) -> None:
    """Move the kept window to end today, inside the caller's write transaction.

    Every write transaction of Ties calls this first: the first write of a day moves
    the window by the days since the last one (a few ms), so the window every place
    and report shows by default is one kept period, read as it is. Reading never
    moves it: on a day without writes the window is the kept one and a day or two of
    rows at its ends. A journal without the kept window (older than v9) is left alone.
    """
    window = kept_window(conn)
    if window is None:
        return
    try:
        move_window(conn, _today(), window)
    except (OverflowError, ValueError):  # a clock at the ends of the calendar: keep it
        return


def move_window(conn: sqlite3.Connection, day: date, window: tuple[str, str] | None = None) -> None:
    """Make the kept window the :data:`WINDOW_DAYS` days ending on ``day``.

    A short move adds the days that entered and takes away those that left; a long
    one (or the first) sums the window again from the calendar periods.
    """
    hi = day.isoformat()
    lo = date.fromordinal(day.toordinal() - WINDOW_DAYS).isoformat()
    if window == (lo, hi):
        return
    conn.execute(
        "INSERT INTO period_window (id, lo, hi) VALUES (1, ?, ?) "
        "ON CONFLICT DO UPDATE SET lo = excluded.lo, hi = excluded.hi",
        (lo, hi),
    )
    shift = abs(day.toordinal() - date.fromisoformat(window[1]).toordinal()) if window else 0
    if window is None or shift > _MOVE_DAYS:
        for kept in (_SUPPORT, _PEOPLE):
            conn.execute(f"DELETE FROM {kept.table} WHERE period = '{WINDOW}'")
        _fill_window(conn, lo, hi)
        return
    steps = [*_between(lo, window[0]), *_between(window[1], hi)]
    pieces = [_piece(*step) for step in steps]
    for kept in (_SUPPORT, _PEOPLE):
        sql, args = _summed_sql(pieces, kept, having=False)
        cols = ", ".join(("period", *kept.keys, *kept.sums))
        update = ", ".join(f"{c} = {c} + excluded.{c}" for c in kept.sums)
        conn.execute(
            f"INSERT INTO {kept.table} ({cols}) SELECT '{WINDOW}', * FROM ({sql}) WHERE true "
            f"ON CONFLICT DO UPDATE SET {update}",
            args,
        )
        conn.execute(f"DELETE FROM {kept.table} WHERE period = '{WINDOW}' AND {kept.empty}")


def add_window(conn: sqlite3.Connection) -> None:
    """The v9 migration: the kept window's table, the triggers that keep it, and its sums
    for the window ending today."""
    conn.execute(TABLES_SQL[TABLES_SQL.index("CREATE TABLE IF NOT EXISTS period_window") :])
    stop_keeping(conn)
    _create_triggers(conn)
    move_window(conn, _today(), kept_window(conn))


def _create_triggers(conn: sqlite3.Connection) -> None:
    for _name, sql in _triggers():
        conn.execute(sql)


def create(conn: sqlite3.Connection) -> None:
    """Create the kept sums, their triggers and their content (the v7 migration; the kept
    window's table is made empty, :func:`add_window` gives it its window)."""
    for table in TABLES_SQL.split(";"):
        if table.strip():
            conn.execute(table)
    _fill(conn)
    _create_triggers(conn)


def stop_keeping(conn: sqlite3.Connection) -> None:
    """Drop the triggers (inside the caller's transaction), for a bulk load, which would
    otherwise update the sums row by row; :func:`keep_again` sums everything afterwards."""
    for name, _sql in _triggers():
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def keep_again(conn: sqlite3.Connection) -> None:
    """Sum every period from the rows and put the triggers back (after :func:`stop_keeping`)."""
    conn.execute(f"DELETE FROM {_SUPPORT.table}")
    conn.execute(f"DELETE FROM {_PEOPLE.table}")
    _fill(conn)
    _create_triggers(conn)


@dataclass(frozen=True)
class WindowTotals:
    """The sums of one window (``start`` exclusive, ``as_of`` inclusive, ISO dates).

    ``sides`` rows are ``(type_key, person_id, received entries, received weight,
    given entries, given weight)``, where received counts ``received`` and
    ``mutual`` entries and given counts ``gave`` and ``mutual`` (empty when not
    asked for); ``people`` rows are ``(person_id, entries, weight, gave weight,
    received weight, mutual weight)`` for everyone named on an entry, whatever
    its direction. Archived people and retired types are still in them (the
    analysis decides what counts). ``held`` says whether kept sums were read.
    """

    start: str
    as_of: str
    sides: list[tuple[str, int, int, int, int, int]]
    people: list[tuple[int, int, int, int, int, int]]
    held: bool


def window_totals(store: StoreCore, start: str, as_of: str, *, sides: bool = True) -> WindowTotals:
    """The sums over ``start < date <= as_of``, from the kept period sums (never writes).

    ``sides=False`` leaves out the per-support-type sums (the Today list needs
    only the people's).
    """
    if not sides:
        found = _recall(store, ("totals", start, as_of, True))
        if found is not None:
            return WindowTotals(start, as_of, [], found.people, found.held)
    return _remember(
        store, ("totals", start, as_of, sides), lambda: _window_totals(store, start, as_of, sides)
    )


#: One side's rows: (type_key, person_id, entries, weight), entries never 0.
SideRow = tuple[str, int, int, int]


def side_totals(
    store: StoreCore, start: str, as_of: str, side: Literal["received", "given"]
) -> list[SideRow]:
    """One side of :attr:`WindowTotals.sides` over ``start < date <= as_of``: per support type
    and person, the entries and weight of what they gave me (``received``: received and
    mutual entries) or of what I gave them (``given``: gave and mutual); only pairs with
    entries on that side, sorted by type and person (never writes)."""
    kept = _SIDES[side]

    def read() -> list[SideRow]:
        conn = store.conn
        if not _has_tables(conn):
            rows = summed(conn, start, as_of, sides=True).sides
            if side == "received":
                return sorted((r[0], r[1], r[2], r[3]) for r in rows if r[2])
            return sorted((r[0], r[1], r[4], r[5]) for r in rows if r[4])
        with _read_transaction(conn):
            pieces = _pieces(conn, start, as_of)
            return _read(conn, pieces, kept, ordered=True) if pieces else []

    return _remember(store, (side, start, as_of), read)


#: Answers kept per journal state: the Today list, the map and a report each ask for
#: the same window more than once (balances, then the gaps' activity).
_MEMO_SIZE = 8


def _state(store: StoreCore) -> tuple[int, int]:
    """What changes when the journal does: this connection's writes, or another's."""
    conn = store.conn
    return int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes


def _recall(store: StoreCore, what: tuple[Any, ...]) -> Any:
    memo = store._window_memo
    hit = memo.get(what) if memo else None
    return hit[1] if hit is not None and hit[0] == _state(store) else None


def _remember(store: StoreCore, what: tuple[Any, ...], read: Callable[[], _T]) -> _T:
    """``read()``, or its answer kept in memory since the journal last changed."""
    state = _state(store)
    memo = store._window_memo or {}
    hit = memo.get(what)
    if hit is not None and hit[0] == state:
        return cast(_T, hit[1])
    value = read()
    # Kept only when read outside a transaction: one rolled back later would leave the
    # change count where it was, and the figures would be of rows no longer there.
    if not store.conn.in_transaction:
        fresh = {k: v for k, v in memo.items() if v[0] == state}
        while len(fresh) >= _MEMO_SIZE:
            del fresh[next(iter(fresh))]
        fresh[what] = (state, value)
        store._window_memo = fresh
    return value


@contextmanager
def _read_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction, so the pieces are of the same moment (none when already in one)."""
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if own:
            conn.execute("COMMIT")


def _pieces(conn: sqlite3.Connection, start: str, as_of: str) -> list[Piece]:
    """The plan of a window for this journal's first and last day and its kept window
    (none when it is empty)."""
    first, last = conn.execute(_DATA_RANGE_SQL).fetchone()
    if first is None:
        return []
    try:
        return plan(start, as_of, first, last, kept_window(conn))
    except (OverflowError, ValueError):  # a window at the ends of the calendar
        return [(1, (start, as_of))]


def near_kept_window(store: StoreCore, start: str, as_of: str) -> bool:
    """Whether the window ``start < date <= as_of`` is read from the kept window (it or a
    few days off): then everyone's sums cost about what one probe per person does."""
    conn = store.conn
    if not _has_tables(conn):
        return False
    with _read_transaction(conn):
        return any(p == WINDOW for _sign, p in _pieces(conn, start, as_of))


def kept_window(conn: sqlite3.Connection) -> tuple[str, str] | None:
    """The ends ``(lo, hi)`` of the kept window (``lo`` exclusive), or None."""
    try:
        row = conn.execute("SELECT lo, hi FROM period_window").fetchone()
    except sqlite3.OperationalError:  # older than v9
        return None
    return (str(row[0]), str(row[1])) if row else None


def _window_totals(store: StoreCore, start: str, as_of: str, sides: bool) -> WindowTotals:
    conn = store.conn
    if not _has_tables(conn):  # a journal older than v7 (opened read-only, not migrated)
        return summed(conn, start, as_of, sides=sides)
    with _read_transaction(conn):
        pieces = _pieces(conn, start, as_of)
        return WindowTotals(
            start,
            as_of,
            _read(conn, pieces, _SUPPORT) if sides else [],
            _read(conn, pieces, _PEOPLE),
            held=any(isinstance(p, str) for _sign, p in pieces),
        )


def summed(conn: sqlite3.Connection, start: str, as_of: str, *, sides: bool = True) -> WindowTotals:
    """The same sums read from the rows: the definition the kept sums must agree with."""
    params = {"lo": start, "hi": as_of}
    return WindowTotals(
        start,
        as_of,
        conn.execute(SIDES_SQL, params).fetchall() if sides else [],
        conn.execute(PEOPLE_SQL, params).fetchall(),
        held=False,
    )


# ------------------------------------------------------------------ the plan

#: A piece of a window: a kept period (``YYYY-MM``, ``YYYY`` or :data:`ALL_TIME`), or a
#: span of days read from the rows as ``(lo, hi)`` ISO dates (``lo < date <= hi``),
#: added (+1) or taken away (-1).
Piece = tuple[int, str | tuple[str, str]]

#: Rows each kind of piece reads, in days of rows: a day of rows costs 1. Measured on
#: the reference journal (10,000 people, a year ~340,000 support rows): a month of
#: sums holds ~9,000 rows (10 days of rows), a year ~40,000, all time ~65,000.
_DAY, _MONTH, _YEAR, _ALL = 1, 10, 45, 70
#: The kept window is a year's rows, read as they are (no GROUP BY): cheaper than a year.
_WINDOW = 30


def plan(
    start: str, as_of: str, first: str, last: str, window: tuple[str, str] | None = None
) -> list[Piece]:
    """The pieces whose signed sum is the window ``start < date <= as_of``, reading few rows.

    ``first`` and ``last`` are the journal's first and last entry dates: nothing
    lies outside them, so a piece there costs nothing and is left out. ``window``
    is the kept window's ``(lo, hi)``: it and the days between its ends and the
    window's make another plan, chosen when it reads fewer rows.
    """
    pieces = _plan(start, as_of, first, last)
    if window is None:
        return pieces
    d0, d1 = date.fromisoformat(first).toordinal(), date.fromisoformat(last).toordinal() + 1
    near = [(1, "w", 0, 0), *_between(start, window[0]), *_between(window[1], as_of)]
    cost = sum(_cost(kind, x, y, d0, d1) for _s, kind, x, y in near)
    if cost < sum(_piece_cost(p, d0, d1) for p in pieces):
        return [_piece(s, kind, x, y) for s, kind, x, y in near if _cost(kind, x, y, d0, d1)]
    return pieces


def _between(a: str, b: str) -> list[tuple[int, str, int, int]]:
    """The days after ``a`` up to ``b`` (ISO dates), added; or after ``b`` up to ``a``, taken
    away. ``(window start, kept start)`` and ``(kept end, window end)`` turn the kept
    window into the window."""
    return _signed(
        "d", date.fromisoformat(a).toordinal() + 1, date.fromisoformat(b).toordinal() + 1
    )


def _piece_cost(piece: Piece, d0: int, d1: int) -> float:
    _sign, p = piece
    if isinstance(p, tuple):
        lo, hi = (date.fromisoformat(d).toordinal() + 1 for d in p)
        return _cost("d", lo, hi, d0, d1)
    return {3: _ALL, 4: _YEAR, 6: _WINDOW, 7: _MONTH}[len(p)]


def _plan(start: str, as_of: str, first: str, last: str) -> list[Piece]:
    """:func:`plan` from the calendar periods alone."""
    lo = date.fromisoformat(start).toordinal() + 1  # the window is the days [lo, hi)
    hi = date.fromisoformat(as_of).toordinal() + 1
    d0, d1 = date.fromisoformat(first).toordinal(), date.fromisoformat(last).toordinal() + 1
    lo, hi = max(lo, d0), min(hi, d1)
    if lo >= hi:
        return []
    if lo == d0 and hi == d1:
        return [(1, ALL_TIME)]
    best: tuple[float, list[tuple[int, str, int, int]]] = (_DAY * (hi - lo), [(1, "d", lo, hi)])
    for a1 in _month_cuts(lo):
        for b1 in _month_cuts(hi):
            if a1 > b1:
                continue
            edges = _signed("d", lo, a1) + _signed("d", b1, hi)
            for middle in _month_plans(a1, b1, d0, d1):
                pieces = edges + middle
                cost = sum(_cost(kind, x, y, d0, d1) for _s, kind, x, y in pieces)
                if cost < best[0]:
                    best = (cost, pieces)
    return [_piece(s, kind, x, y) for s, kind, x, y in best[1] if _cost(kind, x, y, d0, d1)]


def _month_plans(a: int, b: int, d0: int, d1: int) -> Iterable[list[tuple[int, str, int, int]]]:
    """Ways to cover the month-aligned days [a, b): months, years, or all time minus the rest."""
    yield _months(a, b, 1)
    for a2 in _year_cuts(a):
        for b2 in _year_cuts(b):
            if a2 > b2:
                continue
            edges = _signed("m", a, a2) + _signed("m", b2, b)
            years = [_year_piece(1, y) for y in range(_year(a2), _year(b2))]
            yield edges + years
            outside = [
                _year_piece(-1, y)
                for y in (*range(_year(d0), _year(a2)), *range(_year(b2), _year(d1 - 1) + 1))
            ]
            yield [*edges, (1, "a", 0, 0), *outside]


def _year_piece(sign: int, year: int) -> tuple[int, str, int, int]:
    return (sign, "y", date(year, 1, 1).toordinal(), date(year + 1, 1, 1).toordinal())


def _signed(kind: str, x: int, y: int) -> list[tuple[int, str, int, int]]:
    """The days (``d``) or months (``m``) between two cut points, added when ``x < y``,
    else taken away.

    The left end passes (the window's cut, the coarser cut): a coarser cut after the
    window's leaves days to add, one before it days to take away; the right end
    passes (the coarser cut, the window's cut).
    """
    if x == y:
        return []
    sign = 1 if x < y else -1
    lo, hi = min(x, y), max(x, y)
    return [(sign, "d", lo, hi)] if kind == "d" else _months(lo, hi, sign)


def _months(a: int, b: int, sign: int) -> list[tuple[int, str, int, int]]:
    out = []
    day = date.fromordinal(a)
    while day.toordinal() < b:
        nxt = _next_month(day)
        out.append((sign, "m", day.toordinal(), nxt.toordinal()))
        day = nxt
    return out


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_cuts(x: int) -> list[int]:
    """The month boundaries at or around day ``x`` (its month's first day, the next one's)."""
    day = date.fromordinal(x)
    first = day.replace(day=1)
    return (
        [first.toordinal()] if first == day else [first.toordinal(), _next_month(day).toordinal()]
    )


def _year_cuts(x: int) -> list[int]:
    day = date.fromordinal(x)
    first = date(day.year, 1, 1)
    if first == day:
        return [x]
    after = [date(day.year + 1, 1, 1).toordinal()] if day.year < date.max.year else []
    return [first.toordinal(), *after]


def _year(x: int) -> int:
    return date.fromordinal(x).year


def _cost(kind: str, x: int, y: int, d0: int, d1: int) -> float:
    """Rows a piece reads; nothing for one wholly outside the journal's first and last day."""
    if kind == "a":
        return _ALL
    if kind == "w":
        return _WINDOW
    inside = min(y, d1) - max(x, d0)
    if inside <= 0:
        return 0
    return {"d": _DAY * inside, "m": _MONTH, "y": _YEAR}[kind]


def _piece(sign: int, kind: str, x: int, y: int) -> Piece:
    if kind == "a":
        return (sign, ALL_TIME)
    if kind == "w":
        return (sign, WINDOW)
    if kind == "d":
        return (sign, (date.fromordinal(x - 1).isoformat(), date.fromordinal(y - 1).isoformat()))
    day = date.fromordinal(x)
    return (sign, f"{day.year:04d}-{day.month:02d}" if kind == "m" else f"{day.year:04d}")


def _summed_sql(pieces: list[Piece], kept: _Kept, *, having: bool = True) -> tuple[str, list[str]]:
    """The SQL summing the signed ``pieces`` per key, and its arguments.

    ``having``: leave out the keys with no entry behind them, which is right for a
    window's sums (every entry counts positively there) and wrong for a difference
    of two windows (one entry leaving and a heavier one entering change the weight).
    """
    keys = ", ".join(kept.keys)
    also = f" AND {kept.kept_only}" if kept.kept_only else ""
    parts: list[str] = []
    args: list[str] = []
    for sign in (1, -1):
        minus = "-" if sign < 0 else ""
        periods = [p for s, p in pieces if s == sign and isinstance(p, str)]
        if periods:
            signed = ", ".join(f"{minus}{c}" for c in kept.sums)
            marks = ", ".join("?" * len(periods))
            parts.append(
                f"SELECT {keys}, {signed} FROM {kept.table} WHERE period IN ({marks}){also}"
            )
            args.extend(periods)
        for s, p in pieces:
            if s == sign and not isinstance(p, str):
                parts.append(kept.rows(minus))
                args.extend(p)
    sums = ", ".join(f"sum({c})" for c in kept.sums)
    names = ", ".join((*kept.keys, *kept.sums))
    # Every row of the window has at least one entry behind it: a sum of zero entries
    # (received and given for support) is a pair a kept period has and the window has not.
    nonzero = " OR ".join(f"sum({c}) != 0" for c in kept.sums if c in _COUNTS)
    return (
        f"WITH pieces ({names}) AS ({' UNION ALL '.join(parts)})\n"
        f"SELECT {keys}, {sums} FROM pieces GROUP BY {keys}"
        + (f" HAVING {nonzero}" if having else "")
        + f" ORDER BY {keys}",
        args,
    )


#: The sums that count entries: a window's row has at least one of them above zero.
_COUNTS = ("received", "given", "entries")


def _read(
    conn: sqlite3.Connection, pieces: list[Piece], kept: _Kept, *, ordered: bool = False
) -> list[tuple]:
    """The window's rows: one kept period read as it is, or the signed pieces summed
    (``ordered``: by their keys either way).

    When one kept period carries most of the rows (a year, all time, the kept window)
    and the other pieces are small, it is read as it is and the others summed apart,
    then added in here: SQLite's GROUP BY sorts every row it is given, and the big
    period's rows are already one per key (a 365-day window next to the kept one:
    ~15 against ~45 ms a side on the reference journal).
    """
    if not pieces:
        return []
    keys = ", ".join(kept.keys)
    also = f" AND {kept.kept_only}" if kept.kept_only else ""
    plain = f"SELECT {keys}, {', '.join(kept.sums)} FROM {kept.table} WHERE period = ?{also}"
    if ordered:  # the primary key's order: no sort
        plain += f" ORDER BY {keys}"
    if len(pieces) == 1 and pieces[0][0] == 1 and isinstance(pieces[0][1], str):
        return conn.execute(plain, (pieces[0][1],)).fetchall()
    big = max(
        (p for p in pieces if p[0] == 1 and isinstance(p[1], str) and len(p[1]) != 7),
        key=lambda p: _PERIOD_ROWS.get(len(p[1]), 0),
        default=None,
    )
    if big is not None:
        rest = [p for p in pieces if p is not big]
        weight = sum(
            _PERIOD_ROWS.get(len(p), 10) if isinstance(p, str) else _days_between(*p)
            for _s, p in rest
        )
        if weight * 2 <= _PERIOD_ROWS[len(str(big[1]))]:
            sql, args = _summed_sql(rest, kept, having=False)
            return _merged(
                conn.execute(plain, (big[1],)).fetchall(),
                conn.execute(sql, args).fetchall(),
                len(kept.keys),
                [i for i, c in enumerate(kept.sums) if c in _COUNTS],
            )
    sql, args = _summed_sql(pieces, kept)
    return conn.execute(sql, args).fetchall()


#: Rows a kept period holds, in days of rows, by the length of its name (see _cost):
#: a year (4), all time (3), the kept window (6), a month (7).
_PERIOD_ROWS = {4: 45, 3: 70, 6: 45, 7: 10}


def _days_between(lo: str, hi: str) -> int:
    return date.fromisoformat(hi).toordinal() - date.fromisoformat(lo).toordinal()


def _merged(big: list[tuple], rest: list[tuple], n: int, counts: list[int]) -> list[tuple]:
    """``big`` (one row per key, in key order) plus the signed sums ``rest``, in key order;
    a key left with no entry is dropped."""
    if not rest:
        return big
    extra = {r[:n]: r[n:] for r in rest}
    out: list[tuple] = []
    add = out.append
    for row in big:
        more = extra.pop(row[:n], None)
        if more is None:
            add(row)
            continue
        sums = tuple(a + b for a, b in zip(row[n:], more, strict=True))
        if any(sums[i] for i in counts):
            add(row[:n] + sums)
    if extra:
        out.extend(k + v for k, v in extra.items() if any(v[i] for i in counts))
        out.sort()
    return out


def kept_problems(conn: sqlite3.Connection) -> list[str]:
    """Where the kept sums disagree with the rows (for ``ties check``; reads only)."""
    if not _has_tables(conn):
        return []
    problems = []
    window = kept_window(conn)
    for kept, label, window_sql in (
        (_SUPPORT, "support", SIDES_SQL),
        (_PEOPLE, "people", PEOPLE_SQL),
    ):
        have = set(conn.execute(f"SELECT * FROM {kept.table}"))
        want = {row for period in _PERIODS for row in conn.execute(kept.by_period(period))}
        if window is not None:
            ends = {"lo": window[0], "hi": window[1]}
            want |= {(WINDOW, *row) for row in conn.execute(window_sql, ends)}
        if have != want:
            periods = sorted({r[0] for r in have ^ want})
            shown = ", ".join(periods[:3]) + (", …" if len(periods) > 3 else "")
            problems.append(f"{label} sums kept for {shown} disagree with the entries")
    return problems


def _has_tables(conn: sqlite3.Connection) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'period_people'"
        ).fetchone()
        is not None
    )
