"""Today's "Log contact" and "Log follow-up": a quick-add line, prefilled, that Enter saves.

The buttons once wrote a blank entry at the first click; now they open the line
with the people (and, for a follow-up, the note) already written, the preview
saying what Enter will save. Anything can be changed first (a kind, support,
a note); Escape or Cancel writes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ties import quickadd
from ties.ui import today_actions
from ties.ui.context import AppContext
from ties.ui.quick_add import QuickAdd


class QuickLogDialog(QDialog):
    """A quick-add line for one Today item; Enter saves, and the dialog closes.

    Attributes:
        entry_id: the id of the entry saved (after Enter), else None.
    """

    def __init__(
        self,
        ctx: AppContext,
        title: str,
        line: str,
        also_done: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entry_id: int | None = None
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(640)
        intro = QLabel(self.tr("Add a note or anything else, then press Enter to save."), self)
        intro.setObjectName("muted")
        intro.setWordWrap(True)
        self.quick_add = QuickAdd(ctx, self)

        def save(q: quickadd.QuickEntry) -> quickadd.LogResult:
            return today_actions.log_line(ctx, q, also_done)

        self.quick_add.save_line = save
        self.quick_add.line.escape_clears = False  # Escape closes the dialog, writing nothing
        self.quick_add.line.setText(line)
        self.quick_add.line.setCursorPosition(len(line))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.quick_add)
        lay.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.quick_add.saved.connect(self._saved)
        self.quick_add.line.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # typing goes on at the end of the line, never over a selection made on focus
        line = self.quick_add.line
        line.setFocus(Qt.FocusReason.OtherFocusReason)
        QTimer.singleShot(0, line, lambda: line.setCursorPosition(len(line.text())))

    def _saved(self, entry_id: int) -> None:
        self.entry_id = entry_id
        self.accept()
