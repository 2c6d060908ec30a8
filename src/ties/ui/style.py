"""The look: system palette and fonts, a few sizes and spacings on top.

Colours come from the palette (``palette(...)`` in the style sheet), so the
window follows the system's light or dark scheme. ``--color-scheme`` forces
one (screenshots, and desktops that do not say which they use).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

STYLE_SHEET = """
QLabel#placeTitle { font-size: 20pt; font-weight: 600; }
QLabel#welcomeTitle { font-size: 24pt; font-weight: 600; }
QLabel#sectionTitle { font-size: 12pt; font-weight: 600; }
QLabel#muted { color: palette(placeholder-text); }
QListWidget#sidebar {
    background: palette(alternate-base);
    border: none;
    border-right: 1px solid palette(midlight);
    padding-top: 10px;
    outline: 0;
}
QListWidget#sidebar::item { padding: 4px 12px; border-radius: 6px; margin: 1px 8px; }
QListWidget#sidebar::item:selected {
    background: palette(highlight);
    color: palette(highlighted-text);
}
QTableView { outline: 0; }
QHeaderView::section { padding: 4px 6px; }
"""


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (default: the application's) has a dark window background."""
    if palette is None:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return False
        palette = app.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_color() -> str:
    """Red that reads well on the current palette (lighter on dark backgrounds)."""
    return "#ff7b72" if is_dark() else "#c0392b"


def readable_on(background: QColor) -> QColor:
    """Black or white, whichever reads better on ``background``."""
    r, g, b = background.redF(), background.greenF(), background.blueF()
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return QColor("black") if luminance > 0.45 else QColor("white")


class ContrastStyle(QProxyStyle):
    """The platform style, with check boxes outlined where a dark palette hides them.

    Fusion draws a check box's frame a little darker than the window: on a dark
    palette an unticked box (and a tree's tick box) all but disappears.
    """

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element != QStyle.PrimitiveElement.PE_IndicatorCheckBox or not is_dark(option.palette):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        pen.setWidthF(1.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2)
        painter.restore()


def dark_palette() -> QPalette:
    """A calm dark palette for when the system asks for dark but the style has none."""
    p = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: "#2b2d31",
        roles.WindowText: "#e6e6e6",
        roles.Base: "#1f2023",
        roles.AlternateBase: "#26282c",
        roles.ToolTipBase: "#2b2d31",
        roles.ToolTipText: "#e6e6e6",
        roles.PlaceholderText: "#9a9ca3",
        roles.Text: "#e6e6e6",
        roles.Button: "#34363b",
        roles.ButtonText: "#e6e6e6",
        roles.BrightText: "#ff6b6b",
        roles.Light: "#44474d",
        roles.Midlight: "#3a3c41",
        roles.Mid: "#2f3135",
        roles.Dark: "#1b1c1f",
        roles.Shadow: "#000000",
        roles.Highlight: "#3d7bd9",
        roles.HighlightedText: "#ffffff",
        roles.Link: "#7ab4ff",
        roles.LinkVisited: "#b48cff",
    }
    for role, colour in colours.items():
        p.setColor(role, QColor(colour))
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#77797f"))
    return p


def _set_style(app: QApplication, proxy: QStyle) -> None:
    """Install ``proxy``, owned by the application (Python's garbage collector must not free it)."""
    proxy.setParent(app)
    app.setStyle(proxy)


def apply(app: QApplication, scheme: str | None = None) -> None:
    """Style sheet on top of the platform look; ``scheme`` forces "light" or "dark".

    :class:`ContrastStyle` is put in only for a dark palette (now, or when the
    system turns dark): a style written in Python is called for every primitive
    painted, which made the window's first paint ~60 ms slower on a light one.
    """
    if scheme is not None:
        app.styleHints().setColorScheme(
            Qt.ColorScheme.Dark if scheme == "dark" else Qt.ColorScheme.Light
        )
        if scheme == "dark":
            _set_style(app, ContrastStyle("Fusion"))
        else:
            app.setStyle("Fusion")
        palette = dark_palette() if scheme == "dark" else app.style().standardPalette()
        app.setPalette(palette)
    else:
        _contrast_when_dark(app)
        if not app.property("ties_follows_scheme"):
            app.setProperty("ties_follows_scheme", True)
            app.styleHints().colorSchemeChanged.connect(lambda _s: _contrast_when_dark(app))
    app.setStyleSheet(STYLE_SHEET)


def _contrast_when_dark(app: QApplication) -> None:
    dark = is_dark(app.palette()) or app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    if dark and app.findChild(ContrastStyle) is None:  # app.style() may be the style sheet's
        _set_style(app, ContrastStyle(app.style().name() or "Fusion"))
