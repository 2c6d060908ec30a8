"""The map from the keyboard: a visible focus, Tab walks the people most important
first, Enter opens one, Ctrl+Up/Down re-rings them through the undo stack, the Menu
key offers the same; arrows still pan (issue #17, accessibility)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QMenu

from ties.model import Entry, Person
from ties.ui.context import AppContext
from ties.ui.map_canvas import MapCanvas
from ties.ui.places.map import MapPlace


@pytest.fixture
def place(ctx: AppContext, qtbot) -> MapPlace:
    for i, (name, circle, closeness) in enumerate(
        [("Ana Ruiz", "work", 5), ("Ben Okafor", "friends", 2), ("Cleo Park", "friends", 3)]
        + [(f"Extra {n}", "industry", 1 + n % 4) for n in range(10)]
    ):
        pid = ctx.store.add_person(Person(name=name, circle=circle, closeness=closeness)).id
        ctx.store.add_entry(Entry(date=date(2026, 6, 1 + i), person_ids=[pid]))
    place = MapPlace(ctx)
    place.resize(1000, 760)
    qtbot.addWidget(place)
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        place.show()
    qtbot.waitExposed(place)
    return place


def _canvas(place, find) -> MapCanvas:
    canvas = find(place, MapCanvas, "Relationship map")
    canvas.setFocus()
    return canvas


def _edge(canvas: MapCanvas) -> QColor:
    return canvas.grab().toImage().pixelColor(1, canvas.height() // 2)


def test_the_map_shows_where_the_keyboard_is(place, find, qtbot):
    canvas = _canvas(place, find)
    qtbot.waitUntil(canvas.hasFocus)
    framed = _edge(canvas)
    assert framed == canvas.style_.highlight
    canvas.clearFocus()
    qtbot.waitUntil(lambda: not canvas.hasFocus())
    assert _edge(canvas) != canvas.style_.highlight


def test_tab_walks_the_people_most_important_first_and_enter_opens(place, ctx, find, qtbot):
    canvas = _canvas(place, find)
    order = [n.id for n in canvas.importance_order()]
    assert canvas.people[order[0]].name == "Ana Ruiz"  # the inner ring comes first
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    assert canvas.selected_id == order[0] and canvas.hasFocus()
    assert "Ana Ruiz" in canvas.accessibleDescription()
    assert place.card.isVisible()  # the same card as under the mouse
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    assert canvas.selected_id == order[2]
    qtbot.keyClick(canvas, Qt.Key.Key_Backtab)
    assert canvas.selected_id == order[1]
    with qtbot.waitSignal(ctx.person_requested, timeout=2_000) as opened:
        qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert opened.args == [order[1]]
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.selected_id is None


def test_ctrl_up_and_down_move_a_person_a_ring_through_the_undo_stack(place, ctx, find, qtbot):
    canvas = _canvas(place, find)
    ben = ctx.store.people_named("Ben Okafor")[0].id
    while canvas.selected_id != ben:
        qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    others = {n.id: (n.x, n.y) for n in canvas.layout_.nodes if n.id != ben}
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        qtbot.keyClick(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert ctx.store.get_person(ben).closeness == 3
    assert canvas.layout_.node(ben).closeness == 3
    assert canvas.selected_id == ben  # still chosen: the next press moves them again
    assert {n.id: (n.x, n.y) for n in canvas.layout_.nodes if n.id != ben} == others
    assert ctx.undo_stack.undoText() == "Change closeness"
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        qtbot.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        qtbot.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert ctx.store.get_person(ben).closeness == 1
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        ctx.undo_stack.undo()
    assert ctx.store.get_person(ben).closeness == 2


def test_the_menu_key_offers_open_and_re_ring(place, ctx, find, qtbot):
    canvas = _canvas(place, find)
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    ana = canvas.selected_id
    qtbot.keyClick(canvas, Qt.Key.Key_Menu)
    menu = find(canvas, QMenu, "Ana Ruiz: actions")
    qtbot.waitUntil(menu.isVisible)
    texts = {a.text().split("\t")[0]: a for a in menu.actions()}
    assert not texts["One ring closer"].isEnabled()  # already on the inner ring
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        texts["One ring further"].trigger()
    assert ctx.store.get_person(ana).closeness == 4


def test_arrows_still_pan_and_tab_leaves_after_the_last_person(place, find, qtbot):
    canvas = _canvas(place, find)
    ox = canvas.ox
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert canvas.ox > ox
    for _ in range(len(canvas.layout_.nodes)):
        qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    assert canvas.hasFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    assert not canvas.hasFocus() and canvas.selected_id is None
    assert QApplication.focusWidget() is not None


def test_another_window_lays_the_map_out_afresh_after_a_move(place, ctx, find, qtbot):
    """Keeping places is for changes in the journal; a new window re-sorts everyone."""
    from PySide6.QtWidgets import QComboBox

    from ties.analysis.map_layout import layout_map

    canvas = _canvas(place, find)
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        qtbot.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    window = find(place, QComboBox, "Map window")
    with qtbot.waitSignal(place.map_ready, timeout=10_000):
        window.setCurrentIndex((window.currentIndex() + 1) % window.count())
    fresh = layout_map(place.data.people, [k for k, _ in place.data.circles])
    assert {n.id: (n.x, n.y) for n in canvas.layout_.nodes} == {
        n.id: (n.x, n.y) for n in fresh.nodes
    }
