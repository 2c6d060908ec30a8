"""What the store copies from other rows, kept in step inside the same transaction.

The search indices (FTS5, external content), an entry's people label and a
person's last contact all repeat what other rows say; every write that changes
those rows rewrites them here, so that reads never join or aggregate for them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from ties.store.base import StoreBase

FTS_COLUMNS = {
    "people_fts": "name, organization, role, notes, interests, needs, offers",
    "entries_fts": "note, people_label",
}


class DerivedStore(StoreBase):
    """Search index rows, people labels and last contacts (a part of ``Store``)."""

    @staticmethod
    def _fts_out(conn: sqlite3.Connection, table: str, ids: Iterable[int]) -> None:
        """Take rows out of a search index, before they change or go."""
        cols = FTS_COLUMNS[table]
        src = table.removesuffix("_fts")
        conn.executemany(
            f"INSERT INTO {table} ({table}, rowid, {cols}) SELECT 'delete', id, {cols} "
            f"FROM {src} WHERE id = ?",
            [(i,) for i in ids],
        )

    @staticmethod
    def _fts_in(conn: sqlite3.Connection, table: str, ids: Iterable[int]) -> None:
        cols = FTS_COLUMNS[table]
        src = table.removesuffix("_fts")
        conn.executemany(
            f"INSERT INTO {table} (rowid, {cols}) SELECT id, {cols} FROM {src} WHERE id = ?",
            [(i,) for i in ids],
        )

    @classmethod
    def _relabel_indexed_entry(cls, conn: sqlite3.Connection, eid: int) -> None:
        """Refresh the people label of an entry that is already in the search index."""
        cls._fts_out(conn, "entries_fts", [eid])
        cls._refresh_entry_label(conn, eid)
        cls._fts_in(conn, "entries_fts", [eid])

    @staticmethod
    def _refresh_entry_label(conn: sqlite3.Connection, eid: int) -> None:
        conn.execute(
            "UPDATE entries SET people_label = coalesce((SELECT group_concat(name, ', ') FROM "
            "(SELECT p.name FROM entry_people ep JOIN people p ON p.id = ep.person_id "
            "WHERE ep.entry_id = ? ORDER BY ep.position)), '') WHERE id = ?",
            (eid, eid),
        )

    def _refresh_people_labels_for(self, conn: sqlite3.Connection, person_id: int) -> None:
        for (eid,) in conn.execute(
            "SELECT entry_id FROM entry_people WHERE person_id = ?", (person_id,)
        ).fetchall():
            self._relabel_indexed_entry(conn, eid)

    @staticmethod
    def _refresh_last_contact(conn: sqlite3.Connection, person_ids: Iterable[int]) -> None:
        conn.executemany(
            "UPDATE people SET last_contact = (SELECT max(date) FROM entry_people "
            "WHERE person_id = ?) WHERE id = ?",
            [(pid, pid) for pid in set(person_ids)],
        )
