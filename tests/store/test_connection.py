"""Opening a journal while another process holds its write lock."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from ties.store import connection


def _rollback_journal(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("CREATE TABLE x (y)")
    return conn


def test_wal_switch_waits_for_a_writer_instead_of_failing_at_once(tmp_path: Path) -> None:
    """Another `ties` creating the same new journal holds BEGIN IMMEDIATE.

    SQLite refuses the switch to WAL at once then, without its busy handler; the
    store must wait for the writer as it waits for any other write.
    """
    path = tmp_path / "new.ties"
    writer = _rollback_journal(path)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO x VALUES (1)")
    opener = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    release = threading.Timer(0.3, lambda: writer.execute("COMMIT"))
    release.start()
    try:
        connection.enter_wal(opener)
    finally:
        release.join()
    assert opener.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert opener.execute("SELECT count(*) FROM x").fetchone()[0] == 1
    writer.close()
    opener.close()


def test_wal_switch_gives_up_after_the_busy_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "new.ties"
    writer = _rollback_journal(path)
    writer.execute("BEGIN IMMEDIATE")
    opener = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        connection.enter_wal(opener)
    writer.execute("ROLLBACK")
    writer.close()
    opener.close()
