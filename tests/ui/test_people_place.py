"""The People place: list, person page edited in place, archive and delete with undo."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from ties.model import Entry, Person
from ties.store import NotFoundError, PeopleFilter
from ties.ui.changes import Changes
from ties.ui.dialogs.person_dialogs import (
    ARCHIVE_INSTEAD,
    DELETE_WITH_ENTRIES,
    NewPersonDialog,
    delete_person_text,
)
from ties.ui.places import people as people_module
from ties.ui.places.people import PeoplePlace


@pytest.fixture
def place(ctx, qtbot):
    p = PeoplePlace(ctx)
    qtbot.addWidget(p)
    p.show()
    return p


def _people(ctx):
    ana = ctx.store.add_person(Person(name="Ana Ruiz", circle="work", closeness=4))
    ben = ctx.store.add_person(Person(name="Ben Okafor", circle="friends"))
    ctx.store.add_entry(Entry(date=date(2026, 6, 1), person_ids=[ana.id], note="solo"))
    ctx.store.add_entry(Entry(date=date(2026, 6, 2), person_ids=[ana.id, ben.id], note="both"))
    return ana, ben


def test_new_person_dialog_refuses_an_empty_name(ctx, qtbot, find):
    dlg = NewPersonDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.save()
    assert find(dlg, QLabel, "Name error").text() == "A person needs a name."
    find(dlg, QLineEdit, "Name").setText("Rosa Lindqvist")
    dlg.save()
    assert [p.name for p in ctx.store.list_people()] == ["Rosa Lindqvist"]
    ctx.undo_stack.undo()
    assert ctx.store.count_people() == 0


def test_person_page_edits_in_place_with_undo(ctx, place, qtbot, find):
    ana, _ben = _people(ctx)
    place.show_person(ana.id)
    page = place.page
    assert find(page, QLabel, "Person name").text() == "Ana Ruiz"
    assert page.entries_model.rowCount() == 2
    role = find(page, QLineEdit, "Role")
    qtbot.keyClicks(role, "designer")
    assert find(page, QPushButton, "Save person").isEnabled()
    page.save()
    assert ctx.store.get_person(ana.id).role == "designer"
    ctx.undo_stack.undo()
    assert ctx.store.get_person(ana.id).role == ""
    assert role.text() == ""
    ctx.undo_stack.redo()
    assert ctx.store.get_person(ana.id).role == "designer"


def test_person_page_shows_empty_name_inline(ctx, place, find):
    ana, _ = _people(ctx)
    place.show_person(ana.id)
    name = find(place.page, QLineEdit, "Name")
    name.setText("  ")
    name.textEdited.emit("  ")
    assert not place.page.save()
    assert find(place.page, QLabel, "Name error").text() == "A person needs a name."
    assert ctx.store.get_person(ana.id).name == "Ana Ruiz"


def test_month_from_timeline_filters_the_entries(ctx, place):
    ana, _ = _people(ctx)
    place.show_person(ana.id)
    place.page.timeline.month_clicked.emit(date(2026, 6, 2), date(2026, 6, 30))
    assert place.page.entries_model.rowCount() == 1
    place.page.filter_month(None, None)
    assert place.page.entries_model.rowCount() == 2


def test_archive_and_unarchive_are_undoable(ctx, place, find):
    ana, _ = _people(ctx)
    place.show_person(ana.id)
    find(place, QPushButton, "Archive person").click()
    assert ctx.store.get_person(ana.id).archived
    assert place.model.rowCount() == 1  # the list shows active people
    ctx.undo_stack.undo()
    assert not ctx.store.get_person(ana.id).archived
    assert place.model.rowCount() == 2


def test_delete_with_entries_asks_and_undo_restores(ctx, place, find, monkeypatch):
    ana, ben = _people(ctx)
    asked = []
    monkeypatch.setattr(
        people_module,
        "ask_delete_person",
        lambda _parent, name, n, shared: asked.append((name, n, shared)) or DELETE_WITH_ENTRIES,
    )
    place.show_person(ana.id)
    find(place, QPushButton, "Delete person").click()
    assert asked == [("Ana Ruiz", 2, 1)]
    with pytest.raises(NotFoundError):
        ctx.store.get_person(ana.id)
    assert [e.note for e in ctx.store.list_entries()] == ["both"]
    ctx.undo_stack.undo()
    assert ctx.store.get_person(ana.id).name == "Ana Ruiz"
    assert sorted(e.note for e in ctx.store.list_entries()) == ["both", "solo"]
    assert ctx.store.get_entry(ctx.store.list_entries(limit=1)[0].id).person_ids == [
        ana.id,
        ben.id,
    ]


def test_cancelled_delete_changes_nothing(ctx, place, find, monkeypatch):
    ana, _ = _people(ctx)
    monkeypatch.setattr(people_module, "ask_delete_person", lambda *_a: None)
    place.show_person(ana.id)
    find(place, QPushButton, "Delete person").click()
    assert ctx.store.count_people(PeopleFilter(archived=None)) == 2
    assert ctx.undo_stack.count() == 0


def test_filters_and_search_narrow_the_list(demo_ctx, qtbot, find):
    place = PeoplePlace(demo_ctx)
    qtbot.addWidget(place)
    search = find(place, QLineEdit, "Filter people by name")
    search.setText("Ana")
    place._refilter()
    assert place.model.rowCount() == demo_ctx.store.count_people(PeopleFilter(text="Ana"))
    place.closeness.setCurrentIndex(place.closeness.findData(5))
    place.closeness.activated.emit(place.closeness.currentIndex())
    want = demo_ctx.store.count_people(PeopleFilter(text="Ana", closeness=5))
    assert place.model.rowCount() == want


def test_archive_instead_of_delete_keeps_the_history(ctx, place, find, monkeypatch):
    ana, _ = _people(ctx)
    monkeypatch.setattr(people_module, "ask_delete_person", lambda *_a: ARCHIVE_INSTEAD)
    place.show_person(ana.id)
    find(place, QPushButton, "Delete person").click()
    assert ctx.store.get_person(ana.id).archived
    assert ctx.store.count_entries() == 2


def test_a_name_someone_has_is_refused_next_to_the_name_field(ctx, place, qtbot, find):
    _ana, ben = _people(ctx)
    dlg = NewPersonDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    find(dlg, QLineEdit, "Name").setText("ana ruiz")
    dlg.save()
    assert find(dlg, QLabel, "Name error").text() == "Ana Ruiz is already in the journal."
    assert ctx.store.count_people() == 2
    place.show_person(ben.id)
    name = find(place.page, QLineEdit, "Name")
    name.setText("Ana Ruiz")
    name.textEdited.emit("Ana Ruiz")
    assert not place.page.save()
    assert find(place.page, QLabel, "Name error").text() == "Ana Ruiz is already in the journal."
    assert ctx.store.get_person(ben.id).name == "Ben Okafor"
    name.setText("BEN OKAFOR")  # a new spelling of one's own name is fine
    name.textEdited.emit("BEN OKAFOR")
    assert place.page.save()
    assert ctx.store.get_person(ben.id).name == "BEN OKAFOR"


def test_at_the_minimum_window_size_the_page_does_not_cover_the_list(
    demo_ctx, qtbot, tmp_path, close_and_wait
):
    from PySide6.QtWidgets import QSplitter, QTabWidget

    from ties.ui.main_window import MainWindow

    w = MainWindow(demo_ctx)
    qtbot.addWidget(w)
    w.resize(w.minimumSize())
    w.show()
    w.show_place("people")
    place = w.people_place()
    place.show_person(demo_ctx.store.list_people()[3].id)
    qtbot.wait(10)
    w.grab().save(str(tmp_path / "people-min.png"))  # to look at when this fails
    split = next(
        s for s in place.findChildren(QSplitter) if s.accessibleName() == "People list and page"
    )
    left, right = split.widget(0), split.widget(1)
    assert left.geometry().right() < right.geometry().left()
    for pane in (left, right):  # a pane squeezed under its minimum is drawn over its neighbour
        assert pane.width() >= pane.minimumSizeHint().width()
    tabs = next(
        t for t in place.page.findChildren(QTabWidget) if t.accessibleName() == "Person sections"
    )
    bar = tabs.tabBar()
    for i in range(bar.count()):  # both tabs whole, nothing in the bar's corner over them
        assert bar.rect().contains(bar.tabRect(i))
    assert tabs.cornerWidget(Qt.Corner.TopRightCorner) is None
    summary = place.page.subtitle
    assert summary.width() >= summary.minimumSizeHint().width()
    name_col = place.table.columnWidth(0)  # the list drops columns rather than squeeze names
    assert name_col >= place.fontMetrics().horizontalAdvance("Maria Fernández")
    form_scroll = place.page.form_scroll  # the profile scrolls down, never sideways
    place.page.tabs.setCurrentIndex(1)
    qtbot.wait(10)
    assert not form_scroll.horizontalScrollBar().isVisible()
    close_and_wait(w)


def test_a_refused_name_message_goes_when_the_name_is_edited(ctx, place, qtbot, find):
    _ana, ben = _people(ctx)
    place.show_person(ben.id)
    place.page.tabs.setCurrentIndex(1)
    name = find(place.page, QLineEdit, "Name")
    name.setText("Ana Ruiz")
    name.textEdited.emit("Ana Ruiz")
    assert not place.page.save()
    error = find(place.page, QLabel, "Name error")
    assert error.isVisible()
    name.selectAll()
    qtbot.keyClicks(name, "Ben Okafor-Adeyemi")
    assert not error.isVisible() and error.text() == ""
    place.page.revert()


def test_the_count_says_person_for_one(ctx, place, find):
    ctx.store.add_person(Person(name="Sam Lee"))
    ctx.changed.emit(Changes(people=True))
    assert find(place, QLabel, "People count").text() == "1 person"
    ctx.store.add_person(Person(name="Ana Ruiz"))
    ctx.changed.emit(Changes(people=True))
    assert find(place, QLabel, "People count").text() == "2 people"


def test_the_delete_question_says_what_goes_and_what_is_kept():
    text, informative = delete_person_text("Ana Ruiz", 449, 28)
    assert text == "Ana Ruiz is named on 449 entries."
    assert "421 entries name only them and are deleted" in informative
    assert "taken off 28 entries shared with others, which are kept" in informative
    _text, one = delete_person_text("Ben", 2, 1)
    assert "1 entry names only them and is deleted" in one
    assert "taken off 1 entry shared" in one
    _text, none_shared = delete_person_text("Ben", 3, 0)
    assert "shared" not in none_shared


def test_the_list_and_page_split_stays_where_the_person_left_it(ctx, place, qtbot, drag_splitter):
    place.resize(1200, 700)
    place.show()
    qtbot.waitExposed(place)
    after = drag_splitter(place.split, 150)
    again = PeoplePlace(ctx)
    qtbot.addWidget(again)
    again.resize(1200, 700)
    again.show()
    qtbot.waitExposed(again)
    assert again.split.sizes()[0] == pytest.approx(after, abs=6)
