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
from dataclasses import dataclass
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
        """Trigger body: the row ``r`` added to its month, year and all time."""
        cols = ", ".join(("period", *self.keys, *self.sums))
        update = ",\n        ".join(f"{c} = {c} + excluded.{c}" for c in self.sums)
        keys = ", ".join(f"{r}.{k}" for k in self.keys)
        return (
            f"\n    INSERT INTO {self.table} ({cols})\n"
            f"    SELECT p.column1, {keys}, {self._values(r)}\n"
            f"    FROM (VALUES (substr({r}.date, 1, 7)), (substr({r}.date, 1, 4)), "
            f"('{ALL_TIME}')) AS p WHERE 1\n"
            f"    ON CONFLICT DO UPDATE SET\n        {update};"
        )

    def remove(self, r: str) -> str:
        """Trigger body: the row ``r`` taken from its periods; a sum left empty deleted."""
        minus = ",\n        ".join(
            f"{c} = {c} - ({v.format(r=r)})" for c, v in zip(self.sums, self.values, strict=True)
        )
        where = (
            f"period IN (substr({r}.date, 1, 7), substr({r}.date, 1, 4), '{ALL_TIME}')"
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
    "received": _Kept(
        "period_support",
        "entry_person_support",
        "entry_person_support_window",
        ("type_key", "person_id"),
        ("received", "received_weight"),
        _SUPPORT_VALUES[:2],
        "received <= 0",
        "{r}.direction IN ('received', 'mutual')",
        "received != 0",
    ),
    "given": _Kept(
        "period_support",
        "entry_person_support",
        "entry_person_support_window",
        ("type_key", "person_id"),
        ("given", "given_weight"),
        _SUPPORT_VALUES[2:],
        "given <= 0",
        "{r}.direction IN ('gave', 'mutual')",
        "given != 0",
    ),
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
    """Sum every period from the rows (the tables empty): months, then years and all time."""
    for kept in (_SUPPORT, _PEOPLE):
        conn.execute(f"INSERT INTO {kept.table} {kept.by_period(_PERIODS[0])}")
        keys = ", ".join(kept.keys)
        totals = ", ".join(f"sum({c})" for c in kept.sums)
        for period in ("substr(period, 1, 4)", f"'{ALL_TIME}'"):
            conn.execute(
                f"INSERT INTO {kept.table} SELECT {period}, {keys}, {totals} FROM {kept.table} "
                f"WHERE length(period) = 7 GROUP BY 1, {keys}"
            )


def _create_triggers(conn: sqlite3.Connection) -> None:
    for _name, sql in _triggers():
        conn.execute(sql)


def create(conn: sqlite3.Connection) -> None:
    """Create the kept sums, their triggers and their content (the v7 migration)."""
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
    """The plan of a window for this journal's first and last day (none when it is empty)."""
    first, last = conn.execute(_DATA_RANGE_SQL).fetchone()
    if first is None:
        return []
    try:
        return plan(start, as_of, first, last)
    except (OverflowError, ValueError):  # a window at the ends of the calendar
        return [(1, (start, as_of))]


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


def plan(start: str, as_of: str, first: str, last: str) -> list[Piece]:
    """The pieces whose signed sum is the window ``start < date <= as_of``, reading few rows.

    ``first`` and ``last`` are the journal's first and last entry dates: nothing
    lies outside them, so a piece there costs nothing and is left out.
    """
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
    inside = min(y, d1) - max(x, d0)
    if inside <= 0:
        return 0
    return {"d": _DAY * inside, "m": _MONTH, "y": _YEAR}[kind]


def _piece(sign: int, kind: str, x: int, y: int) -> Piece:
    if kind == "a":
        return (sign, ALL_TIME)
    if kind == "d":
        return (sign, (date.fromordinal(x - 1).isoformat(), date.fromordinal(y - 1).isoformat()))
    day = date.fromordinal(x)
    return (sign, f"{day.year:04d}-{day.month:02d}" if kind == "m" else f"{day.year:04d}")


def _read(
    conn: sqlite3.Connection, pieces: list[Piece], kept: _Kept, *, ordered: bool = False
) -> list[tuple]:
    """The window's rows: one kept period read as it is, or the signed pieces summed
    (``ordered``: by their keys either way)."""
    keys = ", ".join(kept.keys)
    if not pieces:
        return []
    also = f" AND {kept.kept_only}" if kept.kept_only else ""
    if len(pieces) == 1 and pieces[0][0] == 1 and isinstance(pieces[0][1], str):
        sql = f"SELECT {keys}, {', '.join(kept.sums)} FROM {kept.table} WHERE period = ?{also}"
        if ordered:  # the primary key's order: no sort
            sql += f" ORDER BY {keys}"
        return conn.execute(sql, (pieces[0][1],)).fetchall()
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
    nonzero = " OR ".join(
        f"sum({c}) != 0" for c in kept.sums if c in ("received", "given", "entries")
    )
    sql = (
        f"WITH pieces ({names}) AS ({' UNION ALL '.join(parts)})\n"
        f"SELECT {keys}, {sums} FROM pieces GROUP BY {keys} HAVING {nonzero}"
        + (f" ORDER BY {keys}" if ordered else "")
    )
    return conn.execute(sql, args).fetchall()


def kept_problems(conn: sqlite3.Connection) -> list[str]:
    """Where the kept sums disagree with the rows (for ``ties check``; reads only)."""
    if not _has_tables(conn):
        return []
    problems = []
    for kept, label in ((_SUPPORT, "support"), (_PEOPLE, "people")):
        have = set(conn.execute(f"SELECT * FROM {kept.table}"))
        want = {row for period in _PERIODS for row in conn.execute(kept.by_period(period))}
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
