"""A visible strip above the places for states the user must not miss (read-only)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from ties.store import Store


class ReadOnlyBanner(QLabel):
    """Says plainly that changes are switched off, and why; hidden otherwise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Read-only banner")
        self.setWordWrap(True)
        self.setMargin(8)
        self.setStyleSheet(
            "QLabel { background: palette(highlight); color: palette(highlighted-text); }"
        )
        self.hide()

    def show_for(self, store: Store) -> None:
        if store.readonly:
            self.setText(
                QCoreApplication.translate(
                    "ReadOnlyBanner",
                    "This journal is read-only: its file or folder cannot be written, or another "
                    "Ties window has it open. You can look around; changes are switched off.",
                )
            )
        self.setVisible(store.readonly)
