"""Loading many people and entries at once (the demo journal, large imports)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from ties.model import Entry, Person, now_stamp
from ties.store import person_details
from ties.store.core import StoreCore
from ties.store.entries import (
    ENTRIES,
    ENTRY_OWN,
    INSERT_ENTRY_PEOPLE,
    INSERT_ENTRY_PERSON_SUPPORT,
    INSERT_ENTRY_SUPPORT,
    entry_values,
)
from ties.store.people import INSERT_PERSON, person_values
from ties.store.window_totals import keep_again, stop_keeping

#: Entries come with their people label, which :func:`ties.store.entries.add_entry` derives.
_INSERT_ENTRY = ENTRIES.insert(("id", "uuid", *ENTRY_OWN, "people_label", "created", "updated"))
_LINK_TABLES = "('entries', 'entry_people', 'entry_support', 'entry_person_support')"


def bulk_insert(store: StoreCore, people: Sequence[Person], entries: Iterable[Entry]) -> None:
    """Load many people and entries fast, in one transaction (demo, large imports).

    People and entries must carry their ``id``; nothing is validated beyond
    the schema's constraints, so callers pass well-formed values. Secondary
    indices and the search indices are rebuilt after the load, which is far
    faster than keeping them up to date row by row.
    """
    stamp = now_stamp()
    store._entry_count = None
    indices = store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN {_LINK_TABLES}"
    ).fetchall()
    with store.transaction() as conn:
        stop_keeping(conn)  # else the period-sum triggers would run for every row
        for name, _sql in indices:
            conn.execute(f"DROP INDEX {name}")
        conn.executemany(
            INSERT_PERSON,
            [
                (
                    p.id,
                    p.uuid,
                    *person_values(p),
                    person_details.contact_words(p),
                    p.created or stamp,
                    p.updated or stamp,
                )
                for p in people
            ],
        )
        person_details.insert_details(conn, people)
        names = {p.id: p.name.strip() for p in people}
        for pid, name in store.conn.execute("SELECT id, name FROM people"):
            names.setdefault(pid, name)
        batch: list[Entry] = []
        for e in entries:
            batch.append(e)
            if len(batch) >= 20_000:
                _bulk_entries(conn, batch, names, stamp)
                batch = []
        _bulk_entries(conn, batch, names, stamp)
        conn.execute("UPDATE entries SET people_key = ties_sort_key(people_label)")
        for _name, sql in indices:
            conn.execute(sql)
        conn.execute(
            "UPDATE people SET last_contact = (SELECT max(date) FROM entry_people "
            "WHERE person_id = people.id)"
        )
        conn.execute("INSERT INTO people_fts (people_fts) VALUES ('rebuild')")
        conn.execute("INSERT INTO entries_fts (entries_fts) VALUES ('rebuild')")
        keep_again(conn)
    store.conn.execute("ANALYZE")


def _bulk_entries(
    conn: sqlite3.Connection, batch: list[Entry], names: dict[int | None, str], stamp: str
) -> None:
    conn.executemany(
        _INSERT_ENTRY,
        [
            (
                e.id,
                e.uuid,
                *entry_values(e),
                ", ".join(names[p] for p in e.person_ids),
                e.created or stamp,
                e.updated or stamp,
            )
            for e in batch
        ],
    )
    conn.executemany(
        INSERT_ENTRY_PEOPLE,
        [
            (e.id, pid, pos, e.date.isoformat(), e.direction, e.weight)
            for e in batch
            for pos, pid in enumerate(e.person_ids)
        ],
    )
    conn.executemany(
        INSERT_ENTRY_SUPPORT,
        [(e.id, key) for e in batch for key in e.support_types],
    )
    conn.executemany(
        INSERT_ENTRY_PERSON_SUPPORT,
        [
            (e.id, pid, key, e.date.isoformat(), e.direction, e.weight)
            for e in batch
            for pid in e.person_ids
            for key in e.support_types
        ],
    )
