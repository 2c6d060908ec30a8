"""Completion as in every good completer: the best match is highlighted, Tab or Enter takes it.

Qt's own line-edit completion writes the highlighted suggestion into the line
(Down put "Chloe" there, and the next name was typed after it) and leaves
nothing highlighted, so Enter only closed the popup and Tab left the field.
Here the line owns its text: the completer only offers (:meth:`offer`) and
says what was taken (``activated``); the line decides what taking means.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QLineEdit

#: Keys that take the highlighted suggestion while the popup is open.
TAKE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)


class TopMatchCompleter(QCompleter):
    """A popup of suggestions for ``line``, its first (best) one highlighted.

    Attributes:
        items: the suggestions offered last, best first.

    Signals:
        activated(str): (QCompleter's) a suggestion was taken by click, Enter or Tab.
        closed(): the list was closed (taken, Escape, a click elsewhere).
    """

    closed = Signal()

    def __init__(self, line: QLineEdit, popup_name: str) -> None:
        super().__init__(line)
        self.items = QStringListModel(self)
        self.setModel(self.items)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setWidget(line)  # not line.setCompleter(): the line's text stays the line's
        self.setWrapAround(False)  # Down on the last match keeps it (not "nothing chosen")
        popup = self.popup()
        if popup is not None:
            popup.setAccessibleName(popup_name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        handled = super().eventFilter(watched, event)
        if event.type() == QEvent.Type.Hide and watched is self.popup():
            self.closed.emit()
        return handled

    def offer(self, items: list[str], rect: QRect | None = None) -> None:
        """Show ``items``, best first, with the first highlighted (none: the popup closes)."""
        if not items:
            self.close_popup()
            return
        self.items.setStringList(items)
        self.setCompletionPrefix("")
        self.complete(rect if rect is not None else QRect())
        popup = self.popup()
        if popup is not None:
            popup.setCurrentIndex(self.completionModel().index(0, 0))

    def is_open(self) -> bool:
        popup = self.popup()
        return popup is not None and popup.isVisible()

    def close_popup(self) -> None:
        popup = self.popup()
        if popup is not None:
            popup.hide()

    def take_current(self) -> bool:
        """Take the highlighted suggestion (Enter or Tab); False if nothing is highlighted."""
        popup = self.popup()
        index = popup.currentIndex() if popup is not None else None
        self.close_popup()
        if index is None or not index.isValid():
            return False
        self.activated.emit(str(index.data()))
        return True

    def handle_key(self, event: QEvent) -> bool:
        """For the line's ``event()``: Enter or Tab while the popup is open takes the match.

        Escape while it is open only closes it.

        Tab must be caught in ``event()``, before Qt moves the focus on; the key
        reaches the line straight or through the popup (Qt forwards it), and is
        accepted here so the completer does not take it a second time.
        """
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.is_open()
        ):  # Escape closes the list only: the line keeps its text, a dialog stays open
            self.close_popup()
            event.accept()
            return True
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in TAKE_KEYS
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and self.is_open()
        ) and self.take_current():
            event.accept()
            return True
        return False
