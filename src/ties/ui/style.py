"""The look: system palette and fonts, a few sizes and spacings on top.

Colours come from the palette (``palette(...)`` in the style sheet), so the
window follows the system's light or dark scheme.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

STYLE_SHEET = """
QLabel#placeTitle { font-size: 20pt; font-weight: 600; }
QLabel#welcomeTitle { font-size: 24pt; font-weight: 600; }
QLabel#sectionTitle { font-size: 12pt; font-weight: 600; }
QLabel#muted { color: palette(placeholder-text); }
QListWidget#sidebar {
    background: palette(alternate-base);
    border: none;
    border-right: 1px solid palette(mid);
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


def apply(app: QApplication) -> None:
    app.setStyleSheet(STYLE_SHEET)
