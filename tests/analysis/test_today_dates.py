"""Birthdays and important dates in the Today list (issue #15): group "date"."""

from __future__ import annotations

from datetime import date

import pytest

from ties.analysis.today import (
    date_items,
    month_days_ahead,
    next_occurrence,
    today_items,
)
from ties.model import ImportantDate, Person
from ties.store import Store
from ties.store.today_reads import DateRow


def _row(label: str, day: str, yearly: bool = True, name: str = "Ana", closeness: int = 3):
    return DateRow(1, name, "u-" + name, closeness, label, day, yearly)


@pytest.mark.parametrize(
    ("text", "yearly", "as_of", "expected"),
    [
        ("--12-09", True, date(2026, 12, 7), date(2026, 12, 9)),
        ("1980-01-02", True, date(2026, 12, 30), date(2027, 1, 2)),
        ("--02-29", True, date(2026, 2, 27), date(2026, 2, 28)),
        ("--02-29", True, date(2028, 2, 27), date(2028, 2, 29)),
        ("2027-03-01", True, date(2026, 3, 1), date(2027, 3, 1)),  # not before its own year
        ("2026-05-01", False, date(2026, 4, 30), date(2026, 5, 1)),
        ("2026-05-01", False, date(2026, 5, 2), None),
        ("--05-01", False, date(2026, 4, 30), None),
    ],
)
def test_next_occurrence(text: str, yearly: bool, as_of: date, expected: date | None) -> None:
    assert next_occurrence(text, yearly, as_of) == expected


def test_month_days_ahead_wraps_the_year_and_keeps_leap_days() -> None:
    assert month_days_ahead(date(2026, 12, 30), 3) == ["01-01", "01-02", "12-30", "12-31"]
    assert "02-29" in month_days_ahead(date(2026, 2, 27), 1)
    assert "02-29" not in month_days_ahead(date(2026, 2, 20), 3)


def test_items_within_the_lead_time_soonest_first_with_ages() -> None:
    rows = [
        _row("birthday", "1980-12-09", name="Zed"),
        _row("birthday", "--12-07", name="Zoe"),
        _row("wedding", "2016-12-10", name="Ana", closeness=5),
        _row("birthday", "--12-20", name="Late"),
    ]
    items = date_items(rows, date(2026, 12, 7), 7)
    assert [(i.title, i.due) for i in items] == [
        ("Zoe's birthday", date(2026, 12, 7)),
        ("Zed's birthday", date(2026, 12, 9)),
        ("Ana: wedding", date(2026, 12, 10)),
    ]
    assert items[0].detail == "Today."
    assert items[1].detail == "In 2 days, Wednesday 9 December, turns 46."
    assert items[2].detail.endswith("10 years.")
    assert all(i.group == "date" and i.actions == ["log_contact", "open_person"] for i in items)
    assert items[1].key == "date:u-Zed:birthday:2026-12-09"


def test_today_items_show_dates_from_the_store_and_honour_the_setting(store: Store) -> None:
    ana = store.add_person(Person("Ana", birthday="--07-03"))
    store.add_person(
        Person("Ben", dates=[ImportantDate("started new job", "2020-07-10")], closeness=4)
    )
    store.add_person(Person("Old", birthday="--07-01", archived=True))
    store.add_person(Person("Once", dates=[ImportantDate("exam", "2026-07-02", yearly=False)]))
    as_of = date(2026, 6, 30)
    dated = [i for i in today_items(store, as_of) if i.group == "date"]
    assert [i.title for i in dated] == ["Once: exam", "Ana's birthday"]
    assert dated[1].person_ids == [ana.id]
    store.set_setting("date_lead_days", 10)
    dated = [i for i in today_items(store, as_of) if i.group == "date"]
    assert [i.title for i in dated] == ["Once: exam", "Ana's birthday", "Ben: started new job"]
    store.dismiss(dated[1].key)
    assert "Ana's birthday" not in [i.title for i in today_items(store, as_of)]
    store.set_setting("date_lead_days", 0)
    assert [i for i in today_items(store, as_of) if i.group == "date"] == []
