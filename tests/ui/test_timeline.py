"""The person page's reciprocity chart: summary, hover text, click, refresh on change."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from ties.model import Entry, Person
from ties.store import Store
from ties.ui.changes import Changes
from ties.ui.context import AppContext, StoreCommand
from ties.ui.person_timeline import PersonTimeline

TODAY = date(2026, 6, 30)


@pytest.fixture
def people(store: Store) -> dict[str, int]:
    ana = store.add_person(Person(name="Ana Ruiz", closeness=4)).id
    ben = store.add_person(Person(name="Ben Okafor")).id
    assert ana and ben
    for day, direction, weight, note in [
        ("2026-04-03", "gave", 2, "reviewed her CV"),
        ("2026-04-20", "gave", 2, "introduced her to Maya"),
        ("2026-05-02", "received", 1, "advice on hiring"),
        ("2026-06-02", "contact", 1, "quick catch-up"),
    ]:
        store.add_entry(
            Entry(
                date=date.fromisoformat(day),
                person_ids=[ana],
                direction=direction,
                weight=weight,
                note=note,
            )
        )
    store.add_entry(
        Entry(
            date=date(2026, 5, 9),
            person_ids=[ben],
            direction="gave",
            on_behalf_of=ana,
            note="asked Ben to mentor her",
        )
    )
    return {"ana": ana, "ben": ben}


@pytest.fixture
def timeline(ctx: AppContext, people: dict[str, int], qtbot) -> PersonTimeline:
    w = PersonTimeline(ctx)
    qtbot.addWidget(w)
    w.resize(600, 260)
    w.show()
    with qtbot.waitSignal(w.figures_ready, timeout=5000):
        w.set_person(people["ana"], TODAY)
    return w


def _centre(w: PersonTimeline, index: int) -> QPoint:
    return w.chart.column_rect(index).center().toPoint()


def _move(widget, pos: QPoint) -> None:
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(pos),
        widget.mapToGlobal(QPointF(pos)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def test_summary_and_months(timeline: PersonTimeline) -> None:
    # given 2 + 2 + 1 (on her behalf) = 5, received 1; last contact 28 days ago
    assert timeline.summary.text() == (
        "You have given about 5 times what you received in the last year; last contact 4 weeks ago."
    )
    assert timeline.summary.accessibleName() == "Reciprocity summary"
    timeline.chart.repaint()  # paints bars, line and labels without errors
    points = timeline.points()
    assert [(p.month, p.given, p.received, p.balance) for p in points] == [
        ("2026-04", 4, 0, 4),
        ("2026-05", 1, 1, 4),
        ("2026-06", 0, 0, 4),
    ]


def test_hover_shows_the_month_entries(timeline: PersonTimeline) -> None:
    chart = timeline.chart
    _move(chart, _centre(timeline, 1))
    assert chart.hovered == 1
    text = chart.tooltip_text(1)
    assert text.startswith("May 2026: given 1, received 1; balance +4")
    assert "advice on hiring" in text
    assert "gave (on their behalf) w1: asked Ben to mentor her" in text
    assert "reviewed her CV" not in text
    _move(chart, QPoint(1, 1))  # outside the plot
    assert chart.hovered == -1


def test_click_emits_the_month(timeline: PersonTimeline, qtbot) -> None:
    with qtbot.waitSignal(timeline.month_clicked) as blocker:
        qtbot.mouseClick(timeline.chart, Qt.MouseButton.LeftButton, pos=_centre(timeline, 0))
    assert blocker.args == [date(2026, 4, 1), date(2026, 4, 30)]


def test_keyboard_selects_and_emits(timeline: PersonTimeline, qtbot) -> None:
    chart = timeline.chart
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    with qtbot.waitSignal(timeline.month_clicked) as blocker:
        qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert blocker.args == [date(2026, 5, 1), date(2026, 5, 31)]


def test_refreshes_when_the_journal_changes(
    timeline: PersonTimeline, ctx: AppContext, people: dict[str, int], qtbot
) -> None:
    entry = Entry(
        date=date(2026, 6, 29), person_ids=[people["ana"]], direction="received", weight=3
    )
    saved: list[Entry] = []
    with qtbot.waitSignal(timeline.figures_ready, timeout=5000):
        ctx.push(
            StoreCommand(
                ctx,
                "Add",
                lambda: saved.append(ctx.store.add_entry(entry)),
                lambda: ctx.store.delete_entry(saved[-1].id),
                Changes(entries=True),
            )
        )
    assert timeline.points()[-1].received == 3
    assert "last contact yesterday" in timeline.summary.text()
    with qtbot.waitSignal(timeline.figures_ready, timeout=5000):
        ctx.undo_stack.undo()
    assert timeline.points()[-1].received == 0


def test_hidden_it_waits_to_be_shown_and_a_deleted_person_empties_it(
    timeline: PersonTimeline,
    ctx: AppContext,
    people: dict[str, int],
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ties.ui import person_timeline

    asked: list[list[int]] = []
    real = person_timeline.balances

    def counted(store, as_of, days, person_ids):  # type: ignore[no-untyped-def]
        asked.append(person_ids)
        return real(store, as_of, days, person_ids=person_ids)

    monkeypatch.setattr(person_timeline, "balances", counted)
    timeline.hide()
    ctx.store.delete_person(people["ana"], with_entries=True)
    ctx.changed.emit(Changes(entries=True, people=True))
    assert asked == [] and timeline.points() != []
    with qtbot.waitSignal(timeline.figures_ready, timeout=5000):
        timeline.show()
    assert asked == [[people["ana"]]]
    assert timeline.person_id is None
    assert timeline.points() == [] and timeline.summary.text() == ""


def test_a_dismissal_does_not_recompute(timeline: PersonTimeline, ctx: AppContext, qtbot) -> None:
    with qtbot.assertNotEmitted(timeline.figures_ready, wait=300):
        ctx.changed.emit(Changes(dismissals=True))


def test_no_person_and_no_entries(ctx: AppContext, people: dict[str, int], qtbot) -> None:
    w = PersonTimeline(ctx)
    qtbot.addWidget(w)
    w.set_person(None)
    assert w.points() == [] and w.summary.text() == ""
    carl = ctx.store.add_person(Person(name="Carl")).id
    w.set_person(carl, TODAY)  # hidden: worked out when shown
    with qtbot.waitSignal(w.figures_ready, timeout=5000):
        w.show()
    assert w.points() == []
    assert w.summary.text() == "Nothing given or received in the last year; no contact logged yet."
    w.chart.repaint()  # the empty state paints without errors


def test_one_month_of_history_is_a_bar_not_a_block(qtbot) -> None:
    from ties.analysis.reciprocity import MonthPoint
    from ties.ui.timeline_chart import TimelineChart

    chart = TimelineChart()
    qtbot.addWidget(chart)
    chart.resize(600, 220)
    chart.set_points([MonthPoint("2026-06", 2, 1, 1, 2)])
    plot = chart.plot_rect()
    column = chart.column_rect(0)
    assert chart.selected == 0
    assert column.width() < plot.width() / 4  # the highlight covers one narrow column
    assert chart.month_at(column.center().x()) == 0
    assert chart.month_at(plot.right() - 2) == -1
    image = chart.grab().toImage()
    far = image.pixelColor(round(plot.right()) - 4, round(plot.top()) + 4)
    assert far == chart.palette().color(chart.backgroundRole())  # no highlight out there


def test_one_thing_given_reads_as_given_not_as_nothing(ctx: AppContext, qtbot) -> None:
    """Issue #17 item 9: one introduction given read "given and received nothing"."""
    sam = ctx.store.add_person(Person(name="Sam Lee")).id
    assert sam
    ctx.store.add_entry(
        Entry(date=date(2026, 6, 1), person_ids=[sam], direction="gave", note="introduced Sam")
    )
    w = PersonTimeline(ctx)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.figures_ready, timeout=5000):
        w.set_person(sam, TODAY)
    assert sum(p.given for p in w.points()) == 1
    text = w.summary.text()
    assert text.startswith("You have given once and received nothing back in the last year")
    assert "given and received nothing" not in text


def test_the_months_as_a_table_by_keyboard(timeline: PersonTimeline, qtbot) -> None:
    """Issue #17, accessibility: the chart had no text alternative."""
    from PySide6.QtWidgets import QPushButton

    button = next(
        b
        for b in timeline.findChildren(QPushButton)
        if b.accessibleName() == "Timeline months as a table"
    )
    assert button.focusPolicy() != Qt.FocusPolicy.NoFocus
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    from ties.ui.figures_table import FiguresTable

    (dialog,) = timeline.findChildren(FiguresTable)
    points = timeline.points()
    assert dialog.table.rowCount() == len(points)
    april = next(i for i, p in enumerate(points) if p.month == "2026-04")
    assert dialog.cell(april, 0) == "2026-04" and dialog.cell(april, 1) == "4"
    dialog.close()
