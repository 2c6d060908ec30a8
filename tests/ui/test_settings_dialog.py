"""Settings: circles and support types; nothing in use is deleted silently."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QPushButton

from ties.model import Entry, Person
from ties.ui.dialogs import settings as settings_module
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


def test_a_label_another_type_has_is_refused_next_to_the_name(ctx, qtbot, find):
    dlg = _dialog(ctx, qtbot)
    editor = dlg.types
    first, second = ctx.store.support_types()[:2]
    editor._select(second.key)
    name = find(editor, QLineEdit, "Support type name")
    name.setText(first.label.upper())
    find(editor, QPushButton, "Apply support type").click()
    error = find(editor, QLabel, "Support type name error")
    assert error.isVisible() and "already called" in error.text()
    assert ctx.store.support_type(second.key).label == second.label
    name.textEdited.emit("x")  # typing again clears it
    assert not error.isVisible()
    name.setText(second.label)  # nothing left to ask about on closing


def test_a_refusal_is_cleared_when_another_type_is_chosen(ctx, qtbot, find):
    p = ctx.store.add_person(Person(name="Ana"))
    ctx.store.add_entry(
        Entry(date=date(2026, 6, 1), person_ids=[p.id], support_types=["expertise"])
    )
    dlg = _dialog(ctx, qtbot)
    editor = dlg.types
    editor._select("expertise")
    find(editor, QPushButton, "Delete support type").click()
    message = find(editor, QLabel, "Support type message")
    assert "'Expertise' (#expertise)" in message.text()
    other = next(t.key for t in ctx.store.support_types() if t.key != "expertise")
    editor._select(other)
    assert not message.isVisible()


@pytest.fixture
def answers(monkeypatch):
    asked: list[str] = []
    replies: list[str | None] = []

    def ask(_parent, name):
        asked.append(name)
        return replies.pop(0)

    monkeypatch.setattr(settings_module, "ask_apply_changes", ask)
    return asked, replies


def test_leaving_an_edited_type_asks_to_apply_discard_or_stay(ctx, qtbot, find, answers):
    asked, replies = answers
    dlg = _dialog(ctx, qtbot)
    editor = dlg.types
    first, second = ctx.store.support_types()[:2]
    editor._select(first.key)
    question = find(editor, QPlainTextEdit, "Support type question")
    question.setPlainText("Who helps me think?")
    replies.append(None)  # Cancel: stay, the edit kept
    editor._select(second.key)
    assert asked == [first.label]
    assert editor.current_key() == first.key
    assert question.toPlainText() == "Who helps me think?"
    replies.append(settings_module.APPLY)
    editor._select(second.key)
    assert editor.current_key() == second.key
    assert ctx.store.support_type(first.key).question == "Who helps me think?"
    ctx.undo_stack.undo()
    assert ctx.store.support_type(first.key).question == first.question
    question.setPlainText("Thrown away")
    replies.append(settings_module.DISCARD)
    editor._select(first.key)
    assert ctx.store.support_type(second.key).question == second.question
    assert question.toPlainText() == first.question
    assert len(asked) == 3
    editor._select(second.key)  # nothing edited: nothing asked
    assert len(asked) == 3


def test_closing_with_an_unapplied_edit_asks(ctx, qtbot, find, answers):
    asked, replies = answers
    dlg = _dialog(ctx, qtbot)
    circles = dlg.circles
    circles._select("work")
    find(circles, QLineEdit, "Circle name").setText("Office")
    replies.append(None)
    dlg.reject()
    assert dlg.isVisible() and dlg.tabs.currentWidget() is circles
    replies.append(settings_module.APPLY)
    dlg.reject()
    assert not dlg.isVisible()
    assert [c.label for c in ctx.store.circles() if c.key == "work"] == ["Office"]
    assert len(asked) == 2


def test_adding_twice_gives_two_names(ctx, qtbot, find):
    dlg = _dialog(ctx, qtbot)
    before = len(ctx.store.circles())
    find(dlg.circles, QPushButton, "Add circle").click()
    find(dlg.circles, QPushButton, "Add circle").click()
    labels = [c.label for c in ctx.store.circles()]
    assert len(labels) == before + 2 and "New circle 2" in labels


def test_an_unused_circle_and_type_are_deleted_and_undo_brings_them_back(ctx, qtbot, find):
    dlg = _dialog(ctx, qtbot)
    circles, types = dlg.circles, dlg.types
    circles._select("school")
    find(circles, QPushButton, "Delete circle").click()
    assert "school" not in {c.key for c in ctx.store.circles(include_retired=True)}
    types._select("expertise")
    find(types, QPushButton, "Delete support type").click()
    assert "expertise" not in {t.key for t in ctx.store.support_types(include_retired=True)}
    assert ctx.undo_stack.undoText() == "Delete support type Expertise"
    ctx.undo_stack.undo()
    ctx.undo_stack.undo()
    assert "school" in {c.key for c in ctx.store.circles(include_retired=True)}
    assert "expertise" in {t.key for t in ctx.store.support_types(include_retired=True)}


def test_closing_with_unapplied_today_settings_asks(ctx, qtbot, find, answers):
    """Issue #17 item 11: Close threw the Today tab's edits away without asking."""
    from PySide6.QtWidgets import QSpinBox

    asked, replies = answers
    dlg = _dialog(ctx, qtbot)
    dlg.reject()  # nothing edited: closes without a question
    assert asked == [] and not dlg.isVisible()
    dlg = _dialog(ctx, qtbot)
    spin = find(dlg.today, QSpinBox, "Cadence for closeness 5")
    spin.setValue(spin.value() + 3)
    find(dlg.today, QPlainTextEdit, "My offers").setPlainText("bike repairs")
    replies.append(None)  # Cancel: stay on the tab, the edit kept
    dlg.reject()
    assert dlg.isVisible() and dlg.tabs.currentWidget() is dlg.today
    assert asked == ["Today settings"]
    replies.append(settings_module.APPLY)
    dlg.reject()
    assert not dlg.isVisible()
    assert ctx.store.get_setting("my_offers") == "bike repairs"
    ctx.undo_stack.undo()  # one undoable change, as the Apply button makes
    assert not ctx.store.get_setting("my_offers")


def test_where_i_work_is_said_not_guessed(ctx, qtbot, find):
    """Issue #17 item 10: Coverage suggested colleagues at a firm never said to be mine."""
    from datetime import date as day

    from ties.analysis.coverage import compute_coverage

    for name in ("Ben", "Dan"):
        ctx.store.add_person(Person(name=name, circle="work", organization="Acme Corp"))
    influence = compute_coverage(ctx.store, day(2026, 6, 30)).type("internal_influence")
    assert not any("works at" in s.why for s in influence.suggestions)
    dlg = _dialog(ctx, qtbot)
    find(dlg.today, QLineEdit, "Where I work").setText("Acme Corp")
    find(dlg.today, QPushButton, "Apply Today settings").click()
    assert ctx.store.get_setting("my_organization") == "Acme Corp"
    influence = compute_coverage(ctx.store, day(2026, 6, 30)).type("internal_influence")
    assert [s.why for s in influence.suggestions[:2]] == ["works at Acme Corp too"] * 2
    ctx.undo_stack.undo()
    assert not ctx.store.get_setting("my_organization")


def test_the_colour_scheme_is_chosen_in_settings_and_kept(ctx, qtbot, find, monkeypatch):
    """Issue #17 item 15: a theme choice (system, light, dark) in Settings."""
    from ties.ui import settings as ui_settings
    from ties.ui import style

    applied: list[str | None] = []
    monkeypatch.setattr(style, "apply", lambda _app, scheme=None: applied.append(scheme))
    dlg = _dialog(ctx, qtbot)
    combo = find(dlg, QComboBox, "Colour scheme")
    assert combo.currentData() == "system"
    combo.setCurrentIndex(combo.findData("dark"))
    combo.activated.emit(combo.currentIndex())
    assert applied == ["dark"] and ui_settings.color_scheme() == "dark"
    again = _dialog(ctx, qtbot)
    assert find(again, QComboBox, "Colour scheme").currentData() == "dark"
