"""Ctrl+F: results as you type, from a worker thread; opening a hit asks for its place."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget

from ties.model import Entry, Person
from ties.ui.search import SearchDialog


def test_search_finds_people_and_notes_and_opens_them(ctx, qtbot, find):
    ana = ctx.store.add_person(Person(name="Ana Ruiz", organization="Globex"))
    ben = ctx.store.add_person(Person(name="Ben Okafor"))
    e = ctx.store.add_entry(
        Entry(date=date(2026, 6, 3), person_ids=[ben.id], note="talked about Globex hiring")
    )
    dlg = SearchDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.start()
    qtbot.keyClicks(find(dlg, QLineEdit, "Search query"), "globex")
    results = find(dlg, QListWidget, "Search results")
    qtbot.waitUntil(lambda: results.count() == 2, timeout=5000)
    kinds = [results.item(i).data(Qt.ItemDataRole.UserRole + 1) for i in range(2)]
    assert kinds == [("person", ana.id), ("entry", e.id)]

    with qtbot.waitSignal(ctx.person_requested) as person:
        qtbot.keyClick(find(dlg, QLineEdit, "Search query"), Qt.Key.Key_Return)
    assert person.args == [ana.id]

    dlg.start()
    with qtbot.waitSignal(ctx.entry_requested) as entry:
        results.setCurrentRow(1)
        results.itemActivated.emit(results.item(1))
    assert entry.args == [e.id]


def test_search_says_when_nothing_matches(ctx, qtbot, find):
    dlg = SearchDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.start()
    find(dlg, QLineEdit, "Search query").setText("zzzz")
    status = dlg.state
    qtbot.waitUntil(lambda: "Nothing found" in status.text(), timeout=5000)
    assert find(dlg, QListWidget, "Search results").count() == 0
