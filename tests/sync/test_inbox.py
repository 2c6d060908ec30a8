"""The phone inbox: lines read, saved and marked done without losing any."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest

from ties.app import inbox as inbox_app
from ties.app.inbox import DONE, InboxError, read_inbox, save_lines
from ties.store import Store

OLD = time.time() - 3600  # a file last changed an hour ago


def _write(path: Path, data: bytes, mtime: float = OLD) -> None:
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))


def test_lines_are_listed_with_their_preview_and_errors(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "inbox.txt"
    _write(path, b"gave #expertise to @Ana: CV\n\n# a comment\nnonsense words\n")
    inbox = read_inbox(store, tmp_path)
    assert [ln.number for ln in inbox.pending] == [1, 4]
    assert inbox.pending[0].entry is not None and inbox.pending[0].new_people == ["Ana"]
    assert inbox.pending[1].entry is None and inbox.pending[1].error


def test_saving_marks_lines_done_and_keeps_the_others(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "inbox.txt"
    _write(path, b"call with @Ana\nnonsense words\n")
    inbox = read_inbox(store, path)
    saved, note = save_lines(store, inbox, inbox.pending)
    assert [ln.number for ln in saved] == [1] and note == ""
    assert path.read_text(encoding="utf-8") == f"{DONE}call with @Ana\nnonsense words\n"
    assert store.count_entries() == 1
    assert read_inbox(store, path).done == 1
    assert [ln.number for ln in read_inbox(store, path).pending] == [2]


def test_a_line_without_a_date_is_logged_on_the_day_it_was_written(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "inbox.txt"
    stamp = time.mktime((2026, 3, 4, 12, 0, 0, 0, 0, -1))
    _write(path, b"call with @Ana\n2026-02-01 09:15 met with @Bo yesterday\n", stamp)
    inbox = read_inbox(store, path, now=stamp + 3600)
    assert inbox.pending[0].entry is not None and inbox.pending[0].entry.date == date(2026, 3, 4)
    # A leading stamp is the day written; 'yesterday' counts from it.
    assert inbox.pending[1].entry is not None and inbox.pending[1].entry.date == date(2026, 1, 31)


def test_a_half_written_last_line_waits_while_the_file_is_fresh(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "inbox.txt"
    _write(path, b"call with @Ana\ncall with @B", time.time())
    inbox = read_inbox(store, path)
    assert [ln.text for ln in inbox.pending] == ["call with @Ana"]
    assert inbox.waiting and "still be being written" in inbox.waiting
    save_lines(store, inbox, inbox.pending)
    assert path.read_bytes() == f"{DONE}call with @Ana\ncall with @B".encode()
    os.utime(path, (OLD, OLD))
    assert [ln.text for ln in read_inbox(store, path).pending] == ["call with @B"]


def test_windows_line_ends_and_a_bom_are_kept(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "inbox.txt"
    _write(path, "\ufeffcall with @Ana\r\ncall with @Bo\r\n".encode())
    inbox = read_inbox(store, path)
    assert [ln.text for ln in inbox.pending] == ["call with @Ana", "call with @Bo"]
    save_lines(store, inbox, inbox.pending[:1])
    assert path.read_bytes() == f"\ufeff{DONE}call with @Ana\r\ncall with @Bo\r\n".encode()


def test_lines_written_while_ties_reads_are_kept(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "inbox.txt"
    _write(path, b"call with @Ana\n")
    inbox = read_inbox(store, path)
    with path.open("ab") as fh:  # the phone appends after Ties read the file
        fh.write(b"call with @Bo\n")
    save_lines(store, inbox, inbox.pending)
    assert path.read_bytes() == f"{DONE}call with @Ana\ncall with @Bo\n".encode()


def test_a_line_appended_between_reread_and_rename_is_not_lost(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "inbox.txt"
    _write(path, b"call with @Ana\n")
    inbox = read_inbox(store, path)
    # The phone appends right after Ties re-read the file to mark it: the check before
    # the rename sees the change, and Ties reads it again.
    original_read = Path.read_bytes
    reads = []

    def read_then_append(self: Path) -> bytes:
        data = original_read(self)
        reads.append(self)
        if len(reads) == 2 and self == path:  # Ties' re-read before renaming
            with open(path, "ab") as fh:
                fh.write(b"call with @Cy\n")
        return data

    monkeypatch.setattr(Path, "read_bytes", read_then_append)
    save_lines(store, inbox, inbox.pending)
    text = original_read(path).decode()
    assert "call with @Cy" in text and text.startswith(DONE + "call with @Ana")


def test_a_line_edited_on_the_phone_meanwhile_is_left_for_later(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "inbox.txt"
    _write(path, b"call with @Ana\ncall with @Bo\n")
    inbox = read_inbox(store, path)
    _write(path, b"call with @Ana\ncall with @Bob instead\n")
    saved, note = save_lines(store, inbox, inbox.pending)
    assert [ln.number for ln in saved] == [1]
    assert "line 2 changed" in note
    assert path.read_bytes() == f"{DONE}call with @Ana\ncall with @Bob instead\n".encode()
    assert [ln.text for ln in read_inbox(store, path).pending] == ["call with @Bob instead"]


def test_an_inbox_that_cannot_be_rewritten_saves_nothing(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "inbox.txt"
    _write(path, b"call with @Ana\n")
    inbox = read_inbox(store, path)

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(inbox_app.os, "replace", refuse)
    with pytest.raises(InboxError, match="Nothing was saved"):
        save_lines(store, inbox, inbox.pending)
    assert store.count_entries() == 0
    assert path.read_bytes() == b"call with @Ana\n"
