"""The entry editor picks people by name exactly as quick-add does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget

from ties.model import Person
from ties.ui.dialogs.entry_editor import EntryEditor

PEDROS = ["Pedro Alves", "Pedro Costa", "Pedro Lima", "Pedro Nunes", "Pedro Reis", "Pedro Silva"]


def _editor(ctx, qtbot) -> EntryEditor:
    for name in PEDROS:
        ctx.store.add_person(Person(name=name))
    dlg = EntryEditor(ctx, None)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_an_ambiguous_name_is_inline_and_saves_nothing(ctx, qtbot, find):
    dlg = _editor(ctx, qtbot)
    add = find(dlg, QLineEdit, "Add person")
    add.setText("Pedro")
    qtbot.keyClick(add, Qt.Key.Key_Return)
    error = find(dlg, QLabel, "People error")
    assert error.isVisible() and "could mean several people" in error.text()
    assert "Pedro Alves" in error.text()
    assert dlg.people.chosen == [] and add.text() == "Pedro"
    dlg.save()  # Save with the name still typed
    assert dlg.result() != EntryEditor.DialogCode.Accepted
    assert "could mean several people" in error.text()
    assert ctx.store.count_people() == len(PEDROS) and ctx.store.count_entries() == 0


def test_a_first_name_that_is_unique_picks_that_person(ctx, qtbot, find):
    dlg = _editor(ctx, qtbot)
    ctx.store.add_person(Person(name="Ana Ruiz"))
    add = find(dlg, QLineEdit, "Add person")
    add.setText("ana")
    qtbot.keyClick(add, Qt.Key.Key_Return)
    [(pid, name)] = dlg.people.chosen
    assert name == "Ana Ruiz" and pid is not None


def test_a_new_name_is_marked_new_before_it_is_saved(ctx, qtbot, find):
    dlg = _editor(ctx, qtbot)
    add = find(dlg, QLineEdit, "Add person")
    add.setText("Zelda Moreau")
    dlg.save()  # the name is typed but not added: it shows as new first
    assert dlg.result() != EntryEditor.DialogCode.Accepted
    assert ctx.store.count_people() == len(PEDROS) and ctx.store.count_entries() == 0
    listed = find(dlg, QListWidget, "People on this entry")
    assert "(new person" in listed.item(0).text() and listed.item(0).font().bold()
    assert "new person" in find(dlg, QLabel, "People error").text()
    dlg.save()
    assert dlg.result() == EntryEditor.DialogCode.Accepted
    [entry] = ctx.store.list_entries()
    assert ctx.store.get_person(entry.person_ids[0]).name == "Zelda Moreau"


def test_support_types_on_a_contact_only_entry_are_refused_next_to_the_direction(ctx, qtbot, find):
    """A new entry starts as "Contact only": ticking a type and saving must not file
    support that coverage would never count."""
    dlg = _editor(ctx, qtbot)
    add = find(dlg, QLineEdit, "Add person")
    add.setText("Pedro Alves")
    qtbot.keyClick(add, Qt.Key.Key_Return)
    dlg.type_boxes["confidant"].setChecked(True)
    dlg.save()
    assert dlg.result() != EntryEditor.DialogCode.Accepted
    error = find(dlg, QLabel, "Direction error")
    assert error.isVisible() and "carries no support" in error.text()
    assert ctx.store.count_entries() == 0
    dlg.direction.setCurrentIndex(dlg.direction.findData("received"))
    dlg.save()
    assert dlg.result() == EntryEditor.DialogCode.Accepted
    assert ctx.store.list_entries()[0].support_types == ["confidant"]


def test_an_older_contact_with_support_types_can_still_be_edited(ctx, qtbot):
    """Quick-add and imports once allowed both; changing such an entry's note must still save."""
    from datetime import date

    from ties.model import Entry

    pid = ctx.store.add_person(Person(name="Ben")).id
    old = ctx.store.add_entry(
        Entry(
            date=date(2026, 6, 1),
            person_ids=[pid],
            direction="contact",
            support_types=["expertise"],
        )
    )
    dlg = EntryEditor(ctx, old)
    qtbot.addWidget(dlg)
    dlg.note.setPlainText("a new note")
    dlg.save()
    assert dlg.result() == EntryEditor.DialogCode.Accepted
    assert ctx.store.get_entry(old.id).note == "a new note"
