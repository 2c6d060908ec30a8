"""Photos brought in by an import, made the size a person's picture needs.

A phone's contact photo can be several megabytes; the journal keeps one file with
everything, so an imported photo is scaled to at most :data:`MAX_SIDE` pixels and
re-encoded (JPEG, or PNG when it has transparency) unless it is small already. The
window scales a photo the user picks with Qt (``ui/photos.py``); io cannot use Qt,
so Pillow does it here — imported only when a photo comes in.
"""

from __future__ import annotations

import io

#: The longest side of a stored photo, in pixels.
MAX_SIDE = 512
#: A photo this small (and no larger than MAX_SIDE) is kept byte for byte.
SMALL_BYTES = 300_000


class PhotoError(ValueError):
    """The bytes are not an image Ties can read."""


def fit_photo(data: bytes) -> bytes:
    """``data`` scaled to at most :data:`MAX_SIDE` px and re-encoded, or as it is when small."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if max(image.size) <= MAX_SIDE and len(data) <= SMALL_BYTES:
                return data
            image.load()
            alpha = (image.mode in ("RGBA", "LA", "P") and "transparency" in image.info) or (
                image.mode in ("RGBA", "LA")
            )
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if alpha:
                image.save(out, format="PNG", optimize=True)
            else:
                image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise PhotoError(str(exc)) from exc
