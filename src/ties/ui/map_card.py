"""The card that follows the mouse over the map: who this is, and how things stand."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from ties.analysis.map_layout import MapPerson
from ties.model import CLOSENESS_LABELS
from ties.ui import format as fmt
from ties.ui.map_style import BALANCE_TEXT


def _number(value: float) -> str:
    return f"{value:g}"


def card_html(
    person: MapPerson,
    circle_label: str,
    today: date,
    support_labels: list[str],
    window_days: int,
) -> str:
    """The card's text (also what a screen reader gets as the card's description)."""
    last = "never"
    if person.last_contact:
        when = person.last_contact
        last = f"{when.day} {when:%b %Y} ({fmt.ago(when, today)})"
    state = []
    if person.dormant:
        state.append("dormant")
    if person.archived:
        state.append("archived")
    support = ", ".join(support_labels) if support_labels else "none in this window"
    balance = BALANCE_TEXT[person.balance_class]
    if not balance.startswith("I "):  # "I" stays a capital, as in the legend
        balance = balance.lower()
    rows = [
        f"<b style='font-size:110%'>{escape(person.name)}</b>"
        + (f" <i>({', '.join(state)})</i>" if state else ""),
        f"{escape(circle_label)} · closeness {person.closeness}"
        f" ({CLOSENESS_LABELS.get(person.closeness, '')})",
        f"Last contact: {last}",
        f"Balance: gave {_number(person.given)} · received {_number(person.received)} — {balance}",
        f"Support given ({window_days} days): {escape(support)}",
        f"{person.entries} entries in the window",
        "<span style='color:gray'>Click or Enter to open · drag or Ctrl+↑/↓ to another ring</span>",
    ]
    return "<br>".join(rows)


class MapCard(QFrame):
    """A small floating card, a child of the map; never takes the mouse or the focus."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAccessibleName("Map hover card")
        self.setObjectName("mapCard")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet(
            "#mapCard { background: palette(base); border: 1px solid palette(mid);"
            " border-radius: 8px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(10)
        self.photo = QLabel(self)
        self.photo.setAccessibleName("Map hover card photo")
        self.photo.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.photo.hide()
        self.label = QLabel(self)
        self.label.setAccessibleName("Map hover card text")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        self.hide()

    def set_photo(self, photo: QPixmap | None) -> None:
        """The person's photo beside the text, or none (no empty space for it)."""
        if photo is None:
            self.photo.clear()
            self.photo.hide()
        else:
            self.photo.setPixmap(photo)
            self.photo.show()

    def show_for(self, html: str, anchor: QPoint) -> None:
        self.label.setText(html)
        self.adjustSize()
        parent = self.parentWidget()
        x, y = anchor.x() + 16, anchor.y() + 16
        if parent is not None:
            if x + self.width() > parent.width() - 4:
                x = anchor.x() - self.width() - 16
            if y + self.height() > parent.height() - 4:
                y = anchor.y() - self.height() - 16
            x, y = max(4, x), max(4, y)
        self.move(x, y)
        self.show()
        self.raise_()

    def text(self) -> str:
        return self.label.text()
