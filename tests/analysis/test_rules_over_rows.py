"""The analyses' rules over hand-built rows: no journal is built here.

Each analysis reads its inputs through ``ties.store.*_reads`` and computes over
them with a pure function; these tests call those functions directly.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from ties.analysis.coverage import (
    SuggestionInputs,
    TypeCoverage,
    coverage_from_rows,
    suggest,
)
from ties.analysis.map_layout import introduction_links_from_rows, map_people_from_rows
from ties.analysis.reciprocity import balances_from_rows, timeline_from_rows
from ties.analysis.today import gap_items, matches
from ties.model import DEFAULT_CADENCE_DAYS, Circle, SupportType
from ties.store.balance_reads import (
    BalancePerson,
    BehalfSums,
    FlaggedEntry,
    MonthSums,
    UnthankedEntry,
)
from ties.store.coverage_reads import CoveragePerson
from ties.store.map_reads import MapPersonRow
from ties.store.today_reads import MatchPerson

AS_OF = date(2026, 6, 30)
TYPES = [
    SupportType(
        "career_guidance", "Career guidance", "instrumental", "Someone who guides my career"
    ),
    SupportType("confidant", "Confidant", "psychosocial", "Someone I can confide in"),
]
CIRCLES = [Circle("work", "Work"), Circle("friends", "Friends")]


def _person(pid: int, name: str, closeness: int, circle: str = "work", org: str = "", archived=0):
    return CoveragePerson(pid, f"u{pid}", name, circle, org, closeness, archived)


PEOPLE = {
    1: _person(1, "Ana", 5, org="Acme"),
    2: _person(2, "Ben", 1, "friends"),
    3: _person(3, "Cy", 3, org="acme"),
    4: _person(4, "Dora", 4, archived=1),
}


def _coverage(sides, people):
    """Coverage from the window's sums as the store keeps them: each side apart, sorted by
    type and person, and everybody named on an entry."""
    received = sorted((k, pid, rn, rw) for k, pid, rn, rw, _gn, _gw in sides if rn)
    given = sorted((k, pid, gn, gw) for k, pid, _rn, _rw, gn, gw in sides if gn)
    active = [r[0] for r in people]
    return coverage_from_rows(AS_OF, 365, received, given, active, TYPES, PEOPLE, CIRCLES)


# ------------------------------------------------------------------ coverage


def test_providers_by_weight_then_name_without_archived_or_retired() -> None:
    cov = _coverage(
        [
            ("confidant", 3, 1, 2, 0, 0),
            ("confidant", 1, 2, 2, 1, 1),
            ("confidant", 4, 5, 9, 0, 0),  # archived: left out
            ("retired_type", 1, 1, 1, 0, 0),  # not in use: left out
            ("career_guidance", 2, 0, 0, 1, 3),  # only given to Ben
        ],
        [(1, 3, 5, 1, 2, 0), (2, 1, 3, 3, 0, 0), (3, 1, 2, 0, 2, 0), (4, 5, 9, 0, 9, 0)],
    )
    confidant = cov.type("confidant")
    assert [(c.name, c.entries, c.weight) for c in confidant.providers] == [
        ("Ana", 2, 2),
        ("Cy", 1, 2),
    ]
    assert [c.name for c in confidant.given_to] == ["Ana"]
    guidance = cov.type("career_guidance")
    assert not guidance.covered and [c.name for c in guidance.given_to] == ["Ben"]
    assert [t.key for t in cov.gaps] == ["career_guidance"]
    psy = cov.families["psychosocial"]
    assert (psy.providers, psy.weight, psy.strong_weight, psy.weak_weight) == (2, 4, 2, 0)
    assert (cov.ties.active, cov.ties.weak, cov.ties.strong) == (3, 1, 1)
    # Diversity: Acme and acme are one organisation; Ben has none.
    assert cov.diversity.largest_circle == "work" and cov.diversity.largest_circle_label == "Work"
    assert cov.diversity.organizations == 0.0 and cov.diversity.without_organization == 1


def _gap(key: str = "career_guidance") -> TypeCoverage:
    t = next(t for t in TYPES if t.key == key)
    return TypeCoverage(t.key, t.label, t.family, t.question)


def test_suggestions_earlier_providers_then_strong_ties_then_weak_ones() -> None:
    gap = _gap()
    inputs = SuggestionInputs(histories={"career_guidance": {3: "2024-01-05", 4: "2024-02-01"}})
    suggest([gap], {t.key: t for t in TYPES}, PEOPLE, Counter({2: 4}), inputs)
    assert [(s.name, s.why.split(" (")[0]) for s in gap.suggestions] == [
        ("Cy", "gave you career guidance before this window"),  # Dora is archived
        ("Ana", "a strong tie"),
        ("Ben", "a weak tie"),
    ]
    assert gap.suggestions[2].why.endswith("in touch with 4 times in this window")


def test_weak_ties_are_offered_for_instrumental_gaps_only() -> None:
    gap = _gap("confidant")
    activity_asked = []

    def activity() -> Counter[int]:
        activity_asked.append(True)
        return Counter({2: 1})

    suggest([gap], {t.key: t for t in TYPES}, PEOPLE, activity, SuggestionInputs({}))
    assert [s.name for s in gap.suggestions] == ["Ana"]
    assert activity_asked == []  # not even read


def test_gap_items_name_up_to_three_who_might() -> None:
    gap = _gap()
    suggest([gap], {t.key: t for t in TYPES}, PEOPLE, Counter({2: 1}), SuggestionInputs({}))
    (item,) = gap_items([gap], 365)
    assert item.key == "gap:career_guidance" and item.group == "coverage_gap"
    assert item.title == "Nobody gave you career guidance in the last year"
    assert item.detail == "Someone who guides my career. Who might: Ana, Ben."
    assert item.person_ids == [1, 2]


# ------------------------------------------------------------------ balances


def _bp(pid: int, name: str, last: str | None, closeness: int = 3, archived: int = 0):
    return BalancePerson(pid, name, f"u{pid}", closeness, 0, None, archived, "2020-01-01", last)


def test_balance_flags_and_on_behalf_entries() -> None:
    people = [
        _bp(1, "Ana", "2026-06-29"),
        _bp(2, "Ben", "2025-01-01", closeness=5),  # quiet far past 14 days
        _bp(3, "Cy", None, archived=1),
    ]
    sums = [(1, 9, 1, 0, 4, 10), (3, 0, 9, 0, 3, 9)]
    behalf = [BehalfSums(2, 2, 1)]
    due = [FlaggedEntry(1, 11, "e11", "2026-06-01", "2026-06-15", "call back", "Ana")]
    thanks = [UnthankedEntry(2, 12, "2026-06-20")]
    out, rows, thanked = balances_from_rows(
        AS_OF, sums, behalf, people, due, thanks, DEFAULT_CADENCE_DAYS, by_name=True
    )
    ana, ben, cy = out
    assert ana.flags == ["follow_up_due", "over_giving"] and ana.follow_ups_due == [11]
    assert (ben.given, ben.entries, ben.weight) == (2, 1, 2)  # made on his behalf
    assert ben.flags == ["unthanked", "dormant"] and ben.cadence_days == 14
    assert cy.flags == [] and cy.archived  # archived people never get flags
    assert rows[11].note == "call back" and set(rows) == {11}
    assert thanked == {12: thanks[0]}


def test_balances_of_chosen_people_only() -> None:
    people = [_bp(1, "Ana", None), _bp(2, "Ben", None)]
    out = balances_from_rows(AS_OF, [], [], people, [], [], {}, wanted={2}).balances
    assert [b.name for b in out] == ["Ben"] and out[0].cadence_days == 90


def test_timeline_fills_quiet_months_and_runs_the_balance() -> None:
    rows = [MonthSums("2026-03", 3, 1, 2), MonthSums("2026-05", 0, 4, 1)]
    points = timeline_from_rows(rows, AS_OF)
    assert [(p.month, p.given, p.received, p.balance) for p in points] == [
        ("2026-03", 3, 1, 2),
        ("2026-04", 0, 0, 2),
        ("2026-05", 0, 4, -2),
        ("2026-06", 0, 0, -2),
    ]
    assert timeline_from_rows([], AS_OF) == []


# ------------------------------------------------------------------ today, map


def test_matches_introduce_needs_to_offers_and_to_my_offers() -> None:
    rows = [
        MatchPerson(1, "Ana", "a", 5, "advice on gardening", ""),
        MatchPerson(2, "Ben", "b", 2, "", "gardening tools"),
        MatchPerson(3, "Cy", "c", 3, "a plumber", ""),
    ]
    index = {("offers", "gardening"): {2}, ("needs", "plumber"): {3}}

    def mentioning(column: str, word: str) -> set[int]:
        return index.get((column, word), set())

    items = matches(rows, mentioning, "I know a good plumber", hidden=set())
    assert [(i.title, i.words) for i in items] == [
        ("Introduce Ana to Ben", ["gardening"]),
        ("You could help Cy", ["plumber"]),
    ]
    assert matches(rows, mentioning, "", hidden={"match:a:b"}) == []


def test_introduction_links_count_pairs_and_on_behalf_introductions() -> None:
    named = [(10, 2), (10, 1), (11, 2), (11, 3), (12, 3), (12, 2), (13, 1), (14, 2)]
    links = introduction_links_from_rows(named, {13: 3, 14: 9}, {1, 2, 3})
    assert [(link.a, link.b, link.count) for link in links] == [(1, 2, 1), (1, 3, 1), (2, 3, 2)]
    # three named: three pairs; made on behalf of someone it also names: counted once
    links = introduction_links_from_rows([(5, 3), (5, 1), (5, 2)], {5: 2}, {1, 2, 3})
    assert [(link.a, link.b, link.count) for link in links] == [(1, 2, 1), (1, 3, 1), (2, 3, 1)]


def test_map_nodes_take_balance_class_activity_and_families_from_their_inputs() -> None:
    rows = [
        MapPersonRow(1, "Ana", "work", 5, 0, "2026-06-01", "Acme"),
        MapPersonRow(2, "Ben", "friends", 2, 1, "2020-01-05", None),
    ]
    ana = balances_from_rows(
        AS_OF, [(1, 9, 1, 0, 4, 10)], [], [_bp(1, "Ana", "2026-06-29")], [], [], {}
    )[0][0]
    nodes = map_people_from_rows(rows, {1: ana}, {1: {"psychosocial", "instrumental"}})
    a, b = nodes
    assert (a.balance_class, a.activity, a.entries, a.support) == ("over_giving", 10.0, 4, "both")
    assert a.last_contact == date(2026, 6, 29)  # the balance's, as of the day asked
    assert (b.balance_class, b.activity, b.support, b.archived) == ("balanced", 0.0, "none", True)
    assert b.last_contact == date(2020, 1, 5) and b.organization == ""


def test_the_first_few_are_the_first_of_the_whole_list() -> None:
    """A report's line of names (made without sorting every cell) is the list's beginning."""
    people = {i: _person(i, f"P{i:02d}", 3) for i in range(1, 30)}
    sides = [("confidant", i, 1, (i * 7) % 5 + 1, 1, (i * 3) % 4 + 1) for i in range(1, 30)]
    received = sorted((k, pid, rn, rw) for k, pid, rn, rw, _gn, _gw in sides)
    given = sorted((k, pid, gn, gw) for k, pid, _rn, _rw, gn, gw in sides)
    for n in (1, 6, 40):
        cov = coverage_from_rows(AS_OF, 365, received, given, [], TYPES, people, CIRCLES)
        t = cov.type("confidant")
        first, first_given = t.first_providers(n), t.first_given_to(n)
        assert first == t.providers[:n] and first_given == t.given_to[:n]
        weights = [c.weight for c in t.providers]
        assert weights == sorted(weights, reverse=True)


def test_the_weak_ties_offered_are_the_most_in_touch_then_by_name() -> None:
    """Rule 4 offers the first weak ties by entries (most first), then name, then id,
    however many share a count at the cut."""
    import random

    from ties.analysis.names import name_key

    rng = random.Random(11)
    names = ["Émile", "emile", "Zoë", "Ana", "ana", "Bo", "Ça", "Dag", "Eve", "Öz", "Uma"]
    for _ in range(60):
        people = {
            i: _person(i, rng.choice(names), rng.choice([1, 2, 2, 3, 5]), archived=int(i % 9 == 0))
            for i in range(1, rng.randint(2, 40))
        }
        counts = Counter({pid: rng.choice([1, 1, 2, 3, 7]) for pid in people if rng.random() < 0.8})
        history = {pid: None for pid in people if rng.random() < 0.1}
        gap = TypeCoverage("career_guidance", "Career guidance", "instrumental", "")
        suggest(
            [gap],
            {t.key: t for t in TYPES},
            people,
            counts,
            SuggestionInputs({"career_guidance": history}),
        )
        weak = [
            pid
            for pid in counts
            if people[pid].closeness in (1, 2) and not people[pid].archived and pid not in history
        ]
        weak.sort(key=lambda pid: (-counts[pid], name_key(people[pid].name), pid))
        offered = [s.person_id for s in gap.suggestions if "weak tie" in s.why]
        assert offered == weak[: len(offered)]
        assert len(offered) == min(
            len(weak), 5 - sum("weak tie" not in s.why for s in gap.suggestions)
        )
