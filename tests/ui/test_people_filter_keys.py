"""People: the keyboard goes from the name filter into the list (issue #17 item 12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QTableView

from ties.model import Person
from ties.store import PeopleFilter
from ties.ui.places.people import PeoplePlace


@pytest.fixture
def place(ctx, qtbot):
    for name in ("Zoe Adams", "Émile Zola", "Ana Ruiz", "Ben Okafor"):
        ctx.store.add_person(Person(name=name))
    p = PeoplePlace(ctx)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    return p


@pytest.mark.parametrize("key", [Qt.Key.Key_Down, Qt.Key.Key_Return])
def test_down_or_enter_in_the_filter_moves_into_the_list(place, qtbot, find, key):
    search = find(place, QLineEdit, "Filter people by name")
    table = find(place, QTableView, "People list")
    search.setFocus()
    qtbot.keyClicks(search, "o")  # Zoe, Émile Zola, Ben Okafor
    qtbot.keyClick(search, key)
    assert QApplication.focusWidget() is table
    first = table.model().index(0, 0).data()
    assert table.selectionModel().selectedRows()[0].row() == 0
    assert place.selected_id() is not None
    assert first == "Ben Okafor"


def test_accented_names_sort_with_their_letter(place, find):
    table = find(place, QTableView, "People list")
    names = [table.model().index(r, 0).data() for r in range(table.model().rowCount())]
    assert names == ["Ana Ruiz", "Ben Okafor", "Émile Zola", "Zoe Adams"]


def test_completion_offers_accented_names_with_their_letter(ctx, place):
    """The people completer's order (the store's people_matching) folds accents too."""
    ctx.store.add_person(Person(name="Eva Lund"))
    ctx.store.add_person(Person(name="Fay Berg"))
    names = [p.name for p in ctx.store.people_matching("e", limit=20)]
    # a name word starting with it comes first, "É" being an "e" with an accent
    assert names[:2] == ["Émile Zola", "Eva Lund"]
    assert names[2:] == ["Ben Okafor", "Fay Berg", "Zoe Adams"]


def test_the_person_pages_entries_show_the_note_not_people(ctx, place, qtbot):
    """Issue #17 item 14: the Note column was off-screen behind a redundant People column."""
    from datetime import date

    from ties.model import Entry
    from ties.ui.models.entries import COL_NOTE, COL_PEOPLE

    ana = ctx.store.list_people()[0]
    ctx.store.add_entry(Entry(date=date(2026, 6, 1), person_ids=[ana.id], note="long lunch"))
    place.resize(1280, 800)
    place.show_person(ana.id)
    table = place.page.entries
    qtbot.waitUntil(lambda: table.model().rowCount() > 0)
    assert table.isColumnHidden(COL_PEOPLE)
    assert not table.isColumnHidden(COL_NOTE)
    assert table.columnViewportPosition(COL_NOTE) < table.viewport().width()


@pytest.mark.parametrize("typed", ["emile", "EMILE", "Émile", "zola"])
def test_the_name_filter_ignores_accents_and_case(place, qtbot, find, typed):
    search = find(place, QLineEdit, "Filter people by name")
    table = find(place, QTableView, "People list")
    qtbot.keyClicks(search, typed)
    qtbot.waitUntil(lambda: table.model().rowCount() == 1)
    assert table.model().index(0, 0).data() == "Émile Zola"


def test_an_accented_filter_finds_the_plain_spelling_too(ctx, place, qtbot, find):
    ctx.store.add_person(Person(name="Emile Durand"))
    assert {p.name for p in ctx.store.people_matching("Émile")} == {"Emile Durand", "Émile Zola"}
    assert ctx.store.count_people(PeopleFilter(text="émi")) == 2
