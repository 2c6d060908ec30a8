"""Bundled icons: all present, valid, one consistent style, readable in both palettes."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import pytest
from packaging_paths import APP_ICON_DIR, RUNTIME_ICON_DIR
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtSvg import QSvgRenderer

from ties.ui import icons

#: Every icon the window asks for by name (sidebar places and toolbar actions).
NAMES = (
    "app today journal people coverage map add search undo redo backup export import "
    "settings archive delete edit"
).split()
LINE_ICONS = [n for n in NAMES if n != "app"]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("name", NAMES)
def test_icon_file_is_a_valid_svg(name: str) -> None:
    path = RUNTIME_ICON_DIR / f"{name}.svg"
    renderer = QSvgRenderer(str(path))
    assert renderer.isValid(), path


@pytest.mark.parametrize("name", LINE_ICONS)
def test_line_icons_share_one_style(name: str) -> None:
    root = ET.parse(RUNTIME_ICON_DIR / f"{name}.svg").getroot()
    assert root.get("viewBox") == "0 0 24 24"
    assert root.get("stroke") == icons.LIGHT_INK
    assert root.get("stroke-width") == "1.8"
    colours = {
        el.get(attr)
        for el in root.iter()
        for attr in ("stroke", "fill")
        if el.get(attr) not in (None, "none")
    }
    assert colours == {icons.LIGHT_INK}, f"{name} uses other colours: {colours}"


def test_runtime_app_icon_is_the_application_icon() -> None:
    assert (RUNTIME_ICON_DIR / "app.svg").read_bytes() == (APP_ICON_DIR / "ties.svg").read_bytes()


def ink_of(qicon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> QColor:
    """The first fully opaque colour of the icon at 48 px: its ink."""
    image = qicon.pixmap(QSize(48, 48), mode).toImage()
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() == 255:
                return colour
    raise AssertionError("icon has no opaque pixel")


@pytest.fixture
def dark_palette(qapp: QGuiApplication):
    original = QGuiApplication.palette()
    palette = QPalette(original)
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    QGuiApplication.setPalette(palette)
    yield
    QGuiApplication.setPalette(original)


@pytest.mark.parametrize("name", LINE_ICONS)
def test_icon_ink_follows_the_palette(qapp: QGuiApplication, name: str, dark_palette) -> None:
    assert icons.palette_is_dark()
    dark = ink_of(icons.icon(name))
    assert dark.lightness() > 160, f"{name} is hard to see on a dark window"


def test_icon_ink_on_light_palette(qapp: QGuiApplication) -> None:
    palette = QPalette(QGuiApplication.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor("#f5f5f5"))
    original = QGuiApplication.palette()
    QGuiApplication.setPalette(palette)
    try:
        assert not icons.palette_is_dark()
        assert ink_of(icons.icon("search")).lightness() < 128
        selected = ink_of(icons.icon("search"), QIcon.Mode.Selected)
        assert selected == palette.color(QPalette.ColorRole.HighlightedText)
    finally:
        QGuiApplication.setPalette(original)


def test_missing_icon_is_empty_not_a_square(qapp: QGuiApplication) -> None:
    assert icons.icon("no-such-icon").isNull()


def test_windows_and_macos_icon_files_hold_pngs() -> None:
    ico = (APP_ICON_DIR / "ties.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 4
    _, _, _, _, _, _, length, offset = struct.unpack("<BBBBHHII", ico[6:22])
    assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and length > 0

    icns = (APP_ICON_DIR / "ties.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert icns[16:24] == b"\x89PNG\r\n\x1a\n"


def test_svg_ink_swap_changes_only_the_ink() -> None:
    text = f'<path stroke="{icons.LIGHT_INK}" fill="#ffd166"/>'
    swapped = icons.svg_for_palette(text, dark=True)
    assert icons.DARK_INK in swapped and "#ffd166" in swapped
    assert icons.svg_for_palette(text, dark=False) == text
