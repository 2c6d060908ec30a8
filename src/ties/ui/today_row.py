"""One Today item as a row: what and why, the buttons that settle it, snooze and dismiss.

The row only builds widgets and says which button was pressed
(:attr:`TodayRow.acted`); the Today place decides what each action does.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ties.ui.style import error_color

if TYPE_CHECKING:
    from ties.analysis.today import TodayItem

BUTTON_TEXT = {
    "mark_done": "Mark done",
    "log_follow_up": "Log follow-up",
    "log_contact": "Log contact",
    "mark_thanked": "Mark thanked",
    "log_introduction": "Log introduction",
    "open_person": "Open",
}
#: The widest a row's text gets, in average characters, before it wraps.
TEXT_CHARS = 90
#: Snooze choices: label and days.
SNOOZES = (("Until tomorrow", 1), ("For a week", 7), ("For a month", 30))


class TodayRow(QFrame):
    """A Today item with one button per action.

    Signals:
        acted(str, object): the action ("mark_done", …, "snooze", "dismiss") and
            its argument (days for snooze, else None).
    """

    acted = Signal(str, object)

    def __init__(self, item: TodayItem, parent: QWidget | None = None, open_name: str = "") -> None:
        """``open_name``: who "Open" opens (the first of the item's people), said on the button."""
        super().__init__(parent)
        self.item = item
        self.setObjectName("todayRow")
        self.setAccessibleName(item.title)
        self.setFrameShape(QFrame.Shape.NoFrame)
        title = QLabel(item.title)
        title.setObjectName("todayTitle")
        title.setWordWrap(True)
        title.setTextFormat(Qt.TextFormat.PlainText)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        detail = QLabel(item.detail)
        detail.setObjectName("muted")
        detail.setWordWrap(True)
        detail.setTextFormat(Qt.TextFormat.PlainText)
        self.error = QLabel()
        self.error.setAccessibleName(f"Problem: {item.title}")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {error_color()};")
        self.error.hide()
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(title)
        text.addWidget(detail)
        text.addWidget(self.error)
        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for action in item.actions:
            button = QPushButton(BUTTON_TEXT.get(action, action))
            if action == "open_person" and open_name:
                button.setText(self.tr("Open {name}").format(name=open_name))
            button.setAccessibleName(f"{BUTTON_TEXT.get(action, action)}: {item.title}")
            button.clicked.connect(lambda _=False, a=action: self.acted.emit(a, None))
            buttons.addWidget(button)
        snooze = QToolButton()
        snooze.setText(self.tr("Snooze"))
        snooze.setAccessibleName(f"Snooze: {item.title}")
        snooze.setToolTip(self.tr("Hide this for a week (the arrow offers other times)"))
        snooze.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(snooze)
        for label, days in SNOOZES:
            menu.addAction(label, partial(self.acted.emit, "snooze", days))
        snooze.setMenu(menu)
        snooze.clicked.connect(lambda: self.acted.emit("snooze", 7))
        buttons.addWidget(snooze)
        dismiss = QToolButton()
        dismiss.setText(self.tr("Dismiss"))
        dismiss.setAccessibleName(f"Dismiss: {item.title}")
        dismiss.setToolTip(self.tr("Do not show this again"))
        dismiss.clicked.connect(lambda: self.acted.emit("dismiss", None))
        buttons.addWidget(dismiss)
        # The buttons stay next to their text in a wide window (issue #17 item 13: at
        # 1920 px they sat ~1,000 px away): the text is never wider than a readable
        # line, and the space left over goes after the buttons. (Capping the row
        # itself clipped wrapped text: its height was worked out for the full width.)
        words = QWidget(self)
        words.setLayout(text)
        text.setContentsMargins(0, 0, 0, 0)
        words.setMaximumWidth(self.fontMetrics().averageCharWidth() * TEXT_CHARS)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(words, 100)
        layout.addLayout(buttons, 0)
        layout.addStretch(1)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
