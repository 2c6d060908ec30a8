"""Two small painted charts for the Coverage place (PySide6-Essentials has no QtCharts).

:class:`BalanceChart` compares instrumental and psychosocial support received;
:class:`TieChart` shows, per family, how much of it came through weak, medium and
strong ties, and how many active people are weak or strong ties. Both keep a
plain-words summary in ``accessibleDescription`` for screen readers (and tests).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from ties.analysis.coverage import FamilyCoverage, TieCounts, plural
from ties.model import FAMILIES

FAMILY_COLORS = {"instrumental": QColor("#3b7dd8"), "psychosocial": QColor("#d8703b")}
TIE_COLORS = {"weak": QColor("#8fb8e8"), "medium": QColor("#b9b9b9"), "strong": QColor("#2f5f9e")}
ROW = 22
GAP = 8
LABEL_WIDTH = 110


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


class _Chart(QWidget):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _text_color(self) -> QColor:
        return self.palette().color(QPalette.ColorRole.WindowText)

    def _label(self, p: QPainter, y: float, text: str) -> None:
        p.setPen(self._text_color())
        p.drawText(
            QRectF(0, y, LABEL_WIDTH - 6, ROW),
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
        width = max(self.width() - LABEL_WIDTH - 4, 10)
        for i, family in enumerate(FAMILIES):
            fam = self.families.get(family)
            y = i * (ROW + GAP)
            self._label(p, y, family.capitalize())
            if fam is None:
                continue
            length = width * fam.weight / top if top else 0
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(FAMILY_COLORS[family])
            p.drawRoundedRect(QRectF(LABEL_WIDTH, y + 2, max(length, 2), ROW - 4), 3, 3)
            text = f"{fam.weight} from {plural(fam.providers, 'person', 'people')}"
            p.setPen(self._text_color())
            inside = length > p.fontMetrics().horizontalAdvance(text) + 12
            rect = QRectF(LABEL_WIDTH + (6 if inside else length + 6), y, width, ROW)
            if inside:
                p.setPen(QColor("white"))
            p.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        p.end()


class TieChart(_Chart):
    """Per family, the shares of received weight through weak, medium and strong ties."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Coverage tie chart", parent)
        self.families: dict[str, FamilyCoverage] = {}
        self.ties = TieCounts()
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(320, 3 * (ROW + GAP) + ROW)

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

    def _stacked(self, p: QPainter, y: float, parts: list[tuple[str, float]], text: str) -> None:
        width = max(self.width() - LABEL_WIDTH - 4, 10)
        total = sum(v for _, v in parts)
        x = float(LABEL_WIDTH)
        p.setPen(Qt.PenStyle.NoPen)
        if not total:
            p.setBrush(self.palette().color(QPalette.ColorRole.Mid))
            p.drawRect(QRectF(x, y + 2, width, ROW - 4))
        else:
            for kind, value in parts:
                w = width * value / total
                p.setBrush(TIE_COLORS[kind])
                p.drawRect(QRectF(x, y + 2, w, ROW - 4))
                x += w
        p.setPen(QColor("black"))
        p.drawText(
            QRectF(LABEL_WIDTH + 6, y, width - 12, ROW),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            text if total else "nothing received",
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        t = self.ties
        self._label(p, 0, "Active people")
        self._stacked(
            p,
            0,
            [("weak", t.weak), ("medium", t.medium), ("strong", t.strong)],
            f"{t.weak} weak · {t.medium} medium · {t.strong} strong",
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
            )
        # legend
        y = 3 * (ROW + GAP)
        x = float(LABEL_WIDTH)
        for kind in ("weak", "medium", "strong"):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(TIE_COLORS[kind])
            p.drawRect(QRectF(x, y + 6, 10, 10))
            p.setPen(self._text_color())
            label = f"{kind} ties"
            p.drawText(QRectF(x + 14, y, 100, ROW), int(Qt.AlignmentFlag.AlignVCenter), label)
            x += 28 + p.fontMetrics().horizontalAdvance(label)
        p.end()
