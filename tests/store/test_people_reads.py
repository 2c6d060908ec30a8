"""The people list's few columns agree with the whole records, in the same order."""

from __future__ import annotations

from ties.model import Person
from ties.store import PeopleFilter, Store
from ties.store.people_reads import people_list_rows


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
