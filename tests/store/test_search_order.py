"""Search as you type: notes newest first, one-letter words left to the people search."""

from __future__ import annotations

from datetime import date

from ties.model import Entry, Person
from ties.store import Store


def _journal(store: Store) -> tuple[Person, list[Entry]]:
    rosa = store.add_person(Person(name="Rosa Ruiz"))
    assert rosa.id is not None
    entries = [
        store.add_entry(Entry(date=date(2026, 1, day), person_ids=[rosa.id], note=f"roses {day}"))
        for day in (3, 1, 2)
    ]
    return rosa, entries


def test_notes_come_newest_saved_first(store: Store) -> None:
    _, entries = _journal(store)
    hits = [h.id for h in store.search("roses") if h.kind == "entry"]
    assert hits == [e.id for e in reversed(entries)]


def test_one_letter_finds_people_only(store: Store) -> None:
    rosa, _ = _journal(store)
    hits = store.search("r")
    assert [(h.kind, h.id) for h in hits] == [("person", rosa.id)]


def test_a_one_letter_word_being_typed_does_not_narrow_the_notes(store: Store) -> None:
    _, entries = _journal(store)
    notes = [h.id for h in store.search("roses z") if h.kind == "entry"]
    assert sorted(notes) == sorted(e.id for e in entries)
    assert [h for h in store.search("roses zz") if h.kind == "entry"] == []


def test_a_name_outranks_the_same_word_in_a_role(store: Store) -> None:
    analysts = [
        store.add_person(Person(name=f"Person {i}", role="Analyst", notes="analysis and more"))
        for i in range(12)
    ]
    ana = store.add_person(Person(name="Ana Ruiz", role="Engineer"))
    people = [h.id for h in store.search("ana") if h.kind == "person"]
    assert people[0] == ana.id
    assert set(people[1:]) == {p.id for p in analysts}
