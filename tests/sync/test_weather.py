"""Sync-folder weather: files half arrived, conflict copies, newer versions, a removed
device, a folder that cannot be written."""

from __future__ import annotations

import errno
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from ties.app import sync as sync_app
from ties.app.sync import SyncError, sync_folder
from ties.model import Entry, Person
from ties.store import Store
from ties.sync import files

from .helpers import content, journals


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    f = tmp_path / "folder"
    f.mkdir()
    return f


def _own_files(folder: Path, device: str) -> list[files.SyncFile]:
    return files.device_files(folder / files.ROOT / device)


def test_a_half_arrived_file_is_skipped_with_a_message_then_read(
    tmp_path: Path, folder: Path
) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))
    report = sync_folder(a, folder)
    path = _own_files(folder, report.device)[-1].path
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # a sync engine mid-transfer
    got = sync_folder(b, folder)
    assert any("incomplete" in p and path.name in p for p in got.problems)
    assert b.get_person_by_uuid(ana.uuid) is None
    path.write_bytes(whole)
    got = sync_folder(b, folder)
    assert got.problems == []
    assert b.get_person_by_uuid(ana.uuid) is not None
    assert content(a) == content(b)


def test_a_file_missing_only_its_end_is_not_read(tmp_path: Path, folder: Path) -> None:
    a, b = journals(tmp_path, 2)
    a.add_person(Person(name="Ana"))
    report = sync_folder(a, folder)
    path = _own_files(folder, report.device)[-1].path
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")  # every record, no trailer
    got = sync_folder(b, folder)
    assert any("incomplete" in p for p in got.problems)
    assert b.count_people() == 0


def test_a_later_file_waits_for_an_earlier_one_still_arriving(tmp_path: Path, folder: Path) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))
    first = sync_folder(a, folder)
    a.add_entry(Entry(date=date(2026, 1, 2), person_ids=[ana.id or 0]))
    sync_folder(a, folder)
    early = _own_files(folder, first.device)[0].path
    whole = early.read_bytes()
    early.write_bytes(whole[:40])
    sync_folder(b, folder)
    assert b.count_entries() == 0 and b.count_people() == 0
    early.write_bytes(whole)
    sync_folder(b, folder)
    assert b.count_entries() == 1


def test_conflict_copies_are_read_as_change_files_once(tmp_path: Path, folder: Path) -> None:
    a, b, c = journals(tmp_path, 3)
    a.add_person(Person(name="Ana"))
    report = sync_folder(a, folder)
    own = _own_files(folder, report.device)[-1].path
    # A copy of the file as another device once had it, holding another person.
    other = b.add_person(Person(name="Bo"))
    b_report = sync_folder(b, folder)
    b_file = _own_files(folder, b_report.device)[-1].path
    copy = own.with_name(own.stem + ".sync-conflict-20260101-120000-ABCDEFG.jsonl")
    shutil.copy(b_file, copy)
    shutil.rmtree(b_file.parent)  # only the conflict copy carries Bo now
    got = sync_folder(c, folder)
    assert c.get_person_by_uuid(other.uuid) is not None
    assert got.problems == [] or all("no longer" in p for p in got.problems)
    again = sync_folder(c, folder)
    assert again.files_read == 0


def test_a_dropbox_style_conflicted_copy_is_read_too(tmp_path: Path, folder: Path) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))
    report = sync_folder(a, folder)
    own = _own_files(folder, report.device)[-1].path
    own.rename(own.with_name("changes-00000001 (Laptop's conflicted copy 2026-01-01).jsonl"))
    sync_folder(b, folder)
    assert b.get_person_by_uuid(ana.uuid) is not None


def test_a_file_from_a_newer_ties_is_refused_and_nothing_applied(
    tmp_path: Path, folder: Path
) -> None:
    a, b = journals(tmp_path, 2)
    a.add_person(Person(name="Ana"))
    b.add_person(Person(name="Bo"))
    report = sync_folder(a, folder)
    path = _own_files(folder, report.device)[-1].path
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = json.loads(lines[0])
    header["version"] = files.VERSION + 1
    path.write_text(json.dumps(header) + "\n" + "".join(lines[1:]), encoding="utf-8")
    before = content(b)
    with pytest.raises(SyncError, match="newer version of Ties"):
        sync_folder(b, folder)
    assert content(b) == before
    assert [d.name for d in (folder / files.ROOT).iterdir()] == [report.device]


def test_a_removed_device_is_reported_and_its_changes_stay(tmp_path: Path, folder: Path) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))
    report = sync_folder(a, folder)
    sync_folder(b, folder)
    shutil.rmtree(folder / files.ROOT / report.device)
    got = sync_folder(b, folder)
    assert any("no longer in the folder" in p for p in got.problems)
    assert b.get_person_by_uuid(ana.uuid) is not None


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_full_or_read_only_folder_keeps_changes_for_the_next_sync(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))

    def refuse(*args: object, **kwargs: object) -> int:
        raise OSError(code, "cannot write")

    monkeypatch.setattr(sync_app.files, "write", refuse)
    report = sync_folder(a, folder)
    assert any("Could not write to the sync folder" in p for p in report.problems)
    assert report.sent == 0
    monkeypatch.undo()
    report = sync_folder(a, folder)
    assert report.sent > 0
    sync_folder(b, folder)
    assert b.get_person_by_uuid(ana.uuid) is not None


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "changes-00000001.jsonl"

    def records():  # type: ignore[no-untyped-def]
        yield {"t": "person", "k": "x", "h": "0", "f": {}}
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        files.write(target, {"device": "abcdef"}, records())
    assert list(tmp_path.iterdir()) == []


def test_a_journal_copied_to_another_computer_becomes_a_new_device(
    tmp_path: Path, folder: Path
) -> None:
    (a,) = journals(tmp_path, 1)
    a.add_person(Person(name="Ana"))
    first = sync_folder(a, folder)
    a.close()
    shutil.copy(tmp_path / "device0.ties", tmp_path / "copy.ties")
    copy = Store.open(tmp_path / "copy.ties")
    copy.add_person(Person(name="Bo"))
    report = sync_folder(copy, folder)
    assert report.device != first.device
    again = Store.open(tmp_path / "device0.ties")
    sync_folder(again, folder)
    assert again.count_people() == 2


def test_two_syncs_of_one_journal_at_once_lose_nothing(tmp_path: Path, folder: Path) -> None:
    import threading

    (a,) = journals(tmp_path, 1)
    for i in range(30):
        a.add_person(Person(name=f"P{i}"))
    sync_folder(a, folder)
    for i in range(30):
        a.add_person(Person(name=f"Q{i}"))
    a.close()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with Store.open(tmp_path / "device0.ties") as s:
                sync_folder(s, folder)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    b = Store.open(tmp_path / "b.ties")
    sync_folder(b, folder)
    assert b.count_people() == 60
