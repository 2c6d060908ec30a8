"""The Coverage place (placeholder until its issue lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ties.ui.context import AppContext
from ties.ui.places.empty import EmptyState


class CoveragePlace(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Coverage place")
        layout = QVBoxLayout(self)
        layout.addWidget(EmptyState("Coverage", "Which kinds of support your network gives you, from whom, and the gaps, will appear here."))
