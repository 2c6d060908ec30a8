"""A person's details, tags, dates, kept vCard lines, photo and links travel with the sync
(issue #15's person data), and an unlink or a deleted person takes the link away everywhere."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ties.app.sync import sync_folder
from ties.model import Address, Detail, ImportantDate, Person
from ties.store import Store

from .helpers import content, journals

PNG = b"\x89PNG\r\n\x1a\n" + b"pixels"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    f = tmp_path / "folder"
    f.mkdir()
    return f


def _full_person() -> Person:
    return Person(
        name="Ana",
        emails=[Detail("work", "ana@example.org")],
        phones=[Detail("mobile", "+49 170 1234567")],
        urls=[Detail("home", "https://ana.example.org")],
        addresses=[Address("home", "Hauptstr. 1", "Kraków", "", "30-001", "Poland")],
        birthday="--04-12",
        dates=[ImportantDate("met", "2019-05-02", False)],
        tags=["climbing", "school"],
        extra=["X-SOCIALPROFILE:ana"],
    )


def _sync(*stores: Store, folder: Path) -> None:
    for s in stores:
        sync_folder(s, folder)


def test_details_photo_and_links_reach_the_other_device(tmp_path: Path, folder: Path) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(_full_person())
    bo = a.add_person(Person(name="Bo"))
    a.set_photo(ana.id or 0, PNG)
    a.link(ana.id or 0, bo.id or 0, "introduced me to", True, date(2020, 1, 1))
    _sync(a, b, folder=folder)
    got = b.get_person_by_uuid(ana.uuid)
    assert got is not None and got.id is not None
    assert got.emails == ana.emails and got.addresses == ana.addresses
    assert got.birthday == "--04-12" and got.dates == ana.dates
    assert got.tags == ["climbing", "school"] and got.extra == ["X-SOCIALPROFILE:ana"]
    assert b.get_photo(got.id) == PNG
    (link,) = b.links(got.id)
    assert (link.other_uuid, link.relation, link.directed) == (bo.uuid, "introduced me to", True)
    assert not link.incoming and link.since == date(2020, 1, 1)
    assert content(a) == content(b)


def test_unlink_photo_removal_and_a_deleted_person_travel(tmp_path: Path, folder: Path) -> None:
    a, b = journals(tmp_path, 2)
    ana = a.add_person(_full_person())
    bo = a.add_person(Person(name="Bo"))
    cy = a.add_person(Person(name="Cy"))
    a.set_photo(ana.id or 0, PNG)
    a.link(ana.id or 0, bo.id or 0, "friend")
    a.link(ana.id or 0, cy.id or 0, "colleague")
    _sync(a, b, folder=folder)
    b_ana = b.get_person_by_uuid(ana.uuid)
    b_bo = b.get_person_by_uuid(bo.uuid)
    assert b_ana is not None and b_bo is not None
    b.unlink(b_ana.id or 0, b_bo.id or 0)
    b.set_photo(b_ana.id or 0, None)
    a.delete_person(cy.id or 0)  # its link goes with it, on every device
    _sync(b, a, b, folder=folder)
    assert a.links(ana.id or 0) == [] and b.links(b_ana.id or 0) == []
    assert a.get_photo(ana.id or 0) is None
    assert b.get_person_by_uuid(cy.uuid) is None
    assert content(a) == content(b)


def test_lists_edited_on_two_devices_each_keep_their_edit(tmp_path: Path, folder: Path) -> None:
    """Each list is one field: tags from one device and e-mails from the other both stay."""
    a, b = journals(tmp_path, 2)
    ana = a.add_person(_full_person())
    _sync(a, b, folder=folder)
    b_ana = b.get_person_by_uuid(ana.uuid)
    assert b_ana is not None
    b.update_person(replace(b_ana, emails=[Detail("home", "ana@home.example")]))
    a.update_person(replace(a.get_person(ana.id or 0), tags=["Berlin"]))
    _sync(a, b, a, folder=folder)
    for s in (a, b):
        got = s.get_person_by_uuid(ana.uuid)
        assert got is not None
        assert got.tags == ["Berlin"] and got.emails == [Detail("home", "ana@home.example")]
    assert content(a) == content(b)


def test_a_link_to_a_person_not_yet_arrived_waits_for_them(tmp_path: Path, folder: Path) -> None:
    """A link read before its person (whose file is still on its way) is written once the
    person arrives."""
    from ties.app.sync_journal import JournalRows
    from ties.store.sync_state import SyncState
    from ties.sync import rows
    from ties.sync.hlc import Clock

    a, b = journals(tmp_path, 2)
    ana = a.add_person(Person(name="Ana"))
    _sync(a, b, folder=folder)
    b_ana = b.get_person_by_uuid(ana.uuid)
    assert b_ana is not None
    state = SyncState(b)
    journal = JournalRows(b, state)
    clock = Clock("f" * 12)
    newcomer = Person(name="Cy")
    key = rows.link_key(ana.uuid, newcomer.uuid)
    link = rows.link_fields(ana.uuid, newcomer.uuid, "friend", False, None)
    with b.transaction():
        state.merge("link", key, link, clock.tick(), {})
        state.flush()
        journal.apply({("link", key)})
    assert b.links(b_ana.id or 0) == []
    assert ("link", key) in state.waiting()
    with b.transaction():
        state.merge("person", newcomer.uuid, rows.person_fields(newcomer), clock.tick(), {})
        state.flush()
        journal.apply({("person", newcomer.uuid)})
    (got,) = b.links(b_ana.id or 0)
    assert got.other_uuid == newcomer.uuid and ("link", key) not in state.waiting()
