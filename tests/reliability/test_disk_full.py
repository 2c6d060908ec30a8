"""A full disk: a plain message, nothing half-saved, the journal readable and whole.

The disk is "filled" with ``PRAGMA max_page_count`` on every connection the
store opens: SQLite then fails a write exactly as it does on ENOSPC
(``SQLITE_FULL``, "database or disk is full").
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from reliability_kit import dump_rows

from ties.cli import main
from ties.model import Entry, Person
from ties.store import DiskFullError, Store
from ties.store import journal as journal_module

BIG_NOTE = "Überweisung für Zoë — " * 4000  # ~90 kB: needs many new pages


def _fill_disk(monkeypatch: pytest.MonkeyPatch, spare_pages: int = 0) -> None:
    """Every connection the store opens from now on may not grow the file."""
    real_connect = journal_module._connect

    def capped(path: Path, readonly: bool) -> sqlite3.Connection:
        conn = real_connect(path, readonly)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + spare_pages}")
        return conn

    monkeypatch.setattr(journal_module, "_connect", capped)


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "journal.ties"
    with Store.open(path) as store:
        ana = store.add_person(Person(name="Ana Ruiz"))
        assert ana.id
        store.add_entry(Entry(date=date(2026, 5, 1), person_ids=[ana.id], note="first"))
    return path


def test_store_write_on_full_disk_raises_disk_full_and_keeps_journal_whole(
    journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump_rows(journal)
    _fill_disk(monkeypatch)
    with Store.open(journal) as store:
        ana = store.resolve_person("Ana Ruiz")
        assert ana and ana.id
        with pytest.raises(DiskFullError, match="disk is full"):
            store.add_entry(Entry(date=date(2026, 5, 2), person_ids=[ana.id], note=BIG_NOTE))
        with pytest.raises(DiskFullError, match="disk is full"):
            store.add_person(Person(name="Bo", notes=BIG_NOTE))
        # Still readable, through the same connection, and whole.
        assert [e.note for e in store.list_entries()] == ["first"]
        assert store.integrity_problems() == []
    assert dump_rows(journal) == before
    monkeypatch.undo()
    with Store.open(journal) as store:  # space freed: writing works again
        ana = store.resolve_person("Ana Ruiz")
        assert ana and ana.id
        store.add_entry(Entry(date=date(2026, 5, 2), person_ids=[ana.id], note=BIG_NOTE))
        assert store.integrity_problems() == []


def test_ties_log_on_full_disk_prints_one_plain_line(
    journal: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump_rows(journal)
    _fill_disk(monkeypatch)
    line = f'gave #career_guidance to @Ana @"Someone New": {BIG_NOTE[:9000]}'
    rc = main(["--db", str(journal), "log", line])
    _out, err = capsys.readouterr()
    assert rc == 1
    assert err.startswith("ties: error: The disk is full")
    assert err.count("\n") == 1 and "Traceback" not in err
    # The new person and the entry were one transaction: neither was kept.
    assert dump_rows(journal) == before


def test_migration_on_full_disk_leaves_old_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Creating a journal's schema on a full disk: a plain error, no half-made journal."""
    path = tmp_path / "new.ties"
    _fill_disk(monkeypatch, spare_pages=1)
    with pytest.raises(DiskFullError):
        Store.open(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    conn.close()
    monkeypatch.undo()
    with Store.open(path) as store:
        assert store.integrity_problems() == []
