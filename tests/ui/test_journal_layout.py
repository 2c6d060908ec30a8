"""The Journal place fits the window's smallest size: no control under another, none cut."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QPushButton, QWidget

from ties.ui.places.journal import JournalPlace

#: The place's share of the window at its minimum width (880 px less the sidebar).
NARROW = 700


def _controls(place: JournalPlace) -> list[QWidget]:
    bar = place.filters
    kids = [w for w in bar.findChildren(QWidget) if w.isVisible() and w.parent() is bar]
    buttons = [w for w in place.findChildren(QPushButton) if w.isVisible()]
    return [w for w in kids if w is not bar.message] + buttons


def _name(w: QWidget) -> str:
    return w.accessibleName() or getattr(w, "text", lambda: "?")()


def _rect(w: QWidget, place: JournalPlace) -> QRect:
    return QRect(w.mapTo(place, w.rect().topLeft()), w.size())


def _shown(demo_ctx, qtbot, width: int) -> JournalPlace:
    place = JournalPlace(demo_ctx)
    qtbot.addWidget(place)
    place.resize(width, 560)
    place.show()
    qtbot.waitExposed(place)
    qtbot.wait(10)
    return place


def test_filters_fit_side_by_side_at_the_smallest_window(demo_ctx, qtbot, tmp_path):
    place = _shown(demo_ctx, qtbot, NARROW)
    place.grab().save(str(tmp_path / "journal-narrow.png"))
    assert place.width() == NARROW
    controls = _controls(place)
    assert len(controls) >= 10
    for a, b in itertools.combinations(controls, 2):
        overlap = _rect(a, place).intersected(_rect(b, place))
        assert overlap.isEmpty(), f"{_name(a)} overlaps {_name(b)}"
    for w in [*place.filters.findChildren(QDateEdit), *place.filters.findChildren(QComboBox)]:
        assert w.width() >= w.sizeHint().width(), w.accessibleName()
        assert _rect(w, place).right() < place.width()
    person = place.filters.findChild(QLineEdit)
    assert person.width() >= person.fontMetrics().horizontalAdvance("Anyone") + 20


def test_filters_take_one_row_when_there_is_room(demo_ctx, qtbot):
    place = _shown(demo_ctx, qtbot, 1200)
    bar = place.filters
    middles = [_rect(w, place).center().y() for w in (bar.person, bar.since, bar.support)]
    assert max(middles) - min(middles) < bar.person.height() // 2  # one row
