"""Every control a user can reach with the keyboard has an accessible name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QScrollBar, QWidget

from ties.ui.dialogs.entry_editor import EntryEditor
from ties.ui.dialogs.person_dialogs import NewPersonDialog
from ties.ui.dialogs.settings import SettingsDialog
from ties.ui.places.journal import JournalPlace
from ties.ui.places.people import PeoplePlace
from ties.ui.search import SearchDialog
from ties.ui.welcome import WelcomePage

#: Parts Qt builds inside a control; assistive tools read the control itself.
QT_INTERNALS = {"qt_spinbox_lineedit", "qt_tabwidget_tabbar"}


def _internal(w: QWidget) -> bool:
    if w.objectName() in QT_INTERNALS or isinstance(w, QScrollBar):
        return True
    # popup lists of combo boxes and completers
    return isinstance(w, QAbstractItemView) and (
        w.window() is not w.parentWidget().window() or isinstance(w.parent().parent(), QComboBox)
    )


def unnamed(root: QWidget) -> list[str]:
    return [
        f"{type(w).__name__} in {type(w.parentWidget()).__name__}"
        for w in [root, *root.findChildren(QWidget)]
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and not w.accessibleName() and not _internal(w)
    ]


def test_every_control_has_an_accessible_name(demo_ctx, qtbot):
    people = PeoplePlace(demo_ctx)
    people.show_person(demo_ctx.store.list_people(limit=1)[0].id)
    entry = demo_ctx.store.list_entries(limit=1)[0]
    roots = [
        JournalPlace(demo_ctx),
        people,
        EntryEditor(demo_ctx, entry),
        EntryEditor(demo_ctx, None),
        NewPersonDialog(demo_ctx),
        SettingsDialog(demo_ctx),
        SearchDialog(demo_ctx),
        WelcomePage(),
    ]
    for root in roots:
        qtbot.addWidget(root)
        assert unnamed(root) == [], type(root).__name__


def test_tab_leaves_every_list_and_table_in_every_place(demo_ctx, qtbot):
    """Arrow keys move inside a list; Tab must go on to the next control, never get stuck."""
    from ties.ui.main_window import PLACES, MainWindow

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    for place in PLACES:
        window.show_place(place)
    views = [
        w
        for w in window.findChildren(QAbstractItemView)
        if not _internal(w) and w.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    assert {v.accessibleName() for v in views} >= {
        "Entry list",
        "People list",
        "Coverage heat map",
    }
    assert [v.accessibleName() for v in views if v.tabKeyNavigation()] == []
