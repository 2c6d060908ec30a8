"""The Today list on a small hand-made journal: each group, keys, dismissals, matches."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from ties.analysis.today import GROUPS, significant_words, today_items
from ties.model import Entry, Person
from ties.store import Store

AS_OF = date(2026, 6, 30)


@pytest.fixture
def journal(store: Store) -> dict[str, object]:
    def person(name: str, **kw: object) -> Person:
        return store.add_person(Person(name=name, created="2026-01-01T00:00:00.000000Z", **kw))

    def entry(
        day: str, people: list[Person], direction: str, weight: int = 1, **kw: object
    ) -> Entry:
        return store.add_entry(
            Entry(
                date=date.fromisoformat(day),
                person_ids=[p.id for p in people],  # type: ignore[misc]
                direction=direction,
                weight=weight,
                **kw,
            )
        )

    ana = person("Ana Ruiz", closeness=5, needs="Help with hiring a data engineer")
    ben = person("Ben Okafor", closeness=3, mutuality=-1, offers="Knows hiring in data teams")
    cy = person("Cy Tanaka", closeness=2, needs="looking for a gardening plot")
    dee = person("Dee Novak", closeness=5, archived=True, needs="hiring help")
    out: dict[str, object] = {"ana": ana, "ben": ben, "cy": cy, "dee": dee}
    out["follow"] = entry(
        "2026-06-01",
        [ana, cy],
        "contact",
        follow_up=date(2026, 6, 20),
        note="talked about the new job",
    )
    out["later"] = entry("2026-06-25", [ana], "contact", follow_up=date(2026, 7, 2))
    entry("2026-03-01", [ben], "gave", 3, thanked=True)
    entry("2026-04-01", [ben], "gave", 3)
    out["thanks"] = entry("2026-06-28", [cy], "received", 1, note="lent me a drill")
    entry("2026-06-28", [dee], "received", 3, follow_up=date(2026, 6, 29))  # archived: nothing
    return out


def _keys(items: list, group: str) -> list[str]:
    return [i.key for i in items if i.group == group]


def test_each_group_with_stable_keys(store: Store, journal: dict) -> None:
    items = today_items(store, AS_OF)
    follow, ben = journal["follow"], journal["ben"]
    assert _keys(items, "follow_up") == [f"follow_up:{follow.uuid}"]
    (f,) = [i for i in items if i.group == "follow_up"]
    assert f.title == "Follow up with Ana Ruiz, Cy Tanaka" and f.entry_id == follow.id
    assert "talked about the new job" in f.detail and f.actions == ["mark_done", "log_follow_up"]
    # Ben's last contact (2026-04-01) is exactly 90 days ago, his cadence: not quiet yet.
    assert _keys(items, "dormant") == []
    assert _keys(items, "one_sided") == [f"one_sided:{ben.uuid}:over_giving"]
    (o,) = [i for i in items if i.group == "one_sided"]
    assert "You gave 6 and received 0" in o.detail and "stepping back" in o.detail
    assert _keys(items, "unthanked") == [f"thanks:{journal['thanks'].uuid}"]
    groups = [i.group for i in items]
    assert groups == sorted(groups, key=[g for g, _ in GROUPS].index)
    # The same journal gives the same keys.
    assert [i.key for i in today_items(store, AS_OF)] == [i.key for i in items]


def test_dormant_ordered_by_closeness(store: Store, journal: dict) -> None:
    items = today_items(store, date(2026, 10, 1))
    dormant = [i for i in items if i.group == "dormant"]
    # Ana (5, 14 days) then Ben (3, 90 days); Cy (2, 180 days) is not quiet yet.
    assert [i.title for i in dormant] == ["Ana Ruiz", "Ben Okafor"]
    assert dormant[0].key == f"dormant:{journal['ana'].uuid}:2026-06-25"
    assert "every 14 days for inner circle" in dormant[0].detail
    assert dormant[0].actions == ["log_contact", "open_person"]


def test_archived_people_get_no_items(store: Store, journal: dict) -> None:
    items = today_items(store, AS_OF)
    dee = journal["dee"]
    assert all(dee.id not in i.person_ids for i in items)


def test_dismiss_and_snooze_are_remembered(store: Store, journal: dict) -> None:
    key = f"thanks:{journal['thanks'].uuid}"
    store.dismiss(key, until=date(2026, 7, 1))  # snoozed until 1 July
    assert key not in [i.key for i in today_items(store, AS_OF)]
    assert key in [i.key for i in today_items(store, AS_OF, include_dismissed=True)]
    assert key in [i.key for i in today_items(store, date(2026, 7, 1))]
    store.dismiss(key)  # for good
    assert key not in [i.key for i in today_items(store, date(2026, 7, 15))]
    store.undismiss(key)
    assert key in [i.key for i in today_items(store, AS_OF)]


def test_acting_removes_the_item(store: Store, journal: dict) -> None:
    store.set_follow_up_done(journal["follow"].id, True)
    store.set_thanked(journal["thanks"].id, True)
    items = today_items(store, AS_OF)
    assert _keys(items, "follow_up") == [] and _keys(items, "unthanked") == []


def test_matches_explained_by_words(store: Store, journal: dict) -> None:
    items = [i for i in today_items(store, AS_OF) if i.group == "match"]
    ana, ben = journal["ana"], journal["ben"]
    assert [i.key for i in items] == [f"match:{ana.uuid}:{ben.uuid}"]
    (m,) = items
    assert m.words == ["hiring", "data"] and m.person_ids == [ana.id, ben.id]
    assert "Matched on: hiring, data" in m.detail
    store.set_setting("my_offers", "I can share a gardening plot and tools")
    mine = [i for i in today_items(store, AS_OF) if i.key.endswith(":me")]
    assert [i.key for i in mine] == [f"match:{journal['cy'].uuid}:me"]
    assert mine[0].words == ["gardening", "plot"]


def test_significant_words_drop_stopwords_and_fold_accents() -> None:
    assert significant_words("Help with the Café menu, 2026 and UX") == ["cafe", "menu"]


def test_coverage_gaps_are_the_kinds_nobody_gave(store: Store) -> None:
    from ties.analysis.coverage import compute_coverage

    ana = store.add_person(Person("Ana", closeness=5, life_phases=["school", "university"]))
    store.add_entry(
        Entry(date(2026, 6, 1), [ana.id], "received", support_types=["expertise", "confidant"])
    )
    store.add_entry(Entry(date(2025, 1, 1), [ana.id], "received", support_types=["long_view"]))
    gaps = {i.key: i for i in today_items(store, AS_OF, 90) if i.group == "coverage_gap"}
    want = [t.key for t in compute_coverage(store, AS_OF, 90).support_types if not t.covered]
    assert sorted(gaps) == sorted(f"gap:{k}" for k in want)
    assert "gap:expertise" not in gaps and "gap:confidant" not in gaps
    long_view = gaps["gap:long_view"]
    assert long_view.detail.startswith("People who have known me through several phases")
    assert "Who might: Ana." in long_view.detail and long_view.person_ids == [ana.id]


def test_thanks_newest_first(store: Store) -> None:
    ana = store.add_person(Person(name="Ana"))
    ids = [
        store.add_entry(
            Entry(date=date(2026, 6, d), person_ids=[ana.id], direction="received")  # type: ignore[list-item]
        ).id
        for d in (2, 21, 9)
    ]
    thanks = [i for i in today_items(store, AS_OF) if i.group == "unthanked"]
    assert [i.entry_id for i in thanks] == [ids[1], ids[2], ids[0]]
    assert thanks[0].detail.startswith("Received 9 days ago (2026-06-21)")


def _fingerprint(items: list) -> list[tuple]:
    return [(i.key, i.title, i.detail, i.person_ids, i.entry_id, i.closeness) for i in items]


@pytest.mark.parametrize("window_days", [30, 365])
def test_today_items_match_the_plain_computations(demo_store: Store, window_days: int) -> None:
    """The fast path gives what the plain functions give, group by group.

    The balances are recomputed through the per-person queries (``person_ids``:
    the SQL a person page uses), the gaps through the full coverage analysis.
    """
    items = today_items(demo_store, date(2026, 6, 30), window_days, include_dismissed=True)
    # a year of the demo has some of each group
    required = {"follow_up", "dormant", "one_sided", "unthanked"} if window_days == 365 else set()
    _assert_plain(demo_store, date(2026, 6, 30), window_days, items, required)


def _assert_plain(
    store: Store, as_of: date, window_days: int, items: list, required: set[str]
) -> None:
    from ties.analysis import today
    from ties.analysis.coverage import compute_coverage
    from ties.analysis.reciprocity import balances_and_entries

    ids = [r[0] for r in store.conn.execute("SELECT id FROM people")]
    everyone, rows, thanks = balances_and_entries(store, as_of, window_days, person_ids=ids)
    figures = [b for b in everyone if not b.archived]
    gaps = [t for t in compute_coverage(store, as_of, window_days).support_types if not t.covered]
    want = {
        "follow_up": today._follow_ups(rows, figures, as_of),
        "dormant": today._dormant(figures),
        "one_sided": today._one_sided(figures, window_days),
        "unthanked": today._unthanked(store, thanks, figures, as_of)[0],
    }
    for group, expected in want.items():
        assert expected or group not in required, group
        got = [i for i in items if i.group == group]
        assert _fingerprint(got) == _fingerprint(expected), group
    got_gaps = [i for i in items if i.group == "coverage_gap"]
    assert got_gaps or window_days > 30  # a month of the demo leaves some kinds out
    assert [i.key for i in got_gaps] == [f"gap:{t.key}" for t in gaps]
    assert [i.person_ids for i in got_gaps] == [
        [s.person_id for s in t.suggestions[:3]] for t in gaps
    ]


def test_same_names_and_shared_entries_keep_the_plain_order(store: Store) -> None:
    """Ties on name are broken by id, and an entry's people are listed by name."""

    def person(name: str, **kw: object) -> Person:
        return store.add_person(Person(name=name, created="2025-01-01T00:00:00.000000Z", **kw))

    zoe, sam2, ann, sam1 = (person(n, closeness=4) for n in ("Zoë", "Sam Lee", "ann", "Sam Lee"))
    for p in (sam2, sam1):  # both one-sided
        store.add_entry(Entry(date(2025, 9, 1), [p.id], "gave", weight=3))
        store.add_entry(Entry(date(2025, 9, 2), [p.id], "gave", weight=3))
    people = [zoe.id, sam2.id, ann.id, sam1.id]
    store.add_entry(Entry(date(2026, 6, 20), people, "received"))
    store.add_entry(Entry(date(2026, 6, 1), people[::-1], "contact", follow_up=date(2026, 6, 10)))
    items = today_items(store, AS_OF, include_dismissed=True)
    (thanks,) = [i for i in items if i.group == "unthanked"]
    assert thanks.person_ids == [ann.id, sam2.id, sam1.id, zoe.id]
    one_sided = [i.person_ids for i in items if i.group == "one_sided"]
    assert one_sided == [[sam2.id], [sam1.id]]  # same name and closeness: as balances() lists them
    _assert_plain(store, AS_OF, 365, items, {"follow_up", "one_sided", "unthanked"})


def test_people_already_linked_are_not_suggested_an_introduction(
    store: Store, journal: dict
) -> None:
    ana, ben = journal["ana"], journal["ben"]
    assert [i for i in today_items(store, AS_OF) if i.group == "match"]
    store.link(ben.id, ana.id, "colleague")
    assert [i for i in today_items(store, AS_OF) if i.group == "match"] == []


@pytest.mark.parametrize("limit", [1, 3, 10, None])
def test_groups_are_the_first_items_of_the_whole_list_and_their_counts(
    store: Store, limit: int | None
) -> None:
    """``ties today``'s groups read only the shown thanks; the same items, the same counts."""
    import random

    from ties.analysis.today import today_groups

    rng = random.Random(7)
    people = [store.add_person(Person(name=f"P{i}", closeness=rng.randint(1, 5))) for i in range(8)]
    for n in range(40):  # received, some thanked, some shared, some with a follow-up due
        who = rng.sample([p.id for p in people], rng.choice((1, 1, 2)))
        day = date(2026, 6, rng.randint(1, 30))
        e = store.add_entry(
            Entry(
                date=day,
                person_ids=who,  # type: ignore[arg-type]
                direction=rng.choice(("received", "received", "gave", "mutual")),  # type: ignore[arg-type]
                note=f"note {n}",
                follow_up=day if n % 7 == 0 else None,
            )
        )
        if n % 5 == 0:
            store.set_thanked(e.id, True)
    whole = today_items(store, AS_OF)
    thanks = [i for i in whole if i.group == "unthanked"]
    assert len(thanks) > 12  # enough to dismiss some and still cut the group
    # The closest people first; among equals, the newest day, then the newest entry.
    order = [(i.closeness, store.get_entry(i.entry_id).date, i.entry_id) for i in thanks]  # type: ignore[arg-type]
    assert order == sorted(order, reverse=True) and len({o[0] for o in order}) > 2
    # Dismissed and snoozed thanks are neither shown nor counted.
    store.dismiss(thanks[0].key)
    store.dismiss(thanks[5].key, until=date(2026, 7, 30))
    store.dismiss(thanks[6].key, until=date(2026, 6, 1))  # a snooze that has ended
    whole = today_items(store, AS_OF)
    assert {thanks[0].key, thanks[5].key} & {i.key for i in whole} == set()
    assert thanks[6].key in {i.key for i in whole}
    groups = today_groups(store, AS_OF, limit=limit)
    assert [g.group for g in groups] == [
        key for key, _ in GROUPS if any(i.group == key for i in whole)
    ]
    assert {"unthanked", "follow_up"} <= {g.group for g in groups}
    for g in groups:
        mine = [i for i in whole if i.group == g.group]
        assert g.total == len(mine), g.group
        shown = mine if limit is None else mine[:limit]
        assert _fingerprint(g.items) == _fingerprint(shown), g.group


def test_an_entry_thanked_or_redirected_leaves_the_thanks_at_once(store: Store) -> None:
    """The partial index of unthanked entries follows every change of the two columns."""
    ana = store.add_person(Person(name="Ana"))

    def thanks() -> list[int | None]:
        return [i.entry_id for i in today_items(store, AS_OF) if i.group == "unthanked"]

    got = [
        store.add_entry(
            Entry(date=date(2026, 6, d), person_ids=[ana.id], direction="received")  # type: ignore[list-item]
        )
        for d in (2, 21)
    ]
    assert thanks() == [got[1].id, got[0].id]
    store.set_thanked(got[1].id, True)
    assert thanks() == [got[0].id]
    store.update_entry(dataclasses.replace(store.get_entry(got[0].id), direction="gave"))
    assert thanks() == []
    store.set_thanked(got[1].id, False)
    assert thanks() == [got[1].id]
