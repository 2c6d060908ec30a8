"""Completion takes the best match: Enter, Tab or a click on a suggestion (issue #17, 1–2).

Keys are sent where Qt sends them: to the suggestion popup while it is open.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QListWidget

from ties.model import Person
from ties.ui.dialogs.entry_editor import EntryEditor
from ties.ui.places.journal import JournalPlace

PEOPLE = ("Chloe Martin", "Ben Okafor", "Benoit Roy", "Jana Novak")


def _key(qtbot, line: QLineEdit, key: Qt.Key) -> None:
    """A key as the user presses it: the open popup gets it first."""
    qtbot.keyClick(QApplication.activePopupWidget() or line, key)


def _click_first_suggestion(qtbot) -> None:
    popup = QApplication.activePopupWidget()
    rect = popup.visualRect(popup.model().index(0, 0))
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _editor(ctx, qtbot) -> EntryEditor:
    for name in PEOPLE:
        ctx.store.add_person(Person(name=name))
    dlg = EntryEditor(ctx, None)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_down_enter_adds_the_person_and_clears_the_field(ctx, qtbot, find):
    dlg = _editor(ctx, qtbot)
    add = find(dlg, QLineEdit, "Add person")
    qtbot.keyClicks(add, "Chl")
    _key(qtbot, add, Qt.Key.Key_Down)
    _key(qtbot, add, Qt.Key.Key_Return)
    assert add.text() == ""
    qtbot.keyClicks(add, "Ben")
    _key(qtbot, add, Qt.Key.Key_Down)
    _key(qtbot, add, Qt.Key.Key_Return)
    assert add.text() == ""
    listed = find(dlg, QListWidget, "People on this entry")
    names = [listed.item(i).text() for i in range(listed.count())]
    assert names == ["Chloe Martin", "Benoit Roy"]  # Down moved past the best match
    assert all(pid is not None for pid, _ in dlg.people.chosen)


def test_enter_takes_the_highlighted_best_match_not_the_typed_letters(ctx, qtbot, find):
    dlg = _editor(ctx, qtbot)
    add = find(dlg, QLineEdit, "Add person")
    qtbot.keyClicks(add, "Chl")
    popup = QApplication.activePopupWidget()
    assert popup.accessibleName() == "Person suggestions"
    assert popup.currentIndex().row() == 0  # the best match is highlighted
    _key(qtbot, add, Qt.Key.Key_Return)
    assert [n for _, n in dlg.people.chosen] == ["Chloe Martin"] and add.text() == ""
    qtbot.keyClicks(add, "Ben")
    _key(qtbot, add, Qt.Key.Key_Tab)
    assert [n for _, n in dlg.people.chosen] == ["Chloe Martin", "Ben Okafor"]
    assert dlg.focusWidget() is add  # Tab took the match, it did not leave the field
    assert not any(pid is None for pid, _ in dlg.people.chosen)


def test_clicking_a_suggestion_adds_it_and_clears_the_field(ctx, qtbot, find):
    dlg = _editor(ctx, qtbot)
    add = find(dlg, QLineEdit, "Add person")
    qtbot.keyClicks(add, "Chl")
    _click_first_suggestion(qtbot)
    assert add.text() == ""
    qtbot.keyClicks(add, "Ben")
    _click_first_suggestion(qtbot)
    assert [n for _, n in dlg.people.chosen] == ["Chloe Martin", "Ben Okafor"]
    assert add.text() == ""


def _quick(ctx, qtbot):
    for name in PEOPLE:
        ctx.store.add_person(Person(name=name))
    place = JournalPlace(ctx)
    qtbot.addWidget(place)
    place.show()
    qtbot.waitExposed(place)
    return place, place.quick_add.line


def test_quick_add_enter_takes_the_support_type(ctx, qtbot, find):
    _place, line = _quick(ctx, qtbot)
    line.setFocus()
    qtbot.keyClicks(line, "received #conf")
    _key(qtbot, line, Qt.Key.Key_Return)
    assert line.text() == "received #confidant "
    assert ctx.store.count_entries() == 0  # taking a match never saves


def test_quick_add_tab_takes_the_match_and_stays_in_the_line(ctx, qtbot, find):
    place, line = _quick(ctx, qtbot)
    line.setFocus()
    qtbot.keyClicks(line, "met @Ja")
    _key(qtbot, line, Qt.Key.Key_Tab)
    assert line.text() == 'met @"Jana Novak" '
    assert place.focusWidget() is line
    qtbot.keyClicks(line, ": hi")
    _key(qtbot, line, Qt.Key.Key_Return)
    [entry] = ctx.store.list_entries()
    assert entry.person_ids == [ctx.store.resolve_person("Jana Novak").id]
    assert ctx.store.count_people() == len(PEOPLE)  # nobody called "Ja" was made


def test_quick_add_enter_enter_saves_the_match_not_a_new_person(ctx, qtbot, find):
    _place, line = _quick(ctx, qtbot)
    line.setFocus()
    qtbot.keyClicks(line, "met @Ja")
    _key(qtbot, line, Qt.Key.Key_Return)
    _key(qtbot, line, Qt.Key.Key_Return)
    [entry] = ctx.store.list_entries()
    assert ctx.store.get_person(entry.person_ids[0]).name == "Jana Novak"
    assert ctx.store.count_people() == len(PEOPLE)


def test_quick_add_preview_cannot_miss_a_new_person(ctx, qtbot, find):
    place, line = _quick(ctx, qtbot)
    preview = find(place, QLabel, "Quick add preview")
    line.setText("met @Zelda: hi")
    qtbot.waitUntil(lambda: "NEW PERSON" in preview.text(), timeout=3000)
    assert "Zelda" in preview.text()


def test_new_people_are_placed_right_after_the_save_with_f2(ctx, qtbot, find, monkeypatch):
    """Issue #17, 4: a new person does not stay in "Other" unseen."""
    from ties.ui.dialogs.place_people import PlacePeopleDialog

    place, line = _quick(ctx, qtbot)
    preview = find(place, QLabel, "Quick add preview")
    line.setText("met @Zelda: hi")
    qtbot.waitUntil(lambda: "NEW PERSON" in preview.text(), timeout=3000)
    assert "“Other”" in preview.text() and "F2" in preview.text()
    line.setFocus()
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert "landed in “Other”" in preview.text() and "F2" in preview.text()

    def choose(dialog: PlacePeopleDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        circle = find(dialog, QComboBox, "Circle of Zelda")
        closeness = find(dialog, QComboBox, "Closeness of Zelda")
        circle.setCurrentIndex(circle.findData("friends"))
        closeness.setCurrentIndex(closeness.findData(5))
        qtbot.keyClick(closeness, Qt.Key.Key_Return)  # Enter saves
        return dialog.result()

    monkeypatch.setattr(PlacePeopleDialog, "exec", choose)
    qtbot.keyClick(line, Qt.Key.Key_F2)
    zelda = ctx.store.resolve_person("Zelda")
    assert (zelda.circle, zelda.closeness) == ("friends", 5)
    ctx.undo_stack.undo()  # one step puts them back in "Other"
    zelda = ctx.store.resolve_person("Zelda")
    assert (zelda.circle, zelda.closeness) == ("other", 3)


def test_while_suggestions_are_open_the_preview_says_what_enter_takes(ctx, qtbot, find):
    place, line = _quick(ctx, qtbot)
    preview = find(place, QLabel, "Quick add preview")
    line.setFocus()
    qtbot.keyClicks(line, "met @Ja")
    qtbot.waitUntil(lambda: "Enter or Tab takes" in preview.text(), timeout=3000)
    assert "Jana Novak" in preview.text() and "NEW PERSON" not in preview.text()
    _key(qtbot, line, Qt.Key.Key_Escape)  # the list closes: the preview speaks of the line
    qtbot.waitUntil(lambda: "Enter saves" in preview.text(), timeout=3000)
