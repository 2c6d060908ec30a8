"""Issue #20, restore: another process's journal, symlinks, permissions, read-only, full disk."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from reliability_kit import run_unprivileged

from ties.cli import main
from ties.io import backup as backups
from ties.io.open_elsewhere import JournalInUseError, holder
from ties.io.recovery import recover
from ties.model import Person
from ties.store import DiskFullError, JournalError, ReadOnlyError, Store


def _journal_and_backup(tmp_path: Path) -> tuple[Path, Path]:
    journal = tmp_path / "journal.ties"
    with Store.open(journal) as store:
        store.add_person(Person(name="Before"))
        saved = backups.backup(store, tmp_path / "saved.ties")
        store.add_person(Person(name="After"))
    return journal, saved


def _names(journal: Path) -> list[str]:
    with Store.open(journal) as store:
        return sorted(p.name for p in store.list_people())


_HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT count(*) FROM people").fetchone()  # an idle reader: its WAL is empty
print("ready", flush=True)
sys.stdin.readline()
"""


def _hold_open(journal: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(journal)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_restore_is_refused_while_another_process_has_the_journal_open(tmp_path: Path) -> None:
    journal, saved = _journal_and_backup(tmp_path)
    before = journal.read_bytes()
    proc = _hold_open(journal)
    try:
        assert holder(journal) is not None
        with pytest.raises(JournalInUseError, match="open in another process"):
            backups.restore(saved, journal)
        assert main(["--db", str(journal), "restore", str(saved)]) == 1
        assert journal.read_bytes() == before
    finally:
        proc.communicate("\n", timeout=10)
    assert holder(journal) is None
    backups.restore(saved, journal)
    assert _names(journal) == ["Before"]


def test_the_swap_itself_is_refused_if_someone_opened_the_journal_meanwhile(
    tmp_path: Path,
) -> None:
    journal, saved = _journal_and_backup(tmp_path)
    prepared = backups.prepare_restore(saved, journal)
    proc = _hold_open(journal)
    try:
        with pytest.raises(JournalInUseError):
            backups.commit_restore(prepared)
    finally:
        prepared.discard()
        proc.communicate("\n", timeout=10)
    assert _names(journal) == ["After", "Before"]


def test_the_windows_lock_file_of_a_live_process_refuses_restore_and_recover(
    tmp_path: Path,
) -> None:
    journal, saved = _journal_and_backup(tmp_path)
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / "journal.ties.lock").write_text(f"{sleeper.pid}\nties\nhost\n")
        with pytest.raises(JournalInUseError, match=f"Ties window \\(process {sleeper.pid}\\)"):
            backups.restore(saved, journal)
        with pytest.raises(JournalInUseError, match="Nothing was recovered"):
            recover(journal, saved)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert _names(journal) == ["After", "Before"]
    backups.restore(saved, journal)  # a stale lock file (dead process) does not refuse
    assert _names(journal) == ["Before"]


def test_restoring_through_a_symlink_replaces_the_real_journal(tmp_path: Path) -> None:
    journal, saved = _journal_and_backup(tmp_path)
    link = tmp_path / "link.ties"
    link.symlink_to(journal)
    backups.restore(saved, link)
    assert link.is_symlink() and link.resolve() == journal
    assert _names(journal) == ["Before"]
    assert not list(tmp_path.glob(".link.ties*"))


def test_the_restore_working_copy_is_owner_only_from_the_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal, saved = _journal_and_backup(tmp_path)
    modes: list[int] = []

    def progress(step: str, done: int, total: int) -> None:
        for work in tmp_path.glob(".journal.ties.restore-*"):
            modes.append(stat.S_IMODE(work.stat().st_mode))

    old = os.umask(0o022)
    try:
        backups.prepare_restore(saved, journal, progress=progress).discard()
    finally:
        os.umask(old)
    assert modes and set(modes) == {0o600}


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_full_disk_is_called_a_full_disk_not_a_damaged_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal, saved = _journal_and_backup(tmp_path)
    before = _leftovers(tmp_path)

    def full(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(backups, "_copy_pages", full)
    with pytest.raises(DiskFullError) as caught:
        backups.restore(saved, journal)
    message = str(caught.value)
    assert "full" in message and "damaged" not in message and "MB" in message
    assert _leftovers(tmp_path) == before


def test_no_room_for_the_copy_is_refused_at_once_with_the_size_needed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal, saved = _journal_and_backup(tmp_path)
    real = os.statvfs

    class Tiny:
        def __init__(self, st: os.statvfs_result) -> None:
            self.f_frsize = st.f_frsize
            self.f_bavail = 1

    monkeypatch.setattr(backups.os, "statvfs", lambda p: Tiny(real(p)))
    with pytest.raises(DiskFullError, match=r"not enough free space.*is needed"):
        backups.restore(saved, journal)
    assert _names(journal) == ["After", "Before"]


def test_restoring_into_a_read_only_folder_says_read_only(tmp_path: Path) -> None:
    journal, saved = _journal_and_backup(tmp_path)
    folder = tmp_path
    folder.chmod(0o555)

    def attempt(source: str, target: str) -> str:
        try:
            backups.restore(Path(source), Path(target))
        except JournalError as exc:
            return f"{type(exc).__name__}: {exc}"
        return "restored"

    try:
        message = run_unprivileged(attempt, str(saved), str(journal))
    finally:
        folder.chmod(0o700)
    assert message.startswith(ReadOnlyError.__name__), message
    assert "cannot be written" in message and "damaged" not in message
    assert _names(journal) == ["After", "Before"]


def test_recover_refuses_another_journals_backup_unless_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reliability_kit import damage_quietly

    (tmp_path / "work").mkdir()
    (tmp_path / "personal").mkdir()
    with Store.open(tmp_path / "work" / "journal.ties") as work:
        work.add_person(Person(name="Colleague"))
        theirs = backups.backup(work, tmp_path / "theirs.ties")
    personal = tmp_path / "personal" / "journal.ties"
    with Store.open(personal) as store:
        store.add_person(Person(name="Zed Quiet"))
        backups.journal_id(store)
    damage_quietly(personal, "Zed Quiet")
    before = personal.read_bytes()
    assert main(["--db", str(personal), "recover", "--from", str(theirs)]) == 1
    assert "another journal" in capsys.readouterr().err
    assert personal.read_bytes() == before and not list(personal.parent.glob("*.damaged-*"))
    assert main(["--db", str(personal), "recover", "--from", str(theirs), "--other-journal"]) == 0
    assert _names(personal) == ["Colleague"]
