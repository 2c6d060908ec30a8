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


#: WCAG AA for normal text; secondary text and placeholders are brought to it.
AA_CONTRAST = 4.5
#: The backgrounds secondary text is drawn on: windows, fields and lists, alternate rows.
SECONDARY_BACKGROUNDS = (
    QPalette.ColorRole.Window,
    QPalette.ColorRole.Base,
    QPalette.ColorRole.AlternateBase,
)


def _opaque_on(fg: QColor, bg: QColor) -> QColor:
    """What a see-through colour looks like drawn on ``bg``."""
    a = fg.alphaF()
    return QColor.fromRgbF(
        a * fg.redF() + (1 - a) * bg.redF(),
        a * fg.greenF() + (1 - a) * bg.greenF(),
        a * fg.blueF() + (1 - a) * bg.blueF(),
    )


def _luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast(fg: QColor, bg: QColor) -> float:
    """The WCAG contrast ratio of ``fg`` (drawn with its alpha) on ``bg``, 1 … 21."""
    a, b = _luminance(_opaque_on(fg, bg)), _luminance(bg)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def readable_secondary(palette: QPalette) -> QPalette:
    """``palette`` with its placeholder colour (muted text, hints) at WCAG AA everywhere.

    The platform's grey read 3.9:1 for secondary text and 4.0:1 for placeholders
    (issue #17, accessibility); it is moved toward the text colour until it reads
    at least 4.5:1 on every background it is drawn on, staying a lighter grey.
    """
    out = QPalette(palette)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        text = out.color(group, QPalette.ColorRole.Text)
        grounds = [out.color(group, role) for role in SECONDARY_BACKGROUNDS]
        start = out.color(group, QPalette.ColorRole.PlaceholderText)
        colour = _opaque_on(start, out.color(group, QPalette.ColorRole.Window))
        step = 0
        while min(contrast(colour, g) for g in grounds) < AA_CONTRAST + 0.05 and step < 20:
            step += 1
            t = step / 20
            colour = QColor.fromRgbF(
                (1 - t) * colour.redF() + t * text.redF(),
                (1 - t) * colour.greenF() + t * text.greenF(),
                (1 - t) * colour.blueF() + t * text.blueF(),
            )
        out.setColor(group, QPalette.ColorRole.PlaceholderText, colour)
    return out


def scheme_palette(app: QApplication, scheme: str) -> QPalette:
    """The palette of a forced scheme ("light" or "dark"), secondary text readable."""
    base = dark_palette() if scheme == "dark" else app.style().standardPalette()
    return readable_secondary(base)


def _set_style(app: QApplication, proxy: QStyle) -> None:
    """Install ``proxy``, owned by the application (Python's garbage collector must not free it)."""
    proxy.setParent(app)
    app.setStyle(proxy)


#: The platform's own palette, kept when the style is first applied, so that
#: choosing "system" again after "dark" in Settings goes back to it.
_SYSTEM: dict[str, QPalette] = {}


def apply(app: QApplication, scheme: str | None = None) -> None:
    """Style sheet on top of the platform look; ``scheme`` forces "light" or "dark".

    ``"system"`` (Settings → Appearance) goes back to the platform's own palette.
    :class:`ContrastStyle` is put in only for a dark palette (now, or when the
    system turns dark): a style written in Python is called for every primitive
    painted, which made the window's first paint ~60 ms slower on a light one.
    """
    _SYSTEM.setdefault("palette", QPalette(app.palette()))
    if scheme == "system":
        app.styleHints().unsetColorScheme()
        app.setPalette(readable_secondary(_SYSTEM["palette"]))
        _contrast_when_dark(app)
        app.setStyleSheet(STYLE_SHEET)
        return
    if scheme is not None:
        app.styleHints().setColorScheme(
            Qt.ColorScheme.Dark if scheme == "dark" else Qt.ColorScheme.Light
        )
        if scheme == "dark":
            _set_style(app, ContrastStyle("Fusion"))
        else:
            app.setStyle("Fusion")
        app.setPalette(scheme_palette(app, scheme))
    else:
        app.setPalette(readable_secondary(app.palette()))
        _contrast_when_dark(app)
        if not app.property("ties_follows_scheme"):
            app.setProperty("ties_follows_scheme", True)
            app.styleHints().colorSchemeChanged.connect(lambda _s: _contrast_when_dark(app))
    app.setStyleSheet(STYLE_SHEET)


def _contrast_when_dark(app: QApplication) -> None:
    dark = is_dark(app.palette()) or app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    if dark and app.findChild(ContrastStyle) is None:  # app.style() may be the style sheet's
        _set_style(app, ContrastStyle(app.style().name() or "Fusion"))
