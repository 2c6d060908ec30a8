"""The reads the Today list needs besides balances and gaps (``ties.analysis.today``).

Suggested introductions match one person's needs against another's offers
through the full-text index; the matching rules live in the analysis.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ties.store.journal import Store

#: Full-text query for people whose offers (or needs) mention a word: the
#: parameter is ``offers : "word"*`` (a prefix match in one column).
FTS_COLUMN_MATCH_SQL = "SELECT rowid FROM people_fts WHERE people_fts MATCH ?"

#: The people a match can involve: not archived, with needs or offers written down.
MATCH_PEOPLE_SQL = """
SELECT id, name, uuid, closeness, needs, offers FROM people
WHERE archived = 0 AND (needs != '' OR offers != '')
"""

ANY_ENTRY_SQL = "SELECT 1 FROM entries LIMIT 1"

#: Birthdays and yearly dates falling on some month-day (``{days}``: that many ``?``), and
#: one-off dates between two days, of people not archived. A ``--MM-DD`` or
#: ``YYYY-MM-DD`` value ends in its month-day, so ``substr(x, -5)`` reads it.
DATES_SQL = """
SELECT p.id, p.name, p.uuid, p.closeness, 'birthday', p.birthday, 1
FROM people p
WHERE p.archived = 0 AND p.birthday IS NOT NULL AND substr(p.birthday, -5) IN ({days})
UNION ALL
SELECT p.id, p.name, p.uuid, p.closeness, d.label, d.date, d.yearly
FROM person_dates d JOIN people p ON p.id = d.person_id
WHERE p.archived = 0 AND (
    (d.yearly = 1 AND substr(d.date, -5) IN ({days}))
    OR (d.yearly = 0 AND d.date BETWEEN ? AND ?))
"""


#: A :class:`MatchPerson` as read: a plain tuple (thousands of them).
MatchRow = tuple[int, str, str, int, str, str]


class MatchPerson(NamedTuple):
    """Someone not archived with needs or offers written down."""

    id: int
    name: str
    uuid: str
    closeness: int
    needs: str
    offers: str


class DateRow(NamedTuple):
    """A birthday (``label`` "birthday") or important date of someone not archived."""

    person_id: int
    name: str
    uuid: str
    closeness: int
    label: str
    date: str  # "YYYY-MM-DD" or "--MM-DD"
    yearly: bool


def dates_on(store: Store, month_days: list[str], first: str, last: str) -> list[DateRow]:
    """Birthdays and yearly dates on any of ``month_days`` ("MM-DD"), and one-off dates
    from ``first`` to ``last`` (ISO days): what the Today list may show."""
    marks = ",".join("?" * len(month_days)) or "NULL"
    sql = DATES_SQL.format(days=marks)
    args = [*month_days, *month_days, first, last]
    return [
        DateRow(pid, name, uuid, closeness, label, day, bool(yearly))
        for pid, name, uuid, closeness, label, day, yearly in store.conn.execute(sql, args)
    ]


#: Whether two people are linked, either way round (two probes of the primary key).
ARE_LINKED_SQL = """
SELECT 1 FROM person_links WHERE (a_id = :a AND b_id = :b) OR (a_id = :b AND b_id = :a)
"""


def are_linked(store: Store, a: int, b: int) -> bool:
    """Whether the journal links ``a`` and ``b`` (they know each other already)."""
    return store.conn.execute(ARE_LINKED_SQL, {"a": a, "b": b}).fetchone() is not None


def has_entries(store: Store) -> bool:
    """Whether the journal holds any entry at all."""
    return store.conn.execute(ANY_ENTRY_SQL).fetchone() is not None


def match_people(store: Store) -> list[MatchRow]:
    """Everyone a suggested introduction can involve (columns as :class:`MatchPerson`)."""
    return store.conn.execute(MATCH_PEOPLE_SQL).fetchall()


def people_mentioning(store: Store, column: str, word: str) -> set[int]:
    """Ids of people whose ``column`` (``needs`` or ``offers``) has a word starting with ``word``.

    ``word`` must be one the analysis made of letters and digits (no quotes).
    """
    query = f'{column} : "{word}"*'
    return {r[0] for r in store.conn.execute(FTS_COLUMN_MATCH_SQL, (query,))}


#: What a Today item shows of an entry, for the entries whose ids are in the JSON
#: array ``:ids`` (one statement for any number; rowid lookups in id order).
ENTRY_CARDS_SQL = """
SELECT id, uuid, date, follow_up, substr(note, 1, 200), people_label FROM entries
WHERE id IN (SELECT value FROM json_each(:ids))
ORDER BY id
"""

#: The ids of the entries whose uuids are in the JSON array ``:uuids``.
IDS_OF_UUIDS_SQL = """
SELECT id FROM entries WHERE uuid IN (SELECT value FROM json_each(:uuids))
"""


class EntryCard(NamedTuple):
    """An entry as a Today item shows it (its note's first 200 characters)."""

    entry_id: int
    uuid: str
    date: str
    follow_up: str | None
    note: str
    people_label: str


def entry_cards(store: Store, ids: Iterable[int]) -> dict[int, EntryCard]:
    """Entry id → its card, for the ids given (ids of no entry are left out)."""
    wanted = json.dumps(sorted(set(ids)))
    rows = store.conn.execute(ENTRY_CARDS_SQL, {"ids": wanted})
    return {r[0]: EntryCard._make(r) for r in rows}


def ids_of_uuids(store: Store, uuids: Iterable[str]) -> set[int]:
    """The ids of the entries with these uuids (unknown uuids are left out)."""
    wanted = json.dumps(sorted(set(uuids)))
    return {r[0] for r in store.conn.execute(IDS_OF_UUIDS_SQL, {"uuids": wanted})}
