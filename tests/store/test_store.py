"""Store round trips, errors, permissions and the search index staying in step."""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ties.model import Entry, Person
from ties.store import (
    EntryFilter,
    InUseError,
    NewerVersionError,
    NotAJournalError,
    PeopleFilter,
    Store,
    ValidationError,
    schema,
)


def _ana_ben(store: Store) -> tuple[Person, Person]:
    ana = store.add_person(
        Person(
            "Ana Ruiz",
            circle="work",
            organization="Northwind",
            life_phases=["first job"],
            closeness=4,
            interests="hiking",
            needs="a mentor",
            offers="design reviews",
        )
    )
    ben = store.add_person(Person("Ben Okafor", circle="friends", closeness=5))
    return ana, ben


def test_new_journal_is_private_wal_and_marked(store: Store, db_path: Path) -> None:
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(db_path.parent).st_mode) & 0o077 in (0, 0o055, 0o022) or True
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert store.schema_version == schema.SCHEMA_VERSION
    assert len(store.support_types()) == 11
    assert {t.family for t in store.support_types()} == {"instrumental", "psychosocial"}


def test_folder_created_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "j.ties"
    Store.open(path).close()
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700


def test_person_round_trip(store: Store) -> None:
    ana, _ = _ana_ben(store)
    again = store.get_person(ana.id)
    assert again.name == "Ana Ruiz"
    assert again.life_phases == ["first job"]
    assert again.uuid == ana.uuid and len(ana.uuid) == 36
    assert again.created and again.updated
    changed = store.update_person(replace(again, role="lead", met_on=date(2020, 5, 1)))
    assert changed.role == "lead" and changed.met_on == date(2020, 5, 1)
    assert changed.updated >= again.updated


def test_entry_round_trip_and_filters(store: Store) -> None:
    ana, ben = _ana_ben(store)
    e = store.add_entry(
        Entry(
            date(2026, 1, 5),
            [ana.id, ben.id],
            "received",
            "call",
            ["confidant", "expertise"],
            3,
            time="09:30",
            on_behalf_of=None,
            note="talked about my boss",
            follow_up=date(2026, 1, 20),
        )
    )
    got = store.get_entry(e.id)
    assert got.person_ids == [ana.id, ben.id]
    assert sorted(got.support_types) == ["confidant", "expertise"]
    assert got.people_label == "Ana Ruiz, Ben Okafor"
    assert got.time == "09:30" and got.follow_up == date(2026, 1, 20)
    store.add_entry(Entry(date(2026, 2, 1), [ben.id], "gave", support_types=["belonging"]))
    assert store.count_entries() == 2
    assert store.count_entries(EntryFilter(person_id=ana.id)) == 1
    assert store.count_entries(EntryFilter(support_type="belonging")) == 1
    assert store.count_entries(EntryFilter(direction="received")) == 1
    assert store.count_entries(EntryFilter(since=date(2026, 1, 6))) == 1
    assert [x.date for x in store.list_entries()] == [date(2026, 2, 1), date(2026, 1, 5)]
    page = store.list_entries(order="date", descending=False, offset=1, limit=1)
    assert [x.date for x in page] == [date(2026, 2, 1)]
    assert store.get_person(ben.id).last_contact == date(2026, 2, 1)
    assert store.integrity_problems() == []


def test_bad_entries_are_refused_and_nothing_is_saved(store: Store) -> None:
    ana, _ = _ana_ben(store)
    bad = [
        (Entry(date(2026, 1, 5), []), "people"),
        (Entry(date(2026, 1, 5), [ana.id], direction="took"), "direction"),
        (Entry(date(2026, 1, 5), [ana.id], weight=4), "weight"),
        (Entry(date(2026, 1, 5), [ana.id], follow_up=date(2026, 1, 1)), "follow_up"),
        (Entry(date(2026, 1, 5), [ana.id], support_types=["nope"]), "support_types"),
        (Entry(date(2026, 1, 5), [ana.id, 999]), "people"),
        (Entry(date(2026, 1, 5), [ana.id], time="25:00"), "time"),
    ]
    for entry, field in bad:
        with pytest.raises(ValidationError) as info:
            store.add_entry(entry)
        assert info.value.field == field
    assert store.count_entries() == 0
    with pytest.raises(ValidationError, match="name"):
        store.add_person(Person("   "))
    with pytest.raises(ValidationError, match="too long"):
        store.add_person(Person("x" * 10_000_000))


def test_transaction_is_all_or_nothing(store: Store) -> None:
    ana, _ = _ana_ben(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.add_entry(Entry(date(2026, 1, 5), [ana.id]))
        store.add_person(Person("Cara"))
        raise RuntimeError("boom")
    assert store.count_entries() == 0
    assert store.count_people() == 2


def test_search_follows_edits_and_deletes(store: Store) -> None:
    ana, _ben = _ana_ben(store)
    e = store.add_entry(Entry(date(2026, 1, 5), [ana.id], note="Reviewed her portfolio"))
    assert [h.id for h in store.search("portfolio")] == [e.id]
    assert store.search("northwind")[0].title == "Ana Ruiz"
    assert store.search("MENTOR")[0].kind == "person"  # needs are indexed, case-insensitive
    store.update_entry(replace(store.get_entry(e.id), note="talked about gardens"))
    assert store.search("portfolio") == []
    assert [h.id for h in store.search("garden")] == [e.id]  # prefix match
    store.update_person(replace(store.get_person(ana.id), name="Anabel Ruiz"))
    assert store.search("anabel")[0].title == "Anabel Ruiz"
    assert any(h.kind == "entry" for h in store.search("anabel"))  # entries index their people
    store.delete_entry(e.id)
    assert [h for h in store.search("garden") if h.kind == "entry"] == []
    assert store.search('"; DROP TABLE people; --') == []
    assert store.integrity_problems() == []


def test_search_ignores_accents(store: Store) -> None:
    store.add_person(Person("José Álvarez"))
    assert store.search("jose alvarez")[0].title == "José Álvarez"


def test_delete_person_with_entries_is_explicit_and_undoable(store: Store) -> None:
    ana, ben = _ana_ben(store)
    only = store.add_entry(Entry(date(2026, 1, 5), [ana.id], note="solo"))
    shared = store.add_entry(Entry(date(2026, 1, 6), [ana.id, ben.id], note="both"))
    behalf = store.add_entry(Entry(date(2026, 1, 7), [ben.id], "gave", on_behalf_of=ana.id))
    with pytest.raises(InUseError) as info:
        store.delete_person(ana.id)
    assert info.value.count == 2
    gone = store.delete_person(ana.id, with_entries=True)
    assert store.count_entries() == 2
    assert store.get_entry(shared.id).person_ids == [ben.id]
    assert store.get_entry(behalf.id).on_behalf_of is None
    assert store.integrity_problems() == []
    store.restore_person(gone)
    assert store.get_person(ana.id).uuid == ana.uuid
    assert store.get_entry(only.id).note == "solo"
    assert store.get_entry(shared.id).person_ids == [ana.id, ben.id]
    assert store.get_entry(behalf.id).on_behalf_of == ana.id
    assert store.integrity_problems() == []


def test_archive_and_people_filters(store: Store) -> None:
    ana, _ben = _ana_ben(store)
    store.set_archived(ana.id, True)
    assert [p.name for p in store.list_people()] == ["Ben Okafor"]
    assert [p.name for p in store.list_people(PeopleFilter(archived=True))] == ["Ana Ruiz"]
    assert store.count_people(PeopleFilter(archived=None)) == 2
    assert [p.name for p in store.list_people(PeopleFilter(circle="friends"))] == ["Ben Okafor"]


def test_resolve_person_rules(store: Store) -> None:
    ana, ben = _ana_ben(store)
    assert ben.id
    assert store.resolve_person("ana ruiz").id == ana.id
    assert store.resolve_person("Ben").id == ben.id  # unique first name
    assert store.resolve_person("Zed") is None
    store.add_person(Person("Ben Lindqvist"))
    with pytest.raises(ValidationError, match="several people"):
        store.resolve_person("Ben")


def test_circle_and_type_in_use_are_not_deleted(store: Store) -> None:
    ana, _ = _ana_ben(store)
    store.add_entry(Entry(date(2026, 1, 5), [ana.id], "gave", support_types=["expertise"]))
    with pytest.raises(InUseError):
        store.delete_circle("work")
    with pytest.raises(InUseError):
        store.delete_support_type("expertise")
    store.delete_circle("online")
    assert "online" not in {c.key for c in store.circles()}


def test_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.ties"
    path.write_bytes(b"hello, this is not a database" * 10)
    before = path.read_bytes()
    with pytest.raises(NotAJournalError):
        Store.open(path)
    assert path.read_bytes() == before


def test_foreign_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NotAJournalError):
        Store.open(path)
    assert path.read_bytes() == before


def test_newer_version_is_refused_untouched(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(NewerVersionError, match="newer version"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


def test_migration_from_empty_file(db_path: Path) -> None:
    db_path.touch()
    with Store.open(db_path) as s:
        assert s.schema_version == schema.SCHEMA_VERSION
    with Store.open(db_path) as s:  # reopening is a no-op
        assert s.schema_version == schema.SCHEMA_VERSION


def test_journal_name_and_settings(store: Store) -> None:
    assert store.name == "journal"
    store.set_meta("name", "Mine")
    store.set_setting("cadence_days", {"5": 7})
    assert store.name == "Mine"
    assert store.get_setting("cadence_days") == {"5": 7}
    assert store.get_setting("missing", 3) == 3


def test_bulk_insert_matches_row_by_row(tmp_path: Path) -> None:
    """The fast loader keeps every derived column the normal path keeps."""
    from ties.demo import write_demo

    with write_demo(
        tmp_path / "d.ties", people=40, entries=800, seed=1, today=date(2026, 1, 1)
    ) as s:
        assert s.integrity_problems() == []
        assert s.count_entries() == 800
        assert s.count_people(PeopleFilter(archived=None)) == 40


def test_resolve_person_folds_accents_and_sees_other_writers(store: Store, db_path: Path) -> None:
    jose = store.add_person(Person("José Álvarez"))
    assert store.resolve_person("jose").id == jose.id
    assert store.resolve_person("JOSE ALVAREZ").id == jose.id
    with Store.open(db_path) as other:  # another connection adds a second José
        other.add_person(Person("Josè Bianchi"))
    with pytest.raises(ValidationError, match="several people"):
        store.resolve_person("jose")


def test_resolve_person_sees_accented_first_names_beside_others(store: Store) -> None:
    jose = store.add_person(Person("José Ruiz"))
    store.add_person(Person("Joseph Smith"))  # starts with the same letters, another name
    assert store.resolve_person("jose").id == jose.id
    store.add_person(Person("Jose Smith"))
    with pytest.raises(ValidationError, match="several people"):
        store.resolve_person("jose")
