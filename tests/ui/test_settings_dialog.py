"""Settings: circles and support types; nothing in use is deleted silently."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton

from ties.model import Entry, Person
from ties.ui.dialogs.settings import SettingsDialog


def _dialog(ctx, qtbot):
    dlg = SettingsDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_add_and_rename_a_support_type_with_undo(ctx, qtbot, find):
    dlg = _dialog(ctx, qtbot)
    editor = dlg.types
    before = len(ctx.store.support_types())
    find(editor, QPushButton, "Add support type").click()
    assert len(ctx.store.support_types()) == before + 1
    find(editor, QLineEdit, "Support type name").setText("Childcare swaps")
    family = find(editor, QComboBox, "Support type family")
    family.setCurrentIndex(family.findData("psychosocial"))
    find(editor, QPlainTextEdit, "Support type question").setPlainText("Who can mind the kids?")
    find(editor, QPushButton, "Apply support type").click()
    added = ctx.store.support_type(editor.current_key())
    assert (added.label, added.family, added.question) == (
        "Childcare swaps",
        "psychosocial",
        "Who can mind the kids?",
    )
    ctx.undo_stack.undo()
    assert ctx.store.support_type(added.key).label == "New support"
    ctx.undo_stack.undo()
    assert len(ctx.store.support_types()) == before


def test_a_support_type_in_use_is_not_deleted(ctx, qtbot, find):
    p = ctx.store.add_person(Person(name="Ana"))
    ctx.store.add_entry(
        Entry(
            date=date(2026, 6, 1), person_ids=[p.id], direction="gave", support_types=["expertise"]
        )
    )
    dlg = _dialog(ctx, qtbot)
    editor = dlg.types
    editor._select("expertise")
    find(editor, QPushButton, "Delete support type").click()
    message = find(editor, QLabel, "Support type message")
    assert "retire the support type instead" in message.text()
    assert ctx.store.support_type("expertise").label == "Expertise"
    assert ctx.undo_stack.count() == 0


def test_retire_and_rename_a_circle(ctx, qtbot, find):
    ctx.store.add_person(Person(name="Ana", circle="school"))
    dlg = _dialog(ctx, qtbot)
    editor = dlg.circles
    editor._select("school")
    find(editor, QPushButton, "Delete circle").click()
    assert "retire the circle instead" in find(editor, QLabel, "Circle message").text()
    find(editor, QLineEdit, "Circle name").setText("University")
    editor.retired.setChecked(True)
    find(editor, QPushButton, "Apply circle").click()
    school = next(c for c in ctx.store.circles(include_retired=True) if c.key == "school")
    assert school.label == "University" and school.retired
    assert "school" not in {c.key for c in ctx.store.circles()}
