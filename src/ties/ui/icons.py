"""Bundled SVG icons by name, so no place or action ever shows a missing-icon square.

The line icons in ``resources/icons`` are drawn in one neutral grey
(:data:`LIGHT_INK`). QIcon cannot follow ``currentColor``, so the grey is
swapped before the SVG is rendered: :data:`DARK_INK` on a dark palette, and the
palette's highlighted-text colour for the selected state (a selected sidebar
place or list row), so an icon stays readable on the highlight. Icons with their
own colours (the application icon) are left as drawn.

A recoloured icon is drawn when Qt first asks for a size (:class:`InkIconEngine`),
not up front: rendering every icon at every size cost ~40 ms of a cold start.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"

#: The ink the SVG files are drawn with (reads on light backgrounds).
LIGHT_INK = "#5f6670"
#: The ink used instead on dark palettes.
DARK_INK = "#c9ced6"


def palette_is_dark() -> bool:
    """True when the running application's window background is dark."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def svg_for_palette(svg: str, dark: bool, ink: str | None = None) -> str:
    """The SVG text with its ink swapped: for ``ink`` if given, else for the palette's."""
    if ink is None:
        ink = DARK_INK if dark else LIGHT_INK
    return svg.replace(LIGHT_INK, ink)


def _selected_ink() -> str:
    app = QGuiApplication.instance()
    if app is None:
        return "#ffffff"
    return QGuiApplication.palette().color(QPalette.ColorRole.HighlightedText).name()


def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` in the current palette's ink.

    An empty icon (not a square) if the file is absent.
    """
    return _icon(name, palette_is_dark(), _selected_ink())


@cache
def _icon(name: str, dark: bool, selected_ink: str) -> QIcon:
    path = ICON_DIR / f"{name}.svg"
    if not path.exists():
        return QIcon()
    text = path.read_text(encoding="utf-8")
    if LIGHT_INK not in text:
        return QIcon(str(path))
    return QIcon(
        InkIconEngine(svg_for_palette(text, dark), svg_for_palette(text, dark, selected_ink))
    )


#: Engines Qt made by cloning, kept alive here so Python never frees one Qt still uses.
_CLONES: list[QIconEngine] = []


class InkIconEngine(QIconEngine):
    """Draws one recoloured SVG at whatever size is asked for, once per size and mode.

    Selected uses the selected ink; Disabled is the style's greyed Normal pixmap.
    """

    def __init__(self, normal_svg: str, selected_svg: str) -> None:
        super().__init__()
        self._svgs = (normal_svg, selected_svg)
        self._pixmaps: dict[tuple[int, int, QIcon.Mode, float], QPixmap] = {}

    def clone(self) -> QIconEngine:
        engine = InkIconEngine(*self._svgs)
        _CLONES.append(engine)
        return engine

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        painter.drawPixmap(rect, self.scaledPixmap(rect.size(), mode, state, ratio))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        key = (size.width(), size.height(), mode, scale)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = self._render(size, mode, scale)
            self._pixmaps[key] = pixmap
        return pixmap

    def _render(self, size: QSize, mode: QIcon.Mode, scale: float) -> QPixmap:
        if mode == QIcon.Mode.Disabled:
            from PySide6.QtWidgets import QApplication, QStyleOption

            normal = self.scaledPixmap(size, QIcon.Mode.Normal, QIcon.State.Off, scale)
            style = QApplication.style() if QApplication.instance() else None
            if style is None:
                return normal
            return style.generatedIconPixmap(mode, normal, QStyleOption())
        svg = self._svgs[1] if mode == QIcon.Mode.Selected else self._svgs[0]
        width, height = max(1, round(size.width() * scale)), max(1, round(size.height() * scale))
        pixmap = QPixmap(QSize(width, height))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        QSvgRenderer(QByteArray(svg.encode("utf-8"))).render(painter, QRectF(0, 0, width, height))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap
