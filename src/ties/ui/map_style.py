"""The map's colours, for a light or a dark palette, in one place so the legend agrees.

Fill colours come from the Okabe–Ito set, which stays distinguishable for the
common forms of colour blindness; the balance is shown by the border's shape
(solid ring or dashed ring), not by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

SUPPORT_TEXT = {
    "instrumental": "Instrumental support",
    "psychosocial": "Psychosocial support",
    "both": "Both kinds",
    "none": "No support given",
}
BALANCE_TEXT = {
    "over_giving": "I give much more",
    "over_taking": "I take much more",
    "balanced": "Balanced",
}


@dataclass(frozen=True)
class MapStyle:
    dark: bool
    background: QColor
    ring_fill: tuple[QColor, QColor]  # alternating band tints
    ring_line: QColor
    sector_line: QColor
    text: QColor
    muted: QColor
    fills: dict[str, QColor]
    outline: QColor
    over_giving: QColor
    over_taking: QColor
    link_intro: QColor
    link_org: QColor
    highlight: QColor
    card: QColor
    me: QColor

    @classmethod
    def for_palette(cls, palette: QPalette) -> MapStyle:
        bg = palette.color(QPalette.ColorRole.Base)
        return cls.dark_style(bg) if bg.lightness() < 128 else cls.light_style(bg)

    @classmethod
    def light_style(cls, bg: QColor | None = None) -> MapStyle:
        return cls(
            dark=False,
            background=bg or QColor("#ffffff"),
            ring_fill=(QColor(40, 70, 120, 20), QColor(40, 70, 120, 9)),
            ring_line=QColor(40, 70, 120, 40),
            sector_line=QColor(40, 70, 120, 30),
            text=QColor("#1f2933"),
            muted=QColor("#66727f"),
            fills={
                "instrumental": QColor("#0072B2"),
                "psychosocial": QColor("#E69F00"),
                "both": QColor("#CC79A7"),
                "none": QColor("#b4bcc6"),
            },
            outline=QColor(255, 255, 255, 230),
            over_giving=QColor("#C44100"),
            over_taking=QColor("#1f2933"),
            link_intro=QColor(0, 158, 115, 70),
            link_org=QColor(100, 110, 125, 55),
            highlight=QColor("#009E73"),
            card=QColor(255, 255, 255, 240),
            me=QColor("#1f2933"),
        )

    @classmethod
    def dark_style(cls, bg: QColor | None = None) -> MapStyle:
        return cls(
            dark=True,
            background=bg or QColor("#1e2228"),
            ring_fill=(QColor(150, 180, 230, 20), QColor(150, 180, 230, 9)),
            ring_line=QColor(150, 180, 230, 55),
            sector_line=QColor(150, 180, 230, 35),
            text=QColor("#e6e9ee"),
            muted=QColor("#9aa4b1"),
            fills={
                "instrumental": QColor("#56B4E9"),
                "psychosocial": QColor("#F0B323"),
                "both": QColor("#E08DBB"),
                "none": QColor("#6b7480"),
            },
            outline=QColor(20, 22, 26, 230),
            over_giving=QColor("#FF7A3D"),
            over_taking=QColor("#e6e9ee"),
            link_intro=QColor(60, 210, 160, 70),
            link_org=QColor(180, 190, 205, 50),
            highlight=QColor("#3cd2a0"),
            card=QColor(38, 43, 50, 245),
            me=QColor("#e6e9ee"),
        )
