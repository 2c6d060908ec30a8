"""Two processes quick-adding into one journal at once: every acknowledged write lands.

Neither may fail with "database is locked": the store waits (busy_timeout) and
every write is one short BEGIN IMMEDIATE transaction.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reliability_kit import child_env, load_script

from ties.store import Store

crash = load_script("crash_test")

WRITES = 40


def _run_pair(db: Path, home: Path) -> crash.Report:
    env = child_env(home)
    procs = [crash.start_writer(db, tag, env, count=WRITES) for tag in ("a", "b")]
    report = crash.Report(mode="parallel")
    acked: list[str] = []
    for p in procs:
        crash.collect(p, acked, report)
        assert p.returncode == 0, report.failed_writes
    crash.verify(db, acked, report)
    return report


@pytest.mark.parametrize("existing", [True, False], ids=["existing", "new-journal"])
def test_two_writers_in_parallel_lose_nothing(tmp_path: Path, existing: bool) -> None:
    db = tmp_path / "journal.ties"
    if existing:
        Store.open(db).close()
    report = _run_pair(db, tmp_path / "home")
    assert report.failed_writes == []
    assert report.acknowledged == 2 * WRITES
    assert report.entries_in_journal == 2 * WRITES
    assert report.lost == report.duplicated == report.incomplete == report.problems == []
    with Store.open(db) as store:
        # "Shared" was named by both writers: created once, never twice.
        assert len(store.people_named("Shared")) == 1


OPEN_AT = """
import sys, time
from ties.store import Store
start = float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
Store.open(sys.argv[1]).close()
"""


def test_processes_creating_one_new_journal_at_once_all_succeed(tmp_path: Path) -> None:
    """Two `ties` started at once on a journal that does not exist yet.

    Each sees an empty file and wants to create the schema; the second must
    notice (inside its write transaction) that the first already did.
    """
    import subprocess
    import sys
    import time

    env = child_env(tmp_path / "home")
    for attempt in range(2):
        db = tmp_path / f"new-{attempt}.ties"
        start = time.time() + 0.6
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_AT, str(db), str(start)],
                env=env,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        errors = [p.communicate()[1] for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
        with Store.open(db) as store:
            assert store.integrity_problems() == []
            assert len(store.circles()) > 0  # the defaults were inserted once, not twice


def test_a_second_store_in_one_process_leaves_the_first_ones_locks_alone(tmp_path: Path) -> None:
    """The window keeps its journal open while background jobs open and close their own.

    POSIX locks belong to the process: if opening a second Store closed a plain
    descriptor of the file, the window's lock would go with it, the command line
    would take itself for the last user, checkpoint and delete the WAL under
    the window ("disk I/O error", or worse).
    """
    db = tmp_path / "journal.ties"
    window = Store.open(db)
    try:
        assert window.count_entries() == 0
        for _ in range(3):
            Store.open(db).close()  # a background job: its own connection, then gone
        report = _run_pair(db, tmp_path / "home")
        assert report.failed_writes == []
        assert window.count_entries() == 2 * WRITES
        assert window.integrity_problems() == []
        quick = window.conn.execute("PRAGMA quick_check").fetchone()[0]
        assert quick == "ok"
    finally:
        window.close()


def test_a_journal_held_longer_than_the_busy_timeout_is_a_plain_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Waiting has a limit (15 s); past it the user reads why, not "unexpected error"."""
    import sqlite3

    from reliability_kit import dump_rows

    from ties.cli import main
    from ties.store import connection

    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 200)
    db = tmp_path / "journal.ties"
    Store.open(db).close()
    before = dump_rows(db)
    other = sqlite3.connect(db, isolation_level=None)  # another program, mid-write
    other.execute("BEGIN IMMEDIATE")
    try:
        rc = main(["--db", str(db), "log", "gave #career_guidance to @Ana"])
    finally:
        other.execute("ROLLBACK")
        other.close()
    err = capsys.readouterr().err
    assert rc == 1
    assert err.startswith("ties: error: The journal is busy") and err.count("\n") == 1
    assert dump_rows(db) == before


def test_a_wal_removed_while_opening_does_not_fail_the_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process closing the journal removes its WAL at any moment: between a
    look and a stat of it, once in CI ("No such file or directory: …-wal")."""
    from ties.model import Person

    journal = tmp_path / "journal.ties"
    with Store.open(journal) as store:
        store.add_person(Person(name="Ana"))
    wal = journal.with_name(journal.name + "-wal")
    assert not wal.exists()
    real_exists = Path.exists
    # The WAL is seen, then gone: as if the other process closed in between.
    monkeypatch.setattr(Path, "exists", lambda p: True if p == wal else real_exists(p))
    with Store.open(journal) as store:
        assert not store.wal_at_open
        assert [p.name for p in store.list_people()] == ["Ana"]
