"""The whole person in the store: details, dates, tags, photo, links and merging (issue #15)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ties.model import Address, Detail, Entry, ImportantDate, Person, check_partial_date
from ties.store import NotFoundError, PeopleFilter, Store, ValidationError

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 40


def _full(name: str = "Ana Ruiz", **kw: object) -> Person:
    values: dict[str, object] = {
        "emails": [Detail("work", "ana@work.example"), Detail("home", "Ana@Home.example")],
        "phones": [Detail("mobile", "+44 7700 900123"), Detail("other", "020 7946 0000")],
        "urls": [Detail("other", "https://ana.example")],
        "addresses": [
            Address("home", "1 Main St", "Leeds", "West Yorkshire", "LS1 1AA", "UK"),
            Address("work", locality="York"),
        ],
        "birthday": "1990-02-28",
        "dates": [
            ImportantDate("wedding", "2015-06-20"),
            ImportantDate("new job", "--09-01", False),
        ],
        "tags": ["climbing", "book club", "Kraków"],
        "extra": ["X-ABUID:12345", "IMPP:xmpp:ana@chat.example"],
    }
    values.update(kw)
    return Person(name, **values)  # type: ignore[arg-type]


def test_every_field_round_trips_in_order(store: Store) -> None:
    ana = store.add_person(_full())
    again = store.get_person(ana.id)  # type: ignore[arg-type]
    want = _full()
    for name in ("emails", "phones", "urls", "addresses", "birthday", "dates", "tags", "extra"):
        assert getattr(again, name) == getattr(want, name), name
    assert store.list_people()[0] == again
    assert store.get_person_by_uuid(ana.uuid) == again
    changed = store.update_person(
        replace(again, emails=[Detail("x", "new@example.org")], tags=[], birthday=None)
    )
    assert changed.emails == [Detail("x", "new@example.org")]
    assert changed.tags == [] and changed.birthday is None
    assert changed.phones == want.phones


def test_many_people_read_their_own_details(store: Store) -> None:
    """Past the by-id limit the store reads whole tables: each person still gets only theirs."""
    people = [store.add_person(Person(f"P{i:03}", tags=[f"t{i % 3}"])) for i in range(450)]
    listed = store.list_people()
    assert len(listed) == 450
    by_name = {p.name: p for p in listed}
    for p in people:
        assert by_name[p.name].tags == [f"t{int(p.name[1:]) % 3}"]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2026-02-30", False),
        ("--13-01", False),
        ("--02-29", True),
        ("2024-02-29", True),
        ("2023-02-29", False),
        ("1990-1-5", False),
        ("--00-10", False),
    ],
)
def test_birthdays_must_be_days_of_the_calendar(store: Store, text: str, ok: bool) -> None:
    if ok:
        assert store.add_person(Person("X", birthday=text)).birthday == text
        check_partial_date(text)
    else:
        with pytest.raises(ValidationError, match="Birthday"):
            store.add_person(Person("X", birthday=text))
        assert store.count_people(PeopleFilter(archived=None)) == 0


def test_empty_details_are_refused(store: Store) -> None:
    with pytest.raises(ValidationError):
        store.add_person(Person("X", emails=[Detail("home", "  ")]))
    with pytest.raises(ValidationError):
        store.add_person(Person("X", addresses=[Address("home")]))
    assert store.count_people() == 0


def test_tags_filter_count_and_collapse_ignoring_case(store: Store) -> None:
    store.add_person(Person("A", tags=["Climbing", "climbing ", "book  club"]))
    store.add_person(Person("B", tags=["CLIMBING"]))
    store.add_person(Person("C"))
    assert store.get_person(1).tags == ["Climbing", "book club"]
    assert store.tags() == [("book club", 1), ("Climbing", 2)]
    assert [p.name for p in store.list_people(PeopleFilter(tag="climbing"))] == ["A", "B"]
    assert store.count_people(PeopleFilter(tag="book club")) == 1
    assert store.list_people(PeopleFilter(tag="nobody")) == []


def test_search_finds_people_by_email_phone_and_tag(store: Store) -> None:
    ana = store.add_person(_full())
    for query in ("ana@work", "7946", "climbing", "krakow"):
        assert [h.id for h in store.search(query) if h.kind == "person"] == [ana.id], query
    store.update_person(replace(ana, tags=[], emails=[], phones=[]))
    assert store.search("climbing") == []
    assert store.integrity_problems() == []


def test_find_people_by_detail_ignores_case_and_phone_punctuation(store: Store) -> None:
    ana = store.add_person(_full())
    store.add_person(Person("Other", emails=[Detail("", "someone@else.example")]))
    assert [p.id for p in store.find_people_by_detail("email", "ANA@home.EXAMPLE")] == [ana.id]
    assert [p.id for p in store.find_people_by_detail("phone", "02079460000")] == [ana.id]
    assert store.find_people_by_detail("phone", "no digits") == []
    with pytest.raises(ValidationError):
        store.find_people_by_detail("fax", "1")


def test_photo_is_stored_replaced_and_removed(store: Store) -> None:
    ana = store.add_person(Person("Ana"))
    assert store.get_photo(ana.id) is None and not ana.has_photo  # type: ignore[arg-type]
    assert store.set_photo(ana.id, PNG) is None  # type: ignore[arg-type]
    assert store.get_person(ana.id).has_photo  # type: ignore[arg-type]
    assert store.set_photo(ana.id, JPEG) == PNG  # type: ignore[arg-type]
    assert store.get_photo(ana.id) == JPEG  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="JPEG or PNG"):
        store.set_photo(ana.id, b"GIF89a")  # type: ignore[arg-type]
    with pytest.raises(NotFoundError):
        store.set_photo(999, PNG)
    store.set_photo(ana.id, None)  # type: ignore[arg-type]
    assert not store.get_person(ana.id).has_photo  # type: ignore[arg-type]


def test_links_hold_both_ways_and_a_second_relation_replaces_the_first(store: Store) -> None:
    a, b, c = (store.add_person(Person(n)) for n in ("Ana", "Ben", "Cy"))
    assert a.id and b.id and c.id
    store.link(a.id, b.id, "friend")
    store.link(c.id, a.id, "introduced me to", directed=True, since=date(2020, 1, 2))
    assert [(x.other_name, x.relation) for x in store.links(a.id)] == [
        ("Ben", "friend"),
        ("Cy", "introduced me to"),
    ]
    from_a = store.links(a.id)[1]
    assert from_a.directed and from_a.incoming and from_a.since == date(2020, 1, 2)
    assert not store.links(c.id)[0].incoming
    old = store.link(b.id, a.id, "colleague")
    assert old is not None and old.relation == "friend"
    assert [x.relation for x in store.links(b.id)] == ["colleague"]
    assert store.linked_pairs() == {frozenset((a.id, b.id)), frozenset((a.id, c.id))}
    removed = store.unlink(a.id, c.id)
    assert removed is not None and store.unlink(a.id, c.id) is None
    store.restore_link(a.id, removed)
    assert store.links(c.id)[0] == replace(
        from_a, other_id=a.id, other_uuid=a.uuid, other_name="Ana", incoming=False
    )


def test_a_link_to_oneself_or_nobody_is_refused(store: Store) -> None:
    a = store.add_person(Person("Ana"))
    assert a.id
    with pytest.raises(ValidationError, match="themselves"):
        store.link(a.id, a.id, "friend")
    with pytest.raises(NotFoundError):
        store.link(a.id, 99, "friend")
    with pytest.raises(ValidationError):
        store.link(a.id, a.id + 1, "  ")
    assert store.links(a.id) == []


def test_deleting_a_person_removes_their_lists_and_undo_brings_them_back(store: Store) -> None:
    ana = store.add_person(_full())
    ben = store.add_person(Person("Ben"))
    assert ana.id and ben.id
    store.link(ana.id, ben.id, "partner")
    store.set_photo(ana.id, PNG)
    gone = store.delete_person(ana.id)
    tables = ("person_details", "person_tags", "person_links", "person_photos", "person_dates")
    for table in tables:
        assert store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    back = store.restore_person(gone)
    assert back == store.get_person(ana.id) and back.tags == _full().tags and back.has_photo
    assert [x.other_id for x in store.links(ana.id)] == [ben.id]


def _merge_case(store: Store) -> tuple[Person, Person, Person]:
    keep = store.add_person(
        Person("Ana Ruiz", emails=[Detail("work", "ana@work.example")], tags=["climbing"])
    )
    other = store.add_person(_full("Ana R.", organization="Acme", notes="met at the fair"))
    third = store.add_person(Person("Cy"))
    assert keep.id and other.id and third.id
    store.add_entry(Entry(date(2026, 1, 5), [other.id], direction="received", weight=2))
    store.add_entry(Entry(date(2026, 2, 5), [keep.id, other.id]))
    store.add_entry(Entry(date(2026, 3, 5), [third.id], on_behalf_of=other.id))
    store.link(other.id, third.id, "colleague")
    store.link(keep.id, other.id, "knows")
    store.set_photo(other.id, PNG)
    return store.get_person(keep.id), store.get_person(other.id), store.get_person(third.id)


def test_merge_moves_entries_details_dates_tags_links_and_photo(store: Store) -> None:
    keep, other, third = _merge_case(store)
    assert keep.id and other.id and third.id
    store.merge_people(keep.id, other.id)
    with pytest.raises(NotFoundError):
        store.get_person(other.id)
    merged = store.get_person(keep.id)
    assert [d.value for d in merged.emails] == [
        "ana@work.example",
        "Ana@Home.example",
    ]  # the shared e-mail collapsed
    assert merged.phones == other.phones and merged.dates == other.dates
    assert merged.tags == ["climbing", "book club", "Kraków"]
    assert merged.birthday == other.birthday and merged.organization == "Acme"
    assert "met at the fair" in merged.notes and merged.has_photo
    assert [e.person_ids for e in store.list_entries()] == [[third.id], [keep.id], [keep.id]]
    assert store.list_entries()[0].on_behalf_of == keep.id
    assert [(x.other_id, x.relation) for x in store.links(keep.id)] == [(third.id, "colleague")]
    assert merged.last_contact == date(2026, 2, 5)
    assert store.integrity_problems() == []


def test_undoing_a_merge_restores_both_people(store: Store) -> None:
    keep, other, third = _merge_case(store)
    assert keep.id and other.id and third.id
    entries_before = store.list_entries()
    links_before = {p.id: store.links(p.id) for p in (keep, other, third)}  # type: ignore[misc]
    record = store.merge_people(keep.id, other.id)
    store.unmerge_people(record)
    assert store.get_person(keep.id) == keep
    assert store.get_person(other.id) == other
    assert store.get_photo(other.id) == PNG and store.get_photo(keep.id) is None
    assert [(e.person_ids, e.on_behalf_of) for e in store.list_entries()] == [
        (e.person_ids, e.on_behalf_of) for e in entries_before
    ]
    assert {p.id: store.links(p.id) for p in (keep, other, third)} == links_before  # type: ignore[misc]
    assert store.integrity_problems() == []


def test_a_failed_merge_changes_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    keep, other, _third = _merge_case(store)
    assert keep.id and other.id
    from ties.store import people

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(people, "update_person", boom)
    with pytest.raises(RuntimeError):
        store.merge_people(keep.id, other.id)
    assert store.get_person(other.id) == other
    assert store.count_entries() == 3


def test_merging_a_person_into_themselves_is_refused(store: Store) -> None:
    a = store.add_person(Person("Ana"))
    assert a.id
    with pytest.raises(ValidationError, match="themselves"):
        store.merge_people(a.id, a.id)


def test_a_v4_journal_upgrades_to_people_with_empty_lists(tmp_path: Path) -> None:
    import shutil

    fixture = Path(__file__).parents[1] / "fixtures" / "journals" / "v4.ties"
    journal = tmp_path / "old.ties"
    shutil.copyfile(fixture, journal)
    with Store.open(journal) as store:
        assert store.schema_version >= 5
        people = store.list_people(PeopleFilter(archived=None))
        assert people and all(p.emails == [] and p.tags == [] for p in people)
        assert all(p.birthday is None and not p.has_photo for p in people)
        ana = next(p for p in people if p.name.startswith("Ana"))
        store.update_person(replace(ana, emails=[Detail("work", "zed@quux.example")]))
        assert [h.id for h in store.search("quux") if h.kind == "person"] == [ana.id]
        assert store.search("Kraków")
        assert store.integrity_problems() == []


def test_the_integrity_check_finds_a_pair_linked_both_ways(store: Store) -> None:
    a, b = store.add_person(Person("A")), store.add_person(Person("B"))
    assert a.id and b.id
    store.add_links([(a.id, b.id, "friend", False, None), (b.id, a.id, "knows", False, None)])
    assert store.integrity_problems() == ["1 pairs of people linked twice (both ways)"]


def test_entries_filtered_by_a_tag_of_their_people(store: Store) -> None:
    from ties.store import EntryFilter

    a = store.add_person(Person("A", tags=["Climbing"]))
    b = store.add_person(Person("B", tags=["chess"]))
    c = store.add_person(Person("C"))
    assert a.id and b.id and c.id
    first = store.add_entry(
        Entry(date(2026, 1, 1), [a.id, c.id], support_types=["expertise"], direction="received")
    )
    store.add_entry(Entry(date(2026, 1, 2), [b.id]))
    third = store.add_entry(Entry(date(2026, 1, 3), [a.id]))
    f = EntryFilter(tag="climbing")
    assert [e.id for e in store.list_entries(f)] == [third.id, first.id]
    assert store.count_entries(f) == 2
    assert store.count_entries(EntryFilter(tag="climbing", person_id=c.id)) == 1
    with_type = EntryFilter(tag="climbing", support_type="expertise")
    assert store.count_entries(with_type) == 1
    assert [e.id for e in store.list_entries(with_type)] == [first.id]
    assert [e.id for e in store.list_entries(EntryFilter(tag="climbing", person_id=a.id))] == [
        third.id,
        first.id,
    ]
    assert store.list_entries(EntryFilter(tag="golf")) == []
