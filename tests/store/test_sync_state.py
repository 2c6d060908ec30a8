"""The sync's own store module: many entries at once, and the dirty-row triggers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ties.model import Entry, Person
from ties.store import Store, ValidationError
from ties.store.sync_state import SelfRow, SyncState


def _people(store: Store) -> list[int]:
    return [
        store.add_person(
            Person(
                name=n,
                uuid=f"00000000-0000-0000-0000-00000000000{i}",
                created="2026-01-01T00:00:00.000000Z",
                updated="2026-01-01T00:00:00.000000Z",
            )
        ).id
        or 0
        for i, n in enumerate(("Ana Ruiz", "Bo Berg"))
    ]


def _entries(ids: list[int]) -> list[Entry]:
    return [
        Entry(
            date=date(2026, 1, 1 + i),
            person_ids=ids if i % 2 else ids[:1],
            note=f"lunch number {i}",
            support_types=["expertise", "confidant"] if i % 3 else [],
            on_behalf_of=ids[1] if i == 4 else None,
            uuid=f"10000000-0000-0000-0000-00000000000{i}",
            created="2026-01-01T00:00:00.000000Z",
            updated="2026-01-01T00:00:00.000000Z",
        )
        for i in range(6)
    ]


def test_add_entries_writes_what_add_entry_writes(tmp_path: Path) -> None:
    from tests.sync.helpers import content

    one = Store.open(tmp_path / "one.ties")
    many = Store.open(tmp_path / "many.ties")
    for e in _entries(_people(one)):
        one.add_entry(e)
    saved = SyncState(many).add_entries(_entries(_people(many)))
    assert [e.note for e in saved] == [f"lunch number {i}" for i in range(6)]
    assert content(one) == content(many)
    assert many.count_entries() == 6
    for s in (one, many):
        hits = s.search("lunch")
        assert len([h for h in hits if h.kind == "entry"]) == 6
    assert [e.people_label for e in many.list_entries()] == [
        e.people_label for e in one.list_entries()
    ]


def test_add_entries_refuses_invalid_entries_and_writes_none(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "j.ties")
    entries = _entries(_people(s))
    entries[3].weight = 7
    with pytest.raises(ValidationError):
        SyncState(s).add_entries(entries)
    assert s.count_entries() == 0


def test_written_rows_are_noted_only_once_the_journal_has_synced(tmp_path: Path) -> None:
    s = Store.open(tmp_path / "j.ties")
    state = SyncState(s)
    s.add_person(Person(name="Ana"))
    assert state.dirty() == []
    with s.transaction():
        state.set_self(SelfRow("abcdef123456", "here", "", 0))
    p = s.add_person(Person(name="Bo"))
    s.add_entry(Entry(date=date(2026, 1, 1), person_ids=[p.id or 0]))
    s.set_setting("cadence_days", {"5": 7})
    kinds = sorted(kind for kind, _key in state.dirty())
    assert kinds == ["entry", "person", "setting"]


def test_writing_a_noted_row_again_with_an_upsert_is_fine(tmp_path: Path) -> None:
    """``set_setting`` and ``save_circle`` are upserts: inside a trigger their conflict
    policy would turn a second note of the row into a UNIQUE error."""
    from ties.model import Circle

    s = Store.open(tmp_path / "j.ties")
    state = SyncState(s)
    with s.transaction():
        state.set_self(SelfRow("abcdef123456", "here", "", 0))
    for days in (7, 8):
        s.set_setting("cadence_days", {"5": days})
    for label in ("Job", "Work again"):
        s.save_circle(Circle("work", label, 0))
    assert sorted(state.dirty()) == [("circle", "work"), ("setting", "cadence_days")]


def test_triggers_note_person_details_photos_and_links(tmp_path: Path) -> None:
    """A write to a person's lists, photo or links alone notes the person (or the link);
    a deleted person's links are noted before the cascade takes them."""
    from dataclasses import replace

    s = Store.open(tmp_path / "j.ties")
    ana, bo = _people(s)
    state = SyncState(s)
    with s.transaction():
        state.set_self(SelfRow("abcdef123456", "here", "", 0))
    uuid = {ana: s.get_person(ana).uuid, bo: s.get_person(bo).uuid}
    link_key = " ".join(sorted(uuid.values()))
    s.update_person(replace(s.get_person(ana), tags=["climbing"]), touch=False)
    s.set_photo(bo, b"\x89PNG\r\n\x1a\n")
    assert sorted(state.dirty()) == sorted([("person", uuid[ana]), ("person", uuid[bo])])
    with s.transaction():
        state.clear_dirty()
    s.link(ana, bo, "friend")
    assert state.dirty() == [("link", link_key)]
    with s.transaction():
        state.clear_dirty()
    s.delete_person(bo)
    assert sorted(state.dirty()) == sorted([("link", link_key), ("person", uuid[bo])])
    s.close()
