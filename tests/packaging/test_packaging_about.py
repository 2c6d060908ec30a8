"""Help → About shows the version and what a bug report needs: Qt, PySide6, SQLite, the journal."""

from __future__ import annotations

import re
import sqlite3

import PySide6
import pytest
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox

import ties
from ties.store import Store


def about_text(store: Store, qtbot, monkeypatch: pytest.MonkeyPatch) -> str:
    """Everything the About box says, whether it uses QMessageBox.about or an instance."""
    from ties.ui.context import AppContext
    from ties.ui.main_window import MainWindow

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, title, text: shown.append(text))
    monkeypatch.setattr(
        QMessageBox,
        "exec",
        lambda box: shown.append(" ".join((box.text(), box.informativeText()))) or 0,
    )
    window = MainWindow(AppContext(store))
    qtbot.addWidget(window)
    window.show_about()
    window.close()
    assert shown, "Help → About showed nothing"
    return re.sub(r"<[^>]+>", " ", " ".join(shown))


def test_about_names_the_version(store: Store, qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    assert ties.__version__ in about_text(store, qtbot, monkeypatch)


def test_about_names_qt_pyside_sqlite_and_the_journal(
    store: Store, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = about_text(store, qtbot, monkeypatch)
    for needed in (qVersion(), PySide6.__version__, sqlite3.sqlite_version, str(store.path)):
        assert needed in text, f"About does not show {needed!r}"
