"""The people list's few columns agree with the whole records, in the same order."""

from __future__ import annotations

from ties.model import Person
from ties.store import PeopleFilter, Store
from ties.store.people_reads import people_list_rows, read_every_person


def test_the_list_rows_are_the_people_list_people_gives(store: Store) -> None:
    for name, circle in [("Émile", "friends"), ("zoe", "family"), ("Dmitri", "friends")]:
        store.add_person(Person(name=name, circle=circle, organization="Acme", role="r"))
    gone = store.add_person(Person(name="Archie"))
    assert gone.id
    store.set_archived(gone.id, True)
    for filt in (PeopleFilter(), PeopleFilter(circle="friends"), PeopleFilter(archived=True)):
        expected = [
            (p.name, p.circle, p.closeness, p.organization, p.role,
             p.last_contact.isoformat() if p.last_contact else None)
            for p in store.list_people(filt)
        ]  # fmt: skip
        assert people_list_rows(store, filt) == expected
    assert [r[0] for r in people_list_rows(store)] == ["Dmitri", "Émile", "zoe"]


def test_reading_every_person_meets_a_damaged_page_of_the_people_table(db_path) -> None:
    import sqlite3

    import pytest

    with Store.open(db_path) as store:
        for i in range(300):
            store.add_person(Person(name=f"Person {i}", notes="x" * 100))
        assert read_every_person(store) == 300
    conn = sqlite3.connect(db_path)
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = 'people'")]
    conn.close()
    data = bytearray(db_path.read_bytes())
    leaf = pages[len(pages) // 2]
    data[(leaf - 1) * 4096 + 8 : leaf * 4096] = b"\xa5" * (4096 - 8)
    db_path.write_bytes(bytes(data))
    with Store.open(db_path) as store, pytest.raises(sqlite3.DatabaseError):
        read_every_person(store)
