"""The demo journal shows the whole person (issue #15): details, birthdays, tags, links."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ties.analysis.today import today_items
from ties.demo import write_demo
from ties.store import PeopleFilter, Store

#: conftest's DEMO_TODAY, the day ``demo_store`` is built for.
DEMO_TODAY = date(2026, 6, 30)


def test_demo_people_have_details_tags_and_links(demo_store: Store) -> None:
    people = demo_store.list_people(PeopleFilter(archived=None))
    assert sum(bool(p.emails) for p in people) > len(people) // 3
    assert sum(bool(p.phones) for p in people) > len(people) // 4
    assert sum(p.birthday is not None for p in people) > len(people) // 5
    assert demo_store.tags() and demo_store.linked_pairs()
    assert all(e.value.endswith(".example") for p in people for e in p.emails)
    assert demo_store.integrity_problems() == []


def test_the_featured_people_have_a_date_this_week(demo_store: Store) -> None:
    dated = [i for i in today_items(demo_store, DEMO_TODAY) if i.group == "date"]
    titles = [i.title for i in dated]
    assert "Ana Ruiz's birthday" in titles
    assert "Ben Okafor: wedding anniversary" in titles


def test_the_details_are_deterministic(tmp_path: Path) -> None:
    def snapshot(path: Path) -> list[tuple]:
        with write_demo(path, people=40, entries=100, seed=5, today=DEMO_TODAY) as s:
            people = s.list_people(PeopleFilter(archived=None))
            return [
                (p.name, p.emails, p.phones, p.birthday, p.tags, p.dates) for p in people
            ] + sorted(tuple(sorted(x)) for x in s.linked_pairs())

    assert snapshot(tmp_path / "a.ties") == snapshot(tmp_path / "b.ties")


def test_the_featured_people_show_every_kind_of_detail(demo_store: Store) -> None:
    ana = demo_store.people_named("Ana Ruiz")[0]
    ben = demo_store.people_named("Ben Okafor")[0]
    assert ana.id is not None and ben.id is not None
    for p in (ana, ben):
        assert p.emails and p.tags and "climbing" in p.tags
    assert ben.id in {x.other_id for x in demo_store.links(ana.id)}
