"""The people list sorts by the folded name (case and accents ignored), as search does."""

from __future__ import annotations

from ties.model import Person
from ties.store import PeopleFilter
from ties.store.search import fold


def _add(store, *names: str) -> None:
    for name in names:
        store.add_person(Person(name=name))


def test_accented_and_lower_case_names_sort_among_the_others(store):
    _add(
        store, "Zoe Ruiz", "Émile Dubois", "dmitri Lind", "Esther Bianchi", "Ängel Ortiz", "Ana Li"
    )
    names = [p.name for p in store.list_people()]
    assert names == [
        "Ana Li",
        "Ängel Ortiz",
        "dmitri Lind",
        "Émile Dubois",
        "Esther Bianchi",
        "Zoe Ruiz",
    ]
    assert [p.name for p in store.list_people(descending=True)] == names[::-1]


def test_pages_follow_the_same_order_and_ties_are_stable(store):
    _add(
        store,
        *[f"{first} {n}" for n in range(7) for first in ("Élodie", "Elodie", "ELODIE", "eve")],
    )
    whole = [p.id for p in store.list_people()]
    pages = [p.id for k in range(0, 28, 5) for p in store.list_people(offset=k, limit=5)]
    assert pages == whole
    folded = [fold(p.name) for p in store.list_people()]
    assert folded == sorted(folded)


def test_other_sorts_break_ties_by_folded_name(store):
    for name in ("Zoe", "Émile", "Bo"):
        store.add_person(Person(name=name, circle="work"))
    assert [p.name for p in store.list_people(PeopleFilter(circle="work"), order="circle")] == [
        "Bo",
        "Émile",
        "Zoe",
    ]


def test_entry_split_counts_entries_naming_only_them_and_shared_ones(store):
    from datetime import date

    from ties.model import Entry

    ana = store.add_person(Person(name="Ana"))
    ben = store.add_person(Person(name="Ben"))
    for ids in ([ana.id], [ana.id], [ana.id, ben.id], [ben.id]):
        store.add_entry(Entry(date=date(2026, 6, 1), person_ids=ids))
    assert store.person_entry_split(ana.id) == (2, 1)
    assert store.person_entry_split(ben.id) == (1, 1)
    gone = store.delete_person(ana.id, with_entries=True)
    assert (len(gone.entries), len(gone.shared)) == (2, 1)
    assert store.person_entry_split(ben.id) == (2, 0)
