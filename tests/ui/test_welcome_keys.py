"""The welcome page of an empty journal: Enter acts, and each place says what it will show."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton


def test_enter_logs_the_first_entry(window, find, qtbot):
    """ "Log the first entry" looked chosen at start, but Enter did nothing."""
    window.show_place("today")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    button = find(window.welcome, QPushButton, "Log the first entry")
    assert QApplication.focusWidget() is button
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert window.current_place() == "journal"
    assert window.journal_place().quick_add.line.hasFocus()


def test_each_empty_place_says_what_it_will_show(window, find):
    welcome = window.welcome
    assert "support" in find(welcome, QLabel, "Welcome text").text()
    note = find(welcome, QLabel, "What this place will show")
    window.show_place("coverage")
    assert window.stack.currentWidget() is welcome
    assert note.isVisible() and note.text().startswith("Coverage will show")
    window.show_place("map")
    assert note.text().startswith("The map will")
