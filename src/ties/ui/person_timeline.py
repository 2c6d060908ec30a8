"""The reciprocity timeline on a person's page: a one-line summary over a month chart.

Both come from :mod:`ties.analysis.reciprocity` (the same functions as
``ties report balance --person``), worked out off the GUI thread through
:class:`~ties.ui.place_figures.PlaceFigures` when the person changes or the
journal does (while the chart is hidden, once it is shown again).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ties.analysis.reciprocity import MonthPoint, balances, month_entries, timeline
from ties.analysis.render import summary
from ties.analysis.window import DEFAULT_WINDOW_DAYS
from ties.store import Store
from ties.ui.context import AppContext
from ties.ui.figures_table import FiguresTable
from ties.ui.jobs import Job
from ties.ui.place_figures import Compute, PlaceFigures
from ties.ui.timeline_chart import TimelineChart

#: How many of a month's entries the hover text lists.
TOOLTIP_ENTRIES = 12
WORDS = {"gave": "gave", "received": "received", "mutual": "together", "contact": "contact"}


class PersonTimeline(QWidget):
    """Give and take with one person, month by month.

    Signals:
        month_clicked(object, object): first and last day of the month the user
            clicked; the person page filters its entry list to it.
        figures_ready(): a fresh summary and chart are on screen.
    """

    month_clicked = Signal(object, object)
    figures_ready = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person_id: int | None = None
        self.as_of: date | None = None
        self.window_days = DEFAULT_WINDOW_DAYS
        self.setAccessibleName("Reciprocity timeline")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Reciprocity summary")
        self.chart = TimelineChart(self)
        self.chart.tooltip_for = self._entries_text
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart)
        self.table_button = QPushButton(self.tr("Months as a table…"))
        self.table_button.setAccessibleName("Timeline months as a table")
        self.table_button.setToolTip(self.tr("The chart's months as a table a screen reader reads"))
        layout.addWidget(self.table_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.figures = (
            PlaceFigures(
                self, ctx, self._work, what=self.tr("The timeline"), show_message=self._failed
            )
            .success(self._show)
            .when(lambda changes: self.person_id is not None and changes.journal_data)
        )
        self._connect_callbacks()

    def _connect_callbacks(self) -> None:
        self.chart.month_clicked.connect(self.month_clicked)
        self.table_button.clicked.connect(self.show_table)
        self.ctx.journal_opened.connect(lambda: self.set_person(None))

    def set_person(self, person_id: int | None, as_of: date | None = None) -> None:
        """Show another person (``None``: nobody); their figures follow off the GUI thread.

        The same person again asks for nothing: changes of the journal reach the
        figures directly.
        """
        if person_id == self.person_id and as_of == self.as_of:
            return
        if person_id != self.person_id:
            self._clear()  # never the previous person's figures under this one's name
        self.person_id = person_id
        self.as_of = as_of
        if person_id is None:
            self.figures.discard()
            self.figures.stale = False
        else:
            self.figures.request()

    def refresh(self) -> None:
        """Work the figures out again now."""
        if self.person_id is not None:
            self.figures.refresh()

    def show_table(self) -> FiguresTable:
        """The chart's months as a table: the text alternative to the bars."""
        rows = [
            [p.month, p.given, p.received, f"{p.balance:+,}", p.entries] for p in self.chart.points
        ]
        dialog = FiguresTable(
            self.summary.text() or self.tr("Give and take by month"),
            [
                self.tr("Month"),
                self.tr("Given"),
                self.tr("Received"),
                self.tr("Balance"),
                self.tr("Entries"),
            ],
            rows,
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def points(self) -> list[MonthPoint]:
        return self.chart.points

    def _clear(self) -> None:
        self.summary.setText("")
        self.chart.set_points([])

    def _work(self) -> Compute:
        person_id, days = self.person_id, self.window_days
        as_of = self.as_of or self.ctx.today()

        def work(store: Store, _job: Job) -> tuple[str, list[MonthPoint]] | None:
            if person_id is None:
                return None
            found = balances(store, as_of, days, person_ids=[person_id])
            if not found:  # the person was deleted
                return None
            return summary(found[0], days) + ".", timeline(store, person_id, as_of)

        return work

    def _show(self, result: object) -> None:
        if result is None:
            self.person_id = None
            self._clear()
        else:
            assert isinstance(result, tuple)
            text, points = result
            self.summary.setText(text)
            self.chart.set_points(points)
        self.figures_ready.emit()

    def _failed(self, message: str) -> None:
        self.chart.set_points([])
        self.summary.setText(message)

    def _entries_text(self, point: MonthPoint) -> str:
        if self.person_id is None:
            return ""
        found = month_entries(
            self.ctx.store, self.person_id, point.first_day, point.last_day, TOOLTIP_ENTRIES + 1
        )
        lines = []
        for e in found[:TOOLTIP_ENTRIES]:
            note = " ".join(e.note.split())
            note = note if len(note) <= 60 else note[:59] + "…"
            behalf = " (on their behalf)" if self.person_id not in e.person_ids else ""
            lines.append(
                f"{e.date.day:>2} {WORDS.get(e.direction, e.direction)}{behalf} "
                f"w{e.weight}{': ' + note if note else ''}"
            )
        if point.entries > TOOLTIP_ENTRIES:
            lines.append(f"… and {point.entries - TOOLTIP_ENTRIES} more; click to list them")
        return "\n".join(lines)
