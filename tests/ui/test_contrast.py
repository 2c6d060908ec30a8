"""Secondary grey text and placeholders read at WCAG AA (4.5:1) in light and dark.

Issue #17, accessibility: secondary text was 3.9:1 and placeholders 4.0:1.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from ties.ui import style


def test_the_contrast_formula_matches_wcag() -> None:
    assert style.contrast(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert style.contrast(QColor("#777777"), QColor("white")) == pytest.approx(4.48, abs=0.01)
    half = QColor(0, 0, 0, 128)  # see-through: what it looks like on the background counts
    assert style.contrast(half, QColor("white")) < style.contrast(QColor("black"), QColor("white"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_secondary_text_reads_at_aa_on_every_background(qapp: QApplication, scheme: str) -> None:
    palette = style.scheme_palette(qapp, scheme)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        grey = palette.color(group, QPalette.ColorRole.PlaceholderText)
        for role in style.SECONDARY_BACKGROUNDS:
            ratio = style.contrast(grey, palette.color(group, role))
            assert ratio >= style.AA_CONTRAST, (scheme, role, ratio)
        # still secondary: less contrast than the text itself
        text = palette.color(group, QPalette.ColorRole.Text)
        window = palette.color(group, QPalette.ColorRole.Window)
        assert style.contrast(grey, window) < style.contrast(text, window)


def test_a_low_contrast_system_grey_is_raised() -> None:
    p = QPalette()
    p.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    p.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f7f7"))
    p.setColor(QPalette.ColorRole.Text, QColor("#000000"))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a8a8a"))  # ~3.2:1
    fixed = style.readable_secondary(p).color(QPalette.ColorRole.PlaceholderText)
    assert style.contrast(fixed, QColor("#efefef")) >= style.AA_CONTRAST
