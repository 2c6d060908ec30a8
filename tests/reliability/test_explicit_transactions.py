"""Every write the store makes runs inside an explicit BEGIN IMMEDIATE … COMMIT.

SQLite's trace callback sees each statement as it runs; a write seen while the
connection is not in a transaction, or in one that did not start with
``BEGIN IMMEDIATE``, would be a write that a crash could half-apply (or that
could fail late with "database is locked").
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ties import quickadd
from ties.model import Circle, Entry, Person, SupportType
from ties.store import Store

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


def test_every_write_is_inside_begin_immediate(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "journal.ties")
    seen: list[tuple[str, bool, str | None]] = []
    opened: list[str | None] = [None]

    def trace(sql: str) -> None:
        text = sql.strip()
        if text.upper().startswith("BEGIN"):
            opened[0] = text.upper()
        if WRITE.match(text):
            seen.append((text.split("\n")[0][:60], store.conn.in_transaction, opened[0]))

    store.conn.set_trace_callback(trace)
    try:
        ana = store.add_person(Person(name="Ana Ruiz"))
        bo = store.add_person(Person(name="Bo"))
        assert ana.id and bo.id
        e = store.add_entry(
            Entry(date=date(2026, 1, 2), person_ids=[ana.id, bo.id], support_types=["confidant"])
        )
        store.update_entry(e)
        store.update_person(Person(**{**ana.__dict__, "name": "Ana R."}))
        quickadd.commit(store, "gave #expertise to @Cy: new person too", date(2026, 1, 3))
        store.set_follow_up_done(e.id or 0, True)
        store.dismiss("x", until=date(2026, 2, 1))
        store.undismiss("x")
        store.set_setting("k", {"a": 1})
        store.save_circle(Circle("book_club", "Book club"))
        store.save_support_type(SupportType("rides", "Rides", "instrumental", "Who drives me?"))
        store.delete_support_type("rides")
        store.delete_circle("book_club")
        gone = store.delete_person(bo.id, with_entries=True)
        store.restore_person(gone)
        store.delete_entry(e.id or 0)
    finally:
        store.conn.set_trace_callback(None)
        store.close()
    assert len(seen) > 30, "the workload wrote too little to prove anything"
    outside = [s for s in seen if not s[1]]
    deferred = [s for s in seen if s[1] and s[2] != "BEGIN IMMEDIATE"]
    assert outside == []
    assert deferred == []
