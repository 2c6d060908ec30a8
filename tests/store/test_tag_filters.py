"""Tag filters outside People (issue #15): entries of tagged people, ids of tagged people."""

from __future__ import annotations

from datetime import date

from ties.model import Entry, Person
from ties.store import EntryFilter, Store


def _journal(store: Store) -> tuple[int, int, int]:
    ana = store.add_person(Person(name="Ana Ruiz", tags=["Climbing"])).id
    ben = store.add_person(Person(name="Ben Okafor", tags=["book club"])).id
    cleo = store.add_person(Person(name="Cleo Park")).id
    assert ana and ben and cleo
    store.add_entry(Entry(date=date(2026, 6, 1), person_ids=[ana], note="a"))
    store.add_entry(Entry(date=date(2026, 6, 2), person_ids=[ben, ana], note="ab"))
    store.add_entry(Entry(date=date(2026, 6, 3), person_ids=[cleo], note="c"))
    store.add_entry(Entry(date=date(2026, 6, 4), person_ids=[ben], note="b", direction="gave"))
    return ana, ben, cleo


def _notes(store: Store, f: EntryFilter) -> list[str]:
    return sorted(e.note for e in store.list_entries(f, limit=None))


def test_entries_of_people_with_a_tag(store: Store) -> None:
    ana, ben, _cleo = _journal(store)
    assert _notes(store, EntryFilter(tag="climbing")) == ["a", "ab"]
    assert _notes(store, EntryFilter(tag="book  club")) == ["ab", "b"]
    assert _notes(store, EntryFilter(tag="nobody has it")) == []
    both = EntryFilter(tag="book club", direction="gave")
    assert _notes(store, both) == ["b"]
    by_person = EntryFilter(person_id=ana, tag="book club")
    assert _notes(store, by_person) == ["ab"]
    for f in (EntryFilter(tag="climbing"), by_person, both):
        assert store.count_entries(f) == len(_notes(store, f))
        assert len(store.list_entries(f, limit=10)) == store.count_entries(f)
    assert store.count_entries(EntryFilter(person_id=ben, tag="climbing")) == 1


def test_ids_of_tagged_people_ignore_case(store: Store) -> None:
    ana, ben, _cleo = _journal(store)
    assert store.tagged_ids("CLIMBING") == {ana}
    assert store.tagged_ids("book club") == {ben}
    assert store.tagged_ids("none") == set()
