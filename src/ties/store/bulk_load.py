"""Loading many people and entries at once (the demo journal, large imports)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from ties.model import Entry, Person, now_stamp
from ties.store.base import StoreBase
from ties.store.entries import _entry_values
from ties.store.window_totals import drop_held


class BulkLoadStore(StoreBase):
    """One fast transaction with the indices rebuilt after it (a part of ``Store``)."""

    def bulk_insert(self, people: Sequence[Person], entries: Iterable[Entry]) -> None:
        """Load many people and entries fast, in one transaction (demo, large imports).

        People and entries must carry their ``id``; nothing is validated beyond
        the schema's constraints, so callers pass well-formed values. Secondary
        indices and the search indices are rebuilt after the load, which is far
        faster than keeping them up to date row by row.
        """
        stamp = now_stamp()
        self._entry_count = None
        index_sql = [
            r[0]
            for r in self.conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('entries', 'entry_people', 'entry_support', "
                "'entry_person_support')"
            )
        ]
        index_names = [
            r[0]
            for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                "AND tbl_name IN ('entries', 'entry_people', 'entry_support', "
                "'entry_person_support')"
            )
        ]
        with self.transaction() as conn:
            drop_held(conn)  # else the window-totals triggers would run for every row
            for name in index_names:
                conn.execute(f"DROP INDEX {name}")
            conn.executemany(
                "INSERT INTO people (id, uuid, name, circle, organization, role, how_met, met_on,"
                " life_phases, closeness, mutuality, interests, needs, offers, notes,"
                " cadence_days, archived, created, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (p.id, p.uuid, *self._person_values(p), p.created or stamp, p.updated or stamp)
                    for p in people
                ],
            )
            names = {p.id: p.name.strip() for p in people}
            for row in self.conn.execute("SELECT id, name FROM people"):
                names.setdefault(row[0], row[1])
            batch: list[Entry] = []
            for e in entries:
                batch.append(e)
                if len(batch) >= 20_000:
                    self._bulk_entries(conn, batch, names, stamp)
                    batch = []
            self._bulk_entries(conn, batch, names, stamp)
            for sql in index_sql:
                conn.execute(sql)
            conn.execute(
                "UPDATE people SET last_contact = (SELECT max(date) FROM entry_people "
                "WHERE person_id = people.id)"
            )
            conn.execute("INSERT INTO people_fts (people_fts) VALUES ('rebuild')")
            conn.execute("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')")
        self.conn.execute("ANALYZE")

    @staticmethod
    def _bulk_entries(
        conn: sqlite3.Connection, batch: list[Entry], names: dict[int | None, str], stamp: str
    ) -> None:
        conn.executemany(
            "INSERT INTO entries (id, uuid, date, time, kind, direction, weight, on_behalf_of,"
            " note, follow_up, follow_up_done, thanked, types_label, people_label, created,"
            " updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.id,
                    e.uuid,
                    *_entry_values(e),
                    ", ".join(names[p] for p in e.person_ids),
                    e.created or stamp,
                    e.updated or stamp,
                )
                for e in batch
            ],
        )
        conn.executemany(
            "INSERT INTO entry_people (entry_id, person_id, position, date, direction, weight)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                (e.id, pid, pos, e.date.isoformat(), e.direction, e.weight)
                for e in batch
                for pos, pid in enumerate(e.person_ids)
            ],
        )
        conn.executemany(
            "INSERT INTO entry_support (entry_id, type_key) VALUES (?, ?)",
            [(e.id, key) for e in batch for key in e.support_types],
        )
        conn.executemany(
            "INSERT INTO entry_person_support (entry_id, person_id, type_key, date, direction,"
            " weight) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (e.id, pid, key, e.date.isoformat(), e.direction, e.weight)
                for e in batch
                for pid in e.person_ids
                for key in e.support_types
            ],
        )
