"""The morning reminder: which Today items it names, its words, and when it is due.

Pure functions over :class:`~ties.analysis.today.TodayItem` values and an
injected clock, so the window's timer (``ui/notifications.py``) only asks
:func:`reminder_due` now and then and tests can jump across midnight, a
daylight-saving change or a night the machine slept, without waiting.

Dismissed and snoozed items never reach a reminder: ``today_items`` already
leaves them out, and the reminder is built from that list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from ties.analysis.today import TodayItem

#: The reminder's default time of day (local).
DEFAULT_TIME = time(9, 0)
#: How many items the reminder names; the rest are counted ("and 2 more").
TOP = 3
#: The Today groups a reminder speaks of, most urgent first: follow-ups due,
#: birthdays and important dates (``date``/``birthday``, when the journal has
#: them), then ties gone quiet.
URGENCY: tuple[str, ...] = ("follow_up", "birthday", "date", "dormant")
#: What a reminder says of an item when names are hidden (shared screens).
ANONYMOUS: dict[str, str] = {
    "follow_up": "A follow-up is due",
    "birthday": "A birthday",
    "date": "A date to remember",
    "dormant": "A tie has gone quiet",
}


@dataclass(frozen=True, slots=True)
class Reminder:
    """One notification's words.

    Attributes:
        title: the headline ("Ties: 5 things for today").
        body: one line per named item, then "and N more" when there are more.
        keys: the items it names (for tests and logs, never shown).
    """

    title: str
    body: str
    keys: tuple[str, ...]


def reminder_items(items: Sequence[TodayItem]) -> list[TodayItem]:
    """The items a reminder is about, most urgent first (stable within a group).

    Follow-ups come as ``today_items`` sorts them (oldest due date first),
    ties gone quiet closest first.
    """
    rank = {g: i for i, g in enumerate(URGENCY)}
    chosen = [i for i in items if i.group in rank]
    return sorted(chosen, key=lambda i: rank[i.group])


def item_line(item: TodayItem, *, hide_names: bool = False) -> str:
    """One line of the reminder for ``item``."""
    if hide_names:
        return ANONYMOUS.get(item.group, "Something to do")
    if item.group == "dormant":
        return f"Get back in touch with {item.title}"
    return item.title


def build_reminder(
    items: Sequence[TodayItem], *, hide_names: bool = False, top: int = TOP
) -> Reminder | None:
    """The reminder for a Today list, or None when there is nothing to remind of."""
    chosen = reminder_items(items)
    if not chosen:
        return None
    named = chosen[:top]
    lines = [item_line(i, hide_names=hide_names) for i in named]
    more = len(chosen) - len(named)
    if more:
        lines.append(f"and {more} more")
    n = len(chosen)
    title = f"Ties: {n} thing{'s' if n != 1 else ''} for today"
    return Reminder(title, "\n".join(lines), tuple(i.key for i in named))


# -------------------------------------------------------------------- schedule


def local_now(zone: tzinfo | None = None) -> datetime:
    """Now, aware, in ``zone`` or the machine's zone as it is right now.

    Asked afresh each time, so a laptop that travels to another zone gets
    its new "today" without a restart.
    """
    now = datetime.now(UTC)
    return now.astimezone(zone) if zone is not None else now.astimezone()


def at_local(day: date, at: time, zone: tzinfo) -> datetime:
    """``day`` at wall-clock ``at`` in ``zone``, as a real instant.

    A time that does not exist that day (skipped by a daylight-saving change,
    e.g. 02:30 in spring) becomes the same instant one hour later on the
    clock (03:30); a time that happens twice (autumn) means the first one.
    """
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=zone, fold=0)
    return aware.astimezone(UTC).astimezone(zone)


def reminder_due(
    now: datetime,
    at: time,
    last_shown: date | None,
    paused_on: date | None = None,
) -> bool:
    """True when the day's reminder should be shown at ``now`` (aware, local).

    Due once a day, from ``at`` on: a machine that was off or asleep at that
    time shows it at the first check after waking. Not again on a day it was
    shown (``last_shown``), nor on a day reminders were paused (``paused_on``).
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    today = now.date()
    if last_shown is not None and last_shown >= today:
        return False
    if paused_on == today:
        return False
    return now >= at_local(today, at, now.tzinfo)


def next_reminder(
    now: datetime,
    at: time,
    last_shown: date | None,
    paused_on: date | None = None,
) -> datetime:
    """When the next reminder is due: ``now`` if it is due already, else the
    coming ``at`` (today's if still ahead and not shown or paused, else a later day's)."""
    if reminder_due(now, at, last_shown, paused_on):
        return now
    zone = now.tzinfo
    assert zone is not None  # reminder_due checked it
    day = now.date()
    while True:  # today, else tomorrow (shown or paused only ever concern one day)
        when = at_local(day, at, zone)
        if when > now and last_shown != day and paused_on != day:
            return when
        day += timedelta(days=1)


def parse_time(text: str, default: time = DEFAULT_TIME) -> time:
    """``HH:MM`` from a setting; anything else gives ``default``."""
    try:
        hours, minutes = text.strip().split(":")
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        return default
