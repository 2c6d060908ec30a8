"""The reads support coverage needs (``ties.analysis.coverage``), as typed rows.

Each function takes the :class:`~ties.store.Store` first and returns plain
rows; the rules (who counts, gaps, suggestions) live in the analysis. Dates
are ISO strings; a window is ``start < date <= as_of``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection
from functools import partial
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ties.store.journal import Store

#: Everybody named on an entry in the window, with or without support types,
#: and on how many entries.
ACTIVE_SQL = """
SELECT person_id, count(*) FROM entry_people
WHERE date > :start AND date <= :as_of GROUP BY person_id
"""

#: Everybody named on an entry in the window: one probe of ``entry_people_person`` per
#: person (15 ms on the reference journal, against 37–96 ms for their kept sums).
ACTIVE_IDS_SQL = """
SELECT id FROM people p
WHERE EXISTS (
    SELECT 1 FROM entry_people ep INDEXED BY entry_people_person
    WHERE ep.person_id = p.id AND ep.date > :start AND ep.date <= :as_of
)
"""

#: Whether anyone (not archived) gave one support type in the window: one probe.
COVERED_SQL = """
SELECT 1 FROM entry_person_support s INDEXED BY entry_person_support_type
JOIN people p ON p.id = s.person_id
WHERE s.type_key = :key AND s.direction IN ('received', 'mutual')
  AND s.date > :start AND s.date <= :as_of AND p.archived = 0
LIMIT 1
"""

#: The provider table alone, as one would write it by hand: per support type
#: and person, the received (or mutual) entries of the window and their weight.
#: Not used by ``compute_coverage``; the benchmark times it as the baseline.
PROVIDER_SQL = """
SELECT s.type_key, ep.person_id, count(*), sum(e.weight)
FROM entries e
JOIN entry_people ep ON ep.entry_id = e.id
JOIN entry_support s ON s.entry_id = e.id
WHERE e.date > :start AND e.date <= :as_of AND e.direction IN ('received', 'mutual')
GROUP BY s.type_key, ep.person_id
"""

PEOPLE_SQL = "SELECT id, uuid, name, circle, organization, closeness, archived FROM people"

#: Who provided a type up to ``as_of``, with their last such date up to ``start``
#: (inclusive; NULL when all their provision is inside the window). Nothing
#: after ``as_of`` counts.
TYPE_HISTORY_SQL = """
SELECT person_id, max(CASE WHEN date <= :start THEN date END), count(*)
FROM entry_person_support INDEXED BY entry_person_support_type
WHERE type_key = :key AND direction IN ('received', 'mutual') AND date <= :as_of
GROUP BY person_id
"""

#: The entries behind one heat-map cell: a person's received (or mutual)
#: entries of one type in the window, newest first.
CELL_ENTRIES_SQL = """
SELECT e.id
FROM entry_people ep
JOIN entries e ON e.id = ep.entry_id
JOIN entry_support s ON s.entry_id = e.id AND s.type_key = :key
WHERE ep.person_id = :pid AND ep.date > :start AND ep.date <= :as_of
  AND e.direction IN ('received', 'mutual')
ORDER BY e.date DESC, e.id DESC
"""

#: People (not archived) with at least two life phases written down: the only
#: ones the "long view" suggestion names, so the others are not parsed at all.
LIFE_PHASES_SQL = """
SELECT id, life_phases FROM people
WHERE archived = 0 AND json_valid(life_phases) AND json_array_length(life_phases) >= 2
"""


class CoveragePerson(NamedTuple):
    """A person as coverage sees them."""

    id: int
    uuid: str
    name: str
    circle: str
    organization: str
    closeness: int
    archived: int  # 0 or 1, as stored


#: Every link between two people (direction ignored by the analyses).
LINKED_PAIRS_SQL = "SELECT a_id, b_id FROM person_links"


def linked_pairs(store: Store) -> list[tuple[int, int]]:
    """Every (a_id, b_id) link: who knows whom, as the journal records it."""
    return store.conn.execute(LINKED_PAIRS_SQL).fetchall()


ARCHIVED_SQL = "SELECT id FROM people WHERE archived = 1"


def archived_ids(store: Store) -> set[int]:
    """The ids of archived people (they count nowhere in coverage)."""
    return {r[0] for r in store.conn.execute(ARCHIVED_SQL)}


#: Makes a :class:`CoveragePerson` from a row without a Python-level call.
_person = partial(tuple.__new__, CoveragePerson)


def coverage_people(store: Store) -> dict[int, CoveragePerson]:
    """Everybody, archived included, by id."""
    people = list(map(_person, store.conn.execute(PEOPLE_SQL)))
    return dict(zip(map(itemgetter(0), people), people, strict=True))


def active_ids(store: Store, start: str, as_of: str) -> set[int]:
    """Everybody named on an entry in the window (archived people included)."""
    params = {"start": start, "as_of": as_of}
    return set(map(itemgetter(0), store.conn.execute(ACTIVE_IDS_SQL, params)))


def active_counts(store: Store, start: str, as_of: str) -> Counter[int]:
    """Entries per person named in the window (archived people included).

    The same counts as :data:`ACTIVE_SQL`, from the kept sums (often already read
    for the window's balances, then free).
    """
    from ties.store.window_totals import window_totals

    return Counter({r[0]: r[1] for r in window_totals(store, start, as_of, sides=False).people})


#: Entries per person (not archived, of the given closeness) named on an entry in the
#: window: a range count of ``entry_people_person`` per person, no sort (the people
#: come in id order).
ENTRY_COUNTS_SQL = """
SELECT p.id, count(*)
FROM people p CROSS JOIN entry_people ep INDEXED BY entry_people_person
    ON ep.person_id = p.id AND ep.date > ? AND ep.date <= ?
WHERE p.archived = 0 AND p.closeness IN ({marks})
GROUP BY p.id
"""


def entry_counts(store: Store, start: str, as_of: str, closeness: Collection[int]) -> Counter[int]:
    """Entries per person not archived whose closeness is one of ``closeness``, for those
    named in the window: what "a weak tie you were in touch with N times" counts, read for
    the weak ties alone (25 ms on the reference journal, against 47–96 ms for everyone's
    kept sums)."""
    levels = sorted({int(c) for c in closeness})
    if not levels:
        return Counter()
    sql = ENTRY_COUNTS_SQL.format(marks=", ".join("?" * len(levels)))
    return Counter(dict(store.conn.execute(sql, (start, as_of, *levels))))


def type_covered(store: Store, key: str, start: str, as_of: str) -> bool:
    """Whether anyone not archived gave support type ``key`` in the window."""
    params = {"key": key, "start": start, "as_of": as_of}
    return store.conn.execute(COVERED_SQL, params).fetchone() is not None


def type_history(store: Store, key: str, start: str, as_of: str) -> dict[int, str | None]:
    """Person id → their last provision of ``key`` on or before ``start`` (None: only later).

    Everyone who provided the type up to ``as_of`` is in it.
    """
    params = {"key": key, "start": start, "as_of": as_of}
    return {r[0]: r[1] for r in store.conn.execute(TYPE_HISTORY_SQL, params)}


def my_organization(store: Store) -> str:
    """Where I said I work (Settings → Today), or ``""``: never guessed.

    Issue #17 item 10: guessed from the commonest organisation of the work
    circle, Coverage suggested colleagues "at Acme Corp too" of a firm the user
    never said was theirs.
    """
    return str(store.get_setting("my_organization") or "").strip()


def life_phases(store: Store) -> dict[int, list[str]]:
    """Person id → their life phases (blank ones dropped), for people with two or more."""
    out: dict[int, list[str]] = {}
    for pid, raw in store.conn.execute(LIFE_PHASES_SQL):
        phases = [str(x) for x in json.loads(raw) if str(x).strip()]
        if len(phases) >= 2:
            out[pid] = phases
    return out


def cell_entry_ids(
    store: Store, person_id: int, type_key: str, start: str, as_of: str
) -> list[int]:
    """The entries behind one heat-map cell, newest first."""
    params = {"pid": person_id, "key": type_key, "start": start, "as_of": as_of}
    return [r[0] for r in store.conn.execute(CELL_ENTRIES_SQL, params)]


def provider_table(store: Store, start: str, as_of: str) -> list[tuple[str, int, int, int]]:
    """(type key, person id, entries, weight) from the rows: the benchmark's baseline."""
    params = {"start": start, "as_of": as_of}
    return store.conn.execute(PROVIDER_SQL, params).fetchall()
