"""The reciprocity timeline on a person's page (placeholder until the reciprocity issue lands)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ties.ui.context import AppContext
from ties.ui.places.empty import EmptyState


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
        self.setAccessibleName("Reciprocity timeline")
        layout = QVBoxLayout(self)
        layout.addWidget(
            EmptyState("Give and take", "A month-by-month chart of what you gave and received "
                       "with this person will appear here.")
        )

    def set_person(self, person_id: int | None, as_of: date | None = None) -> None:
        self.person_id = person_id
