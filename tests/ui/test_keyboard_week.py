"""The issue's "done when": a week of entries from the keyboard, found again, one undone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget

from ties.ui.dialogs.entry_editor import EntryEditor

LINES = [
    "coffee with @Sam 6 days ago: talked about the move",
    'received #expertise from @"Ana Ruiz" 5 days ago w2: fixed my bike',
    "gave #introductions to @Ben 4 days ago: introduced him to Lea",
    "call with @Sam 3 days ago",
    "mutual #belonging with @Ben @Ana 2 days ago: choir rehearsal",
    'received #encouragement from @"Ana Ruiz" yesterday thanked: pep talk',
    "lunch with @Chloe today: planning the garden",
]


def test_a_week_from_the_keyboard(window, ctx, qtbot, find, monkeypatch):
    opened: list[int] = []
    monkeypatch.setattr(EntryEditor, "exec", lambda dlg: opened.append(dlg.entry.id) or 0)
    window.act_places[1].trigger()  # Ctrl+2
    line = find(window, QLineEdit, "Quick add entry")
    assert window.current_place() == "journal"
    for text in LINES:
        qtbot.keyClicks(line, text)
        qtbot.keyClick(line, Qt.Key.Key_Return)
        assert line.text() == "", window.journal_place().quick_add.error
    assert ctx.store.count_entries() == 7
    assert sorted(p.name for p in ctx.store.list_people()) == ["Ana Ruiz", "Ben", "Chloe", "Sam"]
    assert window.journal_place().model.rowCount() == 7

    window.act_find.trigger()
    query = find(window.search, QLineEdit, "Search query")
    qtbot.keyClicks(query, "garden")
    results = find(window.search, QListWidget, "Search results")
    qtbot.waitUntil(lambda: results.count() == 1, timeout=5000)
    with qtbot.waitSignal(ctx.entry_requested) as found:
        qtbot.keyClick(query, Qt.Key.Key_Return)
    assert opened == found.args  # the entry's editor opened
    assert window.current_place() == "journal"
    assert ctx.store.get_entry(opened[0]).note == "planning the garden"

    window.act_undo.trigger()
    assert ctx.store.count_entries() == 6
    assert "Chloe" not in {p.name for p in ctx.store.list_people()}
