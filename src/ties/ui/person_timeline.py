"""The reciprocity timeline on a person's page: a one-line summary over a month chart.

Both come from :mod:`ties.analysis.reciprocity` (the same functions as
``ties report balance --person``). One person's figures take a few
milliseconds even with thousands of entries, so they are computed on the GUI
thread when the person changes or the journal does.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ties.analysis.reciprocity import MonthPoint, balances, month_entries, timeline
from ties.analysis.render import summary
from ties.analysis.window import DEFAULT_WINDOW_DAYS
from ties.ui.context import AppContext
from ties.ui.timeline_chart import TimelineChart

#: How many of a month's entries the hover text lists.
TOOLTIP_ENTRIES = 12
WORDS = {"gave": "gave", "received": "received", "mutual": "together", "contact": "contact"}


class PersonTimeline(QWidget):
    """Give and take with one person, month by month.

    Signals:
        month_clicked(object, object): first and last day of the month the user
            clicked; the person page filters its entry list to it.
    """

    month_clicked = Signal(object, object)

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
        self._connect_callbacks()

    def _connect_callbacks(self) -> None:
        self.chart.month_clicked.connect(self.month_clicked)
        self.ctx.changed.connect(self._journal_changed)
        self.ctx.journal_opened.connect(lambda: self.set_person(None))

    def set_person(self, person_id: int | None, as_of: date | None = None) -> None:
        self.person_id = person_id
        self.as_of = as_of
        self.refresh()

    def refresh(self) -> None:
        if self.person_id is None:
            self.summary.setText("")
            self.chart.set_points([])
            return
        as_of = self.as_of or self.ctx.today()
        store = self.ctx.store
        found = balances(store, as_of, self.window_days, person_ids=[self.person_id])
        if not found:  # the person was deleted
            self.person_id = None
            self.refresh()
            return
        self.summary.setText(summary(found[0], self.window_days) + ".")
        self.chart.set_points(timeline(store, self.person_id, as_of))

    def points(self) -> list[MonthPoint]:
        return self.chart.points

    def _journal_changed(self, what: str) -> None:
        if self.person_id is not None and what in ("entries", "people", "settings", "all"):
            self.refresh()

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
