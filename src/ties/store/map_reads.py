"""The reads the relationship map needs (``ties.analysis.map_layout``), as typed rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from ties.store.journal import Store

MAP_PEOPLE_SQL = (
    "SELECT id, name, circle, closeness, archived, last_contact, organization FROM people"
)
#: Every circle and support type, retired ones too, in the journal's order.
CIRCLE_LABELS_SQL = "SELECT key, label FROM circles ORDER BY position, key"
SUPPORT_LABELS_SQL = "SELECT key, label FROM support_types ORDER BY position"

#: Pairs named together on an introduction entry, and how many such entries.
INTRODUCTION_PAIRS_SQL = """
SELECT a.person_id, b.person_id, count(*)
FROM entries e
JOIN entry_people a ON a.entry_id = e.id
JOIN entry_people b ON b.entry_id = e.id AND b.person_id > a.person_id
WHERE e.kind = 'introduction'
GROUP BY 1, 2
ORDER BY 1, 2
"""
#: The person an introduction was made on behalf of, paired with those it names
#: (the partial index of schema v7 holds just those entries, so no entry row is read).
INTRODUCTION_BEHALF_SQL = """
SELECT e.on_behalf_of, ep.person_id
FROM entries e INDEXED BY entries_introduction_behalf JOIN entry_people ep ON ep.entry_id = e.id
WHERE e.on_behalf_of IS NOT NULL AND e.kind = 'introduction'
  AND NOT EXISTS (SELECT 1 FROM entry_people x
                  WHERE x.entry_id = e.id AND x.person_id = e.on_behalf_of)
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


class IntroductionPair(NamedTuple):
    """Two people (``a < b``) named together on ``entries`` introduction entries."""

    a: int
    b: int
    entries: int


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


def introduction_pairs(store: Store) -> list[IntroductionPair]:
    """Pairs named together on introduction entries (any date), sorted, each once."""
    return list(map(IntroductionPair._make, store.conn.execute(INTRODUCTION_PAIRS_SQL)))


def introduction_behalf_pairs(store: Store) -> list[tuple[int, int]]:
    """(on behalf of, named) per introduction made on someone's behalf and person named."""
    return store.conn.execute(INTRODUCTION_BEHALF_SQL).fetchall()


class LinkRow(NamedTuple):
    """A link between two people: ``a`` RELATION ``b`` when ``directed``, else both ways."""

    a: int
    b: int
    relation: str
    directed: int


def person_links(store: Store) -> list[LinkRow]:
    """Every link between two people, sorted by the pair's ids."""
    return list(map(LinkRow._make, store.conn.execute(PERSON_LINKS_SQL)))
