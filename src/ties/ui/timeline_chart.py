"""A custom-painted month-by-month give-and-take chart (PySide6-Essentials has no QtCharts).

Given is drawn above the axis, received below, one column per month; the
running balance is a line on its own scale. Hovering a month shows a tooltip
with its entries (text from a callback, so the chart itself never reads the
journal); clicking it, or pressing Enter on the keyboard-selected month,
emits :attr:`TimelineChart.month_clicked`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from ties.analysis.reciprocity import MonthPoint

GIVEN_COLOUR = QColor("#2a9d8f")
RECEIVED_COLOUR = QColor("#e07a5f")
MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


class TimelineChart(QWidget):
    """Bars per month and a running-balance line.

    Signals:
        month_clicked(object, object): first and last day of the clicked month.
        month_hovered(int): index of the month under the pointer (-1: none).
    """

    month_clicked = Signal(object, object)
    month_hovered = Signal(int)

    MARGIN_LEFT = 12
    MARGIN_RIGHT = 12
    MARGIN_TOP = 26  # room for the legend
    MARGIN_BOTTOM = 22  # room for the year labels
    #: A month is never wider than this: one or two months of history stay bars, not a block.
    MAX_COLUMN_WIDTH = 48.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[MonthPoint] = []
        self.hovered = -1
        self.selected = -1
        self.tooltip_for: Callable[[MonthPoint], str] | None = None
        self.setAccessibleName("Reciprocity chart")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(160)

    # ----------------------------------------------------------------- data

    def set_points(self, points: list[MonthPoint]) -> None:
        self.points = list(points)
        self.hovered = -1
        self.selected = len(self.points) - 1 if self.points else -1
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        """What the chart shows, for screen readers."""
        if not self.points:
            return "No entries yet."
        last = self.points[-1]
        given = sum(p.given for p in self.points)
        received = sum(p.received for p in self.points)
        return (
            f"{len(self.points)} months from {self.points[0].month} to {last.month}: "
            f"given {given}, received {received}, running balance {last.balance:+d}."
        )

    def sizeHint(self) -> QSize:
        return QSize(640, 220)

    # ------------------------------------------------------------- geometry

    def plot_rect(self) -> QRectF:
        return QRectF(
            self.MARGIN_LEFT,
            self.MARGIN_TOP,
            max(1, self.width() - self.MARGIN_LEFT - self.MARGIN_RIGHT),
            max(1, self.height() - self.MARGIN_TOP - self.MARGIN_BOTTOM),
        )

    def _column_width(self) -> float:
        return min(self.plot_rect().width() / max(1, len(self.points)), self.MAX_COLUMN_WIDTH)

    def column_rect(self, index: int) -> QRectF:
        plot = self.plot_rect()
        width = self._column_width()
        return QRectF(plot.left() + index * width, plot.top(), width, plot.height())

    def month_at(self, x: float) -> int:
        """Index of the month column under ``x``, or -1 outside the columns."""
        plot = self.plot_rect()
        width = self._column_width()
        if not self.points or x < plot.left() or x >= plot.left() + width * len(self.points):
            return -1
        index = int((x - plot.left()) / width)
        return min(index, len(self.points) - 1)

    # ------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        text = pal.color(QPalette.ColorRole.WindowText)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        plot = self.plot_rect()
        if not self.points:
            painter.setPen(muted)
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No entries with this person yet.")
            return
        self._paint_legend(painter, text)
        axis_y = plot.center().y()
        half = plot.height() / 2 - 2
        top = max(max(p.given, p.received) for p in self.points) or 1
        for index in (self.selected, self.hovered):
            if index >= 0:
                highlight = QColor(pal.color(QPalette.ColorRole.Highlight))
                highlight.setAlpha(40 if index == self.selected else 70)
                painter.fillRect(self.column_rect(index), highlight)
        painter.setPen(Qt.PenStyle.NoPen)
        for i, p in enumerate(self.points):
            col = self.column_rect(i)
            gap = min(3.0, col.width() * 0.2)
            x, w = col.left() + gap / 2, max(1.0, col.width() - gap)
            if p.given:
                h = half * p.given / top
                painter.fillRect(QRectF(x, axis_y - h, w, h), GIVEN_COLOUR)
            if p.received:
                h = half * p.received / top
                painter.fillRect(QRectF(x, axis_y, w, h), RECEIVED_COLOUR)
        axis_pen = QPen(muted)
        axis_pen.setWidthF(1.0)
        painter.setPen(axis_pen)
        painter.drawLine(QPointF(plot.left(), axis_y), QPointF(plot.right(), axis_y))
        self._paint_balance(painter, text, axis_y, half)
        self._paint_years(painter, muted, plot)

    def _paint_legend(self, painter: QPainter, text: QColor) -> None:
        x = float(self.MARGIN_LEFT)
        y = 6.0
        size = 10.0
        metrics = painter.fontMetrics()
        for colour, label in ((GIVEN_COLOUR, "given"), (RECEIVED_COLOUR, "received")):
            painter.fillRect(QRectF(x, y + 2, size, size), colour)
            painter.setPen(text)
            painter.drawText(QPointF(x + size + 4, y + size + 1), label)
            x += size + 12 + metrics.horizontalAdvance(label)
        pen = QPen(text)
        pen.setWidthF(2.0)
        painter.setPen(pen)
        painter.drawLine(QPointF(x, y + 7), QPointF(x + 16, y + 7))
        painter.drawText(
            QPointF(x + 20, y + size + 1), f"running balance (now {self.points[-1].balance:+d})"
        )

    def _paint_balance(self, painter: QPainter, text: QColor, axis_y: float, half: float) -> None:
        scale = max(abs(p.balance) for p in self.points) or 1
        path = QPainterPath()
        for i, p in enumerate(self.points):
            point = QPointF(self.column_rect(i).center().x(), axis_y - half * p.balance / scale)
            if i == 0:
                path.moveTo(point)
            else:
                path.lineTo(point)
        pen = QPen(text)
        pen.setWidthF(2.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)

    def _paint_years(self, painter: QPainter, muted: QColor, plot: QRectF) -> None:
        painter.setPen(muted)
        metrics = painter.fontMetrics()
        last_right = -1e9
        for i, p in enumerate(self.points):
            if i != 0 and not p.month.endswith("-01"):
                continue
            label = p.month[:4] if p.month.endswith("-01") or i == 0 else p.month
            if i == 0 and not p.month.endswith("-01"):
                label = f"{MONTH_NAMES[int(p.month[5:7]) - 1]} {p.month[:4]}"
            x = self.column_rect(i).left()
            if x < last_right + 6:
                continue
            painter.drawText(QPointF(x, plot.bottom() + metrics.ascent() + 4), label)
            last_right = x + metrics.horizontalAdvance(label)

    # --------------------------------------------------------- interaction

    def tooltip_text(self, index: int) -> str:
        """The hover text of a month: its figures, then its entries (from the callback)."""
        p = self.points[index]
        name = f"{MONTH_NAMES[int(p.month[5:7]) - 1]} {p.month[:4]}"
        head = f"{name}: given {p.given}, received {p.received}; balance {p.balance:+d}"
        body = self.tooltip_for(p) if self.tooltip_for and p.entries else ""
        return head + ("\n" + body if body else "")

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.month_at(event.position().x())
        if index != self.hovered:
            self.hovered = index
            self.month_hovered.emit(index)
            self.update()
            if index >= 0:
                QToolTip.showText(event.globalPosition().toPoint(), self.tooltip_text(index), self)
            else:
                QToolTip.hideText()

    def leaveEvent(self, event: object) -> None:
        if self.hovered != -1:
            self.hovered = -1
            self.month_hovered.emit(-1)
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        index = self.month_at(event.position().x())
        if index >= 0:
            self.selected = index
            self.update()
            self._emit(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.points:
            return super().keyPressEvent(event)
        key = event.key()
        if key == Qt.Key.Key_Left:
            self.selected = max(0, self.selected - 1)
        elif key == Qt.Key.Key_Right:
            self.selected = min(len(self.points) - 1, self.selected + 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self.selected >= 0:
                self._emit(self.selected)
            return
        else:
            return super().keyPressEvent(event)
        self.setAccessibleDescription(self.tooltip_text(self.selected).split("\n")[0])
        self.update()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def _emit(self, index: int) -> None:
        p = self.points[index]
        self.month_clicked.emit(p.first_day, p.last_day)
