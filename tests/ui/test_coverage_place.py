"""The Coverage place: checklist, heat map, charts, selectors, live updates and export."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDateEdit, QLabel, QPushButton, QSpinBox

from ties.analysis import coverage as cv
from ties.model import Entry, Person
from ties.ui.changes import Changes
from ties.ui.context import AppContext
from ties.ui.coverage_heatmap import COL_PERSON, COL_TOTAL, FIRST_TYPE
from ties.ui.places import coverage as place_module
from ties.ui.places.coverage import CoveragePlace

TODAY = date(2026, 6, 30)


@pytest.fixture
def people(ctx: AppContext) -> dict[str, int]:
    s = ctx.store
    ids = {}
    for name, closeness, circle, org in [
        ("Ben", 4, "work", "Northwind"),
        ("Cara", 1, "industry", "Contoso"),
        ("Dan", 2, "work", "Northwind"),
    ]:
        p = s.add_person(Person(name=name, closeness=closeness, circle=circle, organization=org))
        assert p.id
        ids[name] = p.id
    for key, day, who, direction, types, weight in [
        ("ben_old", "2026-05-01", "Ben", "received", ["confidant", "expertise"], 3),
        ("ben_new", "2026-06-01", "Ben", "received", ["confidant"], 2),
        ("cara", "2026-06-10", "Cara", "received", ["expertise"], 1),
        ("dan", "2026-06-12", "Dan", "gave", ["introductions"], 1),
    ]:
        e = s.add_entry(
            Entry(
                date=date.fromisoformat(day),
                person_ids=[ids[who]],
                direction=direction,
                support_types=types,
                weight=weight,
                note=f"note {key}",
            )
        )
        assert e.id
        ids[key] = e.id
    return ids


@pytest.fixture
def place(ctx: AppContext, people: dict[str, int], qtbot) -> CoveragePlace:
    p = CoveragePlace(ctx)
    qtbot.addWidget(p)
    p.resize(1400, 900)
    with qtbot.waitSignal(p.coverage_ready, timeout=10_000):
        p.show()
    return p


def _names(place: CoveragePlace) -> list[str]:
    proxy = place.heat_map.proxy
    return [proxy.index(r, COL_PERSON).data() for r in range(proxy.rowCount())]


def _column(place: CoveragePlace, key: str) -> int:
    model = place.heat_map.heat_model
    return next(c for c in range(model.columnCount()) if model.type_key(c) == key)


def test_selectors_start_at_today_and_a_year(place: CoveragePlace, find) -> None:
    assert find(place, QDateEdit, "Coverage as-of date").date() == QDate(2026, 6, 30)
    assert find(place, QSpinBox, "Coverage window days").value() == 365
    assert "2 of 11" in find(place, QLabel, "Coverage summary").text()


def test_checklist_ticks_providers_and_marks_gaps(place: CoveragePlace) -> None:
    item = place.checklist.type_item("confidant")
    assert item is not None
    assert item.text(0) == "Someone outside my department I can confide in"
    assert item.checkState(0) == Qt.CheckState.Checked
    assert item.child(0).text(0) == "From Ben (5)"
    gap = place.checklist.type_item("long_view")
    assert gap is not None and gap.checkState(0) == Qt.CheckState.Unchecked
    assert gap.text(0).endswith("— gap")
    assert gap.childCount() >= 1
    assert gap.child(0).text(0).startswith("Maybe Ben: a strong tie (close)")
    # the ticks show coverage; the user cannot toggle them
    assert not item.flags() & Qt.ItemFlag.ItemIsUserCheckable


def test_heat_map_model_and_sorting(place: CoveragePlace, qtmodeltester) -> None:
    qtmodeltester.check(place.heat_map.heat_model)
    qtmodeltester.check(place.heat_map.proxy)
    model = place.heat_map.heat_model
    assert model.columnCount() == FIRST_TYPE + 11
    assert _names(place) == ["Ben", "Cara"]  # by total weight: 8 and 1
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Ben")
    assert model.index(row, COL_TOTAL).data() == 8
    assert model.index(row, _column(place, "confidant")).data() == "5"
    assert model.index(row, _column(place, "expertise")).data() == "3"
    assert model.index(row, _column(place, "long_view")).data() == ""
    place.heat_map.sortByColumn(COL_TOTAL, Qt.SortOrder.AscendingOrder)
    assert _names(place) == ["Cara", "Ben"]
    place.heat_map.sortByColumn(_column(place, "expertise"), Qt.SortOrder.DescendingOrder)
    assert _names(place) == ["Ben", "Cara"]
    place.heat_map.sortByColumn(COL_PERSON, Qt.SortOrder.DescendingOrder)
    assert _names(place) == ["Cara", "Ben"]


def _click_heading(view, column: int, qtbot) -> None:
    header = view.horizontalHeader()
    view.scrollTo(view.proxy.index(0, column))
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))


def test_first_click_on_a_figure_heading_sorts_most_first(place: CoveragePlace, qtbot) -> None:
    view = place.heat_map
    _click_heading(view, _column(place, "expertise"), qtbot)
    assert view.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert _names(place) == ["Ben", "Cara"]  # 3 before 1
    _click_heading(view, _column(place, "confidant"), qtbot)
    assert _names(place) == ["Ben", "Cara"]  # 5 before the empty tile
    _click_heading(view, COL_PERSON, qtbot)
    assert view.horizontalHeader().sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert _names(place) == ["Ben", "Cara"]
    _click_heading(view, COL_PERSON, qtbot)
    assert _names(place) == ["Cara", "Ben"]


def test_clicking_a_tile_lists_its_entries(
    place: CoveragePlace, ctx: AppContext, people: dict[str, int], qtbot
) -> None:
    view = place.heat_map
    names = _names(place)
    index = view.proxy.index(names.index("Ben"), _column(place, "confidant"))
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    dialog = place.cell_dialog
    assert dialog is not None and dialog.isVisible()
    rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert len(rows) == 2 and "note ben_new" in rows[0] and "note ben_old" in rows[1]
    with qtbot.waitSignal(ctx.entry_requested) as blocker:
        qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [people["ben_new"]]
    assert not dialog.isVisible()


def test_an_empty_tile_opens_nothing(place: CoveragePlace, qtbot) -> None:
    view = place.heat_map
    index = view.proxy.index(_names(place).index("Cara"), _column(place, "confidant"))
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    assert place.cell_dialog is None


def test_charts_and_diversity(place: CoveragePlace, find) -> None:
    balance = place.balance_chart.accessibleDescription()
    assert "instrumental: weight 4 from 2 people" in balance
    assert "psychosocial: weight 5 from 1 person" in balance
    ties = place.tie_chart.accessibleDescription()
    assert "3 active people: 2 weak ties, 0 medium, 1 strong" in ties
    assert "instrumental: 25% through weak ties, 75% through strong ties" in ties
    diversity = find(place, QLabel, "Coverage diversity").text()
    assert "largest: Work, 67%" in diversity and "largest: Northwind" in diversity
    for chart in (place.balance_chart, place.tie_chart):
        assert not chart.grab().toImage().isNull()


def test_updates_when_entries_are_logged(
    place: CoveragePlace, ctx: AppContext, people: dict[str, int], qtbot
) -> None:
    assert place.checklist.type_item("long_view").checkState(0) == Qt.CheckState.Unchecked
    ctx.store.add_entry(
        Entry(
            date=date(2026, 6, 20),
            person_ids=[people["Cara"]],
            direction="received",
            support_types=["long_view"],
        )
    )
    with qtbot.waitSignal(place.coverage_ready, timeout=10_000):
        ctx.changed.emit(Changes(entries=True))
    assert place.checklist.type_item("long_view").checkState(0) == Qt.CheckState.Checked


def test_window_and_as_of_selectors(place: CoveragePlace, find, qtbot) -> None:
    spin = find(place, QSpinBox, "Coverage window days")
    with qtbot.waitSignal(place.coverage_ready, timeout=10_000):
        spin.setValue(25)  # 2026-06-06 … 2026-06-30: only Cara's expertise
    assert place.coverage is not None and place.coverage.window_days == 25
    assert place.checklist.type_item("confidant").checkState(0) == Qt.CheckState.Unchecked
    assert _names(place) == ["Cara"]
    as_of = find(place, QDateEdit, "Coverage as-of date")
    with qtbot.waitSignal(place.coverage_ready, timeout=10_000):
        as_of.setDate(QDate(2026, 6, 5))  # 2026-05-12 … 2026-06-05: Ben's newer entry
    assert place.coverage.as_of == date(2026, 6, 5)
    assert _names(place) == ["Ben"]
    assert place.checklist.type_item("confidant").child(0).text(0) == "From Ben (2)"
    with qtbot.waitSignal(place.coverage_ready, timeout=10_000):
        qtbot.mouseClick(
            find(place, QPushButton, "Coverage as of today"), Qt.MouseButton.LeftButton
        )
    assert place.coverage.as_of == TODAY


def test_computes_off_the_gui_thread(
    place: CoveragePlace, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads = []

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return cv.compute_coverage(*args, **kwargs)

    monkeypatch.setattr(place_module, "compute_coverage", spy)
    with qtbot.waitSignal(place.coverage_ready, timeout=10_000):
        place.refresh()
    assert threads and threads[0] is not threading.main_thread()


def test_export_png(
    place: CoveragePlace, find, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "coverage"
    monkeypatch.setattr(
        place_module.QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(target), "PNG picture (*.png)"),
    )
    qtbot.mouseClick(find(place, QPushButton, "Coverage export PNG"), Qt.MouseButton.LeftButton)
    image = QImage(str(tmp_path / "coverage.png"))
    assert not image.isNull() and image.width() > 200


def test_empty_journal(ctx: AppContext, qtbot) -> None:
    p = CoveragePlace(ctx)
    qtbot.addWidget(p)
    with qtbot.waitSignal(p.coverage_ready, timeout=10_000):
        p.show()
    assert p.heat_map.heat_model.rowCount() == 0
    item = p.checklist.type_item("confidant")
    assert item is not None and item.checkState(0) == Qt.CheckState.Unchecked
    assert "nobody was active" in p.diversity_label.text()


def test_one_day_is_singular_and_the_as_of_date_stays_in_the_past(
    place: CoveragePlace, find, qtbot
) -> None:
    spin = find(place, QSpinBox, "Coverage window days")
    with qtbot.waitSignal(place.coverage_ready, timeout=10_000):
        spin.setValue(1)
    assert spin.text() == "1 day"
    summary = find(place, QLabel, "Coverage summary").text()
    assert "(1 day)." in summary and "1 days" not in summary
    spin.setValue(2)
    assert spin.text() == "2 days"
    as_of = find(place, QDateEdit, "Coverage as-of date")
    assert as_of.maximumDate() == QDate(2026, 6, 30)
    assert as_of.minimumDate() == QDate(1900, 1, 1)
    as_of.setDate(QDate(2030, 1, 1))
    assert as_of.date() == QDate(2026, 6, 30)


def test_at_the_minimum_width_the_heat_map_goes_under_and_text_fits(
    place: CoveragePlace, qtbot
) -> None:
    assert not place.narrow and place.splitter.orientation() == Qt.Orientation.Horizontal
    place.resize(700, 520)  # the place in a window at its minimum size
    qtbot.waitUntil(lambda: place.narrow)
    assert place.splitter.orientation() == Qt.Orientation.Vertical
    assert place.heat_map.width() > place.width() - 40  # the full width of the place
    assert place.checklist.isVisible() and place.tie_chart.isVisible()
    # the legend fits the chart (on more lines if need be), nothing cut at the right edge
    chart = place.tie_chart
    assert all(row for row in chart._legend_rows(chart.width()))
    assert chart.height() == chart._height_for(chart.width())
    # a long question wraps onto more lines instead of ending in "…"
    item = place.checklist.type_item("internal_influence")
    rect = place.checklist.visualItemRect(item)
    assert rect.height() > 1.5 * place.checklist.fontMetrics().height()
    place.resize(1400, 900)
    qtbot.waitUntil(lambda: not place.narrow)
    assert place.splitter.orientation() == Qt.Orientation.Horizontal


def test_export_draws_the_whole_heat_map_without_scroll_bars(place: CoveragePlace) -> None:
    place.resize(700, 520)
    view = place.heat_map
    full = view.horizontalHeader().length()
    assert view.viewport().width() < full  # on screen the table is cut and scrolls
    image = place.export_image()
    assert image.width() >= full + 2 * place_module.EXPORT_MARGIN
    assert image.height() > place.height()
    # the margin is the window colour
    assert image.pixelColor(2, 2) == place.palette().color(place.backgroundRole())


def test_dark_palette_keeps_text_readable(place: CoveragePlace, qtbot) -> None:
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QStyleOptionButton

    from ties.ui import style

    assert style.readable_on(QColor("#2f5f9e")) == QColor("white")  # strong ties
    assert style.readable_on(QColor("#8fb8e8")) == QColor("black")  # weak ties
    app = QApplication.instance()
    before = app.palette()
    app.setPalette(style.dark_palette())
    try:
        place._show(place.coverage)
        gap = place.checklist.type_item("long_view")
        assert gap.foreground(0).color() == QColor(style.error_color())
        assert gap.foreground(0).color().lightness() > 150  # the lighter red on dark
        # an unticked box stands out from a dark background
        box = QCheckBox("Archived")
        qtbot.addWidget(box)
        contrast = style.ContrastStyle("Fusion")
        contrast.setParent(box)  # a widget does not own its style: the box keeps it alive
        box.setStyle(contrast)
        box.setPalette(style.dark_palette())
        box.resize(120, 30)
        option = QStyleOptionButton()
        box.initStyleOption(option)
        rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        image = box.grab().toImage()
        lightest = max(
            image.pixelColor(x, y).lightness()
            for x in range(rect.left(), rect.right() + 1)
            for y in range(rect.top(), rect.bottom() + 1)
        )
        assert lightest > 100
    finally:
        app.setPalette(before)


def test_the_panes_stay_where_the_person_left_them(
    place: CoveragePlace, ctx: AppContext, qtbot, drag_splitter
) -> None:
    left_after = drag_splitter(place.splitter, 200)
    again = CoveragePlace(ctx)
    qtbot.addWidget(again)
    again.resize(1400, 900)
    with qtbot.waitSignal(again.coverage_ready, timeout=10_000):
        again.show()
    assert again.splitter.sizes()[0] == pytest.approx(left_after, abs=6)
    # the narrow arrangement has its own (untouched) default: half and half
    again.resize(700, 520)
    qtbot.waitUntil(lambda: again.narrow)
    left, right = again.inner.sizes()
    assert left == pytest.approx(right, abs=40)


def _ink_rows(image: QImage, rect, background) -> list[int]:
    """The pixel rows of ``rect`` in which something other than the background is drawn."""
    rows = []
    for y in range(rect.top(), rect.bottom() + 1):
        for x in range(rect.left(), rect.right() + 1, 2):
            c = image.pixelColor(x, y)
            if abs(c.lightness() - background.lightness()) > 60:
                rows.append(y)
                break
    return rows


@pytest.mark.parametrize("pane", [244, 251, 263, 282, 317])
def test_checklist_rows_fit_their_wrapped_text_at_any_pane_width(
    demo_ctx: AppContext, qtbot, pane: int
) -> None:
    """No blank line above or below a row's text, whatever width the pane was left at."""
    place = CoveragePlace(demo_ctx)
    qtbot.addWidget(place)
    place.resize(1280, 800)
    with qtbot.waitSignal(place.coverage_ready, timeout=10_000):
        place.show()
    place.splitter.setSizes([pane, 1280 - pane])
    checklist = place.checklist
    qtbot.waitUntil(lambda: abs(checklist.width() - pane) <= 8, timeout=2000)
    checklist.expandAll()
    checklist.doItemsLayout()
    image = checklist.viewport().grab().toImage()
    line = checklist.fontMetrics().height()
    background = checklist.palette().base().color()
    checked = 0
    item = checklist.topLevelItem(0)
    while item is not None:
        rect = checklist.visualItemRect(item)
        if rect.bottom() >= image.height():
            break
        box = 26 if item.data(0, Qt.ItemDataRole.CheckStateRole) is not None else 0
        text = rect.adjusted(box, 0, 0, 0)  # the text, clear of the tick box
        ink = _ink_rows(image, text, background)
        if len(item.text(0)) > 40 and ink:
            assert ink[0] - rect.top() < 0.45 * line, item.text(0)
            assert rect.bottom() - ink[-1] < 0.45 * line, item.text(0)
            checked += 1
        item = checklist.itemBelow(item)
    assert checked >= 5


def test_the_charts_pane_never_grows_past_its_charts(place: CoveragePlace, qtbot) -> None:
    """Dragging the divider down gives no empty space above the diversity line."""
    qtbot.waitUntil(lambda: place.charts.minimumHeight() > 0)
    need = place.charts.minimumHeight()
    place.inner.moveSplitter(place.inner.sizes()[0] + 300, 1)
    assert place.charts.height() <= need
    assert place.heat_box.height() > 300
    place.resize(700, 520)  # narrow: beside the checklist, the charts may be as tall as it
    qtbot.waitUntil(lambda: place.narrow)
    qtbot.waitUntil(lambda: place.charts.maximumHeight() > need)


def test_a_long_note_in_a_tiles_list_wraps_instead_of_scrolling_sideways(qtbot) -> None:
    from ties.ui.coverage_heatmap import CellEntriesDialog

    long_note = "helped me think through a career move " * 6
    entry = Entry(id=1, date=TODAY, person_ids=[1], direction="received", note=long_note, weight=2)
    dialog = CellEntriesDialog("Career guidance from Ben", [entry])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    lst = dialog.list
    rect = lst.visualItemRect(lst.item(0))
    assert rect.width() <= lst.viewport().width()
    assert rect.height() > 2 * lst.fontMetrics().height()  # on several lines
    assert not lst.horizontalScrollBar().isVisible()


@pytest.mark.parametrize("stored", [["3000000000", "1"], ["1", "999999"], ["x", "500"], ["500"]])
def test_a_damaged_pane_setting_is_ignored(
    ctx: AppContext, people: dict[str, int], qtbot, stored: list[str]
) -> None:
    from ties.ui.settings import app_settings

    app_settings().setValue("coverage/wide-outer", stored)
    place = CoveragePlace(ctx)
    qtbot.addWidget(place)
    place.resize(1400, 900)
    with qtbot.waitSignal(place.coverage_ready, timeout=10_000):
        place.show()
    left, right = place.splitter.sizes()
    assert left == pytest.approx(right, abs=40)  # the default: half and half


def test_the_tag_filter_keeps_what_tagged_people_give(ctx: AppContext, people, qtbot, find):
    from dataclasses import replace

    from PySide6.QtWidgets import QComboBox

    ben = ctx.store.get_person(people["Ben"])
    ctx.store.update_person(replace(ben, tags=["mentor"]))
    place = CoveragePlace(ctx)
    qtbot.addWidget(place)
    place.resize(1400, 900)
    with qtbot.waitSignal(place.coverage_ready, timeout=10_000):
        place.show()
    assert set(_names(place)) == {"Ben", "Cara"}
    combo = find(place, QComboBox, "Coverage tag filter")
    assert combo.isVisible()
    combo.setCurrentIndex(combo.findData("mentor"))
    with qtbot.waitSignal(place.coverage_ready, timeout=10_000):
        combo.activated.emit(combo.currentIndex())
    assert _names(place) == ["Ben"]
    expertise = place.checklist.type_item("expertise")
    assert expertise is not None
    assert [expertise.child(i).text(0) for i in range(expertise.childCount())] == ["From Ben (3)"]
