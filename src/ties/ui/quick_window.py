"""The small always-on-top quick-add window: the Journal's line, completion and preview, alone.

Opened from the tray's "Quick add…" and by ``ties quick`` (bind any system
shortcut to it; with no Ties running, :mod:`ties.ui.quick_start` opens it alone).
Enter saves the entry through the window's undo stack and closes; a line with a
mistake stays open with the mistake underlined; Escape closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ties.ui.context import AppContext
from ties.ui.icons import icon
from ties.ui.quick_add import QuickAdd

WIDTH = 620


class QuickWindow(QWidget):
    """A frameless-looking tool window holding one :class:`QuickAdd`.

    Attributes:
        quick: the quick-add widget (its ``line`` and ``preview``).

    Signals:
        closed(): the window was closed (Enter after a save, Escape, the close button).
    """

    closed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            Qt.WindowType.Tool
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowTitleHint
            | Qt.WindowType.WindowCloseButtonHint,
        )
        self.setWindowTitle(self.tr("Ties — Quick add"))
        self.setWindowIcon(icon("app"))
        self.setAccessibleName("Quick add window")
        self.quick = QuickAdd(ctx, self)
        hint = QLabel(
            self.tr("Enter saves and closes · Escape closes · @ people · # support types"), self
        )
        hint.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 10)
        layout.setSpacing(6)
        layout.addWidget(self.quick)
        layout.addWidget(hint)
        self.setFixedWidth(WIDTH)
        self._connect_callbacks()

    def _connect_callbacks(self) -> None:
        self.quick.saved.connect(self._saved)
        self.quick.line.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.quick.line
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            popup = self.quick.completer.popup()
            if popup is None or not popup.isVisible():
                self.close()
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)

    def _saved(self, _entry_id: int) -> None:
        self.quick.line.setText("")
        self.close()

    def present(self) -> None:
        """Show on the screen under the mouse, in front, with the line focused."""
        screen = QGuiApplication.screenAt(self.cursor().pos()) or QGuiApplication.primaryScreen()
        self.adjustSize()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.x() + (area.width() - self.width()) // 2, area.y() + area.height() // 4)
        self.show()
        self.raise_()
        self.activateWindow()
        self.quick.focus()

    def closeEvent(self, event: QCloseEvent) -> None:
        popup = self.quick.completer.popup()
        if popup is not None:
            popup.hide()
        super().closeEvent(event)
        self.closed.emit()
