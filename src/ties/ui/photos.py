"""People's photos in the window: scaled on the way in, small round-cornered copies out.

A photo is stored in the journal as JPEG or PNG bytes of at most :data:`MAX_SIDE`
pixels a side (:func:`photo_bytes_from_file` scales it with QImage); the list,
the page and the map card draw pixmaps made from those bytes.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

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
    # PySide6 takes the format as str at run time; its stubs say bytes, which it refuses.
    if not image.save(buf, fmt, 85 if fmt == "JPEG" else -1):  # type: ignore[call-overload]
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


def initials(name: str) -> str:
    """Up to two initials of a name, for a person without a photo."""
    return "".join(w[0] for w in name.split()[:2] if w).upper()


def name_colours(name: str, dark: bool) -> tuple[QColor, QColor]:
    """A soft fill and its ink for someone's initials, the same for a name every time."""
    hue = zlib.crc32(name.encode("utf-8")) % 360
    if dark:
        return QColor.fromHsl(hue, 60, 70), QColor.fromHsl(hue, 80, 200)
    return QColor.fromHsl(hue, 90, 215), QColor.fromHsl(hue, 90, 70)


def initials_pixmap(name: str, side: int, ratio: float, fill: QColor, ink: QColor) -> QPixmap:
    """A disc with the person's initials: the place of a photo they do not have."""
    px = max(1, round(side * ratio))
    out = QPixmap(px, px)
    out.fill(QColor(0, 0, 0, 0))
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawEllipse(QRectF(0, 0, px, px))
    font = painter.font()
    font.setPixelSize(max(6, int(px * 0.4)))
    painter.setFont(font)
    painter.setPen(ink)
    painter.drawText(QRectF(0, 0, px, px), Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.end()
    out.setDevicePixelRatio(ratio)
    return out


class ThumbnailCache:
    """Small round photos by person id, made once; :meth:`clear` when people change.

    Bounded: a list scrolled through tens of thousands of people keeps the last
    :attr:`limit` only.
    """

    limit = 1000

    def __init__(self, side: int) -> None:
        self.side = side
        self._pixmaps: dict[tuple[int, bool], QPixmap | None] = {}

    def clear(self) -> None:
        self._pixmaps.clear()

    def get(
        self,
        person_id: int,
        has_photo: bool,
        load: Callable[[], bytes | None],
        otherwise: Callable[[], QPixmap] | None = None,
    ) -> QPixmap | None:
        """The thumbnail of a person; ``load()`` gives the photo bytes the first time,
        ``otherwise()`` the picture of someone without one."""
        key = (person_id, has_photo)
        if key not in self._pixmaps:
            if len(self._pixmaps) >= self.limit:
                self._pixmaps.clear()
            pix = round_pixmap(load(), self.side) if has_photo else None
            if pix is None and otherwise is not None:
                pix = otherwise()
            self._pixmaps[key] = pix
        return self._pixmaps[key]
