"""A migration that fails at any of its statements leaves the journal at its old version.

The store runs each migration and its ``PRAGMA user_version`` in one
``BEGIN IMMEDIATE`` transaction. Here a made-up next version (the real
migrations, then a three-statement one) is made to fail at each statement in
turn, on the v1 fixture journal brought up to the current version.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from reliability_kit import FIXTURE_JOURNALS, dump_rows

from ties.store import Store, schema

V2_STATEMENTS = (
    "ALTER TABLE people ADD COLUMN pronouns TEXT",
    "CREATE TABLE tags (key TEXT PRIMARY KEY, label TEXT NOT NULL)",
    "UPDATE people SET pronouns = 'they' WHERE closeness >= 4",
)


class Boom(Exception):
    pass


def _v2(fail_at: int | None, how: str = "python"):
    def migrate(conn: sqlite3.Connection) -> None:
        for i, sql in enumerate(V2_STATEMENTS):
            if i == fail_at:
                if how == "python":
                    raise Boom(f"made to fail at statement {i}")
                # The classic: a statement that SQLite itself rejects.
                conn.execute("ALTER TABLE people ADD COLUMN name TEXT")
            conn.execute(sql)

    return migrate


REAL_MIGRATIONS = schema.MIGRATIONS
CURRENT = schema.SCHEMA_VERSION
NEXT = CURRENT + 1


def _install(monkeypatch: pytest.MonkeyPatch, v2) -> None:
    monkeypatch.setattr(schema, "MIGRATIONS", (*REAL_MIGRATIONS, v2))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", NEXT)


def _current_journal(tmp_path: Path) -> Path:
    journal = tmp_path / "journal.ties"
    shutil.copyfile(FIXTURE_JOURNALS / "v1.ties", journal)
    Store.open(journal).close()  # brought up to the current version by the real migrations
    for aside in tmp_path.glob("*.bak"):
        aside.unlink()
    return journal


def _columns(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


def _version(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize("how", ["python", "sqlite"])
@pytest.mark.parametrize("fail_at", range(len(V2_STATEMENTS)))
def test_failed_migration_leaves_old_version_intact(
    fail_at: int, how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = _current_journal(tmp_path)
    before = dump_rows(journal)
    _install(monkeypatch, _v2(fail_at, how))
    with pytest.raises((Boom, sqlite3.OperationalError)):
        Store.open(journal)
    assert _version(journal) == CURRENT
    assert "pronouns" not in _columns(journal, "people")
    assert "tags" not in dump_rows(journal)
    assert dump_rows(journal) == before
    asides = list(tmp_path.glob(f"journal.before-v{NEXT}-*.bak"))
    assert len(asides) == 1 and dump_rows(asides[0]) == before

    # The same file then upgrades cleanly once the migration is fixed, and only once.
    _install(monkeypatch, _v2(None))
    with Store.open(journal) as store:
        assert store.schema_version == NEXT
        assert store.integrity_problems() == []
    assert "pronouns" in _columns(journal, "people")
    upgraded = dump_rows(journal)
    with Store.open(journal) as store:
        assert store.schema_version == NEXT
    assert dump_rows(journal) == upgraded
    assert _version(journal) == NEXT


def test_python_default_transactions_would_have_lost_this(tmp_path: Path) -> None:
    """Why the store uses explicit BEGIN: the naive way half-applies a migration.

    With Python's legacy transaction handling, DDL statements autocommit, so
    a failure in the second statement leaves the first one committed. This
    test documents the trap the store avoids (and fails if SQLite/Python stop
    behaving so, in which case the comment above is out of date).
    """
    path = tmp_path / "naive.db"
    conn = sqlite3.connect(path, isolation_level="DEFERRED")
    conn.execute("CREATE TABLE people (name TEXT)")
    conn.commit()
    try:
        with conn:
            conn.execute(V2_STATEMENTS[0])
            conn.execute("ALTER TABLE people ADD COLUMN name TEXT")
    except sqlite3.OperationalError:
        pass
    cols = [r[1] for r in conn.execute("PRAGMA table_info(people)")]
    conn.close()
    assert "pronouns" in cols
