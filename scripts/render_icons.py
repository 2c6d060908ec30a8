"""Render the application icon's PNG, ICO and ICNS files from ``resources/icon/ties.svg``.

Run after editing the SVG (the outputs are committed, so builds need no renderer):

    .venv/bin/python scripts/render_icons.py            # PNGs, .ico, .icns, runtime copy
    .venv/bin/python scripts/render_icons.py --sheet build/icons.png   # plus a contact sheet

The contact sheet shows every icon of ``src/ties/resources/icons`` at 16, 24 and
48 pixels on a light and a dark background, as the window draws them, so they can
be looked at together before a release.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
APP_SVG = ROOT / "resources" / "icon" / "ties.svg"
OUT_DIR = ROOT / "resources" / "icon"
RUNTIME_ICONS = ROOT / "src" / "ties" / "resources" / "icons"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: ICNS chunk types that hold PNG data, by pixel size.
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def render(svg: bytes, size: int) -> QImage:
    """``svg`` drawn into a transparent ``size``×``size`` image."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(QByteArray(svg)).render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def write_ico(path: Path, images: dict[int, bytes]) -> None:
    """A Windows .ico whose entries are PNGs (supported since Windows Vista)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    directory, blobs = b"", b""
    for size, data in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in the ICO directory
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        blobs += data
    path.write_bytes(header + directory + blobs)


def write_icns(path: Path, images: dict[int, bytes]) -> None:
    """A macOS .icns made of PNG chunks."""
    chunks = b"".join(
        ICNS_TYPES[size] + struct.pack(">I", 8 + len(data)) + data
        for size, data in sorted(images.items())
        if size in ICNS_TYPES
    )
    path.write_bytes(b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks)


def render_app_icon() -> list[Path]:
    """Every derived application-icon file, rewritten from the SVG."""
    svg = APP_SVG.read_bytes()
    written = []
    pngs = {size: png_bytes(render(svg, size)) for size in sorted({*PNG_SIZES, *ICO_SIZES})}
    for size in PNG_SIZES:
        target = OUT_DIR / f"ties-{size}.png"
        target.write_bytes(pngs[size])
        written.append(target)
    write_ico(OUT_DIR / "ties.ico", {s: pngs[s] for s in ICO_SIZES})
    write_icns(OUT_DIR / "ties.icns", {s: pngs[s] for s in ICNS_TYPES})
    shutil.copyfile(APP_SVG, RUNTIME_ICONS / "app.svg")
    written += [OUT_DIR / "ties.ico", OUT_DIR / "ties.icns", RUNTIME_ICONS / "app.svg"]
    return written


def contact_sheet(target: Path) -> None:
    """Every bundled icon at three sizes on a light and a dark background."""
    sys.path.insert(0, str(ROOT / "src"))
    from ties.ui.icons import svg_for_palette

    names = sorted(p.stem for p in RUNTIME_ICONS.glob("*.svg"))
    sizes, columns = (16, 24, 48), 6
    cell_w, cell_h = 150, 82
    rows = -(-len(names) // columns)
    block_h = rows * cell_h
    image = QImage(columns * cell_w, 2 * block_h, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(QFont("DejaVu Sans", 8))
    for block, (dark, bg, fg) in enumerate(((False, "#fafafa", "#222"), (True, "#2b2d31", "#ddd"))):
        painter.fillRect(0, block * block_h, columns * cell_w, block_h, QColor(bg))
        for index, name in enumerate(names):
            text = (RUNTIME_ICONS / f"{name}.svg").read_text(encoding="utf-8")
            svg = svg_for_palette(text, dark).encode("utf-8")
            x = (index % columns) * cell_w + 8
            top = block * block_h + (index // columns) * cell_h
            painter.setPen(QColor(fg))
            painter.drawText(x, top + cell_h - 10, name)
            for size in sizes:
                painter.drawImage(x, top + 8 + (48 - size) // 2, render(svg, size))
                x += size + 10
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(target))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheet", type=Path, help="also write a contact sheet PNG here")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication([])
    for path in render_app_icon():
        print(path.relative_to(ROOT))
    if args.sheet:
        contact_sheet(args.sheet)
        print(args.sheet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
