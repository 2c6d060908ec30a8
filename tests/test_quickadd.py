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


# --- what people naturally type (issue #17, 3) -------------------------------------------

JUNE_30 = date(2026, 6, 30)  # a Tuesday


@pytest.mark.parametrize(
    ("words", "day_first", "expected"),
    [
        ("last week", True, date(2026, 6, 23)),
        ("last month", True, date(2026, 5, 31)),
        ("dec 3", True, date(2025, 12, 3)),  # the last 3 December up to today
        ("3 dec", True, date(2025, 12, 3)),
        ("December 3rd", True, date(2025, 12, 3)),
        ("jun 30", True, date(2026, 6, 30)),
        ("dec 3 2024", True, date(2024, 12, 3)),
        ("3/12", True, date(2025, 12, 3)),  # day first (most of the world)
        ("3/12", False, date(2026, 3, 12)),  # month first (the United States)
        ("on 3/12/2024", True, date(2024, 12, 3)),
        ("3.12.24", True, date(2024, 12, 3)),
        ("the day before yesterday", True, date(2026, 6, 28)),
        ("a fortnight ago", True, date(2026, 6, 16)),  # beyond the built-in rules: dateparser
    ],
)
def test_dates_people_naturally_type(words: str, day_first: bool, expected: date) -> None:
    assert parse(f"met @Ben {words}: hi", JUNE_30, day_first=day_first).date == expected


def test_a_date_that_reads_two_ways_says_how_it_was_read() -> None:
    q = parse("met @Ben 3/12", JUNE_30, day_first=True)
    assert q.date_reading == "3/12 read as day/month" and "read as day/month" in q.describe()
    assert parse("met @Ben dec 3", JUNE_30).date_reading == ""


@pytest.mark.parametrize("words", ["31/2", "13/13", "may", "3 weeks back"])
def test_what_is_not_a_date_is_still_refused(words: str) -> None:
    with pytest.raises(QuickAddError):
        parse(f"met @Ben {words}", JUNE_30, day_first=True)


def test_follow_ups_read_the_same_words_forward() -> None:
    q = parse("met @Ben: hi; follow up dec 3", JUNE_30, day_first=True)
    assert q.follow_up == date(2026, 12, 3)
    assert parse("met @Ben; follow up 3/12", JUNE_30, day_first=False).follow_up == date(
        2027, 3, 12
    )


@pytest.mark.parametrize(
    "line",
    [
        "received #expertise from @Ben: tips on the pitch; thanked",
        "received #expertise from @Ben: tips on the pitch; thanked; follow up in 2 weeks",
        "received #expertise from @Ben: tips on the pitch; follow up in 2 weeks; thanked",
        "received #expertise from @Ben: tips on the pitch;thanked them",
    ],
)
def test_thanked_after_the_note_is_read_not_swallowed(line: str) -> None:
    q = parse(line, JUNE_30, KEYS)
    assert q.thanked and q.note == "tips on the pitch"
    assert ("follow up" in line) == (q.follow_up == date(2026, 7, 14))


def test_a_semicolon_inside_the_note_stays_in_the_note() -> None:
    q = parse("met @Ben: we talked; then walked", JUNE_30)
    assert q.note == "we talked; then walked" and not q.thanked


def test_thanked_after_the_note_is_still_only_for_received_support() -> None:
    with pytest.raises(QuickAddError, match="for support you received"):
        parse("gave #expertise to @Ben: tips; thanked", JUNE_30, KEYS)


@pytest.mark.parametrize(("word", "kind"), [("coffee", "meeting"), ("lunch", "meeting")])
def test_another_name_for_a_kind_is_stored_as_the_kind_and_said(word: str, kind: str) -> None:
    q = parse(f"{word} with @Ben", JUNE_30)
    assert q.kind == kind and q.kind_word == word
    assert f"{kind} ({word})" in q.describe()
    assert parse("meeting with @Ben", JUNE_30).kind_text == "meeting"


def test_the_date_order_comes_from_the_locale_unless_set() -> None:
    from ties.datewords import day_first

    assert day_first({"LANG": "en_US.UTF-8"}) is False
    assert day_first({"LANG": "en_GB.UTF-8"}) is True
    assert day_first({"LC_TIME": "en_US.UTF-8", "LANG": "de_DE.UTF-8"}) is False
    assert day_first({"LC_ALL": "fr_FR.UTF-8", "LC_TIME": "en_US.UTF-8"}) is True
    assert day_first({"LANG": "en_US.UTF-8", "TIES_DATE_ORDER": "DMY"}) is True
    assert day_first({"LANG": "C.UTF-8", "TIES_DATE_ORDER": "mdy"}) is False


def test_everyday_dates_do_not_import_dateparser() -> None:
    """``ties log`` starts fast: dateparser loads only for what the built-in rules miss."""
    import subprocess
    import sys

    code = (
        "import sys; from datetime import date; from ties.quickadd import parse\n"
        "for w in ('yesterday', 'last week', 'dec 3', '3/12', '3 days ago', 'friday'):\n"
        "    parse(f'received from @Ben {w}; thanked', date(2026, 6, 30), day_first=True)\n"
        "print('dateparser' in sys.modules)\n"
        "parse('met @Ben a fortnight ago', date(2026, 6, 30))\n"
        "print('dateparser' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout.split() == ["False", "True"], out.stderr


def test_ties_log_dry_run_reads_natural_dates_thanks_and_kinds(
    tmp_path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from ties.cli import main
    from ties.model import Person

    path = tmp_path / "j.ties"
    with Store.open(path) as store:
        store.add_person(Person(name="Ben Okafor"))
    monkeypatch.setenv("TIES_DATE_ORDER", "DMY")
    line = "received coffee #expertise from @Ben last week: tips on the pitch; thanked"
    assert main(["log", "--dry-run", "--db", str(path), line]) == 0
    out = capsys.readouterr().out
    week_ago = (date.today() - timedelta(days=7)).isoformat()
    assert out.startswith(week_ago)
    assert "meeting (coffee)" in out and "with Ben Okafor" in out
    assert "· thanked ·" in out and "note: tips on the pitch\n" in out
    assert main(["log", "--dry-run", "--db", str(path), "met @Ben 1/2/2026"]) == 0
    assert capsys.readouterr().out.startswith("2026-02-01 (1/2/2026 read as day/month)")
    with Store.open(path) as store:
        assert store.count_entries() == 0
