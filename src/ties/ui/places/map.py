"""The Map place (placeholder until its issue lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ties.ui.context import AppContext
from ties.ui.places.empty import EmptyState


class MapPlace(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Map place")
        layout = QVBoxLayout(self)
        layout.addWidget(EmptyState("Map", "A map of your network (closeness rings and circles) will appear here."))
