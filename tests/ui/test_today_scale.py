"""Today on a big journal: ranked, the top of each group with "show all", actions by their text.

Issue #17 item 13: 1,424 unranked items, and at 1920 px the buttons ~1,000 px from
their text.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ties.model import Entry, Person
from ties.store import Store
from ties.ui.context import AppContext
from ties.ui.places.today import MORE_STEP, ROWS_PER_GROUP, TodayPlace

QUIET = 40  # more than ROWS_PER_GROUP + MORE_STEP: "Show all" is offered


@pytest.fixture
def journal(store: Store) -> None:
    for n in range(QUIET):  # never contacted in years: all gone quiet
        store.add_person(
            Person(
                name=f"Person {n:02d}",
                closeness=1 + n % 5,
                created="2023-01-01T00:00:00.000000Z",
            )
        )
    for n, closeness in enumerate((1, 5, 3)):  # three follow-ups, the closest not the oldest
        p = store.add_person(Person(name=f"Follow {n}", closeness=closeness))
        store.add_entry(
            Entry(
                date=date(2026, 6, 1),
                person_ids=[p.id],  # type: ignore[list-item]
                direction="contact",
                follow_up=date(2026, 6, 10 + n),
                note="call back",
            )
        )


@pytest.fixture
def place(ctx: AppContext, journal: None, qtbot) -> TodayPlace:
    p = TodayPlace(ctx)
    qtbot.addWidget(p)
    p.resize(1920, 1000)
    p.show()
    qtbot.waitUntil(lambda: p.loaded, timeout=10_000)
    return p


def _named(place: TodayPlace, name: str) -> QPushButton:
    found = [b for b in place.findChildren(QPushButton) if b.accessibleName() == name]
    assert len(found) == 1, name
    return found[0]


def test_each_group_shows_its_most_important_first(place: TodayPlace) -> None:
    quiet = [i for i in place.items if i.group == "dormant"]
    assert [i.closeness for i in quiet] == sorted((i.closeness for i in quiet), reverse=True)
    follow = [i for i in place.items if i.group == "follow_up"]
    assert [i.title for i in follow] == [
        "Follow up with Follow 1",  # closeness 5
        "Follow up with Follow 2",
        "Follow up with Follow 0",
    ]
    shown = [k for k in place.rows if k.startswith("dormant:")]
    assert shown == [i.key for i in quiet[:ROWS_PER_GROUP]]


def test_show_all_shows_the_whole_group(place: TodayPlace, qtbot) -> None:
    every = _named(place, "Show all: Ties gone quiet")
    total = len([i for i in place.items if i.group == "dormant"])
    assert total > QUIET - 1 and every.text() == f"Show all {total}"
    assert _named(place, "Show more: Ties gone quiet").text() == f"Show {MORE_STEP} more"
    qtbot.mouseClick(every, Qt.MouseButton.LeftButton)
    assert len([k for k in place.rows if k.startswith("dormant:")]) == total
    assert not [
        b
        for b in place.findChildren(QPushButton)
        if "Ties gone quiet" in b.accessibleName() and b.accessibleName().startswith("Show")
    ]


def test_buttons_sit_by_their_text_in_a_wide_window(place: TodayPlace) -> None:
    for row in place.rows.values():
        first = next(b for b in row.findChildren(QPushButton) if b.isVisible())
        x = first.mapTo(place, first.rect().topLeft()).x()
        assert x < place.width() // 2, row.item.title


@pytest.mark.parametrize("width", [1920, 1280, 760])
def test_wrapped_text_is_never_cut(place: TodayPlace, qtbot, width: int) -> None:
    from PySide6.QtWidgets import QLabel

    place.resize(width, 1000)
    qtbot.wait(50)
    for row in place.rows.values():
        for label in row.findChildren(QLabel):
            if label.isVisible() and label.wordWrap():
                assert label.height() >= label.heightForWidth(label.width()), label.text()
