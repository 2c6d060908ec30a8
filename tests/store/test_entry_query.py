"""The fast entry-list paths give exactly the rows the plain query gives, in the same order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ties.store import EntryFilter, Store
from ties.store.entry_query import REVERSE_FROM, reversed_page, walk_is_cheaper

FILTERS = [
    EntryFilter(),
    EntryFilter(support_type="expertise"),
    EntryFilter(support_type="confidant"),
    EntryFilter(person_id=1),
    EntryFilter(person_id=1, support_type="opportunities"),
    EntryFilter(person_id=1, direction="gave", since=date(2024, 1, 1)),
    EntryFilter(direction="received", kind="call"),
    EntryFilter(since=date(2025, 1, 1), until=date(2025, 12, 31), support_type="belonging"),
]


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Big enough that pages past ``REVERSE_FROM`` exist for several filters."""
    from ties.demo import write_demo

    path = Path(tmp_path_factory.mktemp("eq")) / "eq.ties"
    s = write_demo(path, people=40, entries=6000, seed=11, today=date(2026, 6, 30))
    yield s
    s.close()


def _reference(store: Store, f: EntryFilter, order: str, descending: bool) -> list[int]:
    """Every matching id in display order, by the plainest query there is."""
    ids = [e.id for e in store.list_entries(f, order=order, descending=descending, limit=None)]
    d = "DESC" if descending else "ASC"
    keys = {
        "date": f"date {d}, id {d}",
        "person": f"people_key {d}, date {d}, id {d}",
        "note": f"note COLLATE NOCASE {d}, date {d}, id {d}",
    }[order]
    marks = ",".join("?" * len(ids))
    plain = [
        r[0]
        for r in store.conn.execute(
            f"SELECT id FROM entries WHERE id IN ({marks}) ORDER BY {keys}", ids
        )
    ]
    assert plain == ids
    return ids


@pytest.mark.parametrize("f", FILTERS, ids=repr)
@pytest.mark.parametrize("order", ["date", "person"])
@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("limit", [700, 20])  # small pages make walking the date index pay
def test_pages_join_up_to_the_whole_list(
    journal: Store, f: EntryFilter, order: str, descending: bool, limit: int
) -> None:
    want = _reference(journal, f, order, descending)
    assert want, "a filter that matches nothing tests nothing"
    total = journal.count_entries(f)
    assert total == len(want)
    assert journal.entry_ids(f, order=order, descending=descending) == want
    got: list[int] = []
    for offset in range(0, total, limit):
        known = total if offset % 2 else None  # both with and without the caller's total
        page = journal.list_entries(
            f, order=order, descending=descending, offset=offset, limit=limit, total=known
        )
        got.extend(e.id for e in page)
    assert got == want


def test_a_page_past_the_end_is_empty(journal: Store) -> None:
    total = journal.count_entries()
    assert journal.list_entries(offset=total, total=total) == []
    assert journal.list_entries(offset=total + 5000) == []


def test_the_last_partial_page_read_backwards(journal: Store) -> None:
    total = journal.count_entries()
    assert total > 2 * REVERSE_FROM
    tail = journal.list_entries(offset=total - 7, limit=200, total=total)
    assert [e.id for e in tail] == journal.entry_ids()[-7:]


def test_count_with_each_shortcut_agrees_with_counting_rows(journal: Store) -> None:
    for f in [*FILTERS, EntryFilter(person_id=2, since=date(2025, 1, 1))]:
        assert journal.count_entries(f) == len(journal.list_entries(f, limit=None))


def test_reversed_page_is_only_used_past_the_middle() -> None:
    assert reversed_page(100_000, 0, 200) is None
    assert reversed_page(100_000, 40_000, 200) is None
    assert reversed_page(100_000, 99_800, 200) == (0, 200)
    assert reversed_page(100_000, 99_900, 200) == (0, 100)
    assert reversed_page(100_000, 60_000, 200) == (39_800, 200)
    assert reversed_page(100_000, 100_000, 200) is None


def test_walking_wins_near_the_ends_of_a_common_type_only() -> None:
    assert walk_is_cheaper(46_000, 1_000_000, 0, 200)
    assert walk_is_cheaper(46_000, 1_000_000, 45_800, 200)
    assert not walk_is_cheaper(46_000, 1_000_000, 23_000, 200)
    assert not walk_is_cheaper(300, 1_000_000, 0, 200)
    assert not walk_is_cheaper(0, 1_000_000, 0, 200)


def _real_count(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM entries").fetchone()[0])


def test_the_kept_total_follows_this_stores_writes_and_rollbacks(store: Store) -> None:
    from ties.model import Entry, Person

    ana = store.add_person(Person(name="Ana"))
    assert ana.id is not None
    assert store.count_entries() == 0
    first = store.add_entry(Entry(date=date(2026, 1, 1), person_ids=[ana.id]))
    store.add_entry(Entry(date=date(2026, 1, 2), person_ids=[ana.id]))
    assert store.count_entries() == _real_count(store) == 2
    with pytest.raises(RuntimeError), store.transaction():
        store.add_entry(Entry(date=date(2026, 1, 3), person_ids=[ana.id]))
        raise RuntimeError("the whole change is rolled back")
    assert store.count_entries() == _real_count(store) == 2
    assert first.id is not None
    store.delete_entry(first.id)
    assert store.count_entries() == _real_count(store) == 1
    store.delete_person(ana.id, with_entries=True)
    assert store.count_entries() == _real_count(store) == 0


def test_the_kept_total_sees_another_connections_writes(store: Store) -> None:
    from ties.model import Entry, Person

    ana = store.add_person(Person(name="Ana"))
    assert ana.id is not None
    assert store.count_entries() == 0
    with Store.open(store.path) as other:
        other.add_entry(Entry(date=date(2026, 1, 1), person_ids=[ana.id]))
    assert store.count_entries() == _real_count(store) == 1


def test_middle_pages_from_the_kept_id_order_follow_edits(
    journal: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ties.model import Entry
    from ties.store import entry_query

    monkeypatch.setattr(entry_query, "SORTED_IDS_FROM", 0)
    f = EntryFilter(support_type="expertise")
    want = _reference(journal, f, "date", True)
    got: list[int] = []
    for offset in range(0, len(want), 50):
        got.extend(e.id for e in journal.list_entries(f, offset=offset, limit=50))
    assert got == want
    new = journal.add_entry(
        Entry(date=date(2030, 1, 1), person_ids=[1], direction="gave", support_types=["expertise"])
    )
    try:
        assert journal.list_entries(f, offset=0, limit=50)[0].id == new.id
    finally:
        assert new.id is not None
        journal.delete_entry(new.id)
    assert [e.id for e in journal.list_entries(f, offset=0, limit=50)] == want[:50]


@pytest.mark.parametrize("descending", [True, False])
def test_a_support_types_ids_by_date_from_the_per_person_index_are_the_lists_order(
    journal: Store, descending: bool
) -> None:
    """Entries of several people (a row each in that index) count once, ties by id."""
    from ties.store.entries import entry_ids, type_ids_by_date

    several = journal.conn.execute(
        "SELECT count(*) FROM (SELECT entry_id FROM entry_people GROUP BY entry_id "
        "HAVING count(*) > 1)"
    ).fetchone()[0]
    assert several > 0
    for t in journal.support_types():
        f = EntryFilter(support_type=t.key)
        want = entry_ids(journal, f, order="date", descending=descending)
        assert type_ids_by_date(journal, t.key, descending) == want, t.key


def test_sorting_by_people_ignores_accents_and_case(store: Store) -> None:
    """Issue #17 item 12: "Émile" sorts among the E's, not after Z (schema v8's key)."""
    from ties.model import Entry, Person

    for name in ("Zoe Kim", "Émile Ortiz", "eva Lund", "Ana Ruiz"):
        pid = store.add_person(Person(name=name)).id
        store.add_entry(Entry(date=date(2026, 1, 1), person_ids=[pid]))
    labels = [
        e.people_label for e in store.list_entries(EntryFilter(), order="person", descending=False)
    ]
    assert labels == ["Ana Ruiz", "Émile Ortiz", "eva Lund", "Zoe Kim"]
    (renamed,) = store.people_named("Zoe Kim")
    renamed.name = "Ében Kim"
    store.update_person(renamed)  # a rename moves the entry with the new key
    labels = [
        e.people_label for e in store.list_entries(EntryFilter(), order="person", descending=False)
    ]
    assert labels == ["Ana Ruiz", "Ében Kim", "Émile Ortiz", "eva Lund"]
