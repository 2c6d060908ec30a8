"""The contrast style (Python, called for every painted primitive) only where it is needed."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from ties.ui import style


@pytest.fixture
def installed(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    monkeypatch.setattr(style, "_set_style", lambda app, proxy: calls.append(proxy))
    return calls


def _with_window(color: str) -> QPalette:
    palette = QPalette(QApplication.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor(color))
    return palette


def test_a_light_palette_keeps_the_platform_style(qapp, installed, monkeypatch) -> None:
    monkeypatch.setattr(qapp, "palette", lambda: _with_window("#f5f5f5"))
    monkeypatch.setattr(qapp, "findChild", lambda _cls: None)
    style._contrast_when_dark(qapp)
    assert installed == []


def test_a_dark_palette_gets_the_contrast_style(qapp, installed, monkeypatch) -> None:
    monkeypatch.setattr(qapp, "palette", lambda: _with_window("#202124"))
    monkeypatch.setattr(qapp, "findChild", lambda _cls: None)
    style._contrast_when_dark(qapp)
    assert len(installed) == 1 and isinstance(installed[0], style.ContrastStyle)
