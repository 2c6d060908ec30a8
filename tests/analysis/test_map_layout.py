"""The map layout: every node on its ring, inside its sector, never overlapping."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ties.analysis.map_layout import (
    LayoutParams,
    MapLayout,
    MapPerson,
    layout_map,
    map_data,
    node_radius,
    organization_link_list,
    place_labels,
)
from ties.model import Entry, Person
from ties.store import Store

CIRCLES = ["work", "industry", "community", "family", "friends", "school", "online", "other"]


def _people(n: int, seed: int = 1) -> list[MapPerson]:
    rng = random.Random(seed)
    return [
        MapPerson(
            id=i + 1,
            name=f"Person {i}",
            circle=rng.choices(CIRCLES, [28, 22, 10, 8, 14, 8, 7, 3])[0],
            closeness=rng.choices([1, 2, 3, 4, 5], [30, 30, 22, 12, 6])[0],
            activity=rng.paretovariate(1.2) if rng.random() < 0.8 else 0.0,
        )
        for i in range(n)
    ]


def _angle_in(angle: float, start: float, end: float) -> bool:
    """Is ``angle`` within [start, end] modulo a full turn?"""
    turn = 2 * math.pi
    a = (angle - start) % turn
    return a <= (end - start) + 1e-9


def _check(people: list[MapPerson], layout: MapLayout) -> None:
    by_id = {p.id: p for p in people}
    rings = {r.closeness: r for r in layout.rings}
    sectors = {s.key: s for s in layout.sectors}
    assert sorted(n.id for n in layout.nodes) == sorted(by_id)
    for n in layout.nodes:
        p = by_id[n.id]
        ring = rings[p.closeness]
        d = math.hypot(n.x, n.y)
        assert ring.inner - 1e-6 <= d - n.r and d + n.r <= ring.outer + 1e-6, (p, ring, d)
        sector = sectors[p.circle]
        assert _angle_in(math.atan2(n.y, n.x), sector.start, sector.end), (p, sector)
        assert layout.ring_at(d) == p.closeness
    gap = layout.params.gap
    nodes = sorted(layout.nodes, key=lambda n: n.x)
    for i, a in enumerate(nodes):  # sweep along x: only near neighbours can touch
        for b in nodes[i + 1 :]:
            if b.x - a.x > 2 * layout.params.max_radius + gap:
                break
            assert math.hypot(a.x - b.x, a.y - b.y) >= a.r + b.r + gap - 1e-6, (a, b)


def test_three_hundred_people_sit_on_their_rings_in_their_sectors_without_overlap() -> None:
    people = _people(300)
    layout = layout_map(people, CIRCLES)
    _check(people, layout)
    assert [r.closeness for r in layout.rings] == [5, 4, 3, 2, 1]


def test_rings_go_outwards_and_leave_room_for_their_labels() -> None:
    layout = layout_map(_people(300), CIRCLES)
    params = layout.params
    for inner, outer in zip(layout.rings, layout.rings[1:], strict=False):
        assert inner.outer < inner.label_radius < outer.inner
        # the label's box (at twelve o'clock) stays out of both bands
        top = inner.label_radius + params.ring_label_height / 2
        assert math.hypot(top, params.ring_label_width / 2) <= outer.inner
        assert inner.label_radius - params.ring_label_height / 2 >= inner.outer


def test_sectors_follow_the_number_of_people_in_each_circle() -> None:
    people = _people(300)
    layout = layout_map(people, CIRCLES)
    spans = {s.key: s.end - s.start for s in layout.sectors}
    counts = {s.key: s.count for s in layout.sectors}
    assert math.isclose(sum(spans.values()), 2 * math.pi)
    assert max(counts, key=counts.get) == max(spans, key=spans.get)
    ordered = sorted(counts, key=counts.get)
    assert spans[ordered[-1]] > spans[ordered[0]]
    # in the order given: work first, from twelve o'clock clockwise
    assert [s.key for s in layout.sectors] == [c for c in CIRCLES if counts.get(c)]


def test_empty_circles_get_no_sector_and_an_empty_map_still_has_rings() -> None:
    layout = layout_map([], CIRCLES)
    assert layout.nodes == [] and layout.sectors == []
    assert len(layout.rings) == 5
    one = layout_map([MapPerson(1, "Ana", "family", 5, 3.0)], CIRCLES)
    assert [s.key for s in one.sectors] == ["family"]
    _check([MapPerson(1, "Ana", "family", 5, 3.0)], one)


def test_more_activity_means_a_bigger_node() -> None:
    params = LayoutParams()
    sizes = [node_radius(a, 50, params) for a in (0, 1, 5, 50)]
    assert sizes == sorted(sizes) and sizes[0] == params.min_radius
    assert sizes[-1] == pytest.approx(params.max_radius)


def test_node_at_finds_the_node_under_a_point_and_nothing_in_empty_space() -> None:
    people = _people(120, seed=5)
    layout = layout_map(people, CIRCLES)
    for n in layout.nodes[::7]:
        assert layout.node_at(n.x + n.r * 0.5, n.y).id == n.id
    assert layout.node_at(0, 0) is None  # that is me
    assert layout.node_at(layout.radius * 3, 0) is None


def test_ten_thousand_people_still_lay_out_without_overlap() -> None:
    people = _people(10_000, seed=2)
    layout = layout_map(people, CIRCLES)
    _check(people, layout)


person_strategy = st.builds(
    lambda c, k, a: (c, k, a),
    st.sampled_from(CIRCLES),
    st.integers(1, 5),
    st.one_of(st.just(0.0), st.floats(0.1, 500)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(person_strategy, max_size=160))
def test_layout_invariants_hold_for_any_network(specs: list[tuple[str, int, float]]) -> None:
    people = [
        MapPerson(id=i + 1, name=f"P{i}", circle=c, closeness=k, activity=a)
        for i, (c, k, a) in enumerate(specs)
    ]
    _check(people, layout_map(people, CIRCLES[:3]))


def test_labels_never_overlap_each_other_or_any_node() -> None:
    layout = layout_map(_people(300), CIRCLES)
    scale = 0.7
    discs = [(n.x * scale, n.y * scale, n.r * scale) for n in layout.nodes]
    widths = [60.0 + (i % 5) * 10 for i in range(len(discs))]
    obstacle = (-40.0, -40.0, 40.0, 40.0)
    boxes = place_labels(discs, widths, 12.0, range(len(discs)), obstacles=[obstacle])
    assert 30 < len(boxes) < len(discs)  # some fit, not all

    def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    rects = [(b.x, b.y, b.x + b.w, b.y + b.h) for b in boxes]
    for i, r in enumerate(rects):
        assert not overlap(r, obstacle)
        assert all(not overlap(r, q) for q in rects[i + 1 :])
        for x, y, rad in discs:
            assert not overlap(r, (x - rad, y - rad, x + rad, y + rad))


# ------------------------------------------------------------------------ map_data


@dataclass
class FakeBalance:
    person_id: int
    weight: int
    entries: int
    given: int = 0
    received: int = 0
    balance: int = 0
    last_contact: date | None = None
    flags: list[str] = field(default_factory=list)


@dataclass
class FakeCoverage:
    families: dict[int, set[str]]
    received: dict[int, dict[str, int]]

    def provider_families(self) -> dict[int, set[str]]:
        return self.families

    def types_by_person(self) -> dict[int, set[str]]:
        return {pid: set(types) for pid, types in self.received.items()}


def _journal(store: Store) -> dict[str, int]:
    ids = {}
    for name, circle, org, closeness, archived in (
        ("Ana Ruiz", "work", "Northwind", 5, False),
        ("Ben Okafor", "work", "Northwind", 2, False),
        ("Cleo Park", "friends", "", 3, False),
        ("Dan Old", "family", "", 4, True),
    ):
        p = store.add_person(
            Person(
                name=name, circle=circle, organization=org, closeness=closeness, archived=archived
            )
        )
        ids[name] = p.id
    store.add_entry(
        Entry(
            date=date(2026, 6, 1),
            person_ids=[ids["Ana Ruiz"], ids["Cleo Park"]],
            kind="introduction",
            direction="gave",
            support_types=["introductions"],
        )
    )
    for named, behalf in ((["Ben Okafor"], "Cleo Park"), (["Ana Ruiz", "Cleo Park"], "Ana Ruiz")):
        store.add_entry(  # made on behalf of someone: they count as named (once)
            Entry(
                date=date(2026, 6, 3),
                person_ids=[ids[n] for n in named],
                kind="introduction",
                direction="gave",
                on_behalf_of=ids[behalf],
            )
        )
    store.add_entry(
        Entry(
            date=date(2026, 6, 2),
            person_ids=[ids["Ben Okafor"]],
            direction="received",
            support_types=["expertise", "encouragement"],
        )
    )
    return ids


def test_map_data_uses_the_balance_and_coverage_figures_it_is_given(store: Store) -> None:
    ids = _journal(store)
    seen = []

    def balances(s: Store, as_of: date, window_days: int) -> list[FakeBalance]:
        seen.append((as_of, window_days))
        return [
            FakeBalance(
                ids["Ana Ruiz"], weight=7, entries=4, given=9, received=1, flags=["over_giving"]
            ),
            FakeBalance(ids["Ben Okafor"], weight=2, entries=1, flags=["dormant", "over_taking"]),
        ]

    def coverage(s: Store, as_of: date, window_days: int) -> FakeCoverage:
        return FakeCoverage(
            {
                ids["Ben Okafor"]: {"instrumental", "psychosocial"},
                ids["Cleo Park"]: {"psychosocial"},
            },
            {ids["Ben Okafor"]: {"expertise": 1, "encouragement": 1}},
        )

    data = map_data(store, date(2026, 6, 30), 90, balances_fn=balances, coverage_fn=coverage)
    assert seen == [(date(2026, 6, 30), 90)]
    people = {p.name: p for p in data.people}
    assert "Dan Old" not in people  # archived: hidden unless asked for
    ana, ben, cleo = people["Ana Ruiz"], people["Ben Okafor"], people["Cleo Park"]
    assert (ana.activity, ana.entries, ana.balance_class, ana.support) == (
        7,
        4,
        "over_giving",
        "none",
    )
    assert (ben.dormant, ben.balance_class, ben.support) == (True, "over_taking", "both")
    assert (cleo.activity, cleo.support, cleo.balance_class) == (0, "psychosocial", "balanced")
    assert sorted((lk.a, lk.b, lk.kind, lk.count) for lk in data.links) == sorted(
        [
            (ids["Ana Ruiz"], ids["Cleo Park"], "introduction", 2),
            (ids["Ben Okafor"], ids["Cleo Park"], "introduction", 1),
        ]
    )
    assert data.support_types[ids["Ben Okafor"]] == {"expertise", "encouragement"}
    assert [k for k, _ in data.circles][:2] == ["work", "industry"]

    everyone = map_data(
        store,
        date(2026, 6, 30),
        90,
        include_archived=True,
        organization_links=True,
        balances_fn=balances,
        coverage_fn=coverage,
    )
    assert {p.name for p in everyone.people} == {*people, "Dan Old"}
    assert ("organization", ids["Ana Ruiz"], ids["Ben Okafor"]) in {
        (lk.kind, lk.a, lk.b) for lk in everyone.links
    }


def _journal_rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table but the kept window totals (a cache coverage may move)."""
    tables = [
        r[0]
        for r in store.conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'window_%'"
        )
    ]
    return {
        t: sorted(store.conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables
    }


def test_map_data_changes_nothing_in_the_journal(store: Store) -> None:
    _journal(store)
    before = _journal_rows(store)
    map_data(store, date(2026, 6, 30), 365)
    assert _journal_rows(store) == before
    held = store.conn.total_changes
    map_data(store, date(2026, 6, 30), 365)  # the same window again: not even the totals move
    assert store.conn.total_changes == held


def test_a_big_organisation_becomes_a_star_not_a_hairball() -> None:
    staff = [
        MapPerson(i, f"P{i}", "work", 3, activity=float(i), organization="Globex")
        for i in range(1, 21)
    ]
    links = organization_link_list(staff)
    assert len(links) == 19
    assert all(20 in (lk.a, lk.b) for lk in links)  # the most active one is the hub
    small = organization_link_list(staff[:3])
    assert len(small) == 3


def test_the_real_computations_colour_the_sample_map(demo_store: Store) -> None:
    """With the real reciprocity and coverage figures: colours, borders and fading agree."""
    from ties.analysis.coverage import compute_coverage
    from ties.analysis.reciprocity import balances

    as_of = date(2026, 6, 30)
    data = map_data(demo_store, as_of, 365)
    people = {p.id: p for p in data.people}
    families = compute_coverage(demo_store, as_of, 365).provider_families()
    flags = {b.person_id: set(b.flags) for b in balances(demo_store, as_of, 365)}
    assert {p.support for p in people.values()} >= {"instrumental", "psychosocial", "none"}
    for pid, p in people.items():
        assert p.families == families.get(pid, set())
        assert p.dormant == ("dormant" in flags[pid])
        assert (p.balance_class == "over_giving") == ("over_giving" in flags[pid])
    assert any(p.dormant for p in people.values())
    assert any(link.kind == "introduction" for link in data.links)


def test_person_links_among_the_people_shown() -> None:
    from ties.analysis.map_layout import person_link_list

    rows = [(1, 2, "partner", 0), (2, 3, "introduced me to", 1), (1, 9, "friend", 0)]
    links = person_link_list(rows, {1, 2, 3})
    assert [(lk.a, lk.b, lk.kind, lk.relation, lk.directed) for lk in links] == [
        (1, 2, "person", "partner", False),
        (2, 3, "person", "introduced me to", True),
    ]


def test_map_data_adds_person_links_when_asked(store: Store) -> None:
    from ties.model import Person

    a, b = store.add_person(Person("A")), store.add_person(Person("B"))
    assert a.id and b.id
    store.link(a.id, b.id, "colleague")
    plain = map_data(store, date(2026, 6, 30), 365)
    assert [lk for lk in plain.links if lk.kind == "person"] == []
    linked = map_data(store, date(2026, 6, 30), 365, person_links=True)
    assert [(lk.a, lk.b, lk.relation) for lk in linked.links if lk.kind == "person"] == [
        (a.id, b.id, "colleague")
    ]


@pytest.mark.parametrize("n", [15, 300, 2000])
@pytest.mark.parametrize("change", ["ring", "circle"])
def test_moving_one_person_leaves_everybody_else_in_place(n: int, change: str) -> None:
    people = _people(n)
    before = layout_map(people, CIRCLES)
    mover = people[n // 3]
    if change == "ring":
        moved = replace(mover, closeness=mover.closeness % 5 + 1)
    else:
        moved = replace(mover, circle="family" if mover.circle != "family" else "work")
    now = [moved if p.id == mover.id else p for p in people]
    after = layout_map(now, CIRCLES, previous=before)
    _check(now, after)
    for node in after.nodes:
        if node.id != mover.id:
            old = before.node(node.id)
            assert (node.x, node.y) == (old.x, old.y), node
    back = layout_map(people, CIRCLES, previous=after)  # undo: back to the very same place
    assert [(n.id, n.x, n.y) for n in sorted(back.nodes, key=lambda n: n.id)] == [
        (n.id, n.x, n.y) for n in sorted(before.nodes, key=lambda n: n.id)
    ]


def test_many_changes_lay_the_map_out_afresh() -> None:
    people = _people(300)
    before = layout_map(people, CIRCLES)
    fewer = [p for p in people if p.circle != "work"]  # a filter, not a move
    fresh = layout_map(fewer, CIRCLES)
    assert layout_map(fewer, CIRCLES, previous=before).nodes == fresh.nodes


def test_on_a_crowded_map_a_name_may_cover_only_less_important_dots() -> None:
    # a tight row of dots: no name fits between them
    discs = [(i * 10.0, 0.0, 4.0) for i in range(40)]
    widths = [60.0] * len(discs)
    order = list(range(0, 40, 7)) + [i for i in range(40) if i % 7]
    assert not [
        b for b in place_labels(discs, widths, 12.0, order) if b.covers
    ]  # without ``cover`` nothing covers
    boxes = place_labels(discs, widths, 12.0, order, cover=True)
    assert boxes and any(b.covers for b in boxes)
    rank = {i: k for k, i in enumerate(order)}
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h)
        for j, (x, y, r) in enumerate(discs):
            hit = a.x < x + r and x - r < a.x + a.w and a.y < y + r and y - r < a.y + a.h
            assert not hit or rank[j] > rank[a.index], (a, j)


def test_names_keep_their_spacing_so_two_never_read_as_one() -> None:
    discs = [(i * 30.0, 0.0, 3.0) for i in range(20)]  # a row: names side by side
    widths = [22.0] * len(discs)  # 8 px apart when side by side
    tight = place_labels(discs, widths, 12.0, range(20))
    spaced = place_labels(discs, widths, 12.0, range(20), spacing=(10.0, 2.0))
    assert len(spaced) < len(tight)
    for i, a in enumerate(spaced):
        for b in spaced[i + 1 :]:
            apart_x = max(b.x - (a.x + a.w), a.x - (b.x + b.w))
            apart_y = max(b.y - (a.y + a.h), a.y - (b.y + b.h))
            assert apart_x >= 10.0 - 1e-9 or apart_y >= 2.0 - 1e-9, (a, b)


#: The definition of the introduction links before they were paired in Python: pairs
#: named together on an introduction (a self-join), plus the person one was made on
#: behalf of paired with everyone it names, unless it names them.
_PAIRS_SQL = """
SELECT a.person_id, b.person_id, count(*)
FROM entries e
JOIN entry_people a ON a.entry_id = e.id
JOIN entry_people b ON b.entry_id = e.id AND b.person_id > a.person_id
WHERE e.kind = 'introduction'
GROUP BY 1, 2
"""
_BEHALF_SQL = """
SELECT e.on_behalf_of, ep.person_id
FROM entries e JOIN entry_people ep ON ep.entry_id = e.id
WHERE e.on_behalf_of IS NOT NULL AND e.kind = 'introduction'
  AND NOT EXISTS (SELECT 1 FROM entry_people x
                  WHERE x.entry_id = e.id AND x.person_id = e.on_behalf_of)
"""


def test_introduction_links_follow_the_sql_definition(demo_store: Store) -> None:
    """On the sample journal, with introductions of three people and on someone's behalf
    added, the links are the self-join's pairs plus the on-behalf ones, sorted."""
    ids = [r[0] for r in demo_store.conn.execute("SELECT id FROM people ORDER BY id")]
    rng = random.Random(4)
    for _ in range(30):
        named = rng.sample(ids, rng.randint(1, 3))
        behalf = rng.choice([None, rng.choice(ids), named[0]])
        demo_store.add_entry(
            Entry(
                date=date(2026, 5, rng.randint(1, 28)),
                person_ids=named,
                kind="introduction",
                direction="gave",
                on_behalf_of=behalf,
            )
        )
    counts: dict[tuple[int, int], int] = {}
    for a, b, n in demo_store.conn.execute(_PAIRS_SQL):
        counts[(a, b)] = n
    for a, b in demo_store.conn.execute(_BEHALF_SQL):
        pair = (min(a, b), max(a, b))
        counts[pair] = counts.get(pair, 0) + 1
    archived = {r[0] for r in demo_store.conn.execute("SELECT id FROM people WHERE archived")}
    want = [(a, b, n) for (a, b), n in sorted(counts.items()) if not {a, b} & archived]
    data = map_data(demo_store, date(2026, 6, 30), 365)
    got = [(lk.a, lk.b, lk.count) for lk in data.links if lk.kind == "introduction"]
    assert got == want
    assert any(n > 1 for _, _, n in got) and len(got) > 30


@pytest.mark.parametrize(
    ("as_of", "window_days"),
    [
        (date(2026, 6, 30), 365),
        (date(2026, 3, 15), 90),
        (date(2025, 12, 1), 30),
        (date(2026, 6, 30), 36_500),
    ],
)
def test_nodes_from_the_window_figures_equal_nodes_from_the_balances(
    demo_store: Store, as_of: date, window_days: int
) -> None:
    """The map reads its nodes' balances without a balance object per person: the same
    nodes as from :func:`ties.analysis.reciprocity.balances`, for the archived, people
    never contacted (added before the day asked or after it), contacts after the day
    asked (only: the node shows that one), on-behalf entries and cadences of one's own."""
    from ties.analysis.map_layout import _real_balances

    people = demo_store.list_people()
    demo_store.set_archived(people[0].id, True)
    demo_store.set_setting("cadence_days", {"5": 7, "3": 400})
    for name, created in (
        ("Never Seen", "2024-01-05T10:00:00.000000Z"),
        ("Added Later", "2027-01-01T00:00:00.000000Z"),
    ):
        demo_store.add_person(Person(name=name, closeness=4, created=created))
    demo_store.add_entry(
        Entry(date(2025, 11, 20), [people[1].id], "gave", weight=3, on_behalf_of=people[2].id)
    )
    later = demo_store.add_person(Person(name="Met Later", created="2024-01-05T10:00:00.000000Z"))
    demo_store.add_entry(Entry(date(2026, 6, 1), [later.id], "received"))  # type: ignore[list-item]
    for archived in (False, True):
        lean = map_data(demo_store, as_of, window_days, include_archived=archived)
        full = map_data(
            demo_store, as_of, window_days, include_archived=archived, balances_fn=_real_balances
        )
        assert lean.people == full.people
        assert lean.links == full.links and lean.support_types == full.support_types
    kinds = {(p.balance_class, p.dormant, p.archived) for p in lean.people}
    assert len(kinds) >= 3, "the sample shows several kinds of node"
