"""What the quick-add line says after Enter, after undo, and while typing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from ties.model import Person
from ties.ui import commands
from ties.ui.places.journal import JournalPlace


def _place(ctx, qtbot) -> JournalPlace:
    place = JournalPlace(ctx)
    qtbot.addWidget(place)
    place.show()
    return place


def test_undo_replaces_the_saved_message(ctx, qtbot, find):
    place = _place(ctx, qtbot)
    line = find(place, QLineEdit, "Quick add entry")
    preview = find(place, QLabel, "Quick add preview")
    qtbot.keyClicks(line, "coffee with @Sam: hello")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert "Saved" in preview.text() and "Ctrl+Z undoes it" in preview.text()
    ctx.undo_stack.undo()
    assert ctx.store.count_entries() == 0
    assert "Saved" not in preview.text() and "Ctrl+Z undoes it" not in preview.text()
    assert "Undone" in preview.text()
    ctx.undo_stack.redo()
    assert ctx.store.count_entries() == 1
    assert "Saved" in preview.text()


def test_a_save_undone_and_replaced_stays_undone(ctx, qtbot, find):
    place = _place(ctx, qtbot)
    line = find(place, QLineEdit, "Quick add entry")
    preview = find(place, QLabel, "Quick add preview")
    qtbot.keyClicks(line, "coffee with @Sam: hello")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    ctx.undo_stack.undo()
    commands.add_person(ctx, Person(name="Rita"))  # another change takes the redo's place
    assert ctx.store.count_entries() == 0
    assert "Saved" not in preview.text() and "Undone" in preview.text()


def test_preview_names_whom_the_line_means(ctx, qtbot, find):
    ctx.store.add_person(Person(name="Ana Ruiz"))
    place = _place(ctx, qtbot)
    line = find(place, QLineEdit, "Quick add entry")
    preview = find(place, QLabel, "Quick add preview")
    for typed in ("met @Ana: hi", 'met @"ana ruiz": hi'):
        line.setText(typed)
        qtbot.waitUntil(lambda: "with <b>Ana Ruiz</b>" in preview.text(), timeout=3000)
        assert "will be added" not in preview.text()
    line.setText("met @Ana and @Zoe: hi")
    qtbot.waitUntil(lambda: "will be added" in preview.text(), timeout=3000)
    assert "with <b>Ana Ruiz, Zoe (new)</b>" in preview.text()


def test_preview_says_when_a_named_person_is_archived(ctx, qtbot, find):
    ctx.store.add_person(Person(name="Dan Moreau", archived=True))
    ctx.store.add_person(Person(name="Ana Ruiz"))
    place = _place(ctx, qtbot)
    line = find(place, QLineEdit, "Quick add entry")
    preview = find(place, QLabel, "Quick add preview")
    line.setText('received #expertise from @"Dan Moreau"')
    qtbot.waitUntil(lambda: "Archived: Dan Moreau" in preview.text(), timeout=3000)
    assert "left out of coverage" in preview.text()
    line.setText("received #expertise from @Ana")
    qtbot.waitUntil(lambda: "with <b>Ana Ruiz</b>" in preview.text(), timeout=3000)
    assert "Archived" not in preview.text()


NAMES = ["Amara Oyelaran", "Björn Bianchi", "Joanna Lee", "Sven Andersson", "Ana Ruiz"]


def test_suggestions_put_names_starting_with_the_text_first(ctx, qtbot, find):
    for name in NAMES:
        ctx.store.add_person(Person(name=name))
    place = _place(ctx, qtbot)
    place.resize(1100, 600)
    line = find(place, QLineEdit, "Quick add entry")
    qtbot.keyClicks(line, "met @An")
    assert place.quick_add._suggestions.stringList() == [
        '@"Ana Ruiz"',
        '@"Sven Andersson"',
        '@"Amara Oyelaran"',
        '@"Björn Bianchi"',
        '@"Joanna Lee"',
    ]
    popup = place.quick_add.completer.popup()
    assert popup.isVisible()
    assert popup.width() <= 400 < line.width()
    widest = max(popup.fontMetrics().horizontalAdvance(n) for n in NAMES)
    assert popup.width() > widest


def test_person_completer_puts_names_starting_with_the_text_first(ctx, qtbot, find):
    for name in NAMES:
        ctx.store.add_person(Person(name=name))
    place = _place(ctx, qtbot)
    person = find(place, QLineEdit, "Filter by person")
    qtbot.keyClicks(person, "an")
    names = place.filters._completer.model().stringList()
    assert names[:2] == ["Ana Ruiz", "Sven Andersson"]
    assert sorted(names[2:]) == ["Amara Oyelaran", "Björn Bianchi", "Joanna Lee"]


def test_opening_another_journal_does_not_call_the_save_undone(ctx, qtbot, find, tmp_path):
    from ties.store import Store

    place = _place(ctx, qtbot)
    line = find(place, QLineEdit, "Quick add entry")
    preview = find(place, QLabel, "Quick add preview")
    qtbot.keyClicks(line, "coffee with @Sam: hello")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    ctx.replace_store(Store.open(tmp_path / "other.ties"))
    assert "Undone" not in preview.text() and "Saved" not in preview.text()
    ctx.store.close()
