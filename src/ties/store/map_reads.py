"""The reads the relationship map needs (``ties.analysis.map_layout``), as typed rows."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

from ties.store.window_totals import ALL_TIME

if TYPE_CHECKING:
    from ties.store.journal import Store

MAP_PEOPLE_SQL = (
    "SELECT id, name, circle, closeness, archived, last_contact, organization FROM people"
)
#: The same people with what their balance needs besides the window's sums: the
#: cadence they were given, and the last contact on or before ``:as_of`` (only people
#: contacted after it need the index; the created stamp only for those never contacted
#: by then, as ``balance_reads.PEOPLE_SQL`` has it).
MAP_PEOPLE_AS_OF_SQL = """
SELECT id, name, circle, closeness, archived, last_contact, organization, cadence_days,
       CASE WHEN last_contact IS NULL OR last_contact > :as_of THEN created END,
       CASE WHEN last_contact IS NULL OR last_contact <= :as_of THEN last_contact
            ELSE (SELECT max(ep.date) FROM entry_people ep
                  WHERE ep.person_id = people.id AND ep.date <= :as_of) END
FROM people
"""
#: Every circle and support type, retired ones too, in the journal's order.
CIRCLE_LABELS_SQL = "SELECT key, label FROM circles ORDER BY position, key"
SUPPORT_LABELS_SQL = "SELECT key, label FROM support_types ORDER BY position"

#: The people named on each introduction entry, entry by entry: the partial index of
#: introductions, then each one's people rows (pairs are formed in the analysis: a
#: self-join grouped by pair took half as long again on a large journal).
INTRODUCTION_PEOPLE_SQL = """
SELECT e.id, ep.person_id
FROM entries e INDEXED BY entries_introductions JOIN entry_people ep ON ep.entry_id = e.id
WHERE e.kind = 'introduction'
ORDER BY e.id
"""
#: Introductions made on someone's behalf, and that someone (the partial index of
#: schema v7 holds just those entries, so no entry row is read).
INTRODUCTION_BEHALF_SQL = """
SELECT id, on_behalf_of FROM entries INDEXED BY entries_introduction_behalf
WHERE on_behalf_of IS NOT NULL AND kind = 'introduction'
"""
#: The first and last entry dates, each one probe of ``entries_date``.
DATA_RANGE_SQL = "SELECT (SELECT min(date) FROM entries), (SELECT max(date) FROM entries)"
#: Whether the journal keeps period sums (schema v7; an older one opened read-only does not).
HAS_KEPT_SQL = "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'period_support'"
#: Who gave me which support type in some kept periods (``{periods}``: that many ``?``):
#: a kept ``received`` counts the received and mutual entries
#: (``ties.store.window_totals``), so above zero means at least one.
KEPT_GIVERS_SQL = """
SELECT type_key, person_id FROM period_support WHERE period IN ({periods}) AND received > 0
"""
#: Who gave me which support type from one day to another (both inclusive), from the rows.
ROW_GIVERS_SQL = """
SELECT type_key, person_id FROM entry_person_support INDEXED BY entry_person_support_window
WHERE date >= ? AND date <= ? AND direction IN ('received', 'mutual')
"""
#: Every link between two people the journal records (issue #15), for lines on the map.
PERSON_LINKS_SQL = "SELECT a_id, b_id, relation, directed FROM person_links ORDER BY a_id, b_id"


class MapPersonRow(NamedTuple):
    """A person as the map reads them (``last_contact`` as stored, ISO or None)."""

    id: int
    name: str
    circle: str
    closeness: int
    archived: int
    last_contact: str | None
    organization: str | None


#: A person as the map reads them with their balance's needs (plain tuples: 10,000 of
#: them): id, name, circle, closeness, archived, last contact as stored (it may lie
#: after the day asked), organisation, cadence days, created stamp (only when not
#: contacted by the day asked), and the last contact on or before the day asked.
MapBalanceRow = tuple[
    int, str, str, int, int, str | None, str | None, int | None, str | None, str | None
]


def map_people_as_of(
    store: Store, as_of: str, *, include_archived: bool = False
) -> list[MapBalanceRow]:
    """Everyone the map may draw, with their cadence and last contact as of ``as_of``:
    one read of the people for nodes and balances both, in id order."""
    sql = MAP_PEOPLE_AS_OF_SQL + ("" if include_archived else " WHERE archived = 0")
    return store.conn.execute(sql, {"as_of": as_of}).fetchall()


def map_people(store: Store, *, include_archived: bool = False) -> list[MapPersonRow]:
    """Everyone the map may draw, in id order as stored."""
    sql = MAP_PEOPLE_SQL + ("" if include_archived else " WHERE archived = 0")
    return list(map(MapPersonRow._make, store.conn.execute(sql)))


def circle_labels(store: Store) -> list[tuple[str, str]]:
    """(key, label) of every circle, retired ones too, in the journal's order."""
    return [(str(k), str(v)) for k, v in store.conn.execute(CIRCLE_LABELS_SQL)]


def support_labels(store: Store) -> dict[str, str]:
    """Support type key → label, retired ones too."""
    return {str(k): str(v) for k, v in store.conn.execute(SUPPORT_LABELS_SQL)}


def introduction_people(store: Store) -> list[tuple[int, int]]:
    """(entry id, person id) of everyone named on an introduction entry (any date), the
    rows of one entry together."""
    return store.conn.execute(INTRODUCTION_PEOPLE_SQL).fetchall()


def introduction_behalf(store: Store) -> dict[int, int]:
    """Introduction entry id → the person it was made on behalf of (for those made so)."""
    return dict(store.conn.execute(INTRODUCTION_BEHALF_SQL).fetchall())


class LinkRow(NamedTuple):
    """A link between two people: ``a`` RELATION ``b`` when ``directed``, else both ways."""

    a: int
    b: int
    relation: str
    directed: int


def person_links(store: Store) -> list[LinkRow]:
    """Every link between two people, sorted by the pair's ids."""
    return list(map(LinkRow._make, store.conn.execute(PERSON_LINKS_SQL)))


def givers(store: Store, start: str, as_of: str) -> set[tuple[str, int]]:
    """``(type key, person id)`` for everyone who gave me that type of support on a day
    ``start < date <= as_of`` (a received or mutual entry of it), archived and retired too.

    Only whether, not how much: so the kept sums of the months and years wholly inside
    the window are enough, each read alone (nothing to add up or take away), and the
    rows only for the days at the window's ends that no whole month covers. The
    window stretches over the days before the first entry and after the last one,
    where nothing lies, so that a window ending on the last entry takes its whole year.
    """
    conn = store.conn
    own = not conn.in_transaction  # one read transaction: the pieces are of one moment
    if own:
        conn.execute("BEGIN")
    try:
        first, last = conn.execute(DATA_RANGE_SQL).fetchone()
        if first is None or start >= as_of:
            return set()
        lo = date.fromisoformat(start) + timedelta(days=1)
        hi = date.fromisoformat(as_of)
        periods: list[str] = []
        spans = [(lo, hi)]  # the rows of the whole window, unless kept periods serve
        ends: tuple[date, date] | None
        try:
            ends = date.fromisoformat(first), date.fromisoformat(last)
        except ValueError:  # a date the journal holds is no date: read the rows only
            ends = None
        if ends is not None:
            d0, d1 = ends
            everything = lo <= d0 and hi >= d1
            if lo <= d0:
                lo = date(d0.year, 1, 1)
            if hi >= d1:
                hi = date(d1.year, 12, 31)
            if lo > hi:
                return set()
            if conn.execute(HAS_KEPT_SQL).fetchone() is None:
                spans = [(lo, hi)]
            elif everything:
                periods, spans = [ALL_TIME], []
            else:
                periods, spans = window_pieces(lo, hi)
        parts: list[str] = []
        args: list[str] = []
        if periods:
            parts.append(KEPT_GIVERS_SQL.format(periods=", ".join("?" * len(periods))))
            args += periods
        for a, b in spans:
            parts.append(ROW_GIVERS_SQL)
            args += (a.isoformat(), b.isoformat())
        return set(conn.execute(" UNION ALL ".join(parts), args))
    finally:
        if own:
            conn.execute("COMMIT")


def window_pieces(lo: date, hi: date) -> tuple[list[str], list[tuple[date, date]]]:
    """The days ``lo`` to ``hi`` (inclusive) as whole kept periods (``YYYY`` years and
    ``YYYY-MM`` months, none overlapping) and the spans of days left at the two ends."""
    periods: list[str] = []
    spans: list[tuple[date, date]] = []
    day = lo
    while day <= hi:
        month_end = day.replace(day=monthrange(day.year, day.month)[1])
        year_end = date(day.year, 12, 31)
        if day.day != 1 or month_end > hi:  # a part of a month: its rows
            end = min(month_end, hi)
            spans.append((day, end))
        elif day.month == 1 and year_end <= hi:
            end = year_end
            periods.append(f"{day.year:04d}")
        else:
            end = month_end
            periods.append(f"{day.year:04d}-{day.month:02d}")
        if end == date.max:
            break
        day = end + timedelta(days=1)
    return periods, spans
