"""Issue #20 item 1 beyond Linux: the open-elsewhere check on every platform Ties ships for.

macOS and the BSDs read the lock with their own ``struct flock``; Windows asks
SQLite (a connection that wants the file to itself) and turns the system's
refusal to replace an open file into the same message.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from test_restore_safety import _hold_open, _journal_and_backup

from ties.io import open_elsewhere
from ties.io.open_elsewhere import JournalInUseError, flock_layout, holder, replace_journal
from ties.store import Store
from ties.store.files import open_by_another_connection


def test_sqlite_says_when_another_process_has_the_journal_open(tmp_path: Path) -> None:
    journal, _saved = _journal_and_backup(tmp_path)
    assert open_by_another_connection(journal) is False
    proc = _hold_open(journal)
    try:
        assert open_by_another_connection(journal) is True
    finally:
        proc.communicate("\n", timeout=10)
    assert open_by_another_connection(journal) is False
    with Store.open(journal) as store:  # the probe changed nothing
        assert len(store.list_people()) == 2


def test_the_sqlite_question_cannot_be_answered_without_a_journal(tmp_path: Path) -> None:
    assert open_by_another_connection(tmp_path / "missing.ties") is None
    not_sqlite = tmp_path / "notes.ties"
    not_sqlite.write_bytes(b"not a database at all" * 100)
    assert open_by_another_connection(not_sqlite) is None


def test_on_windows_another_process_is_found_through_sqlite(tmp_path: Path) -> None:
    journal, _saved = _journal_and_backup(tmp_path)
    assert holder(journal, platform="win32") is None
    proc = _hold_open(journal)
    try:
        assert holder(journal, platform="win32") == "another process"
    finally:
        proc.communicate("\n", timeout=10)


def test_windows_refusing_to_replace_an_open_journal_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, journal = tmp_path / "copy.ties", tmp_path / "journal.ties"
    source.write_bytes(b"copy")
    journal.write_bytes(b"journal")

    def refuse(_src: object, _dst: object) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(open_elsewhere.os, "replace", refuse)
    with pytest.raises(JournalInUseError, match=r"open in another process.*Nothing was restored"):
        replace_journal(source, journal, platform="win32")
    with pytest.raises(PermissionError):  # elsewhere it is a folder problem, said as such
        replace_journal(source, journal, platform="linux")
    assert journal.read_bytes() == b"journal"


@pytest.mark.parametrize(
    ("platform", "size"),
    [("linux", 32), ("darwin", 24), ("freebsd14", 32), ("openbsd7", 24), ("netbsd10", 24)],
)
def test_each_posix_platform_has_its_struct_flock(platform: str, size: int) -> None:
    layout = flock_layout(platform)
    assert layout is not None
    fmt, type_at, pid_at = layout
    assert struct.calcsize(fmt) == size  # sizeof(struct flock) on 64-bit systems
    fields = struct.unpack(fmt, bytes(size))
    assert len(fields) > max(type_at, pid_at)
    assert flock_layout("win32") is None


def test_the_linux_layout_is_the_one_that_finds_the_reader(tmp_path: Path) -> None:
    journal, _saved = _journal_and_backup(tmp_path)
    proc = _hold_open(journal)
    try:
        found = holder(journal)
        assert found is not None and str(proc.pid) in found
    finally:
        proc.communicate("\n", timeout=10)


def test_a_lock_file_naming_an_impossible_process_is_stale(tmp_path: Path) -> None:
    """The one test of a live process (store.files.process_alive) takes any number."""
    from ties.io.open_elsewhere import lock_file
    from ties.store.files import process_alive

    journal, _saved = _journal_and_backup(tmp_path)
    lock_file(journal).write_text("9" * 40 + "\nhost\n")
    assert holder(journal) is None
    assert process_alive(os.getpid()) and not process_alive(10**40)
