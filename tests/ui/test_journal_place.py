"""Daily logging in the Journal place: quick-add, the editor, undo and redo."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit

from ties.model import Entry, Person
from ties.store import DiskFullError, EntryFilter
from ties.ui.dialogs.entry_editor import EntryEditor
from ties.ui.places.journal import JournalPlace

TODAY = date(2026, 6, 30)  # the ctx fixture pins this day


def _place(ctx, qtbot) -> JournalPlace:
    place = JournalPlace(ctx)
    qtbot.addWidget(place)
    place.show()
    return place


def test_quick_add_enter_saves_and_undo_removes_entry_and_new_person(ctx, qtbot, find):
    place = _place(ctx, qtbot)
    line = find(place, QLineEdit, "Quick add entry")
    qtbot.keyClicks(line, "received #expertise from @Rosa yesterday w2: fixed my bike")
    preview = find(place, QLabel, "Quick add preview")
    qtbot.waitUntil(lambda: "will be added" in preview.text(), timeout=3000)
    assert "Rosa" in preview.text()
    qtbot.keyClick(line, Qt.Key.Key_Return)

    [entry] = ctx.store.list_entries()
    assert entry.date == TODAY - timedelta(days=1)
    assert entry.direction == "received" and entry.support_types == ["expertise"]
    assert entry.weight == 2 and entry.note == "fixed my bike"
    assert [p.name for p in ctx.store.list_people()] == ["Rosa"]
    assert line.text() == ""
    assert place.model.rowCount() == 1

    ctx.undo_stack.undo()
    assert ctx.store.count_entries() == 0
    assert ctx.store.count_people() == 0
    assert place.model.rowCount() == 0

    ctx.undo_stack.redo()
    [again] = ctx.store.list_entries()
    assert again.id == entry.id and again.note == "fixed my bike"
    assert ctx.store.get_person(again.person_ids[0]).name == "Rosa"


def test_quick_add_unknown_type_is_inline_and_keeps_the_text(ctx, qtbot, find):
    place = _place(ctx, qtbot)
    line = find(place, QLineEdit, "Quick add entry")
    text = "gave #nonsense to @Ben"
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert ctx.store.count_entries() == 0 and ctx.store.count_people() == 0
    assert line.text() == text
    assert "Unknown support type '#nonsense'" in find(place, QLabel, "Quick add preview").text()
    assert place.quick_add.error is not None


def test_quick_add_completes_people_and_types(ctx, qtbot, find):
    ctx.store.add_person(Person(name="Ana Ruiz"))
    place = _place(ctx, qtbot)
    line = find(place, QLineEdit, "Quick add entry")
    qtbot.keyClicks(line, "met @An")
    assert place.quick_add._suggestions.stringList() == ['@"Ana Ruiz"']
    place.quick_add._insert_completion('@"Ana Ruiz"')
    assert line.text() == 'met @"Ana Ruiz" '
    qtbot.keyClicks(line, "#career")
    assert "#career_guidance" in place.quick_add._suggestions.stringList()


def _entry(ctx, **kw) -> Entry:
    p = ctx.store.add_person(Person(name="Ben Okafor"))
    return ctx.store.add_entry(Entry(date=date(2026, 6, 1), person_ids=[p.id], note="old", **kw))


def test_editor_change_then_undo_and_redo(ctx, qtbot, find):
    e = _entry(ctx)
    dlg = EntryEditor(ctx, e)
    qtbot.addWidget(dlg)
    note = find(dlg, QPlainTextEdit, "Note")
    note.setPlainText("new note")
    dlg.direction.setCurrentIndex(dlg.direction.findData("gave"))
    dlg.type_boxes["introductions"].setChecked(True)
    dlg.save()
    assert dlg.result() == EntryEditor.DialogCode.Accepted
    stored = ctx.store.get_entry(e.id)
    assert (stored.note, stored.direction, stored.support_types) == (
        "new note",
        "gave",
        ["introductions"],
    )
    ctx.undo_stack.undo()
    assert ctx.store.get_entry(e.id).note == "old"
    assert ctx.store.get_entry(e.id).support_types == []
    ctx.undo_stack.redo()
    assert ctx.store.get_entry(e.id).note == "new note"


def test_editor_follow_up_before_date_is_inline_and_saves_nothing(ctx, qtbot, find):
    e = _entry(ctx)
    dlg = EntryEditor(ctx, e)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.follow_up_on.setChecked(True)
    dlg.follow_up.set_value(date(2026, 5, 1))
    dlg.note.setPlainText("changed")
    dlg.save()
    error = find(dlg, QLabel, "Follow-up error")
    assert error.isVisible() and "before the entry's date" in error.text()
    assert dlg.result() != EntryEditor.DialogCode.Accepted
    assert ctx.store.get_entry(e.id).note == "old"
    assert ctx.undo_stack.count() == 0


def test_editor_new_entry_creates_new_person_and_undo_removes_both(ctx, qtbot, find):
    dlg = EntryEditor(ctx, None)
    qtbot.addWidget(dlg)
    add = find(dlg, QLineEdit, "Add person")
    add.setText("Chloé Dubois")
    qtbot.keyClick(add, Qt.Key.Key_Return)
    assert dlg.people.chosen == [(None, "Chloé Dubois")]
    dlg.note.setPlainText("first coffee")
    dlg.save()
    [entry] = ctx.store.list_entries()
    assert ctx.store.get_person(entry.person_ids[0]).name == "Chloé Dubois"
    ctx.undo_stack.undo()
    assert ctx.store.count_entries() == 0 and ctx.store.count_people() == 0
    ctx.undo_stack.redo()
    assert ctx.store.count_entries() == 1 and ctx.store.count_people() == 1


def test_editor_without_people_says_so(ctx, qtbot, find):
    dlg = EntryEditor(ctx, None)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.save()
    assert find(dlg, QLabel, "People error").text() == "Add at least one person."
    assert ctx.store.count_entries() == 0


def test_disk_full_keeps_what_was_typed(ctx, qtbot, find, monkeypatch):
    e = _entry(ctx)

    def full(*_a, **_k):
        raise DiskFullError("The disk is full: nothing was saved.")

    monkeypatch.setattr(ctx.store, "update_entry", full)
    dlg = EntryEditor(ctx, e)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.note.setPlainText("a long note I do not want to lose")
    dlg.save()
    assert dlg.isVisible()
    assert "disk is full" in find(dlg, QLabel, "Entry editor message").text()
    assert dlg.note.toPlainText() == "a long note I do not want to lose"
    assert ctx.undo_stack.count() == 0


def test_delete_is_undoable(ctx, qtbot):
    e = _entry(ctx)
    place = _place(ctx, qtbot)
    place.table.selectRow(0)
    qtbot.keyClick(place.table, Qt.Key.Key_Delete)
    assert ctx.store.count_entries() == 0
    ctx.undo_stack.undo()
    assert ctx.store.get_entry(e.id).note == "old"


def test_filters_narrow_the_list(demo_ctx, qtbot, find):
    place = _place(demo_ctx, qtbot)
    total = demo_ctx.store.count_entries()
    assert place.model.rowCount() == total
    direction = place.filters.direction
    direction.setCurrentIndex(direction.findData("gave"))
    direction.activated.emit(direction.currentIndex())
    assert place.model.rowCount() == demo_ctx.store.count_entries(EntryFilter(direction="gave"))
    person = find(place, QLineEdit, "Filter by person")
    person.setText("Nobody Atall")
    person.editingFinished.emit()
    assert "Nobody called" in find(place, QLabel, "Filter message").text()
    place.filters.reset()
    assert place.model.rowCount() == total


def test_quick_add_ambiguous_name_is_inline(ctx, qtbot, find):
    ctx.store.add_person(Person(name="Ana Ruiz"))
    ctx.store.add_person(Person(name="Ana Costa"))
    place = _place(ctx, qtbot)
    line = find(place, QLineEdit, "Quick add entry")
    qtbot.keyClicks(line, "met @Ana")
    place.quick_add.completer.popup().hide()  # both Anas are offered; the user ignores them
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert ctx.store.count_entries() == 0
    assert "could mean several people" in place.quick_add.error
    assert line.text() == "met @Ana"


def test_ctrl_z_in_the_empty_quick_add_undoes_the_entry(ctx, qtbot, find):
    place = _place(ctx, qtbot)
    line = find(place, QLineEdit, "Quick add entry")
    qtbot.keyClicks(line, "coffee with @Sam: hello")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert ctx.store.count_entries() == 1
    qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ctx.store.count_entries() == 0 and ctx.store.count_people() == 0
    shift_ctrl = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(line, Qt.Key.Key_Z, shift_ctrl)
    assert ctx.store.count_entries() == 1
    qtbot.keyClicks(line, "x")
    qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert line.text() == "" and ctx.store.count_entries() == 1  # typing is undone first


def test_context_menu_edits_deletes_and_opens_people(ctx, qtbot):
    e = _entry(ctx)
    place = _place(ctx, qtbot)
    menu = place.table.menu_for(place.model.index(0, 0))
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Edit…", "Delete", "Open Ben Okafor"]
    with qtbot.waitSignal(ctx.person_requested) as opened:
        menu.actions()[-1].trigger()
    assert opened.args == e.person_ids
    menu.actions()[1].trigger()
    assert ctx.store.count_entries() == 0


def test_person_filter_takes_part_of_a_name(ctx, qtbot, find):
    """Issue #17 item 12: "Okafor" said "Nobody called 'Okafor'"."""
    s = ctx.store
    ben = s.add_person(Person(name="Ben Okafor")).id
    ana = s.add_person(Person(name="Ana Okada")).id
    s.add_person(Person(name="Émile Zola"))
    for who in (ben, ana):
        s.add_entry(Entry(date=TODAY, person_ids=[who], direction="contact", note="hi"))
    place = _place(ctx, qtbot)
    person = find(place, QLineEdit, "Filter by person")
    message = find(place, QLabel, "Filter message")
    person.setText("Okafor")
    person.editingFinished.emit()
    assert message.text() == ""
    assert place.model.rowCount() == 1
    person.setText("oka")  # both: say who, and keep the list as it was
    person.editingFinished.emit()
    assert "Ben Okafor" in message.text() and "Ana Okada" in message.text()
    person.setText("emile")  # accents are not needed
    person.editingFinished.emit()
    assert message.text() == "" and place.model.rowCount() == 0
