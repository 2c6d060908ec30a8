"""Support coverage over a hand-built journal whose figures were worked out on paper.

The journal (as of 2026-06-30, a 365-day window: 2025-07-01 … 2026-06-30):

====  ==========  ============  ========  ================================  ======
 id   date        people        dir       types                             weight
====  ==========  ============  ========  ================================  ======
 e1   2025-06-30  Finn          received  confidant                         3  (one day too early)
 e2   2025-07-01  Ben           received  career_guidance                   2  (first day in)
 e3   2026-03-01  Cara          received  career_guidance                   2
 e4   2026-06-30  Dan           received  career_guidance                   1  (last day in)
 e5   2026-02-01  Ana           mutual    confidant, encouragement          3
 e6   2026-05-01  Ben, Cara     received  expertise                         2
 e7   2026-04-01  Eve (arch.)   received  internal_influence                3
 e8   2026-06-15  Dan           gave      introductions                     1
 e9   2026-01-10  Cara          contact   —                                 1
 e10  2024-01-01  Gus           received  opportunities                     1
 e11  2026-07-01  Ana           received  belonging                         1  (after as-of)
====  ==========  ============  ========  ================================  ======

People: Ana 5 friends (school, university); Ben 4 work Northwind; Cara 1 industry
Contoso; Dan 2 work Northwind; Eve 3 work Northwind, archived; Finn 3 family; Gus 1
industry Fabrikam.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from ties.analysis import coverage as cv
from ties.analysis import render
from ties.analysis.coverage import compute_coverage, provider_entry_ids
from ties.analysis.render import coverage_markdown
from ties.model import Entry, Person
from ties.store import Store, ValidationError, coverage_reads
from ties.store.coverage_reads import ACTIVE_SQL
from ties.store.people import PeopleFilter
from ties.store.window_totals import summed, window_totals

AS_OF = date(2026, 6, 30)


@pytest.fixture
def journal(store: Store) -> dict[str, int]:
    ids: dict[str, int] = {}
    for name, closeness, circle, org, phases, archived in [
        ("Ana", 5, "friends", "", ["school", "university"], False),
        ("Ben", 4, "work", "Northwind", [], False),
        ("Cara", 1, "industry", "Contoso", [], False),
        ("Dan", 2, "work", "Northwind", [], False),
        ("Eve", 3, "work", "Northwind", [], True),
        ("Finn", 3, "family", "", [], False),
        ("Gus", 1, "industry", "Fabrikam", [], False),
    ]:
        p = store.add_person(
            Person(
                name=name,
                closeness=closeness,
                circle=circle,
                organization=org,
                life_phases=phases,
                archived=archived,
            )
        )
        assert p.id is not None
        ids[name] = p.id
    for key, day, names, direction, types, weight in [
        ("e1", "2025-06-30", ["Finn"], "received", ["confidant"], 3),
        ("e2", "2025-07-01", ["Ben"], "received", ["career_guidance"], 2),
        ("e3", "2026-03-01", ["Cara"], "received", ["career_guidance"], 2),
        ("e4", "2026-06-30", ["Dan"], "received", ["career_guidance"], 1),
        ("e5", "2026-02-01", ["Ana"], "mutual", ["confidant", "encouragement"], 3),
        ("e6", "2026-05-01", ["Ben", "Cara"], "received", ["expertise"], 2),
        ("e7", "2026-04-01", ["Eve"], "received", ["internal_influence"], 3),
        ("e8", "2026-06-15", ["Dan"], "gave", ["introductions"], 1),
        ("e9", "2026-01-10", ["Cara"], "contact", [], 1),
        ("e10", "2024-01-01", ["Gus"], "received", ["opportunities"], 1),
        ("e11", "2026-07-01", ["Ana"], "received", ["belonging"], 1),
    ]:
        e = store.add_entry(
            Entry(
                date=date.fromisoformat(day),
                person_ids=[ids[n] for n in names],
                direction=direction,
                support_types=types,
                weight=weight,
            )
        )
        assert e.id is not None
        ids[key] = e.id
    return ids


def _providers(cov: cv.Coverage, key: str) -> list[tuple[str, int, int]]:
    return [(c.name, c.entries, c.weight) for c in cov.type(key).providers]


def _given(cov: cv.Coverage, key: str) -> list[tuple[str, int, int]]:
    return [(c.name, c.entries, c.weight) for c in cov.type(key).given_to]


def _suggested(cov: cv.Coverage, key: str) -> list[str]:
    return [s.name for s in cov.type(key).suggestions]


def test_window_edges_and_provider_order(store: Store, journal: dict[str, int]) -> None:
    cov = compute_coverage(store, AS_OF, 365)
    assert cov.first_day == date(2025, 7, 1)
    # e2 (first day) and e4 (last day) count; Ben and Cara tie on weight: by name.
    assert _providers(cov, "career_guidance") == [("Ben", 1, 2), ("Cara", 1, 2), ("Dan", 1, 1)]
    # e1 is one day too early: Finn is no provider, and not active either.
    assert _providers(cov, "confidant") == [("Ana", 1, 3)]
    # e11 is after the as-of date.
    assert not cov.type("belonging").covered


def test_one_day_window_holds_only_the_as_of_day(store: Store, journal: dict[str, int]) -> None:
    cov = compute_coverage(store, AS_OF, 1)
    assert cov.first_day == AS_OF
    assert [t.key for t in cov.support_types if t.covered] == ["career_guidance"]
    assert _providers(cov, "career_guidance") == [("Dan", 1, 1)]
    assert cov.ties.active == 1


def test_mutual_counts_both_ways(store: Store, journal: dict[str, int]) -> None:
    cov = compute_coverage(store, AS_OF)
    for key in ("confidant", "encouragement"):
        assert _providers(cov, key) == [("Ana", 1, 3)]
        assert _given(cov, key) == [("Ana", 1, 3)]
    assert _given(cov, "introductions") == [("Dan", 1, 1)]
    assert not cov.type("introductions").covered  # giving is not receiving


def test_entry_with_two_people_counts_for_each(store: Store, journal: dict[str, int]) -> None:
    cov = compute_coverage(store, AS_OF)
    assert _providers(cov, "expertise") == [("Ben", 1, 2), ("Cara", 1, 2)]


def test_archived_people_do_not_count(store: Store, journal: dict[str, int]) -> None:
    cov = compute_coverage(store, AS_OF)
    assert not cov.type("internal_influence").covered
    assert "Eve" not in _suggested(cov, "internal_influence")
    assert cov.ties.active == 4  # Ana, Ben, Cara, Dan; not Eve
    store.set_archived(journal["Cara"], True)
    cov = compute_coverage(store, AS_OF)
    assert _providers(cov, "expertise") == [("Ben", 1, 2)]
    assert cov.ties.active == 3


def test_every_type_appears_and_gaps_get_reasons(store: Store, journal: dict[str, int]) -> None:
    cov = compute_coverage(store, AS_OF)
    assert [t.key for t in cov.support_types] == [t.key for t in store.support_types()]
    assert {t.key for t in cov.gaps} == {
        "internal_influence",
        "industry_insight",
        "introductions",
        "opportunities",
        "shared_situation",
        "long_view",
        "belonging",
    }
    for t in cov.support_types:
        assert bool(t.suggestions) != t.covered  # suggestions for gaps only, here for each
        assert all(s.why for s in t.suggestions)
    # Someone who gave it before the window comes first.
    opp = cov.type("opportunities").suggestions
    assert opp[0].name == "Gus"
    assert opp[0].why == "gave you opportunities before this window (last on 2024-01-01)"
    assert _suggested(cov, "opportunities") == ["Gus", "Ana", "Ben", "Cara", "Dan"]
    # long_view: known through two life phases, then strong ties.
    assert _suggested(cov, "long_view") == ["Ana", "Ben"]
    assert "school, university" in cov.type("long_view").suggestions[0].why
    # industry_insight: the industry circle at other organisations than mine (Northwind).
    assert _suggested(cov, "industry_insight") == ["Cara", "Gus", "Ana", "Ben", "Dan"]
    assert cov.type("industry_insight").suggestions[1].why == "in your industry circle, at Fabrikam"
    # internal_influence: no organisation said to be mine: no "works at … too" guessed
    # from the work circle (issue #17 item 10); strong ties and active weak ties remain.
    assert _suggested(cov, "internal_influence") == ["Ana", "Ben", "Cara", "Dan"]
    assert not any("works at" in s.why for s in cov.type("internal_influence").suggestions)


def test_colleagues_only_at_the_organisation_i_said_is_mine(
    store: Store, journal: dict[str, int]
) -> None:
    store.set_setting("my_organization", "Northwind")
    cov = compute_coverage(store, AS_OF)
    # internal_influence: colleagues at my organisation, a strong tie, an active weak tie.
    assert _suggested(cov, "internal_influence") == ["Ben", "Dan", "Ana", "Cara"]
    assert cov.type("internal_influence").suggestions[0].why == "works at Northwind too"


def test_families_and_tie_shares(store: Store, journal: dict[str, int]) -> None:
    cov = compute_coverage(store, AS_OF)
    ins, psy = cov.families["instrumental"], cov.families["psychosocial"]
    # career_guidance 2+2+1 and expertise 2+2; Cara and Dan are weak, Ben strong.
    assert (ins.providers, ins.weight, ins.weak_weight, ins.strong_weight) == (3, 9, 5, 4)
    assert ins.weak_share == pytest.approx(5 / 9)
    # e5 carries two psychosocial types: it counts in both.
    assert (psy.providers, psy.weight, psy.weak_weight, psy.strong_weight) == (1, 6, 0, 6)
    assert psy.strong_share == 1.0
    assert (cov.ties.active, cov.ties.weak, cov.ties.strong) == (4, 2, 2)


def test_diversity_over_active_people(store: Store, journal: dict[str, int]) -> None:
    d = compute_coverage(store, AS_OF).diversity
    # circles: work 2, friends 1, industry 1 -> 1 - (1/4 + 1/16 + 1/16)
    assert d.circles == pytest.approx(0.625)
    assert d.largest_circle == "work" and d.largest_circle_share == 0.5
    # organisations: Ana has none and is left out; Northwind 2, Contoso 1
    assert d.organizations == pytest.approx(1 - (4 / 9 + 1 / 9))
    assert d.largest_organization == "Northwind"
    assert d.without_organization == 1


def test_nobody_active(store: Store) -> None:
    cov = compute_coverage(store, AS_OF)
    assert cov.ties.active == 0 and cov.diversity.largest_circle is None
    assert cov.diversity.circles == 0.0 and not any(t.covered for t in cov.support_types)
    assert cov.to_json()["diversity"] == {
        "circles": 0.0,
        "organizations": 0.0,
        "largest_circle": None,
    }


def test_retired_types_are_left_out(store: Store, journal: dict[str, int]) -> None:
    store.save_support_type(replace(store.support_type("expertise"), retired=True))
    cov = compute_coverage(store, AS_OF)
    assert "expertise" not in [t.key for t in cov.support_types]
    assert cov.families["instrumental"].weight == 5  # career_guidance only


def test_provider_families(store: Store, journal: dict[str, int]) -> None:
    fams = compute_coverage(store, AS_OF).provider_families()
    assert fams == {
        journal["Ana"]: {"psychosocial"},
        journal["Ben"]: {"instrumental"},
        journal["Cara"]: {"instrumental"},
        journal["Dan"]: {"instrumental"},
    }


def test_json_is_exactly_the_documented_shape(store: Store, journal: dict[str, int]) -> None:
    data = compute_coverage(store, AS_OF).to_json()
    json.dumps(data)  # plain JSON values only
    assert list(data) == [
        "as_of",
        "window_days",
        "support_types",
        "families",
        "ties",
        "diversity",
        "closure",
    ]
    assert data["as_of"] == "2026-06-30" and data["window_days"] == 365
    for t in data["support_types"]:
        assert list(t) == ["key", "family", "covered", "providers", "given_to", "suggestions"]
        for c in t["providers"] + t["given_to"]:
            assert list(c) == ["name", "uuid", "entries", "weight"]
        for s in t["suggestions"]:
            assert list(s) == ["name", "uuid", "why"]
    assert data["families"] == {
        "instrumental": {"providers": 3, "weight": 9},
        "psychosocial": {"providers": 1, "weight": 6},
    }
    assert data["ties"] == {"active": 4, "weak": 2, "strong": 2}
    assert data["diversity"] == {"circles": 0.62, "organizations": 0.44, "largest_circle": "work"}
    assert list(data["closure"]) == [
        "supporters",
        "pairs",
        "linked_pairs",
        "density",
        "know_another",
    ]


def test_bad_window_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError, match="between 1 and"):
        compute_coverage(store, AS_OF, 0)


def test_cell_entries(store: Store, journal: dict[str, int]) -> None:
    assert provider_entry_ids(store, journal["Ben"], "expertise", AS_OF, 365) == [journal["e6"]]
    got = provider_entry_ids(store, journal["Ben"], "career_guidance", AS_OF, 365)
    assert got == [journal["e2"]]
    assert provider_entry_ids(store, journal["Ben"], "career_guidance", AS_OF, 364) == []
    assert provider_entry_ids(store, journal["Dan"], "introductions", AS_OF, 365) == []


#: The received side joined from the entries, as before schema v3 kept them per person.
JOINED_SQL = """
SELECT s.type_key, ep.person_id, count(*), sum(e.weight)
FROM entries e
JOIN entry_people ep ON ep.entry_id = e.id
JOIN entry_support s ON s.entry_id = e.id
WHERE e.date > :start AND e.date <= :as_of AND e.direction IN ('received', 'mutual')
GROUP BY s.type_key, ep.person_id
"""


def test_kept_totals_and_the_rows_give_the_same_coverage(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_of = date(2026, 6, 30)
    held = compute_coverage(demo_store, as_of)
    assert window_totals(demo_store, "2025-06-30", "2026-06-30").held

    def side_from_rows(store: Store, lo: str, hi: str, side: str) -> list[tuple]:
        i = 2 if side == "received" else 4
        rows = summed(store.conn, lo, hi).sides
        return sorted((r[0], r[1], r[i], r[i + 1]) for r in rows if r[i])

    def active_from_rows(store: Store, lo: str, hi: str) -> set[int]:
        return {r[0] for r in store.conn.execute(ACTIVE_SQL, {"start": lo, "as_of": hi})}

    monkeypatch.setattr(cv, "side_totals", side_from_rows)
    monkeypatch.setattr(cv.reads, "active_ids", active_from_rows)
    from_rows = compute_coverage(demo_store, as_of)
    assert from_rows.to_json() == held.to_json()
    for a, b in zip(from_rows.support_types, held.support_types, strict=True):
        assert a.providers == b.providers and a.given_to == b.given_to
        assert a.weight == b.weight
    assert from_rows.families == held.families


def test_per_person_support_rows_agree_with_the_joins(demo_store: Store) -> None:
    as_of = date(2026, 6, 30)
    cov = compute_coverage(demo_store, as_of)
    params = {"start": "2025-06-30", "as_of": "2026-06-30"}
    archived = {p.id for p in demo_store.list_people(PeopleFilter(archived=True))}
    retired = {t.key for t in demo_store.support_types(include_retired=True) if t.retired}
    joined = {
        (key, pid): (n, w)
        for key, pid, n, w in demo_store.conn.execute(JOINED_SQL, params)
        if pid not in archived and key not in retired
    }
    ours = {
        (t.key, c.person_id): (c.entries, c.weight) for t in cov.support_types for c in t.providers
    }
    assert ours and ours == joined


def test_raw_provider_sql_gives_the_same_table(demo_store: Store) -> None:
    """The benchmark's baseline computes the provider table the function reports."""
    as_of = date(2026, 6, 30)
    cov = compute_coverage(demo_store, as_of)
    params = {"start": cv.window_start(as_of, 365).isoformat(), "as_of": as_of.isoformat()}
    archived = {p.id for p in demo_store.list_people(PeopleFilter(archived=True))}
    raw = {
        (key, pid): (n, w)
        for key, pid, n, w in coverage_reads.provider_table(demo_store, **params)
        if pid not in archived
    }
    ours = {
        (t.key, c.person_id): (c.entries, c.weight) for t in cov.support_types for c in t.providers
    }
    assert ours and ours == raw


def test_markdown_section(store: Store, journal: dict[str, int]) -> None:
    md = coverage_markdown(compute_coverage(store, AS_OF))
    assert md.startswith("## Support coverage\n")
    assert "- [x] **Career guidance**" in md
    assert "- [ ] **Introductions**" in md
    assert "maybe Gus: gave you opportunities before this window" in md


def test_support_after_the_as_of_date_does_not_count_for_suggestions(store: Store) -> None:
    """A strong tie who gave a type only after as-of "has never given it" as of then."""
    kim = store.add_person(Person("Kim", closeness=5))
    store.add_entry(Entry(date(2026, 8, 1), [kim.id], "received", support_types=["confidant"]))
    as_of = date(2026, 6, 30)
    gap = compute_coverage(store, as_of).type("confidant")
    assert not gap.covered
    assert [(s.name, "never given you confidant" in s.why) for s in gap.suggestions] == [
        ("Kim", True)
    ]
    fast = {t.key: t for t in cv.coverage_gaps(store, as_of)}
    assert fast["confidant"].suggestions == gap.suggestions


def test_the_window_phrase_counts_days_in_words(store: Store) -> None:
    cov = compute_coverage(store, AS_OF, 1)
    assert render.window_phrase(cov).endswith("(1 day)")
    assert render.window_phrase(compute_coverage(store, AS_OF, 2)).endswith("(2 days)")


def test_equal_weights_list_names_in_the_order_every_list_uses(store: Store) -> None:
    """Accents and case are ignored, as in `ties people`: Ärne and Émile before Zed."""
    ids = [store.add_person(Person(name=n)).id for n in ("Zed", "adam", "Émile", "Ärne")]
    store.add_entry(
        Entry(
            date=date(2026, 6, 1),
            person_ids=ids,
            direction="received",
            support_types=["confidant"],
            weight=2,
        )
    )
    cov = compute_coverage(store, as_of=date(2026, 6, 30))
    providers = [p.name for p in cov.type("confidant").providers]
    assert providers == ["adam", "Ärne", "Émile", "Zed"]
    people = [p.name for p in store.list_people()]
    assert people == providers


def test_a_weak_tie_met_once_is_suggested_in_words(store: Store) -> None:
    pid = store.add_person(Person(name="Wes", closeness=1)).id
    store.add_entry(Entry(date=date(2026, 6, 1), person_ids=[pid], direction="contact"))
    cov = compute_coverage(store, as_of=date(2026, 6, 30))
    why = [s.why for s in cov.type("opportunities").suggestions if s.name == "Wes"]
    assert why == ["a weak tie (acquaintance) you were in touch with once in this window"]


def test_closure_counts_supporters_who_know_one_another() -> None:
    from ties.analysis.coverage import closure_of

    c = closure_of({1, 2, 3, 4}, [(1, 2), (2, 1), (3, 9), (2, 3), (5, 6), (4, 4)])
    assert (c.supporters, c.pairs, c.linked_pairs, c.know_another) == (4, 6, 2, 3)
    assert c.to_json()["density"] == 0.33
    assert closure_of(set(), []).density == 0.0


def test_coverage_json_has_the_closure_of_my_supporters(store: Store) -> None:
    from datetime import date

    from ties.analysis.coverage import compute_coverage
    from ties.model import Entry, Person

    a, b, c = (store.add_person(Person(n)) for n in ("A", "B", "C"))
    assert a.id and b.id and c.id
    for p in (a, b, c):
        store.add_entry(
            Entry(date(2026, 6, 1), [p.id], direction="received", support_types=["expertise"])
        )
    cov = compute_coverage(store, date(2026, 6, 30))
    assert cov.to_json()["closure"] == {
        "supporters": 3,
        "pairs": 3,
        "linked_pairs": 0,
        "density": 0.0,
        "know_another": 0,
    }
    store.link(a.id, b.id, "friend")
    store.link(b.id, c.id, "colleague")
    closure = compute_coverage(store, date(2026, 6, 30)).to_json()["closure"]
    assert (closure["linked_pairs"], closure["know_another"], closure["density"]) == (2, 3, 0.67)


def test_a_person_tag_narrows_coverage_to_the_people_who_carry_it(
    store: Store, journal: dict[str, int]
) -> None:
    for name in ("Ben", "Dan"):
        p = store.get_person(journal[name])
        store.update_person(replace(p, tags=["northwind"]))
    cov = compute_coverage(store, AS_OF, 365, only=store.tagged_ids("Northwind"))
    assert _providers(cov, "career_guidance") == [("Ben", 1, 2), ("Dan", 1, 1)]
    assert _providers(cov, "expertise") == [("Ben", 1, 2)]  # e6 named Cara too: not hers
    assert not cov.type("confidant").covered  # Ana gave it; she has no tag
    assert cov.ties.active == 2
    assert "Ana" not in _suggested(cov, "confidant")  # suggestions come from the tag too
    everyone = compute_coverage(store, AS_OF, 365)
    assert _providers(everyone, "confidant") == [("Ana", 1, 3)]


@pytest.mark.parametrize("window_days", [30, 365, 2000])
def test_the_maps_given_types_follow_the_coverage_rules(
    demo_store: Store, window_days: int
) -> None:
    """The map's light read names the same givers and families as the whole coverage."""
    from ties.analysis.coverage import given_types

    as_of = date(2026, 6, 30)
    people = demo_store.list_people()
    demo_store.set_archived(people[0].id, True)  # archived people count nowhere
    cov = compute_coverage(demo_store, as_of, window_days)
    light = given_types(demo_store, as_of, window_days)
    assert light.types_by_person() == cov.types_by_person()
    assert light.provider_families() == cov.provider_families()
    assert light.types_by_person(), "the sample has givers in the window"


def test_near_the_kept_window_and_far_from_it_the_figures_are_the_same(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Who was active and the weak ties' counts come from everyone's kept sums near the kept
    window, from a probe per person elsewhere: the same coverage and suggestions either way."""
    from ties.store import window_totals as wt

    window = wt.kept_window(demo_store.conn)
    assert window is not None
    kept_end = date.fromisoformat(window[1])
    for as_of, days in ((kept_end, 365), (kept_end, 363), (date(2026, 6, 30), 365)):
        demo_store._window_memo = None
        a = compute_coverage(demo_store, as_of, days)
        demo_store._window_memo = None
        with monkeypatch.context() as m:
            m.setattr(cv, "near_kept_window", lambda *_a: False)
            b = compute_coverage(demo_store, as_of, days)
        assert a.to_json() == b.to_json()
        assert a.ties == b.ties and a.diversity == b.diversity
    assert wt.near_kept_window(demo_store, *window)  # the first case took the kept path
    assert not wt.near_kept_window(demo_store, "2025-06-30", "2026-06-30")


def test_weak_ties_suggested_near_the_kept_window_are_counted_alike(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An instrumental gap asks for the weak ties' counts (rule 4): read from everyone's kept
    sums near the kept window, or counted per weak tie elsewhere, the same suggestions."""
    from datetime import timedelta

    today = date.today()
    ids = []
    for i, closeness in enumerate([1, 2, 3, 1, 2, 5, 1]):
        p = store.add_person(Person(name=f"P{i}", closeness=closeness, archived=i == 6))
        ids.append(p.id)
    for n, pid in enumerate(ids):
        for k in range(n % 4 + 1):
            store.add_entry(
                Entry(date=today - timedelta(days=3 + k * 5), person_ids=[pid], direction="gave")
            )
    store._window_memo = None
    a = compute_coverage(store, today, 365)
    monkeypatch.setattr(cv, "near_kept_window", lambda *_a: False)
    store._window_memo = None
    b = compute_coverage(store, today, 365)
    assert a.to_json() == b.to_json()
    weak = [s.name for t in a.gaps for s in t.suggestions if "weak tie" in s.why]
    assert weak and "P6" not in weak and "P2" not in weak  # archived, or not a weak tie
