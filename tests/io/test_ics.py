"""The calendar export: read back with icalendar, stable UIDs, yearly dates when kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from ties.io.ics import YearlyDate, export_ics, keep_calendar, person_dates, uids
from ties.model import Entry, ImportantDate, Person
from ties.store import Store


@pytest.fixture
def journal(store: Store) -> Store:
    ana = store.add_person(Person(name="Ana Ruiz"))
    ben = store.add_person(Person(name="Ben Okafor"))
    store.add_entry(
        Entry(
            date=date(2026, 6, 1),
            person_ids=[ana.id],  # type: ignore[list-item]
            note="CV review",
            follow_up=date(2026, 6, 15),
        )
    )
    done = store.add_entry(
        Entry(date=date(2026, 6, 2), person_ids=[ben.id], follow_up=date(2026, 6, 9))  # type: ignore[list-item]
    )
    store.set_follow_up_done(done.id, True)  # type: ignore[arg-type]
    store.add_entry(Entry(date=date(2026, 6, 3), person_ids=[ben.id]))  # type: ignore[list-item]
    return store


def test_follow_ups_read_back_as_all_day_events(journal: Store, tmp_path: Path) -> None:
    out = tmp_path / "ties.ics"
    assert export_ics(journal, out) == 1
    cal = Calendar.from_ical(out.read_bytes())
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == 1  # the done follow-up and the entry without one are left out
    ev = events[0]
    assert str(ev["SUMMARY"]) == "Follow up with Ana Ruiz"
    assert ev.decoded("DTSTART") == date(2026, 6, 15)  # a DATE: the user's own day
    assert "CV review" in str(ev["DESCRIPTION"])


def test_uids_are_stable_across_two_exports(journal: Store, tmp_path: Path) -> None:
    a, b = tmp_path / "a.ics", tmp_path / "b.ics"
    export_ics(journal, a)
    journal.add_person(Person(name="Cy Tanaka"))  # an unrelated change in between
    export_ics(journal, b)
    assert uids(a.read_bytes()) == uids(b.read_bytes())
    assert len(set(uids(a.read_bytes()))) == 1
    assert a.read_bytes() == b.read_bytes()


def test_follow_ups_as_tasks(journal: Store, tmp_path: Path) -> None:
    out = tmp_path / "t.ics"
    export_ics(journal, out, follow_ups_as="todo")
    cal = Calendar.from_ical(out.read_bytes())
    todos = [c for c in cal.walk() if c.name == "VTODO"]
    assert [t.decoded("DUE") for t in todos] == [date(2026, 6, 15)]


def test_birthdays_and_yearly_dates_come_from_the_person() -> None:
    p = Person(name="Ana")
    assert person_dates(p) == []
    p.birthday = "1990-04-12"
    p.dates = [
        ImportantDate("Wedding", "2015-09-05"),
        ImportantDate("Name day", "--02-29"),
        ImportantDate("Started at Acme", "2024-03-01", yearly=False),  # once: not every year
    ]
    assert person_dates(p) == [
        YearlyDate("birthday", "Birthday", 4, 12, 1990),
        YearlyDate("date-wedding", "Wedding", 9, 5, 2015),
        YearlyDate("date-name day", "Name day", 2, 29, None),
    ]


def test_a_birthday_kept_in_the_journal_is_in_the_calendar(journal: Store, tmp_path: Path) -> None:
    """The calendar read fields issue #15 did not end up with (``important_dates``)."""
    ana = next(p for p in journal.list_people() if p.name == "Ana Ruiz")
    journal.update_person(
        replace(ana, birthday="--07-14", dates=[ImportantDate("Anniversary", "2019-05-02")])
    )
    out = tmp_path / "b.ics"
    export_ics(journal, out)
    summaries = {str(c["SUMMARY"]) for c in Calendar.from_ical(out.read_bytes()).walk("VEVENT")}
    assert {"Ana Ruiz's birthday", "Ana Ruiz: Anniversary"} <= summaries


def test_yearly_events_repeat_every_year(
    journal: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ties.io.ics as ics

    monkeypatch.setattr(
        ics,
        "person_dates",
        lambda p: [YearlyDate("birthday", "Birthday", 2, 29)] if p.name == "Ana Ruiz" else [],
    )
    out = tmp_path / "y.ics"
    assert export_ics(journal, out) == 2
    cal = Calendar.from_ical(out.read_bytes())
    bday = next(c for c in cal.walk("VEVENT") if "birthday" in str(c["SUMMARY"]))
    assert str(bday["SUMMARY"]) == "Ana Ruiz's birthday"
    assert bday["RRULE"]["FREQ"] == ["YEARLY"]
    assert bday.decoded("DTSTART").month == 2 and bday.decoded("DTSTART").day == 29
    assert str(bday["UID"]).startswith("birthday-")


def test_keep_calendar_rewrites_only_on_change(journal: Store, tmp_path: Path) -> None:
    assert keep_calendar(journal, tmp_path) is True
    stamp = (tmp_path / "ties.ics").stat().st_mtime_ns
    assert keep_calendar(journal, tmp_path) is False
    assert (tmp_path / "ties.ics").stat().st_mtime_ns == stamp
    ana = journal.list_people()[0]
    journal.add_entry(Entry(date=date(2026, 6, 4), person_ids=[ana.id], follow_up=date(2026, 7, 1)))  # type: ignore[list-item]
    assert keep_calendar(journal, tmp_path) is True
    assert len(uids((tmp_path / "ties.ics").read_bytes())) == 2


def test_export_never_replaces_the_journal(journal: Store) -> None:
    from ties.io.atomic import WouldOverwriteJournalError

    with pytest.raises(WouldOverwriteJournalError):
        export_ics(journal, journal.path)
