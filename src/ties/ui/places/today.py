"""The Today place (placeholder until its issue lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ties.ui.context import AppContext
from ties.ui.places.empty import EmptyState


class TodayPlace(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Today place")
        layout = QVBoxLayout(self)
        layout.addWidget(EmptyState("Today", "Your follow-ups, dormant ties, one-sided relationships and thanks due will appear here."))
