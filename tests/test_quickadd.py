"""The quick-add grammar: the documented examples, errors with spans, and never a crash."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ties import quickadd
from ties.model import DEFAULT_SUPPORT_TYPES
from ties.quickadd import QuickAddError, parse
from ties.store import Store

TODAY = date(2026, 11, 21)  # a Saturday
KEYS = {k for k, *_ in DEFAULT_SUPPORT_TYPES}


def test_issue_example_gave() -> None:
    q = parse(
        'gave #career_guidance to @"Ana Ruiz" yesterday w2: reviewed her CV; follow up in 2 weeks',
        TODAY,
        KEYS,
    )
    assert q.direction == "gave"
    assert q.people == ["Ana Ruiz"]
    assert q.support_types == ["career_guidance"]
    assert q.date == date(2026, 11, 20)
    assert q.weight == 2
    assert q.note == "reviewed her CV"
    assert q.follow_up == date(2026, 12, 5)


def test_issue_example_received() -> None:
    q = parse(
        "received #confidant #encouragement from @Ben on 2026-01-05 w3: talked about my boss",
        TODAY,
        KEYS,
    )
    assert (q.direction, q.people, q.date, q.weight) == ("received", ["Ben"], date(2026, 1, 5), 3)
    assert q.support_types == ["confidant", "encouragement"]
    assert q.note == "talked about my boss"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("today", TODAY),
        ("3 days ago", date(2026, 11, 18)),
        ("a week ago", date(2026, 11, 14)),
        ("monday", date(2026, 11, 16)),
        ("last saturday", date(2026, 11, 14)),
        ("2025-12-31", date(2025, 12, 31)),
    ],
)
def test_dates(words: str, expected: date) -> None:
    assert parse(f"@Ben {words}", TODAY).date == expected


def test_kind_time_thanked_behalf_and_colons_in_note() -> None:
    q = parse("received coffee #expertise from @Cara 9:30 thanked for @Dan: tips: many", TODAY)
    assert q.kind == "meeting" and q.time == "09:30" and q.thanked
    assert q.on_behalf_of == "Dan" and q.note == "tips: many"


def test_follow_up_forms() -> None:
    assert parse("@Ben; follow up tomorrow", TODAY).follow_up == date(2026, 11, 22)
    assert parse("@Ben; follow-up friday", TODAY).follow_up == date(2026, 11, 27)
    assert parse("@Ben: note; follow up on 2027-01-02", TODAY).follow_up == date(2027, 1, 2)


def test_punctuation_after_a_name_is_not_part_of_it() -> None:
    assert parse("met @Ann, @Bob and @Cy.", TODAY).people == ["Ann", "Bob", "Cy"]
    assert parse('met @"Smith, Jr."', TODAY).people == ["Smith, Jr."]


def test_default_direction_is_contact_without_types() -> None:
    assert parse("call @Ben", TODAY).direction == "contact"


@pytest.mark.parametrize(
    ("line", "message", "span"),
    [
        ("gave #nope to @Ben", "Valid types: belonging", "#nope"),
        ("gave blah to @Ben", "don't understand 'blah'", "blah"),
        ("#confidant from @Ben", "which way", None),
        ("gave #confidant", "at least one person", None),
        ('gave to @"Ana', "closing", '@"Ana'),
        ("gave @Ben w7", r"w1 \(small\)", "w7"),
        ("@Ben; follow up someday", "follow-up date", "someday"),
        ("@Ben 2026-02-01; follow up on 2026-01-01", "before", None),
        ("@Ben 25:00", "not a time", "25:00"),
        ("contact #long_view with @Ben", "A contact carries no support", "contact"),
    ],
)
def test_errors_name_the_problem_and_its_place(line: str, message: str, span: str | None) -> None:
    with pytest.raises(QuickAddError, match=message) as info:
        parse(line, TODAY, KEYS)
    if span:
        assert line[info.value.start : info.value.end] == span


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200))
def test_parser_never_crashes_on_junk(text: str) -> None:
    try:
        q = parse(text, TODAY, KEYS)
    except QuickAddError as exc:
        assert str(exc)
        assert 0 <= exc.start <= exc.end <= len(text)
    else:
        assert q.people and q.direction in {"gave", "received", "mutual", "contact"}


ALPHABET = st.sampled_from(
    [
        "gave",
        "received",
        "@Ben",
        '@"Ana Ruiz"',
        "#confidant",
        "#nope",
        "w2",
        "w9",
        ":",
        ";",
        "follow up",
        "in 2 weeks",
        "yesterday",
        "2026-01-05",
        "for",
        "thanked",
        '"',
        "@",
        "#",
        " ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=12).map(" ".join))
def test_parser_never_crashes_on_near_misses(text: str) -> None:
    try:
        parse(text, TODAY, KEYS)
    except QuickAddError as exc:
        assert str(exc)


def test_commit_creates_unknown_people_in_one_transaction(store: Store) -> None:
    result = quickadd.commit(store, 'gave #expertise to @"Nia Obi" @Ben for @Kim', TODAY)
    assert sorted(p.name for p in result.created) == ["Ben", "Kim", "Nia Obi"]
    assert result.entry.on_behalf_of == store.resolve_person("Kim").id
    again = quickadd.commit(store, "received #confidant from @ben", TODAY)
    assert again.created == []  # the same Ben, not a second one
    before = store.count_people()
    with pytest.raises(QuickAddError):
        quickadd.commit(store, "gave #nope to @Newcomer", TODAY)
    assert store.count_people() == before


@pytest.mark.parametrize(
    "words", ["tomorrow", "in 2 weeks", "next friday", "2026-11-22", "2099-01-01"]
)
def test_an_entry_cannot_be_dated_after_today(words: str) -> None:
    with pytest.raises(QuickAddError, match="after today") as err:
        parse(f"call @Ben {words}", TODAY)
    start, end = err.value.start, err.value.end
    assert f"call @Ben {words}"[start:end] == words


def test_an_entry_cannot_be_dated_before_1900() -> None:
    with pytest.raises(QuickAddError, match="before 1900"):
        parse("call @Ben 0026-01-05", TODAY)
