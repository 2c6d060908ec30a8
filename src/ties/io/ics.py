"""The calendar export: follow-ups and yearly dates as an iCalendar (.ics) file.

Every event's UID is built from the journal's own uuids, and its DTSTAMP from
the row's last change, so exporting twice gives the same file and importing it
again into a calendar updates events instead of duplicating them. All events
are all-day (``DATE`` values, no time zone): a follow-up due "today" is due on
the user's today wherever the laptop travels.

Birthdays and important dates are written when the journal keeps them (a
person's ``birthday`` and yearly ``dates`` (issue #15), kept by the store
fields); follow-ups always.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from icalendar import Calendar, Event, Todo

from ties.io.atomic import atomic_write, refuse_journal_target
from ties.model import Entry, Person
from ties.store import PeopleFilter, Store

#: The product id calendar apps show for the file.
PRODID = "-//Ties//Ties relationship journal//EN"
#: The file name the "keep a calendar file up to date" setting writes in its folder.
CALENDAR_FILE = "ties.ics"
UID_DOMAIN = "ties.local"
FollowUpsAs = Literal["event", "todo"]


@dataclass(frozen=True, slots=True)
class YearlyDate:
    """A date that comes back every year (a birthday, an anniversary)."""

    key: str  # stable within the person: "birthday", "date-<label>"
    label: str
    month: int
    day: int
    year: int | None = None


def follow_up_uid(entry: Entry) -> str:
    return f"follow-up-{entry.uuid}@{UID_DOMAIN}"


def date_uid(person: Person, key: str) -> str:
    return f"{key}-{person.uuid}@{UID_DOMAIN}"


def _stamp(text: str) -> datetime:
    """A row's ``created``/``updated`` stamp as an aware UTC time (epoch if unreadable)."""
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return datetime(1970, 1, 1, tzinfo=UTC)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _as_yearly(key: str, label: str, value: Any) -> YearlyDate | None:
    """A ``date``, ``YYYY-MM-DD`` or ``--MM-DD`` (year unknown) value; else None."""
    if isinstance(value, date):
        return YearlyDate(key, label, value.month, value.day, value.year)
    if isinstance(value, str):
        text = value.strip()
        try:
            if text.startswith("--"):
                month, day = int(text[2:4]), int(text[5:7])
                date(2000, month, day)  # checks it (2000 is a leap year: 29 Feb is fine)
                return YearlyDate(key, label, month, day)
            d = date.fromisoformat(text)
        except ValueError:
            return None
        return YearlyDate(key, label, d.month, d.day, d.year)
    return None


def person_dates(person: Person) -> list[YearlyDate]:
    """The person's birthday and their yearly important dates (a one-off date is left out:
    it would not come back every year)."""
    out: list[YearlyDate] = []
    found = _as_yearly("birthday", "Birthday", person.birthday)
    if found is not None:
        out.append(found)
    for item in person.dates:
        if not item.yearly:
            continue
        label = item.label.strip() or "Date"
        found = _as_yearly(f"date-{label.lower()}", label, item.date)
        if found is not None:
            out.append(found)
    return out


def _follow_ups(store: Store) -> Iterator[Entry]:
    for batch in store.iter_entries():
        for e in batch:
            if e.follow_up is not None and not e.follow_up_done:
                yield e


def build_calendar(
    store: Store,
    *,
    follow_ups_as: FollowUpsAs = "event",
    today: date | None = None,
) -> tuple[Calendar, int]:
    """The calendar of the journal and how many items it holds.

    ``follow_ups_as="todo"`` writes follow-ups as tasks (VTODO, due that day)
    instead of all-day events; calendar apps that subscribe to a file often
    show only events, so events are the default.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Ties — {store.name}")
    count = 0
    for e in _follow_ups(store):
        assert e.follow_up is not None
        count += 1
        cal.add_component(_follow_up(e, follow_ups_as))
    start_year = (today or date.today()).year
    for p in store.list_people(PeopleFilter(archived=False), limit=None):
        for yd in person_dates(p):
            count += 1
            cal.add_component(_yearly(p, yd, start_year))
    return cal, count


def _follow_up(e: Entry, kind: FollowUpsAs) -> Event | Todo:
    assert e.follow_up is not None
    item: Event | Todo = Todo() if kind == "todo" else Event()
    item.add("uid", follow_up_uid(e))
    item.add("dtstamp", _stamp(e.updated or e.created))
    item.add("summary", f"Follow up with {e.people_label}")
    if kind == "todo":
        item.add("due", e.follow_up)
        item.add("status", "NEEDS-ACTION")
    else:
        item.add("dtstart", e.follow_up)
        item.add("transp", "TRANSPARENT")
    detail = f"From {e.date.isoformat()}"
    if e.note.strip():
        detail += f": {e.note.strip()}"
    item.add("description", detail)
    item.add("categories", ["Ties"])
    return item


def _yearly(p: Person, yd: YearlyDate, start_year: int) -> Event:
    ev = Event()
    ev.add("uid", date_uid(p, yd.key))
    ev.add("dtstamp", _stamp(p.updated or p.created))
    # The first occurrence: the real date when the year is known, else this year's.
    year = yd.year or start_year
    if yd.month == 2 and yd.day == 29:
        while not _leap(year):
            year += 1
    ev.add("dtstart", date(year, yd.month, yd.day))
    ev.add("rrule", {"freq": "yearly"})
    what = f"{p.name}'s birthday" if yd.key == "birthday" else f"{p.name}: {yd.label}"
    ev.add("summary", what)
    ev.add("transp", "TRANSPARENT")
    ev.add("categories", ["Ties"])
    return ev


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def calendar_bytes(store: Store, **options: Any) -> tuple[bytes, int]:
    cal, count = build_calendar(store, **options)
    return cal.to_ical(), count


def export_ics(
    store: Store,
    target: Path,
    *,
    follow_ups_as: FollowUpsAs = "event",
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the calendar to ``target`` atomically; returns how many items it holds.

    ``progress(done, total)`` is told before and after the journal is read (the
    export registry's writers all take it); raising from it writes nothing.
    """
    refuse_journal_target(target, store.path)
    if progress:
        progress(0, 1)
    data, count = calendar_bytes(store, follow_ups_as=follow_ups_as)
    if progress:
        progress(1, 1)
    with atomic_write(target) as f:
        f.write(data)
    return count


def keep_calendar(store: Store, folder: Path) -> bool:
    """Bring ``folder/ties.ics`` up to date; False when it already was (not rewritten).

    A calendar app watching the file then sees a change only when there is one.
    """
    target = folder / CALENDAR_FILE
    refuse_journal_target(target, store.path)
    data, _count = calendar_bytes(store)
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    with atomic_write(target) as f:
        f.write(data)
    return True


def uids(data: bytes) -> list[str]:
    """The UIDs of a calendar file's events and tasks, in file order (for checks and tests)."""
    cal = Calendar.from_ical(data)
    return [str(c["UID"]) for c in _components(cal.walk()) if "UID" in c]


def _components(items: Iterable[Any]) -> Iterator[Any]:
    for c in items:
        if c.name in ("VEVENT", "VTODO"):
            yield c
