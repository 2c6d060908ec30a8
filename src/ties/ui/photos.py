"""People's photos in the window: scaled on the way in, small round-cornered copies out.

A photo is stored in the journal as JPEG or PNG bytes of at most :data:`MAX_SIDE`
pixels a side (:func:`photo_bytes_from_file` scales it with QImage); the list,
the page and the map card draw pixmaps made from those bytes.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPixmap

MAX_SIDE = 512


class PhotoError(ValueError):
    """The file is not an image Qt can read."""


def scaled_photo_bytes(image: QImage) -> bytes:
    """``image`` at most :data:`MAX_SIDE` px a side, as JPEG (PNG when it has transparency)."""
    if image.width() > MAX_SIDE or image.height() > MAX_SIDE:
        image = image.scaled(
            MAX_SIDE,
            MAX_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    fmt = "PNG" if image.hasAlphaChannel() else "JPEG"
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buf, fmt, 85 if fmt == "JPEG" else -1):
        raise PhotoError("That image could not be encoded.")
    buf.close()
    return bytes(data.data())


def photo_bytes_from_file(path: str) -> bytes:
    """Read an image file (any format Qt reads) and scale it for the journal."""
    image = QImage(path)
    if image.isNull():
        raise PhotoError(f"{path} is not an image Ties can read (try a JPEG or PNG).")
    return scaled_photo_bytes(image)


def round_pixmap(data: bytes | None, side: int, ratio: float = 1.0) -> QPixmap | None:
    """The photo cropped to a square and drawn in a circle ``side`` px across."""
    if not data:
        return None
    image = QImage.fromData(data)
    if image.isNull():
        return None
    px = max(1, round(side * ratio))
    square = min(image.width(), image.height())
    x, y = (image.width() - square) // 2, (image.height() - square) // 2
    image = image.copy(x, y, square, square).scaled(
        px, px, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    out = QPixmap(px, px)
    out.fill(QColor(0, 0, 0, 0))
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    clip = QPainterPath()
    clip.addEllipse(QRectF(0, 0, px, px))
    painter.setClipPath(clip)
    painter.drawImage(0, 0, image)
    painter.end()
    out.setDevicePixelRatio(ratio)
    return out
