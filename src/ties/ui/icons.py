"""Bundled SVG icons by name, so no place or action ever shows a missing-icon square.

The line icons in ``resources/icons`` are drawn in one neutral grey
(:data:`LIGHT_INK`). QIcon cannot follow ``currentColor``, so the grey is
swapped before the SVG is rendered: :data:`DARK_INK` on a dark palette, and the
palette's highlighted-text colour for the selected state (a selected sidebar
place or list row), so an icon stays readable on the highlight. Icons with their
own colours (the application icon) are left as drawn.
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
    result = QIcon()
    _add_rendered(result, svg_for_palette(text, dark), QIcon.Mode.Normal)
    _add_rendered(result, svg_for_palette(text, dark, selected_ink), QIcon.Mode.Selected)
    return result


def _add_rendered(target: QIcon, svg: str, mode: QIcon.Mode) -> None:
    """Add ``svg`` to ``target`` for ``mode``, rendered crisply at each of :data:`ICON_SIZES`."""
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    for size in ICON_SIZES:
        pixmap = QPixmap(QSize(size, size))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        target.addPixmap(pixmap, mode)
