"""Give-and-take figures on a journal whose numbers were worked out by hand.

The as-of date is 2026-06-30 and the window 365 days, so the window holds
2025-07-01 … 2026-06-30 (2025-06-30 is just outside).
"""

from __future__ import annotations

from datetime import date

import pytest

from ties.analysis import reciprocity as r
from ties.analysis import render
from ties.model import Entry, Person
from ties.store import Store, balance_reads

AS_OF = date(2026, 6, 30)


def _person(store: Store, name: str, **kw: object) -> int:
    return store.add_person(Person(name=name, **kw)).id  # type: ignore[arg-type, return-value]


def _entry(
    store: Store, day: str, people: list[int], direction: str, weight: int = 1, **kw: object
) -> int:
    e = Entry(
        date=date.fromisoformat(day), person_ids=people, direction=direction, weight=weight, **kw
    )  # type: ignore[arg-type]
    return store.add_entry(e).id  # type: ignore[return-value]


@pytest.fixture
def journal(store: Store) -> dict[str, int]:
    ids = {
        "ana": _person(store, "Ana Ruiz", closeness=5),
        "ben": _person(store, "ben Okafor", closeness=3, mutuality=-1),
        "cy": _person(store, "Cy Tanaka", closeness=1, cadence_days=10),
        "dee": _person(store, "Dee Novak", closeness=5, archived=True),
        "eve": _person(store, "Ève Moreau", closeness=4, created="2026-01-01T09:00:00.000000Z"),
        "fay": _person(store, "Fay Silva", closeness=4, created="2026-06-20T09:00:00.000000Z"),
        "gus": _person(store, "Gus Haddad", closeness=2),
        "hal": _person(store, "Hal Schmidt", closeness=3),
        "ida": _person(store, "Ida Nguyen", closeness=3),
    }
    a, b, c = ids["ana"], ids["ben"], ids["cy"]
    _entry(store, "2025-06-30", [a], "gave", 3)  # one day before the window
    ids["e_first_day"] = _entry(
        store, "2025-07-01", [a], "gave", 2, follow_up=date(2026, 6, 30)
    )  # due exactly on as_of
    ids["e_on_as_of"] = _entry(store, "2026-06-30", [a], "received", 1)  # not thanked
    _entry(store, "2026-07-01", [a], "received", 3)  # after as_of: counts nowhere
    _entry(store, "2026-03-01", [a], "mutual", 2, follow_up=date(2026, 3, 10), follow_up_done=True)
    _entry(store, "2026-06-16", [a, b], "gave", 3)  # counts fully for both
    _entry(store, "2026-06-20", [c], "gave", 2, on_behalf_of=b)  # gave to Cy, and to Ben
    _entry(store, "2026-01-10", [b], "gave", 2, follow_up=date(2026, 7, 1))  # not yet due
    _entry(store, "2026-06-01", [ids["dee"]], "received", 3)
    _entry(store, "2026-06-25", [ids["dee"]], "received", 3)
    _entry(store, "2026-03-22", [ids["gus"]], "contact", 1)  # 100 days before as_of
    _entry(store, "2026-05-31", [ids["hal"]], "received", 1)  # 30 days ago: too old
    _entry(store, "2026-06-01", [ids["hal"]], "received", 1, thanked=True)
    ids["e_ida"] = _entry(store, "2026-06-01", [ids["ida"]], "received", 1)  # 29 days ago
    return ids


def _by_name(store: Store, **kw: object) -> dict[str, r.PersonBalance]:
    return {b.name: b for b in r.balances(store, AS_OF, **kw)}  # type: ignore[arg-type]


def test_figures_for_each_person(store: Store, journal: dict[str, int]) -> None:
    got = _by_name(store)
    ana = got["Ana Ruiz"]
    # given 2 (first day) + 2 (mutual) + 3 (with Ben); received 1 (on as_of) + 2 (mutual)
    assert (ana.given, ana.received, ana.mutual, ana.balance) == (7, 3, 2, 4)
    assert (ana.entries, ana.weight) == (4, 8)
    assert ana.last_contact == date(2026, 6, 30)  # the entry of 2026-07-01 is after as_of
    assert ana.flags == ["follow_up_due", "unthanked"]
    ben = got["ben Okafor"]
    # 3 with Ana, 2 on his behalf (he is not named), 2 on 2026-01-10
    assert (ben.given, ben.received, ben.mutual, ben.balance) == (7, 0, 0, 7)
    assert (ben.entries, ben.weight) == (3, 7)
    assert ben.last_contact == date(2026, 6, 16)  # on-behalf-of is not contact
    assert ben.flags == ["over_giving"]
    cy = got["Cy Tanaka"]
    assert (cy.given, cy.received) == (2, 0)


def test_sorted_by_name_ignoring_case_and_accents(store: Store, journal: dict[str, int]) -> None:
    names = [b.name for b in r.balances(store, AS_OF)]
    assert names == [
        "Ana Ruiz",
        "ben Okafor",
        "Cy Tanaka",
        "Dee Novak",
        "Ève Moreau",
        "Fay Silva",
        "Gus Haddad",
        "Hal Schmidt",
        "Ida Nguyen",
    ]


def test_archived_people_keep_their_figures_but_get_no_flags(
    store: Store, journal: dict[str, int]
) -> None:
    dee = _by_name(store)["Dee Novak"]
    assert (dee.received, dee.given) == (6, 0)  # would be over_taking and unthanked
    assert dee.archived and dee.flags == []
    store.set_archived(journal["dee"], False)
    assert _by_name(store)["Dee Novak"].flags == ["unthanked", "over_taking"]


def test_window_boundaries(store: Store, journal: dict[str, int]) -> None:
    # One day later the first day of the window falls out and the 2026-07-01 entry comes in.
    later = {b.name: b for b in r.balances(store, date(2026, 7, 1))}["Ana Ruiz"]
    assert (later.given, later.received) == (5, 6)
    shorter = {b.name: b for b in r.balances(store, AS_OF, window_days=1)}["Ana Ruiz"]
    assert (shorter.given, shorter.received, shorter.entries) == (0, 1, 1)


def test_dormant_is_strictly_older_than_the_cadence(store: Store, journal: dict[str, int]) -> None:
    got = _by_name(store)
    assert "dormant" not in got["Cy Tanaka"].flags  # 10 days, own cadence 10
    assert got["Cy Tanaka"].days_since_contact == 10
    assert "dormant" in _by_name_at(store, date(2026, 7, 1))["Cy Tanaka"].flags  # 11 days
    assert "dormant" not in got["Gus Haddad"].flags  # 100 days, closeness 2 → 180


def _by_name_at(store: Store, day: date) -> dict[str, r.PersonBalance]:
    return {b.name: b for b in r.balances(store, day)}


def test_cadence_settings_override_the_defaults(store: Store, journal: dict[str, int]) -> None:
    store.set_setting("cadence_days", {"2": 100, "5": "oops"})
    assert r.cadences(store)[2] == 100 and r.cadences(store)[5] == 14
    assert "dormant" not in _by_name(store)["Gus Haddad"].flags  # exactly 100 days
    store.set_setting("cadence_days", {"2": 99})
    assert "dormant" in _by_name(store)["Gus Haddad"].flags
    assert _by_name(store)["Gus Haddad"].cadence_days == 99


def test_never_contacted_counts_from_when_they_were_added(
    store: Store, journal: dict[str, int]
) -> None:
    got = _by_name(store)
    assert got["Ève Moreau"].last_contact is None
    assert "dormant" in got["Ève Moreau"].flags  # added 180 days ago, cadence 30
    assert "dormant" not in got["Fay Silva"].flags  # added 10 days ago


def test_unthanked_covers_the_last_30_days(store: Store, journal: dict[str, int]) -> None:
    got = _by_name(store)
    assert got["Hal Schmidt"].flags == []  # 30 days ago, and a thanked one
    assert got["Ida Nguyen"].flags == ["unthanked"]
    assert got["Ida Nguyen"].unthanked == [journal["e_ida"]]
    store.set_thanked(journal["e_ida"], True)
    assert _by_name(store)["Ida Nguyen"].flags == []


def test_follow_up_due_on_or_before_as_of_and_not_done(
    store: Store, journal: dict[str, int]
) -> None:
    assert _by_name(store)["Ana Ruiz"].follow_ups_due == [journal["e_first_day"]]
    assert _by_name_at(store, date(2026, 6, 29))["Ana Ruiz"].follow_ups_due == []
    assert "follow_up_due" in _by_name_at(store, date(2026, 7, 1))["ben Okafor"].flags
    store.set_follow_up_done(journal["e_first_day"], True)
    assert "follow_up_due" not in _by_name(store)["Ana Ruiz"].flags


def test_on_behalf_of_a_named_person_counts_once(store: Store) -> None:
    a = _person(store, "Ana")
    _entry(store, "2026-06-01", [a], "gave", 2, on_behalf_of=a)
    (b,) = r.balances(store, AS_OF)
    assert (b.given, b.entries) == (2, 1)
    assert r.timeline(store, a, AS_OF)[-1].given == 2


def test_person_ids_choose_people_with_the_same_figures(
    store: Store, journal: dict[str, int]
) -> None:
    everyone = _by_name(store)
    chosen = r.balances(store, AS_OF, person_ids=[journal["ben"], journal["ana"]])
    assert [b.name for b in chosen] == ["Ana Ruiz", "ben Okafor"]
    for b in chosen:
        assert b == everyone[b.name]
    assert r.balances(store, AS_OF, person_ids=[]) == []


@pytest.mark.parametrize(
    ("given", "received", "flag"),
    [
        (6, 2, "over_giving"),
        (6, 3, None),
        (5, 0, None),
        (9, 3, "over_giving"),
        (2, 6, "over_taking"),
        (0, 6, "over_taking"),
        (3, 8, None),
        (0, 0, None),
    ],
)
def test_one_sided_thresholds(given: int, received: int, flag: str | None) -> None:
    assert r.one_sided_flag(given, received) == flag


def test_timeline_months_and_running_balance(store: Store, journal: dict[str, int]) -> None:
    points = r.timeline(store, journal["ana"], AS_OF)
    assert points[0].month == "2025-06" and points[-1].month == "2026-06"
    assert len(points) == 13  # empty months are included
    by_month = {p.month: p for p in points}
    assert (by_month["2025-06"].given, by_month["2025-06"].balance) == (3, 3)
    assert (by_month["2025-07"].given, by_month["2025-07"].balance) == (2, 5)
    assert (by_month["2026-03"].given, by_month["2026-03"].received) == (2, 2)
    assert (by_month["2026-06"].given, by_month["2026-06"].received) == (3, 1)
    assert by_month["2026-06"].balance == 7
    assert by_month["2026-02"].first_day == date(2026, 2, 1)
    assert by_month["2026-02"].last_day == date(2026, 2, 28)
    ben = r.timeline(store, journal["ben"], AS_OF)
    assert [(p.month, p.given, p.balance) for p in (ben[0], ben[-1])] == [
        ("2026-01", 2, 2),
        ("2026-06", 5, 7),
    ]
    assert r.timeline(store, journal["eve"], AS_OF) == []


def test_month_entries_include_entries_on_their_behalf(
    store: Store, journal: dict[str, int]
) -> None:
    june = r.month_entries(store, journal["ben"], date(2026, 6, 1), date(2026, 6, 30))
    assert [e.date for e in june] == [date(2026, 6, 20), date(2026, 6, 16)]


@pytest.mark.parametrize(
    ("given", "received", "words"),
    [
        (10, 5, "You have given about twice what you received in the last year"),
        (5, 5, "Give and take are about even in the last year"),
        (3, 9, "You have received about three times what you gave in the last year"),
        (0, 0, "Nothing given or received in the last year"),
        (4, 0, "You have given 4 times and received nothing back in the last year"),
        (1, 0, "You have given once and received nothing back in the last year"),
        (0, 2, "You have received twice and given nothing back in the last year"),
    ],
)
def test_balance_in_plain_words(given: int, received: int, words: str) -> None:
    assert render.balance_words(given, received) == words


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (None, "never"),
        (-3, "in the future"),
        (0, "today"),
        (1, "yesterday"),
        (13, "13 days ago"),
        (35, "5 weeks ago"),
        (200, "7 months ago"),
        (800, "2 years ago"),
    ],
)
def test_ago_in_plain_words(days: int | None, words: str) -> None:
    assert render.ago_words(days) == words


def _window_sql_figures(store: Store, as_of: date) -> dict[int, tuple[int, ...]]:
    """Everybody's give and take summed straight from the rows (WINDOW_SQL + on-behalf)."""
    window = {"start": r.window_start(as_of, 365).isoformat(), "as_of": as_of.isoformat()}
    out: dict[int, tuple[int, ...]] = {}
    for pid, *figures in balance_reads.window_sums(store, **window):
        out[pid] = tuple(figures)
    for pid, weight, count in balance_reads.behalf_window(store, **window):
        g, got, m, c, w = out.get(pid, (0, 0, 0, 0, 0))
        out[pid] = (g + weight, got, m, c + count, w + weight)
    return out


def test_kept_window_sums_give_the_figures_of_the_rows(demo_store: Store) -> None:
    as_of = date(2026, 6, 30)

    def ours() -> dict[int, tuple[int, ...]]:
        return {
            b.person_id: (b.given, b.received, b.mutual, b.entries, b.weight)
            for b in r.balances(demo_store, as_of)
            if b.entries or b.given
        }

    assert ours() == _window_sql_figures(demo_store, as_of)  # the window is summed and kept
    ana = demo_store.resolve_person("Ana Ruiz")
    assert ana is not None and ana.id is not None
    demo_store.add_entry(Entry(date=as_of, person_ids=[ana.id], direction="mutual", weight=3))
    assert ours() == _window_sql_figures(demo_store, as_of)  # kept up to date by the write


def test_words_for_one_day_are_singular() -> None:
    assert render.cadence_words(5, 1).startswith("every day for ")
    assert render.cadence_words(5, 1000).startswith("every 1,000 days for ")
    assert render.window_words(1) == "in the last day"
    assert render.window_words(36_500) == "in the last 100 years"
    assert render.window_words(36_524) == "in the last 36,524 days"


def test_a_timeline_runs_to_the_last_month_there_is(store: Store) -> None:
    """`ties report balance --as-of 9999-12-31 --person …` crashed: no month after December 9999."""
    pid = store.add_person(Person(name="Ana")).id
    store.add_entry(Entry(date=date(2026, 6, 1), person_ids=[pid], direction="gave", weight=2))
    points = r.timeline(store, pid, as_of=date(9999, 12, 31))
    assert points[0].month == "2026-06" and points[-1].month == "9999-12"
    assert len(points) == (9999 - 2026) * 12 + 7
    assert points[-1].balance == 2
    assert points[-1].last_day == date(9999, 12, 31)
    assert points[-2].last_day == date(9999, 11, 30)
