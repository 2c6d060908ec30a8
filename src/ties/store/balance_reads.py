"""The reads give and take needs (``ties.analysis.reciprocity``), as typed rows.

Balances over a window, the follow-ups and thanks that flag people, and a
person's month-by-month history. The rules (flags, cadences, the running
balance) live in the analysis. Dates are ISO strings; a window is
``start < date <= as_of``. Entries made on someone's behalf count as ``gave``
to them unless the entry also names them, which the on-behalf reads apply.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ties.store.journal import Store

_SUMS = """
       sum(CASE WHEN direction IN ('gave', 'mutual') THEN weight ELSE 0 END),
       sum(CASE WHEN direction IN ('received', 'mutual') THEN weight ELSE 0 END),
       sum(CASE WHEN direction = 'mutual' THEN weight ELSE 0 END),
       count(*),
       sum(weight)"""

#: Weight given (``gave`` only), received (``received`` only) and mutual, entry
#: count and weight per person named on the window's entries (the sums are
#: NULL when there is none). The definition the kept window totals
#: (``ties.store.window_totals``) agree with; tests and the benchmark use it.
#: ``entry_people`` carries each entry's date, direction and weight (schema
#: v2), so this reads the ``entry_people_give_take`` index and touches no entry row.
WINDOW_SQL = """
SELECT person_id,
       sum(weight) FILTER (WHERE direction = 'gave'),
       sum(weight) FILTER (WHERE direction = 'received'),
       sum(weight) FILTER (WHERE direction = 'mutual'),
       count(*),
       sum(weight)
FROM entry_people INDEXED BY entry_people_give_take
WHERE date > :start AND date <= :as_of
GROUP BY person_id
"""

#: Entries made on someone's behalf in the window (they count as ``gave`` to
#: that someone, unless the entry also names them), from the small
#: ``entries_behalf_window`` index. Whether the entry names them is looked up in
#: ``entry_people_person`` (person, date, entry: an entry's people rows carry its
#: date), in the order the outer index walks, rather than by entry id at random:
#: about half the time on a large journal.
BEHALF_WINDOW_SQL = """
SELECT e.on_behalf_of, sum(e.weight), count(*)
FROM entries e INDEXED BY entries_behalf_window
WHERE e.on_behalf_of IS NOT NULL AND e.date > :start AND e.date <= :as_of
  AND NOT EXISTS (SELECT 1 FROM entry_people x INDEXED BY entry_people_person
                  WHERE x.person_id = e.on_behalf_of AND x.date = e.date AND x.entry_id = e.id)
GROUP BY e.on_behalf_of
"""

#: The window's sums with mutual in given and received, for a few chosen people
#: (``{ids}`` is a list of ``?``).
WINDOW_FOR_PEOPLE_SQL = f"""
SELECT person_id,{_SUMS}
FROM entry_people INDEXED BY entry_people_give_take
WHERE person_id IN ({{ids}}) AND date > ? AND date <= ?
GROUP BY person_id
"""

#: :data:`BEHALF_WINDOW_SQL` for a few chosen people.
BEHALF_FOR_PEOPLE_SQL = """
SELECT e.on_behalf_of, sum(e.weight), count(*)
FROM entries e INDEXED BY entries_behalf_window
WHERE e.on_behalf_of IN ({ids}) AND e.date > ? AND e.date <= ?
  AND NOT EXISTS (SELECT 1 FROM entry_people x INDEXED BY entry_people_person
                  WHERE x.person_id = e.on_behalf_of AND x.date = e.date AND x.entry_id = e.id)
GROUP BY e.on_behalf_of
"""

#: Everybody's profile figures, with the last contact on or before ``as_of``
#: (``people.last_contact`` is kept up to date by the store; only people
#: contacted after ``as_of`` need the index lookup), and the created stamp of those
#: not contacted by then (the only ones whose quiet time counts from it).
PEOPLE_SQL = """
SELECT p.id, p.name, p.uuid, p.closeness, p.mutuality, p.cadence_days, p.archived,
       CASE WHEN p.last_contact IS NULL OR p.last_contact > :as_of THEN p.created END,
       CASE WHEN p.last_contact IS NULL OR p.last_contact <= :as_of THEN p.last_contact
            ELSE (SELECT max(ep.date) FROM entry_people ep
                  WHERE ep.person_id = p.id AND ep.date <= :as_of) END
FROM people p
"""

#: Follow-ups due on ``as_of``: a date on or before it, not done, any age. The
#: entry's fields after its id are what the Today list shows.
FOLLOW_UPS_DUE_SQL = """
SELECT ep.person_id, e.id, e.uuid, e.date, e.follow_up, substr(e.note, 1, 200), e.people_label
FROM entries e JOIN entry_people ep ON ep.entry_id = e.id
WHERE e.follow_up IS NOT NULL AND e.follow_up_done = 0 AND e.follow_up <= :as_of
  AND e.date <= :as_of
"""

#: ``received`` entries after ``since`` up to ``as_of`` that are not thanked, with their
#: people and day, read from two partial indexes (v10) alone: the ids of the entries not
#: thanked, and the people of the received entries by day. What Today shows of an entry
#: is read apart, only for the entries shown (:func:`ties.store.today_reads.entry_cards`).
UNTHANKED_SQL = """
WITH unthanked(id) AS MATERIALIZED (
    SELECT id FROM entries INDEXED BY entries_unthanked
    WHERE direction = 'received' AND thanked = 0 AND date > :since AND date <= :as_of
)
SELECT ep.person_id, ep.entry_id, ep.date
FROM entry_people ep INDEXED BY entry_people_received
WHERE ep.direction = 'received' AND ep.date > :since AND ep.date <= :as_of
  AND ep.entry_id IN unthanked
"""

#: One person's given and received per month, up to ``as_of``.
TIMELINE_SQL = """
SELECT substr(day, 1, 7) AS month,
       sum(CASE WHEN direction IN ('gave', 'mutual') THEN weight ELSE 0 END),
       sum(CASE WHEN direction IN ('received', 'mutual') THEN weight ELSE 0 END),
       count(*)
FROM (
    SELECT date AS day, direction, weight
    FROM entry_people INDEXED BY entry_people_give_take
    WHERE person_id = :pid AND date <= :as_of
    UNION ALL
    SELECT e.date, 'gave', e.weight
    FROM entries e INDEXED BY entries_behalf_window
    WHERE e.on_behalf_of = :pid AND e.date <= :as_of
      AND NOT EXISTS (SELECT 1 FROM entry_people x
                      WHERE x.entry_id = e.id AND x.person_id = e.on_behalf_of)
)
GROUP BY month
ORDER BY month
"""

#: Ids of a person's entries in a date range: named on them, or made on their behalf.
MONTH_ENTRIES_SQL = """
SELECT entry_id, date FROM entry_people
WHERE person_id = :pid AND date >= :first AND date <= :last
UNION
SELECT id, date FROM entries INDEXED BY entries_behalf_window
WHERE on_behalf_of = :pid AND date >= :first AND date <= :last
ORDER BY 2 DESC, 1 DESC
LIMIT :limit
"""

#: SQLite's default limit on ``?`` in one statement is far above this; chunks keep
#: the statements short.
CHUNK = 400


#: The rows the window's balances read, as plain tuples (tens of thousands on a large
#: journal: a named tuple each costs a tenth of the read); the named tuples below name
#: their columns, in the same order.
BehalfRow = tuple[int, int, int]  # BehalfSums
PersonRow = tuple[int, str, str, int, int, int | None, int, str | None, str | None]  # BalancePerson
FlaggedRow = tuple[int, int, str, str, str | None, str, str]  # FlaggedEntry
UnthankedRow = tuple[int, int, str]  # UnthankedEntry


class BehalfSums(NamedTuple):
    """Entries made on one person's behalf in a window (they count as given)."""

    person_id: int
    weight: int
    entries: int


class PersonSums(NamedTuple):
    """One person's window: given and received include mutual, which is also apart."""

    person_id: int
    given: int
    received: int
    mutual: int
    entries: int
    weight: int


class BalancePerson(NamedTuple):
    """A person's profile as balances need it; ``last_contact`` is as of the day asked."""

    id: int
    name: str
    uuid: str
    closeness: int
    mutuality: int
    cadence_days: int | None
    archived: int
    created: str | None
    last_contact: str | None


class FlaggedEntry(NamedTuple):
    """An entry that flags a person (follow-up due, not thanked): what Today shows of it."""

    person_id: int
    entry_id: int
    uuid: str
    date: str
    follow_up: str | None
    note: str  # its first 200 characters
    people_label: str


class UnthankedEntry(NamedTuple):
    """A received entry not thanked yet, for one of its people."""

    person_id: int
    entry_id: int
    date: str


class MonthSums(NamedTuple):
    """One month of a person's history (``YYYY-MM``), mutual counted both ways."""

    month: str
    given: int
    received: int
    entries: int


def behalf_window(store: Store, start: str, as_of: str) -> list[BehalfRow]:
    """Everybody's on-behalf entries in the window (``start < date <= as_of``)."""
    params = {"start": start, "as_of": as_of}
    return store.conn.execute(BEHALF_WINDOW_SQL, params).fetchall()


def window_sums(store: Store, start: str, as_of: str) -> list[PersonSums]:
    """Everybody's window summed from the rows (:data:`WINDOW_SQL`), on-behalf left out."""
    params = {"start": start, "as_of": as_of}
    out = []
    for pid, gave, got, mutual, count, weight in store.conn.execute(WINDOW_SQL, params):
        mutual = mutual or 0
        out.append(
            PersonSums(pid, (gave or 0) + mutual, (got or 0) + mutual, mutual, count, weight)
        )
    return out


def window_sums_of(
    store: Store, person_ids: Collection[int], start: str, as_of: str
) -> tuple[list[PersonSums], list[BehalfSums]]:
    """The window of a few chosen people: their sums and their on-behalf entries."""
    sums: list[PersonSums] = []
    behalf: list[BehalfSums] = []
    ids = sorted(person_ids)
    for chunk_start in range(0, len(ids), CHUNK):
        chunk = ids[chunk_start : chunk_start + CHUNK]
        marks = ",".join("?" * len(chunk))
        args = [*chunk, start, as_of]
        sums += map(
            PersonSums._make, store.conn.execute(WINDOW_FOR_PEOPLE_SQL.format(ids=marks), args)
        )
        behalf += map(
            BehalfSums._make, store.conn.execute(BEHALF_FOR_PEOPLE_SQL.format(ids=marks), args)
        )
    return sums, behalf


def _only(sql: str, column: str, params: dict[str, Any], only: Collection[int] | None) -> str:
    """``sql`` limited to the people ``only`` names (few of them), parameters added."""
    if only is None:
        return sql
    marks = ",".join(f":p{i}" for i in range(len(only)))
    params.update({f"p{i}": pid for i, pid in enumerate(sorted(only))})
    joiner = " WHERE " if column.startswith("p.") else " AND "
    return f"{sql}{joiner}{column} IN ({marks})"


def balance_people(
    store: Store, as_of: str, only: Collection[int] | None = None
) -> list[PersonRow]:
    """Everybody (or only the few people ``only`` names), archived included."""
    params: dict[str, Any] = {"as_of": as_of}
    sql = _only(PEOPLE_SQL, "p.id", params, only)
    return store.conn.execute(sql, params).fetchall()


def follow_ups_due(
    store: Store, as_of: str, only: Collection[int] | None = None
) -> list[FlaggedRow]:
    """Each (person, entry) with a follow-up due on ``as_of``, not done, any age."""
    params: dict[str, Any] = {"as_of": as_of}
    sql = _only(FOLLOW_UPS_DUE_SQL, "ep.person_id", params, only)
    return store.conn.execute(sql, params).fetchall()


def unthanked(
    store: Store, since: str, as_of: str, only: Collection[int] | None = None
) -> list[UnthankedRow]:
    """Each (person, entry, day) received after ``since`` up to ``as_of`` and not thanked."""
    params: dict[str, Any] = {"since": since, "as_of": as_of}
    sql = _only(UNTHANKED_SQL, "ep.person_id", params, only)
    return store.conn.execute(sql, params).fetchall()


def timeline_months(store: Store, person_id: int, as_of: str) -> list[MonthSums]:
    """A person's months with entries up to ``as_of``, oldest first."""
    params = {"pid": person_id, "as_of": as_of}
    return list(map(MonthSums._make, store.conn.execute(TIMELINE_SQL, params)))


def month_entry_ids(
    store: Store, person_id: int, first: str, last: str, limit: int | None = None
) -> list[int]:
    """Ids of the entries that count for a person between two days (inclusive), newest first."""
    params = {
        "pid": person_id,
        "first": first,
        "last": last,
        "limit": -1 if limit is None else limit,
    }
    return [r[0] for r in store.conn.execute(MONTH_ENTRIES_SQL, params)]
