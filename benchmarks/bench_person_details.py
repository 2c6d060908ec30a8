"""The whole person (issue #15): 10,000 people, each with 2 e-mails, 2 phones, an address,
a birthday and 3 tags. People list page, tag filter and person page each < 100 ms."""

from __future__ import annotations

import tempfile
from pathlib import Path

from harness import Row, info, median, runs, under

from ties.model import Address, Detail, Person
from ties.store import PeopleFilter, Store

AREA = "person details"
PEOPLE = 10_000
PAGE = 200  # the People list's page (ties.ui.models.people.PAGE_SIZE)
TAGS = [f"tag {i}" for i in range(30)]


def _people(n: int) -> list[Person]:
    return [
        Person(
            f"Person {i:05d}",
            id=i + 1,
            emails=[Detail("work", f"p{i}@work.example"), Detail("home", f"p{i}@home.example")],
            phones=[Detail("mobile", f"+44 7700 9{i:05d}"), Detail("work", f"020 7{i:06d}")],
            addresses=[Address("home", f"{i} Main St", "Leeds", "", "LS1 1AA", "UK")],
            birthday=f"19{50 + i % 50}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            tags=[TAGS[i % 30], TAGS[(i * 7 + 1) % 30], TAGS[(i * 11 + 2) % 30]],
        )
        for i in range(n)
    ]


def person_details(repeat: int) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "people.ties") as store:
        store.bulk_insert(_people(PEOPLE), [])
        tag = PeopleFilter(tag=TAGS[3])
        mid = PEOPLE // 2

        def page() -> object:
            return store.count_people(), store.list_people(limit=PAGE)

        def tag_page() -> object:
            return store.count_people(tag), store.list_people(tag, limit=PAGE)

        def person_page() -> object:
            return store.get_person(mid), store.links(mid), store.get_photo(mid)

        rows.append(
            under(AREA, f"People list: count + first {PAGE}", median(runs(page, repeat)), 100)
        )
        rows.append(
            under(AREA, "filter by tag: count + first page", median(runs(tag_page, repeat)), 100)
        )
        rows.append(
            under(
                AREA, "person page (person, links, photo)", median(runs(person_page, repeat)), 100
            )
        )
        rows.append(
            info(AREA, f"all {PEOPLE:,} people with details", median(runs(store.list_people, 3)))
        )
        rows.append(
            info(
                AREA,
                "find by e-mail (import matching)",
                median(
                    runs(lambda: store.find_people_by_detail("email", "P77@work.example"), repeat)
                ),
            )
        )
    return rows
