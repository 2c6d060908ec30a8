"""The heat map: the names stay while the tiles scroll sideways; 11 types fit at 1280 px.

Issue #17 item 7: scrolling sideways lost the Person column, and only 2-3 of the
11 support columns fit at 1200 px.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QTableView

from ties.ui.coverage_heatmap import COL_PERSON, FIRST_TYPE
from ties.ui.places.coverage import CoveragePlace

SIDEBAR = 176  # the main window's place list


def _place(demo_ctx, qtbot, width: int, height: int = 740) -> CoveragePlace:
    p = CoveragePlace(demo_ctx)
    qtbot.addWidget(p)
    p.resize(width, height)
    with qtbot.waitSignal(p.coverage_ready, timeout=20_000):
        p.show()
    qtbot.wait(50)  # the splitters give out their widths
    return p


def test_all_support_columns_fit_in_a_1280_px_window(demo_ctx, qtbot) -> None:
    place = _place(demo_ctx, qtbot, 1280 - SIDEBAR)
    view = place.heat_map
    assert view.heat_model.columnCount() == FIRST_TYPE + 11
    assert view.horizontalHeader().length() <= view.viewport().width()
    for col in range(FIRST_TYPE, view.heat_model.columnCount()):  # label kept, question as tip
        label = view.model().headerData(col, Qt.Orientation.Horizontal)
        tip = view.model().headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert label and tip and len(tip) > len(label)


def test_the_names_stay_when_the_tiles_scroll_sideways(demo_ctx, qtbot, find) -> None:
    place = _place(demo_ctx, qtbot, 700)
    view = place.heat_map
    view.setFixedWidth(300)
    qtbot.wait(50)
    bar = view.horizontalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    names = find(view, QTableView, "Coverage heat map names")
    assert names.isVisible()
    assert names.width() == view.columnWidth(COL_PERSON)
    first = view.model().index(0, COL_PERSON).data()
    row_y = view.rowViewportPosition(0) + view.rowHeight(0) // 2
    shown = names.indexAt(QPoint(5, row_y))
    assert shown.isValid() and shown.data() == first
