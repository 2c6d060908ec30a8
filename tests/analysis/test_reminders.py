"""The morning reminder: its words for a hand-built Today, and its schedule on an injected clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from ties.analysis.reminders import (
    at_local,
    build_reminder,
    next_reminder,
    parse_time,
    reminder_due,
)
from ties.analysis.today import TodayItem

BERLIN = ZoneInfo("Europe/Berlin")
NINE = time(9, 0)


def item(group: str, title: str, key: str | None = None) -> TodayItem:
    return TodayItem(key=key or f"{group}:{title}", group=group, title=title, detail="")


def hand_built_today() -> list[TodayItem]:
    return [
        item("follow_up", "Follow up with Ana Ruiz"),
        item("follow_up", "Follow up with Ben Okafor"),
        item("dormant", "Cy Tanaka"),
        item("one_sided", "Dee Novak"),  # not a reminder's business
        item("unthanked", "Thank Eve"),
        item("birthday", "Fay Lund's birthday"),
        item("dormant", "Gus Moor"),
    ]


def test_top_three_most_urgent_first_and_the_rest_counted() -> None:
    r = build_reminder(hand_built_today())
    assert r is not None
    assert r.title == "Ties: 5 things for today"
    assert r.body.splitlines() == [
        "Follow up with Ana Ruiz",
        "Follow up with Ben Okafor",
        "Fay Lund's birthday",
        "and 2 more",
    ]


def test_quiet_ties_are_worded_as_an_action() -> None:
    r = build_reminder([item("dormant", "Cy Tanaka")])
    assert r is not None
    assert r.title == "Ties: 1 thing for today"
    assert r.body == "Get back in touch with Cy Tanaka"


def test_hidden_names_leave_no_name_in_the_text() -> None:
    r = build_reminder(hand_built_today(), hide_names=True)
    assert r is not None
    for name in ("Ana", "Ben", "Cy", "Fay", "Gus"):
        assert name not in r.title + r.body
    assert r.body.splitlines()[0] == "A follow-up is due"
    assert r.body.splitlines()[-1] == "and 2 more"


def test_nothing_to_remind_of_gives_no_reminder() -> None:
    assert build_reminder([item("one_sided", "Dee"), item("match", "Introduce")]) is None
    assert build_reminder([]) is None


def test_dismissed_items_from_the_real_today_list_are_never_named(store) -> None:
    from ties.analysis.today import today_items
    from ties.model import Entry, Person

    ana = store.add_person(Person(name="Ana Ruiz", created="2026-01-01T00:00:00Z"))
    ben = store.add_person(Person(name="Ben Okafor", created="2026-01-01T00:00:00Z"))
    for p in (ana, ben):
        store.add_entry(
            Entry(date=date(2026, 6, 1), person_ids=[p.id], follow_up=date(2026, 6, 20))
        )
    as_of = date(2026, 6, 30)
    before = build_reminder(today_items(store, as_of))
    assert before is not None and "Ben Okafor" in before.body
    key = next(k for k in before.keys if "follow_up" in k and k != before.keys[0])
    store.dismiss(before.keys[0])
    store.dismiss(key, until=date(2026, 7, 5))  # snoozed
    after = build_reminder(today_items(store, as_of))
    assert after is None or "Follow up" not in after.body


# --------------------------------------------------------------------- schedule


def test_due_from_the_chosen_time_once_a_day() -> None:
    morning = datetime(2026, 6, 30, 8, 59, tzinfo=BERLIN)
    assert not reminder_due(morning, NINE, last_shown=date(2026, 6, 29))
    assert reminder_due(morning + timedelta(minutes=1), NINE, last_shown=date(2026, 6, 29))
    assert not reminder_due(morning + timedelta(hours=3), NINE, last_shown=date(2026, 6, 30))


def test_a_machine_off_at_nine_shows_it_at_the_first_start_after() -> None:
    # Asleep from 08:00 yesterday to 15:00 today: one reminder, now, not two.
    woke = datetime(2026, 6, 30, 15, 0, tzinfo=BERLIN)
    assert reminder_due(woke, NINE, last_shown=date(2026, 6, 28))
    assert next_reminder(woke, NINE, last_shown=date(2026, 6, 28)) == woke
    # Once shown, the next one is tomorrow at nine.
    assert next_reminder(woke, NINE, last_shown=woke.date()) == datetime(
        2026, 7, 1, 9, 0, tzinfo=BERLIN
    )


def test_next_time_across_midnight() -> None:
    late = datetime(2026, 6, 30, 23, 59, tzinfo=BERLIN)
    nxt = next_reminder(late, NINE, last_shown=date(2026, 6, 30))
    assert nxt == datetime(2026, 7, 1, 9, 0, tzinfo=BERLIN)
    assert nxt - late == timedelta(hours=9, minutes=1)
    just_after = datetime(2026, 7, 1, 0, 1, tzinfo=BERLIN)
    assert not reminder_due(just_after, NINE, last_shown=date(2026, 6, 30))
    assert next_reminder(just_after, NINE, date(2026, 6, 30)).date() == date(2026, 7, 1)


def test_daylight_saving_changes_keep_the_wall_clock_time() -> None:
    # The night clocks go forward (29 March 2026 in Berlin) has 23 hours.
    evening = datetime(2026, 3, 28, 21, 0, tzinfo=BERLIN)
    nxt = next_reminder(evening, NINE, last_shown=date(2026, 3, 28))
    assert (nxt.hour, nxt.minute, nxt.date()) == (9, 0, date(2026, 3, 29))
    assert nxt.astimezone(UTC) - evening.astimezone(UTC) == timedelta(hours=11)
    # … and the night they go back (25 October 2026) has 25 hours.
    evening = datetime(2026, 10, 24, 21, 0, tzinfo=BERLIN)
    nxt = next_reminder(evening, NINE, last_shown=date(2026, 10, 24))
    assert nxt.astimezone(UTC) - evening.astimezone(UTC) == timedelta(hours=13)


def test_a_time_skipped_by_the_clock_change_comes_an_hour_later() -> None:
    when = at_local(date(2026, 3, 29), time(2, 30), BERLIN)
    assert (when.hour, when.minute) == (3, 30)


def test_paused_today_means_tomorrow() -> None:
    now = datetime(2026, 6, 30, 10, 0, tzinfo=BERLIN)
    assert not reminder_due(now, NINE, last_shown=None, paused_on=now.date())
    assert next_reminder(now, NINE, None, paused_on=now.date()).date() == date(2026, 7, 1)
    assert reminder_due(now + timedelta(days=1), NINE, None, paused_on=now.date())


def test_a_change_of_time_zone_follows_the_local_day() -> None:
    # Shown in Berlin on the 30th; flown to Tokyo where it is already the 1st, 08:00.
    tokyo = datetime(2026, 7, 1, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert not reminder_due(tokyo, NINE, last_shown=date(2026, 6, 30))
    assert reminder_due(tokyo + timedelta(hours=1), NINE, last_shown=date(2026, 6, 30))


def test_naive_clock_is_refused() -> None:
    with pytest.raises(ValueError):
        reminder_due(datetime(2026, 6, 30, 9), NINE, None)


@pytest.mark.parametrize(
    ("text", "expected"), [("07:30", time(7, 30)), ("25:00", NINE), ("", NINE), ("x", NINE)]
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected
