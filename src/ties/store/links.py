"""Links between people in the journal: who knows whom, and how.

Two people have at most one link (saving another relation replaces it). A
symmetric link holds both ways; a directed one reads "A <relation> B" from
``a_id`` to ``b_id`` (e.g. "introduced me to").
"""

from __future__ import annotations

import sqlite3
from datetime import date

from ties.model import PersonLink
from ties.store.columns import Columns
from ties.store.core import StoreCore
from ties.store.errors import NotFoundError, ValidationError
from ties.store.values import _d, _iso

LINKS = Columns("person_links", ("a_id", "b_id", "relation", "directed", "since"))
_INSERT_LINK = LINKS.insert(LINKS.names)

#: A person's links from both ends, with the other person's uuid and name.
_LINKS_OF_SQL = """
SELECT l.b_id, l.relation, l.directed, l.since, p.uuid, p.name, 0
FROM person_links l JOIN people p ON p.id = l.b_id WHERE l.a_id = ?
UNION ALL
SELECT l.a_id, l.relation, l.directed, l.since, p.uuid, p.name, l.directed
FROM person_links l JOIN people p ON p.id = l.a_id WHERE l.b_id = ?
ORDER BY 6 COLLATE NOCASE, 1
"""

#: Every link, as (a_id, b_id): the pairs coverage and introduction suggestions read.
ALL_PAIRS_SQL = "SELECT a_id, b_id FROM person_links"


def links(store: StoreCore, person_id: int) -> list[PersonLink]:
    """The person's links, by the other person's name."""
    return [
        PersonLink(
            other_id=other,
            relation=relation,
            directed=bool(directed),
            since=_d(since),
            other_uuid=uuid,
            other_name=name,
            incoming=bool(incoming),
        )
        for other, relation, directed, since, uuid, name, incoming in store.conn.execute(
            _LINKS_OF_SQL, (person_id, person_id)
        )
    ]


def linked_pairs(store: StoreCore) -> set[frozenset[int]]:
    """Every pair of people with a link, direction ignored."""
    return {frozenset(r) for r in store.conn.execute(ALL_PAIRS_SQL)}


def link(
    store: StoreCore,
    a_id: int,
    b_id: int,
    relation: str,
    directed: bool = False,
    since: date | None = None,
) -> PersonLink | None:
    """Link two people (replacing any link they had); returns the link replaced, for undo."""
    relation = " ".join(relation.split())
    if a_id == b_id:
        raise ValidationError("A person cannot be linked to themselves.", "people")
    if not relation:
        raise ValidationError("A link needs a relation (e.g. friend, colleague).", "relation")
    if len(relation) > 200 or "\x00" in relation:
        raise ValidationError("That relation is too long or holds a NUL character.", "relation")
    with store.transaction() as conn:
        _check_people(conn, a_id, b_id)
        old = unlink(store, a_id, b_id)
        conn.execute(_INSERT_LINK, (a_id, b_id, relation, int(directed), _iso(since)))
    return old


def add_links(store: StoreCore, rows: list[tuple[int, int, str, bool, date | None]]) -> None:
    """Add many new links at once (the demo journal): (a_id, b_id, relation, directed, since).

    Pairs must be new, distinct people and each pair given once; nothing else is checked.
    """
    with store.transaction() as conn:
        conn.executemany(
            _INSERT_LINK,
            [(a, b, rel, int(directed), _iso(since)) for a, b, rel, directed, since in rows],
        )


def unlink(store: StoreCore, a_id: int, b_id: int) -> PersonLink | None:
    """Remove the link between two people; returns it as A saw it (``None``: there was none)."""
    old = next((x for x in links(store, a_id) if x.other_id == b_id), None)
    if old is not None:
        with store.transaction() as conn:
            conn.execute(
                "DELETE FROM person_links WHERE (a_id = ? AND b_id = ?) OR (a_id = ? AND b_id = ?)",
                (a_id, b_id, b_id, a_id),
            )
    return old


def restore_link(store: StoreCore, person_id: int, saved: PersonLink) -> None:
    """Put back a link as :func:`links` returned it for ``person_id`` (undo)."""
    a, b = (saved.other_id, person_id) if saved.incoming else (person_id, saved.other_id)
    link(store, a, b, saved.relation, saved.directed, saved.since)


def _check_people(conn: sqlite3.Connection, *ids: int) -> None:
    for pid in ids:
        if conn.execute("SELECT 1 FROM people WHERE id = ?", (pid,)).fetchone() is None:
            raise NotFoundError(f"There is no person with id {pid}.")
