"""Bundled SVG icons by name, so no place or action ever shows a missing-icon square.

The line icons in ``resources/icons`` are drawn in one neutral grey
(:data:`LIGHT_INK`). QIcon cannot follow ``currentColor``, so on a dark palette
the grey is swapped for :data:`DARK_INK` before the SVG is rendered; icons with
their own colours (the application icon) are left as drawn.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"

#: The ink the SVG files are drawn with (reads on light backgrounds).
LIGHT_INK = "#5f6670"
#: The ink used instead on dark palettes.
DARK_INK = "#c9ced6"
#: Sizes rendered for a recoloured icon (QIcon picks the nearest, then scales).
ICON_SIZES = (16, 20, 22, 24, 32, 40, 48, 64, 96, 128)


def palette_is_dark() -> bool:
    """True when the running application's window background is dark."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return window.lightness() < 128


def svg_for_palette(svg: str, dark: bool) -> str:
    """The SVG text with its ink swapped for the palette's (unchanged when light)."""
    return svg.replace(LIGHT_INK, DARK_INK) if dark else svg


def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` in the current palette's ink.

    An empty icon (not a square) if the file is absent.
    """
    return _icon(name, palette_is_dark())


@cache
def _icon(name: str, dark: bool) -> QIcon:
    path = ICON_DIR / f"{name}.svg"
    if not path.exists():
        return QIcon()
    text = path.read_text(encoding="utf-8")
    if not dark or LIGHT_INK not in text:
        return QIcon(str(path))
    return _rendered(svg_for_palette(text, dark))


def _rendered(svg: str) -> QIcon:
    """A QIcon holding ``svg`` rendered crisply at each of :data:`ICON_SIZES`."""
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap(QSize(size, size))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        result.addPixmap(pixmap)
    return result
