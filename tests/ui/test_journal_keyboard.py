"""Keyboard in the Journal place: Tab leaves every control, tables included."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit

from ties.ui.places.journal import JournalPlace


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
