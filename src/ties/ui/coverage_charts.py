"""Two small painted charts for the Coverage place (PySide6-Essentials has no QtCharts).

:class:`BalanceChart` compares instrumental and psychosocial support received;
:class:`TieChart` shows, per family, how much of it came through weak, medium and
strong ties, and how many active people are weak or strong ties. Both keep a
plain-words summary in ``accessibleDescription`` for screen readers (and tests).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ties.analysis.coverage import FamilyCoverage, TieCounts
from ties.analysis.render import plural
from ties.model import FAMILIES
from ties.ui.style import readable_on

FAMILY_COLORS = {"instrumental": QColor("#3b7dd8"), "psychosocial": QColor("#d8703b")}
TIE_COLORS = {"weak": QColor("#8fb8e8"), "medium": QColor("#b9b9b9"), "strong": QColor("#2f5f9e")}
ROW = 22
GAP = 8
#: Row labels, widest first measured: the label column is as wide as they need.
ROW_LABELS = ("Active people", *(f.capitalize() for f in FAMILIES), "Ties:")
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _fitting(p: QPainter, width: float, *texts: str) -> str:
    """The first of ``texts`` that fits in ``width``, else the last one elided."""
    metrics = p.fontMetrics()
    for text in texts:
        if metrics.horizontalAdvance(text) <= width:
            return text
    return metrics.elidedText(texts[-1], Qt.TextElideMode.ElideRight, max(0, int(width)))


class _Chart(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def label_width(self) -> int:
        metrics = self.fontMetrics()
        return max(metrics.horizontalAdvance(t) for t in ROW_LABELS) + 12

    def bar_width(self) -> float:
        return max(self.width() - self.label_width() - 4, 10)

    def _text_color(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def _label(self, p: QPainter, y: float, text: str) -> None:
        p.setPen(self._text_color())
        p.drawText(
            QRectF(0, y, self.label_width() - 6, ROW),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            text,
        )


class BalanceChart(_Chart):
    """Instrumental against psychosocial: one bar each, as long as its received weight."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Coverage balance chart", parent)
        self.families: dict[str, FamilyCoverage] = {}
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(320, 2 * ROW + GAP + 4)

    def set_data(self, families: dict[str, FamilyCoverage]) -> None:
        self.families = families
        parts = [
            f"{f}: weight {families[f].weight} from "
            f"{plural(families[f].providers, 'person', 'people')}"
            for f in FAMILIES
            if f in families
        ]
        self.setAccessibleDescription("Support received. " + "; ".join(parts) + ".")
        self.setToolTip("\n".join(parts))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = max((f.weight for f in self.families.values()), default=0)
        left = self.label_width()
        width = self.bar_width()
        for i, family in enumerate(FAMILIES):
            fam = self.families.get(family)
            y = i * (ROW + GAP)
            self._label(p, y, family.capitalize())
            if fam is None:
                continue
            length = width * fam.weight / top if top else 0
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(FAMILY_COLORS[family])
            p.drawRoundedRect(QRectF(left, y + 2, max(length, 2), ROW - 4), 3, 3)
            full = f"{fam.weight} from {plural(fam.providers, 'person', 'people')}"
            inside = length > p.fontMetrics().horizontalAdvance(full) + 12
            if inside:
                p.setPen(readable_on(FAMILY_COLORS[family]))
                rect = QRectF(left + 6, y, length - 12, ROW)
            else:
                p.setPen(self._text_color())
                rect = QRectF(left + length + 6, y, max(0.0, width - length - 6), ROW)
            text = _fitting(p, rect.width(), full, str(fam.weight))
            p.drawText(rect, int(LEFT), text)
        p.end()


class TieChart(_Chart):
    """Per family, the shares of received weight through weak, medium and strong ties."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Coverage tie chart", parent)
        self.families: dict[str, FamilyCoverage] = {}
        self.ties = TieCounts()
        self.setFixedHeight(self._height_for(self.sizeHint().width()))

    def sizeHint(self) -> QSize:
        return QSize(320, self._height_for(self.width() if self.isVisible() else 320))

    def _legend_rows(self, width: int) -> list[list[str]]:
        """The legend's items in rows that fit ``width`` (one row when there is room)."""
        metrics = self.fontMetrics()
        rows: list[list[str]] = [[]]
        x = float(self.label_width())
        for kind in ("weak", "medium", "strong"):
            need = 28 + metrics.horizontalAdvance(kind)
            if rows[-1] and x + need - 14 > width:
                rows.append([])
                x = float(self.label_width())
            rows[-1].append(kind)
            x += need
        return rows

    def _height_for(self, width: int) -> int:
        return 3 * (ROW + GAP) + ROW * len(self._legend_rows(width))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        height = self._height_for(self.width())
        if height != self.height():
            self.setFixedHeight(height)  # the legend wraps onto a second line when narrow

    def set_data(self, families: dict[str, FamilyCoverage], ties: TieCounts) -> None:
        self.families = families
        self.ties = ties
        lines = [
            f"{ties.active} active people: {ties.weak} weak ties, {ties.medium} medium, "
            f"{ties.strong} strong"
        ]
        for f in FAMILIES:
            fam = families.get(f)
            if fam is not None:
                lines.append(
                    f"{f}: {_pct(fam.weak_share)} through weak ties, "
                    f"{_pct(fam.strong_share)} through strong ties"
                )
        self.setAccessibleDescription("; ".join(lines) + ".")
        self.setToolTip("\n".join(lines))
        self.update()

    def _stacked(self, p: QPainter, y: float, parts: list[tuple[str, float]], *texts: str) -> None:
        left = float(self.label_width())
        width = self.bar_width()
        total = sum(v for _, v in parts)
        text_rect = QRectF(left + 6, y, width - 12, ROW)
        p.setPen(Qt.PenStyle.NoPen)
        if not total:
            empty = self.palette().color(QPalette.ColorRole.Mid)
            p.setBrush(empty)
            p.drawRect(QRectF(left, y + 2, width, ROW - 4))
            p.setPen(readable_on(empty))
            p.drawText(text_rect, int(LEFT), _fitting(p, text_rect.width(), "nothing received"))
            return
        text = _fitting(p, text_rect.width(), *texts)
        x = left
        for kind, value in parts:
            w = width * value / total
            segment = QRectF(x, y + 2, w, ROW - 4)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(TIE_COLORS[kind])
            p.drawRect(segment)
            # the text over this segment in the colour that reads on it
            p.save()
            p.setClipRect(QRectF(x, y, w, ROW))
            p.setPen(readable_on(TIE_COLORS[kind]))
            p.drawText(text_rect, int(LEFT), text)
            p.restore()
            x += w

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        t = self.ties
        self._label(p, 0, "Active people")
        self._stacked(
            p,
            0,
            [("weak", t.weak), ("medium", t.medium), ("strong", t.strong)],
            f"{t.weak} weak · {t.medium} medium · {t.strong} strong",
            f"{t.weak} · {t.medium} · {t.strong}",
        )
        for i, family in enumerate(FAMILIES, start=1):
            fam = self.families.get(family) or FamilyCoverage(family)
            y = i * (ROW + GAP)
            self._label(p, y, family.capitalize())
            self._stacked(
                p,
                y,
                [
                    ("weak", fam.weak_weight),
                    ("medium", fam.medium_weight),
                    ("strong", fam.strong_weight),
                ],
                f"weak {_pct(fam.weak_share)} · strong {_pct(fam.strong_share)}",
                f"{_pct(fam.weak_share)} · {_pct(fam.strong_share)}",
            )
        # legend, on as many lines as the width needs
        metrics = p.fontMetrics()
        self._label(p, 3 * (ROW + GAP), "Ties:")
        for row, kinds in enumerate(self._legend_rows(self.width())):
            y = 3 * (ROW + GAP) + row * ROW
            x = float(self.label_width())
            for kind in kinds:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(TIE_COLORS[kind])
                p.drawRect(QRectF(x, y + 6, 10, 10))
                p.setPen(self._text_color())
                label = kind
                p.drawText(QRectF(x + 14, y, 200, ROW), int(Qt.AlignmentFlag.AlignVCenter), label)
                x += 28 + metrics.horizontalAdvance(label)
        p.end()
