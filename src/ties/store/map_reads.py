"""The reads the relationship map needs (``ties.analysis.map_layout``), as typed rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

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
