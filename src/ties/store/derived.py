"""What the store copies from other rows, kept in step inside the same transaction.

The search indices (FTS5, external content), an entry's people label and a
person's last contact all repeat what other rows say; every write that changes
those rows rewrites them here, so that reads never join or aggregate for them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

FTS_COLUMNS = {
    "people_fts": "name, organization, role, notes, interests, needs, offers, contact_words",
    "entries_fts": "note, people_label",
}


def fts_out(conn: sqlite3.Connection, table: str, ids: Iterable[int]) -> None:
    """Take rows out of a search index, before they change or go."""
    cols = FTS_COLUMNS[table]
    src = table.removesuffix("_fts")
    conn.executemany(
        f"INSERT INTO {table} ({table}, rowid, {cols}) SELECT 'delete', id, {cols} "
        f"FROM {src} WHERE id = ?",
        [(i,) for i in ids],
    )


def fts_in(conn: sqlite3.Connection, table: str, ids: Iterable[int]) -> None:
    cols = FTS_COLUMNS[table]
    src = table.removesuffix("_fts")
    conn.executemany(
        f"INSERT INTO {table} (rowid, {cols}) SELECT id, {cols} FROM {src} WHERE id = ?",
        [(i,) for i in ids],
    )


def relabel_indexed_entry(conn: sqlite3.Connection, eid: int) -> None:
    """Refresh the people label of an entry that is already in the search index."""
    fts_out(conn, "entries_fts", [eid])
    refresh_entry_label(conn, eid)
    fts_in(conn, "entries_fts", [eid])


def refresh_entry_label(conn: sqlite3.Connection, eid: int) -> None:
    """The entry's people label, and its sort key (accents and case left out, schema v8)."""
    (label,) = conn.execute(
        "SELECT coalesce((SELECT group_concat(name, ', ') FROM "
        "(SELECT p.name FROM entry_people ep JOIN people p ON p.id = ep.person_id "
        "WHERE ep.entry_id = ? ORDER BY ep.position)), '')",
        (eid,),
    ).fetchone()
    conn.execute(
        "UPDATE entries SET people_label = ?1, people_key = ties_sort_key(?1) WHERE id = ?2",
        (label, eid),
    )


def refresh_people_labels_for(conn: sqlite3.Connection, person_id: int) -> None:
    for (eid,) in conn.execute(
        "SELECT entry_id FROM entry_people WHERE person_id = ?", (person_id,)
    ).fetchall():
        relabel_indexed_entry(conn, eid)


def refresh_last_contact(conn: sqlite3.Connection, person_ids: Iterable[int]) -> None:
    conn.executemany(
        "UPDATE people SET last_contact = (SELECT max(date) FROM entry_people "
        "WHERE person_id = ?) WHERE id = ?",
        [(pid, pid) for pid in set(person_ids)],
    )
