"""Backups, rotation and restore."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from ties.io import backup, crypto
from ties.model import Entry, Person
from ties.paths import backup_dir
from ties.store import (
    CorruptJournalError,
    JournalError,
    NewerVersionError,
    NotAJournalError,
    PeopleFilter,
    Store,
    schema,
)


def _fill(store: Store, n: int = 3) -> None:
    for i in range(n):
        p = store.add_person(Person(name=f"Person {i}"))
        store.add_entry(
            Entry(date=date(2026, 1, 1) + timedelta(days=i), person_ids=[p.id or 0], note=f"n{i}")
        )


def test_backup_is_verified_owner_only_and_complete(store: Store, tmp_path: Path) -> None:
    _fill(store)
    path = backup.backup(store, tmp_path / "copy.ties")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with Store.open(path, create=False) as copy:
        assert copy.count_people() == 3
        assert copy.count_entries() == 3


def test_backup_without_path_goes_to_backup_folder(store: Store) -> None:
    path = backup.backup(store)
    assert path.parent == backup_dir()
    [info] = backup.list_backups(store.path.stem)
    assert info.path == path and info.kind == "manual" and info.size == path.stat().st_size


def test_encrypted_backup_restores_with_right_passphrase(store: Store, tmp_path: Path) -> None:
    _fill(store)
    enc = backup.backup(store, tmp_path / "b.ties.enc", passphrase="pw-long-enough")
    assert crypto.is_encrypted(enc)
    target = tmp_path / "restored.ties"
    with pytest.raises(crypto.DecryptionError):
        backup.restore(enc, target, passphrase="wrong")
    assert not target.exists()
    backup.restore(enc, target, passphrase="pw-long-enough")
    with Store.open(target, create=False) as s:
        assert [p.name for p in s.list_people()] == ["Person 0", "Person 1", "Person 2"]


def test_backup_while_another_thread_writes(db_path: Path, tmp_path: Path) -> None:
    with Store.open(db_path) as s:
        _fill(s, 1)
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        with Store.open(db_path) as w:
            pid = w.list_people()[0].id or 0
            i = 0
            while not stop.is_set() and i < 2000:
                w.add_entry(Entry(date=date(2026, 2, 1), person_ids=[pid], note=f"w{i}"))
                i += 1
                written.append(i)

    t = threading.Thread(target=writer)
    t.start()
    try:
        with Store.open(db_path) as reader:
            copies = [backup.backup(reader, tmp_path / f"c{i}.ties") for i in range(5)]
    finally:
        stop.set()
        t.join()
    for path in copies:
        with Store.open(path, create=False) as c:
            assert c.integrity_problems() == []
            assert c.count_entries() >= 1


# ------------------------------------------------------------------ rotation


def _info(taken: datetime) -> backup.BackupInfo:
    return backup.BackupInfo(Path(f"/x/{taken:%Y%m%d%H%M}"), "auto", taken, 1, False)


def test_rotation_keeps_daily_weekly_monthly() -> None:
    start = datetime(2026, 1, 1, 12)
    infos = [_info(start + timedelta(days=d)) for d in range(400)]
    keep = backup.to_keep(infos, daily=7, weekly=4, monthly=12)
    newest = start + timedelta(days=399)
    kept = sorted(i.taken for i in infos if i.path in keep)
    # the last 7 days are all kept
    assert all(newest - timedelta(days=d) in kept for d in range(7))
    # one per month for 12 months at most, plus the dailies and weeklies
    assert len(kept) <= 7 + 4 + 12
    assert len({(t.year, t.month) for t in kept}) == 12
    assert min(kept) > newest - timedelta(days=366)


def test_rotation_keeps_newest_of_each_day() -> None:
    day = datetime(2026, 3, 3, 8)
    infos = [_info(day), _info(day + timedelta(hours=5))]
    keep = backup.to_keep(infos, daily=1, weekly=0, monthly=0)
    assert keep == {infos[1].path}


def test_auto_backup_at_most_daily_and_rotates(store: Store) -> None:
    store.set_setting(backup.ROTATION_SETTING, {"daily": 2, "weekly": 0, "monthly": 0})
    t0 = datetime(2026, 5, 1, 18)
    assert backup.auto_backup(store, now=t0) is not None
    assert backup.auto_backup(store, now=t0 + timedelta(hours=3)) is None
    for d in range(1, 5):
        assert backup.auto_backup(store, now=t0 + timedelta(days=d)) is not None
    autos = [b for b in backup.list_backups(store.path.stem) if b.kind == "auto"]
    assert [b.taken.day for b in autos] == [5, 4]


def test_auto_backup_due_says_what_auto_backup_would_do(store: Store) -> None:
    t0 = datetime(2026, 5, 1, 18)
    assert backup.auto_backup_due(store, now=t0)
    backup.backup(store, now=t0)  # a manual backup does not count
    assert backup.auto_backup_due(store, now=t0)
    assert backup.auto_backup(store, now=t0) is not None
    later = t0 + timedelta(hours=23)
    assert not backup.auto_backup_due(store, now=later)
    assert backup.auto_backup(store, now=later) is None
    assert backup.auto_backup_due(store, now=t0 + timedelta(days=1))


def test_manual_backups_are_never_rotated(store: Store) -> None:
    manual = backup.backup(store, now=datetime(2020, 1, 1))
    for d in range(3):
        backup.auto_backup(store, now=datetime(2026, 5, 1) + timedelta(days=d))
    assert manual.exists()


# ------------------------------------------------------------------- restore


def test_restore_keeps_previous_journal_as_backup(tmp_path: Path) -> None:
    old_path = tmp_path / "old.ties"
    with Store.open(old_path) as old:
        _fill(old, 2)
        saved = backup.backup(old, tmp_path / "saved.ties")
        _fill(old, 1)  # a third person added after the backup
    candidate, safety = backup.restore(saved, old_path)
    assert candidate.people == 2
    assert safety is not None and safety.exists()
    with Store.open(old_path, create=False) as s:
        assert s.count_people() == 2
    with Store.open(safety, create=False) as s:
        assert s.count_people() == 3


def _journal_bytes(path: Path) -> bytes:
    return path.read_bytes()


@pytest.mark.parametrize("kind", ["text", "foreign", "newer", "damaged", "truncated"])
def test_restore_refuses_bad_files_and_leaves_journal(
    store: Store, tmp_path: Path, kind: str
) -> None:
    _fill(store)
    store.close()
    before = _journal_bytes(store.path)
    bad = tmp_path / f"bad-{kind}.ties"
    if kind == "text":
        bad.write_text("hello, I am not a database\n" * 10)
        error: type[Exception] = NotAJournalError
    elif kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        conn.close()
        error = NotAJournalError
    elif kind == "newer":
        with Store.open(bad) as s:
            pass
        conn = sqlite3.connect(bad)
        conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
        conn.close()
        error = NewerVersionError
    else:
        with Store.open(bad) as s:
            _fill(s, 50)
            s.conn.execute("PRAGMA journal_mode = DELETE")
        data = bytearray(bad.read_bytes())
        if kind == "damaged":
            page = 4096
            for i in range(page * 2 + 100, min(len(data), page * 4), 7):
                data[i] ^= 0x5A
        else:
            data = data[: len(data) // 2]
        bad.write_bytes(bytes(data))
        error = CorruptJournalError
    with pytest.raises(error):
        backup.restore(bad, store.path)
    assert _journal_bytes(store.path) == before
    assert not list(store.path.parent.glob(".*restore*"))


def test_restore_of_the_journal_itself_is_refused(store: Store) -> None:
    store.close()
    with pytest.raises(backup.JournalError, match="journal itself"):
        backup.restore(store.path, store.path)


def test_check_backup_opens_read_only(tmp_path: Path, store: Store) -> None:
    path = backup.backup(store, tmp_path / "ro.ties")
    conn = backup.open_untrusted(path)
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("CREATE TABLE x (y)")
    assert conn.execute("PRAGMA trusted_schema").fetchone()[0] == 0
    assert conn.execute("PRAGMA cell_size_check").fetchone()[0] == 1
    conn.close()


def test_restore_of_an_older_format_is_migrated(store: Store) -> None:
    old = Path(__file__).parents[1] / "fixtures" / "journals" / "v1.ties"
    store.close()
    candidate, _ = backup.restore(old, store.path)
    assert candidate.schema_version == 1
    with Store.open(store.path, create=False) as s:
        assert s.schema_version == schema.SCHEMA_VERSION
        assert s.integrity_problems() == []
        assert s.count_people(PeopleFilter(archived=None)) == candidate.people
    assert sorted(p.name for p in store.path.parent.glob("*journal*")) == ["journal.ties"]


def _temporaries(journal: Path) -> list[Path]:
    return [*journal.parent.glob(f".{journal.name}.restore-*"), *backup_dir().glob(".restore-*")]


def test_prepare_leaves_the_journal_alone_and_commit_swaps(tmp_path: Path) -> None:
    journal = tmp_path / "journal.ties"
    with Store.open(journal) as s:
        _fill(s, 2)
        saved = backup.backup(s, tmp_path / "saved.ties")
        _fill(s, 1)
    before = journal.read_bytes()
    steps: list[str] = []
    prepared = backup.prepare_restore(
        saved, journal, progress=lambda what, done, total: steps.append(what)
    )
    assert [s for i, s in enumerate(steps) if s not in steps[:i]] == [
        "check",
        "copy",
        "verify",
        "safety",
    ]
    assert journal.read_bytes() == before  # nothing swapped yet
    assert prepared.work.exists() and prepared.candidate.people == 2
    assert prepared.safety is not None and prepared.safety.exists()
    candidate, safety = backup.commit_restore(prepared)
    assert (candidate, safety) == (prepared.candidate, prepared.safety)
    with Store.open(journal, create=False) as s:
        assert s.count_people() == 2
    prepared.discard()  # harmless after the swap
    assert not _temporaries(journal)


@pytest.mark.parametrize("at", ["check", "copy", "verify", "safety"])
def test_a_cancelled_prepare_leaves_nothing_behind(tmp_path: Path, at: str) -> None:
    journal = tmp_path / "journal.ties"
    with Store.open(journal) as s:
        _fill(s, 3)
        saved = backup.backup(s, tmp_path / "saved.ties")
        _fill(s, 1)
    before = journal.read_bytes()
    stop = threading.Event()

    def progress(what: str, done: int, total: int) -> None:
        if what == at:
            stop.set()  # from here on the restore is cancelled

    with pytest.raises(backup.RestoreCancelled, match="not changed"):
        backup.prepare_restore(saved, journal, progress=progress, cancelled=stop.is_set)
    assert stop.is_set()
    assert journal.read_bytes() == before
    assert not _temporaries(journal)
    assert backup.list_backups(journal.stem) == []  # a safety backup already taken is gone


def test_a_cancel_interrupts_the_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "big.ties"
    with Store.open(path) as s:
        _fill(s, 200)
    asked: list[int] = []

    def cancelled() -> bool:  # polled by SQLite while a long statement runs
        asked.append(1)
        return True

    with pytest.raises(backup.RestoreCancelled):
        backup.check_backup(path, cancelled=cancelled)
    assert asked
    assert backup.check_backup(path).people == 200  # without a cancel it passes


def test_decrypting_reports_progress_and_can_be_cancelled(store: Store, tmp_path: Path) -> None:
    _fill(store, 20)
    enc = backup.backup(store, tmp_path / "b.ties.enc", passphrase="pw-long-enough")
    target = tmp_path / "restored.ties"
    seen: list[tuple[int, int]] = []

    def progress(what: str, done: int, total: int) -> None:
        if what == "decrypt" and total:
            seen.append((done, total))

    prepared = backup.prepare_restore(enc, target, passphrase="pw-long-enough", progress=progress)
    prepared.discard()
    assert seen and seen[-1][0] == seen[-1][1] == enc.stat().st_size
    with pytest.raises(backup.RestoreCancelled):
        backup.prepare_restore(
            enc,
            target,
            passphrase="pw-long-enough",
            progress=progress,
            cancelled=lambda: bool(seen),
        )
    assert not _temporaries(target) and not target.exists()


def test_triggers_of_the_journal_format_itself_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "own.ties"
    Store.open(path).close()
    own = backup._own_triggers_and_views(schema.SCHEMA_VERSION)
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    conn.close()
    assert names == {name for kind, name, _sql in own if kind == "trigger"}
    assert backup.check_backup(path).schema_version == schema.SCHEMA_VERSION
    if names:  # the same name with other text is someone else's trigger
        name = sorted(names)[0]
        conn = sqlite3.connect(path)
        conn.execute(f"DROP TRIGGER {name}")
        conn.execute(f"CREATE TRIGGER {name} AFTER INSERT ON people BEGIN SELECT 1; END")
        conn.commit()
        conn.close()
        with pytest.raises(NotAJournalError, match="not a plain Ties journal"):
            backup.check_backup(path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_backup_onto_the_journal_itself_is_refused(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(store)
    store.close()
    with Store.open(store.path) as store:
        before = _digest(store.path)
        monkeypatch.chdir(store.path.parent)
        link = tmp_path / "link.ties"
        link.symlink_to(store.path)
        for target in (store.path, Path(store.path.name), link, Path(store.path.name + "-wal")):
            with pytest.raises(JournalError, match="the journal itself"):
                backup.backup(store, target)
        assert store.count_people() == 3
    assert _digest(store.path) == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
@pytest.mark.parametrize("passphrase", [None, "correct horse battery"])
def test_a_folder_that_cannot_be_written_is_named_not_a_temporary_file(
    store: Store, passphrase: str | None
) -> None:
    with pytest.raises(JournalError) as caught:
        backup.backup(store, Path("/proc/x.bak"), passphrase=passphrase)
    message = str(caught.value)
    assert message.startswith("The folder /proc cannot be written")
    assert ".tmp" not in message and "x.bak" not in message
    assert not [p for p in os.listdir(backup_dir()) if p.startswith(".")]
