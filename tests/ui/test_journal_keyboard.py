"""Keyboard in the Journal place: Tab leaves every control, tables included."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit

from ties.ui.places.journal import JournalPlace

TODAY = date(2026, 6, 30)  # the ctx fixture pins this day


def _place(ctx, qtbot) -> JournalPlace:
    place = JournalPlace(ctx)
    qtbot.addWidget(place)
    place.show()
    qtbot.waitExposed(place)
    place.activateWindow()
    return place


def test_tab_from_the_any_date_filter_moves_on(ctx, qtbot, find):
    place = _place(ctx, qtbot)
    since = find(place, QDateEdit, "Filter from date")
    assert since.text() == "any"
    since.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is since)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is find(place, QDateEdit, "Filter until date")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is find(place, QComboBox, "Filter by direction")


def test_tab_leaves_the_entry_list(demo_ctx, qtbot):
    place = _place(demo_ctx, qtbot)
    table = place.table
    assert table.model().rowCount() > 2
    table.setFocus()
    table.selectRow(0)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    assert table.currentIndex().row() == 0


def test_person_filter_takes_a_unique_first_name_and_refuses_an_ambiguous_one(ctx, qtbot, find):
    from PySide6.QtWidgets import QLabel, QLineEdit

    from ties.model import Entry, Person

    ana = ctx.store.add_person(Person(name="Ana Ruiz"))
    for name in ("Pedro Alves", "Pedro Lima"):
        p = ctx.store.add_person(Person(name=name))
        ctx.store.add_entry(Entry(date=TODAY, person_ids=[p.id]))
    ctx.store.add_entry(Entry(date=TODAY, person_ids=[ana.id]))
    place = _place(ctx, qtbot)
    person = find(place, QLineEdit, "Filter by person")
    person.setText("ana")
    person.editingFinished.emit()
    assert place.model.rowCount() == 1 and place.filters.current().person_id == ana.id
    person.setText("Pedro")
    person.editingFinished.emit()
    assert "could mean several people" in find(place, QLabel, "Filter message").text()
