"""Named sync situations: deletes against new entries, one field edited twice, a month offline,
wrong clocks, compaction and a device joining from a snapshot."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ties.app.sync import SyncError, sync_folder
from ties.model import Entry, Person
from ties.store import Store
from ties.sync import files

from .helpers import content, journals

DAY_MS = 86_400_000


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    f = tmp_path / "folder"
    f.mkdir()
    return f


def _person(store: Store, uuid: str) -> Person | None:
    return store.get_person_by_uuid(uuid)


def test_two_journals_share_people_and_entries(tmp_path: Path, folder: Path) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana", notes="from A"))
    a.add_entry(Entry(date=date(2026, 1, 2), person_ids=[ana.id or 0], note="coffee"))
    sync_folder(a, folder)
    report = sync_folder(b, folder)
    assert report.applied >= 2
    got = b.get_person_by_uuid(ana.uuid)
    assert got is not None and got.notes == "from A"
    assert content(a) == content(b)


def test_deleting_a_person_keeps_an_entry_another_device_added(
    tmp_path: Path, folder: Path
) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))
    old = a.add_entry(Entry(date=date(2026, 1, 2), person_ids=[ana.id or 0], note="old"))
    sync_folder(a, folder)
    sync_folder(b, folder)
    # Offline: A deletes Ana with her entries, B logs a new entry with her.
    a.delete_person(ana.id or 0, with_entries=True)
    b_ana = b.get_person_by_uuid(ana.uuid)
    assert b_ana is not None
    new = b.add_entry(Entry(date=date(2026, 2, 1), person_ids=[b_ana.id or 0], note="new"))
    for s in (a, b, a, b):
        sync_folder(s, folder)
    assert content(a) == content(b)
    # The new entry is not lost, so Ana stays; the entry A deleted stays deleted.
    assert a.get_entry_by_uuid(new.uuid) is not None
    assert a.get_person_by_uuid(ana.uuid) is not None
    assert a.get_entry_by_uuid(old.uuid) is None and b.get_entry_by_uuid(old.uuid) is None


def test_a_person_kept_by_an_entry_takes_later_edits_everywhere(
    tmp_path: Path, folder: Path
) -> None:
    """A deleted person that a new entry elsewhere keeps is still edited on every device:
    a later edit of them must reach a device in a sync that brings no entry of theirs."""
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))
    a.add_entry(Entry(date=date(2026, 1, 2), person_ids=[ana.id or 0], note="old"))
    sync_folder(a, folder)
    sync_folder(b, folder)
    # Offline: B deletes Ana with her entries, A logs a new entry with her.
    b_ana = b.get_person_by_uuid(ana.uuid)
    assert b_ana is not None
    b.delete_person(b_ana.id or 0, with_entries=True)
    a.add_entry(Entry(date=date(2026, 2, 1), person_ids=[ana.id or 0], note="new"))
    sync_folder(a, folder)
    sync_folder(b, folder)  # the new entry brings Ana back to B
    sync_folder(a, folder)  # A reads the delete: the new entry keeps Ana
    assert b.get_person_by_uuid(ana.uuid) is not None
    # Now A edits Ana; B's next sync brings that edit and no entry of hers.
    a_ana = a.get_person_by_uuid(ana.uuid)
    assert a_ana is not None
    a.update_person(replace(a_ana, notes="edited after the delete"))
    a.set_archived(a_ana.id or 0, True)
    sync_folder(a, folder)
    sync_folder(b, folder)
    got = b.get_person_by_uuid(ana.uuid)
    assert got is not None and got.notes == "edited after the delete" and got.archived
    assert content(a) == content(b)
    # And the other way round: B's edit of the kept person reaches A.
    b.update_person(replace(got, notes="edited on B"))
    sync_folder(b, folder)
    sync_folder(a, folder)
    assert content(a) == content(b)


def _deleted_on_b(tmp_path: Path, folder: Path) -> tuple[Store, Store, Person, Person]:
    """A and B hold Ana (with an entry) and Cy; B then deletes Ana with her entries."""
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))
    cy = a.add_person(Person(name="Cy"))
    a.add_entry(Entry(date=date(2026, 1, 2), person_ids=[ana.id or 0], note="old"))
    sync_folder(a, folder)
    sync_folder(b, folder)
    b_ana = b.get_person_by_uuid(ana.uuid)
    assert b_ana is not None
    b.delete_person(b_ana.id or 0, with_entries=True)
    return a, b, ana, cy


def test_a_link_to_a_deleted_person_comes_back_with_them(tmp_path: Path, folder: Path) -> None:
    """B reads A's new link to Ana after deleting her; an entry of A's later brings her
    back to B, and the link with her."""
    a, b, ana, cy = _deleted_on_b(tmp_path, folder)
    a.link(ana.id or 0, cy.id or 0, "friend", False)
    sync_folder(a, folder)
    sync_folder(b, folder)
    a.add_entry(Entry(date=date(2026, 2, 1), person_ids=[ana.id or 0], note="new"))
    for s in (a, b, a, b):
        sync_folder(s, folder)
    b_ana = b.get_person_by_uuid(ana.uuid)
    assert b_ana is not None and [x.other_uuid for x in b.links(b_ana.id or 0)] == [cy.uuid]
    assert content(a) == content(b)


def test_an_entry_on_behalf_of_a_deleted_person_names_them_when_they_come_back(
    tmp_path: Path, folder: Path
) -> None:
    a, b, ana, cy = _deleted_on_b(tmp_path, folder)
    behalf = a.add_entry(
        Entry(date=date(2026, 1, 5), person_ids=[cy.id or 0], on_behalf_of=ana.id, note="for")
    )
    sync_folder(a, folder)
    sync_folder(b, folder)  # B holds no Ana: the entry is written on nobody's behalf
    a.add_entry(Entry(date=date(2026, 2, 1), person_ids=[ana.id or 0], note="new"))
    for s in (a, b, a, b):
        sync_folder(s, folder)
    b_ana = b.get_person_by_uuid(ana.uuid)
    got = b.get_entry_by_uuid(behalf.uuid)
    assert b_ana is not None and got is not None and got.on_behalf_of == b_ana.id
    assert content(a) == content(b)


@pytest.mark.parametrize("how", ["delete the entry", "take her off the entry"])
@pytest.mark.parametrize("where", ["A", "B"])
def test_a_kept_person_goes_when_the_last_entry_keeping_them_lets_go(
    tmp_path: Path, folder: Path, how: str, where: str
) -> None:
    """Ana, deleted on B, is kept by A's new entry; when that entry goes (or no longer
    names her) on either device, she goes on both."""
    a, b, ana, cy = _deleted_on_b(tmp_path, folder)
    new = a.add_entry(
        Entry(date=date(2026, 2, 1), person_ids=[ana.id or 0, cy.id or 0], note="new")
    )
    for s in (a, b, a, b):
        sync_folder(s, folder)
    assert a.get_person_by_uuid(ana.uuid) and b.get_person_by_uuid(ana.uuid)
    editor, other = (a, b) if where == "A" else (b, a)
    entry = editor.get_entry_by_uuid(new.uuid)
    here = editor.get_person_by_uuid(ana.uuid)
    assert entry is not None and here is not None
    if how == "delete the entry":
        editor.delete_entry(entry.id or 0)
    else:
        editor.update_entry(
            replace(entry, person_ids=[p for p in entry.person_ids if p != here.id])
        )
    for s in (editor, other, editor):
        sync_folder(s, folder)
    assert editor.get_person_by_uuid(ana.uuid) is None
    assert other.get_person_by_uuid(ana.uuid) is None
    assert content(a) == content(b)


def test_a_deleted_person_without_entries_elsewhere_goes_everywhere(
    tmp_path: Path, folder: Path
) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))
    sync_folder(a, folder)
    sync_folder(b, folder)
    a.delete_person(ana.id or 0)
    sync_folder(a, folder)
    sync_folder(b, folder)
    assert b.get_person_by_uuid(ana.uuid) is None


def test_one_field_edited_on_both_devices_keeps_the_later_edit(
    tmp_path: Path, folder: Path
) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))
    sync_folder(a, folder)
    sync_folder(b, folder)
    b_ana = b.get_person_by_uuid(ana.uuid)
    assert b_ana is not None
    b.update_person(replace(b_ana, notes="B's words", organization="B org"))
    # Stamps count milliseconds: two edits within one are concurrent (the device ids decide).
    time.sleep(0.005)
    # A edits the same field later, but syncs first and last: the edit time decides.
    a.update_person(replace(a.get_person(ana.id or 0), notes="A's words"))
    for s in (a, b, a):
        sync_folder(s, folder)
    for s in (a, b):
        got = s.get_person_by_uuid(ana.uuid)
        assert got is not None
        assert got.notes == "A's words"
        assert got.organization == "B org"  # other fields merge, they do not conflict
    assert content(a) == content(b)


def test_a_month_offline_loses_nothing(tmp_path: Path, folder: Path) -> None:
    a, b, c = journals(tmp_path, 3)
    for s in (a, b, c):
        sync_folder(s, folder)
    # C goes offline; A and B keep working and syncing, enough to compact.
    offline = c.add_person(Person(name="Written offline"))
    ana = a.add_person(Person(name="Ana"))
    for day in range(40):
        a.add_entry(
            Entry(date=date(2026, 1, 1 + day % 28), person_ids=[ana.id or 0], note=f"{day}")
        )
        sync_folder(a, folder)
        sync_folder(b, folder)
    sync_folder(a, folder, compact=True)
    # C has not read A's files: compaction retired none C still needs.
    sync_folder(c, folder)
    for s in (a, b, c, a, b):
        sync_folder(s, folder)
    assert c.count_entries() == 40
    assert a.get_person_by_uuid(offline.uuid) is not None
    assert content(a) == content(b) == content(c)


def test_compaction_retires_files_and_a_new_device_joins_from_the_snapshot(
    tmp_path: Path, folder: Path
) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))
    for day in range(5):
        a.add_entry(Entry(date=date(2026, 1, 1 + day), person_ids=[ana.id or 0]))
        sync_folder(a, folder)
        sync_folder(b, folder)
    sync_folder(a, folder)  # A learns that B has read everything
    report = sync_folder(a, folder, compact=True)
    assert report.compacted >= 5
    own = files.device_files(folder / files.ROOT / report.device)
    assert [f.kind for f in own] == [files.SNAPSHOT]
    c = Store.open(tmp_path / "new.ties")
    sync_folder(c, folder)
    assert content(c) == content(a)
    for s in (b, a, c):
        sync_folder(s, folder)
    assert content(a) == content(b) == content(c)


def test_compaction_waits_for_a_device_that_has_not_read_the_files(
    tmp_path: Path, folder: Path
) -> None:
    a, b = journals(tmp_path, 2)
    sync_folder(b, folder)
    a.add_person(Person(name="Ana"))
    report = sync_folder(a, folder, compact=True)
    own = files.device_files(folder / files.ROOT / report.device)
    assert report.compacted == 0 and [f.kind for f in own] == [files.CHANGES]


def test_a_clock_days_ahead_does_not_beat_an_edit_made_after_seeing_it(
    tmp_path: Path, folder: Path
) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))
    sync_folder(a, folder)
    sync_folder(b, folder)
    b_ana = b.get_person_by_uuid(ana.uuid)
    assert b_ana is not None
    import time
    from datetime import UTC, datetime

    ahead = int(time.time() * 1000) + 5 * DAY_MS
    # B's clock is five days ahead: its edit's time and its stamps say so.
    future = datetime.fromtimestamp(ahead / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    b.update_person(replace(b_ana, notes="from the fast clock", updated=future), touch=False)
    b_state = sync_folder(b, folder, now_ms=ahead)
    assert b_state.sent >= 1
    report = sync_folder(a, folder)
    assert any("days ahead" in p for p in report.problems)
    a.update_person(replace(a.get_person(ana.id or 0), notes="A, after seeing B's"))
    sync_folder(a, folder)
    sync_folder(b, folder, now_ms=ahead)
    got = b.get_person_by_uuid(ana.uuid)
    assert got is not None and got.notes == "A, after seeing B's"
    assert content(a) == content(b)


def test_a_clock_days_behind_still_wins_with_edits_made_after_syncing(
    tmp_path: Path, folder: Path
) -> None:
    import time

    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana", notes="first"))
    sync_folder(a, folder)
    behind = int(time.time() * 1000) - 5 * DAY_MS
    sync_folder(b, folder, now_ms=behind)
    b_ana = b.get_person_by_uuid(ana.uuid)
    assert b_ana is not None
    b.update_person(replace(b_ana, notes="B, days behind"))
    sync_folder(b, folder, now_ms=behind)
    sync_folder(a, folder)
    got = a.get_person(ana.id or 0)
    assert got.notes == "B, days behind"


def test_a_folder_that_holds_the_journal_is_refused(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "journal.ties")
    with pytest.raises(SyncError, match="inside the sync folder"):
        sync_folder(s, tmp_path)
    assert not (tmp_path / files.ROOT).exists()


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "journal.ties")
    with pytest.raises(SyncError, match="does not exist"):
        sync_folder(s, tmp_path / "nowhere")


def test_settings_and_vocabularies_sync(tmp_path: Path, folder: Path) -> None:
    from ties.model import Circle

    a, b = journals(tmp_path, 2)
    a.set_setting("cadence_days", {"5": 10})
    a.save_circle(Circle("neighbours", "Neighbours", 9))
    sync_folder(a, folder)
    sync_folder(b, folder)
    assert b.get_setting("cadence_days") == {"5": 10}
    assert "neighbours" in {c.key for c in b.circles()}
    b.delete_circle("neighbours")
    sync_folder(b, folder)
    sync_folder(a, folder)
    assert "neighbours" not in {c.key for c in a.circles(True)}


def test_an_unchanged_journal_writes_nothing(tmp_path: Path, folder: Path) -> None:
    (a,) = journals(tmp_path, 1)
    sync_folder(a, folder)
    report = sync_folder(a, folder)
    assert report.sent == 0 and report.file_written is None


def test_a_journal_put_back_from_an_older_copy_gets_its_later_changes_back(
    tmp_path: Path, folder: Path
) -> None:
    import shutil

    (a,) = journals(tmp_path, 1)
    a.add_person(Person(name="Ana"))
    sync_folder(a, folder)
    a.close()
    shutil.copy(tmp_path / "device0.ties", tmp_path / "older.ties")
    a = Store.open(tmp_path / "device0.ties")
    later = a.add_person(Person(name="Written later"))
    sync_folder(a, folder)
    a.close()
    shutil.copy(tmp_path / "older.ties", tmp_path / "device0.ties")  # a restore
    restored = Store.open(tmp_path / "device0.ties")
    assert restored.get_person_by_uuid(later.uuid) is None
    report = sync_folder(restored, folder)
    assert restored.get_person_by_uuid(later.uuid) is not None
    assert report.problems == []
    assert len({f.path.name for f in files.device_files(folder / files.ROOT / report.device)}) == 3


def test_a_new_device_does_not_undo_renamed_or_deleted_default_circles(
    tmp_path: Path, folder: Path
) -> None:
    from ties.model import Circle

    a, b = journals(tmp_path, 2)
    a.save_circle(Circle("work", "Job", 0))
    a.delete_circle("online")
    sync_folder(a, folder)
    sync_folder(b, folder)  # joins later, with the default circles of every new journal
    sync_folder(a, folder)
    for s in (a, b):
        circles = {c.key: c.label for c in s.circles(True)}
        assert circles["work"] == "Job" and "online" not in circles
    assert content(a) == content(b)
