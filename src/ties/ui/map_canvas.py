"""The map itself: a custom-painted widget (faster than QGraphicsScene at 10,000 people).

Positions come from :func:`ties.analysis.map_layout.layout_map`; this widget
only draws them and turns the mouse into intentions (hover, click, drag to
another ring, pan, zoom). Nodes are drawn as a few prebuilt ``QPainterPath``
batches, one per look (support family × balance × faded), so a frame costs a
few dozen C++ calls however many people there are. Name labels are placed
once per zoom level (:func:`~ties.analysis.map_layout.place_labels`) and only
moved when panning.

Signals:
    person_clicked(int): a node was clicked.
    closeness_dropped(int, int): a node was dragged onto another ring
        (person id, new closeness).
    hover_changed(int): the node under the mouse changed (-1: none).
    view_changed(): panned or zoomed.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from ties.analysis.map_layout import (
    BALANCE_CLASSES,
    SUPPORT_CLASSES,
    MapData,
    MapLayout,
    MapPerson,
    PlacedNode,
    place_labels,
)
from ties.model import CLOSENESS_LABELS
from ties.ui.map_style import BALANCE_TEXT, SUPPORT_TEXT, MapStyle

#: Up to this many people, names are placed over the whole map at once (panning never
#: changes them); above, around the view only.
LABEL_WHOLE_MAP = 2500
#: Below this disc radius (screen px, the biggest disc) no name is tried.
LABEL_MIN_RADIUS = 2.5
#: On a map of more people than this the dots are too crowded for names between them at
#: most zooms: an important person's name may then lie, on a pill, over less important
#: dots (the same rule at every zoom, so zooming in never takes names away).
LABEL_COVER_FROM = 1000
#: Two names keep at least this much room between them (x, y; px), so that names side by
#: side never read as one ("WeberSofia Popescu", issue #17 item 8).
LABEL_SPACING = (10.0, 2.0)
#: At most this many people are tried for a name per zoom level, the most important first.
LABEL_TRIES = 2500
#: Margin (screen px) around the map when zooming to fit: room for circle names.
FIT_MARGIN = 70.0
#: At most this much room is kept beside the map for names when fitting it in the view.
NAME_ROOM_MAX = 130.0
#: The room names need is measured on at most about this many of them.
NAME_ROOM_SAMPLE = 1000
MIN_SCALE, MAX_SCALE = 0.02, 12.0
#: Above this many links in (or near) the view, they show for the hovered person only.
LINK_LIMIT = 1500
#: The cached picture reaches this fraction of the view beyond each edge.
CACHE_MARGIN = 0.3
#: Width of the frame drawn round the map while it has the keyboard focus (px).
FOCUS_FRAME = 3.0
FADE_ALPHA = {"normal": 255, "dormant": 90, "dimmed": 28}


@dataclass
class _Batch:
    """Nodes that look alike (one pen, one brush): centre and disc rectangle each."""

    support: str
    balance: str
    fade: str
    nodes: list[tuple[float, float, QRectF]]


@dataclass
class _Cache:
    version: int
    style: MapStyle
    scale: float
    area: QRectF  # in scaled map units (screen pixels, centre at 0,0)
    pixmap: QPixmap


@dataclass
class _Labels:
    key: tuple[float, int, tuple[int, int, int, int]]
    boxes: list[tuple[float, float, str]]  # x, y (scaled map coords, top-left) and text
    region: tuple[float, float, float, float] | None
    covers: list[bool] = field(default_factory=list)  # per box: lies over smaller dots


class MapCanvas(QWidget):
    """Draws a laid-out map and handles the mouse; knows nothing about the journal."""

    person_clicked = Signal(int)
    closeness_dropped = Signal(int, int)
    hover_changed = Signal(int)
    view_changed = Signal()
    selection_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Relationship map")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 240)
        self.data: MapData | None = None
        self.layout_: MapLayout | None = None
        self.people: dict[int, MapPerson] = {}
        self.dimmed: set[int] = set()
        self.style_ = MapStyle.for_palette(self.palette())
        self.scale = 1.0
        self.ox = 0.0
        self.oy = 0.0
        self.show_legend = True
        #: Every introduction and organisation link at once; off by default, so a map
        #: of a few hundred people is not a hairball: the person pointed at (or chosen
        #: from the keyboard) shows theirs.
        self.show_all_links = False
        self._has_person_links = False  # "Who knows whom": asked for, so always drawn
        self.hover_id: int | None = None
        #: Links between people (issue #15) of the person pointed at: (other id, relation).
        #: Drawn for that person only, so the map does not become a hairball.
        self.person_links: list[tuple[int, str]] = []
        self._person_links_of: int | None = None
        self._version = 0
        self._batches: list[_Batch] = []
        self._bands: list[QPainterPath] = []
        self._sector_lines = QPainterPath()
        Box = tuple[float, float, float, float]
        self._link_paths: list[tuple[str, tuple[float, ...], Box]] = []
        self._cache: _Cache | None = None
        self._legend: tuple[tuple[MapStyle, float], QPixmap, float] | None = None
        self.links_hidden = False
        #: Links drawn over the whole map in the last picture (not the pointed-at person's).
        self.links_drawn = 0
        self._links_ready = False
        self._links_of: dict[int, list[int]] = {}
        self._labels: _Labels | None = None
        self._order: tuple[int, list[PlacedNode]] | None = None
        self._order_index: tuple[int, dict[int, int]] | None = None
        #: The person chosen from the keyboard (Tab), whom Enter, Ctrl+Up/Down and Menu act on.
        self.selected_id: int | None = None
        self._menu: QMenu | None = None
        self._font = QFont(self.font())
        self._font.setPointSizeF(max(7.5, self._font.pointSizeF() * 0.85))
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._small = QFont(self._font)
        self._small.setPointSizeF(self._font.pointSizeF() * 0.92)
        self._small.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 104)
        self._widths: dict[str, float] = {}
        self._press: tuple[int | None, QPointF, float, float] | None = None
        self._drag_id: int | None = None
        self._drag_pos = QPointF()
        self._fitted = False
        self._user_moved = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(90)
        self._settle.timeout.connect(self.update)

    # ------------------------------------------------------------------ content

    def set_map(self, data: MapData, layout: MapLayout, dimmed: set[int] | None = None) -> None:
        """Show a new map; keeps the zoom unless the user never moved it."""
        self.data = data
        self.layout_ = layout
        self.people = {p.id: p for p in data.people}
        self._has_person_links = any(x.kind == "person" for x in data.links)
        self.dimmed = dimmed or set()
        self._version += 1
        self._labels = None
        self._build_paths()
        if self.hover_id is not None and layout.node(self.hover_id) is None:
            self.hover_id = None
            self.hover_changed.emit(-1)
        if self.selected_id is not None and layout.node(self.selected_id) is None:
            self.select(None)
        if not self._user_moved:
            self.zoom_to_fit()
        self.update()

    def set_person_links(self, pid: int, links: list[tuple[int, str]]) -> None:
        """The people ``pid`` is linked to, with the relation: drawn while ``pid`` is hovered."""
        self._person_links_of = pid
        self.person_links = links
        self.update()

    def set_dimmed(self, dimmed: set[int]) -> None:
        self.dimmed = dimmed
        self._version += 1
        self._labels = None
        self._build_paths()
        self.update()

    def set_style(self, style: MapStyle) -> None:
        self.style_ = style  # the cached pictures are keyed by style: they redraw
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.set_style(MapStyle.for_palette(self.palette()))
        super().changeEvent(event)

    def _build_paths(self) -> None:
        layout, people = self.layout_, self.people
        self._batches = []
        self._bands = []
        self._sector_lines = QPainterPath()
        self._link_paths = []
        self._links_of = {}
        self._cache = None
        self._links_ready = False
        if layout is None:
            return
        groups: dict[tuple[str, str, str], list[tuple[float, float, QRectF]]] = {}
        for n in layout.nodes:
            p = people[n.id]
            fade = (
                "dimmed"
                if n.id in self.dimmed
                else "dormant"
                if p.dormant or p.archived
                else "normal"
            )
            key = (p.support, p.balance_class, fade)
            group = groups.get(key)
            if group is None:
                group = groups[key] = []
            group.append((n.x, n.y, QRectF(n.x - n.r, n.y - n.r, 2 * n.r, 2 * n.r)))
        order = {"dimmed": 0, "dormant": 1, "normal": 2}
        for (support, balance, fade), group in sorted(
            groups.items(), key=lambda kv: order[kv[0][2]]
        ):
            self._batches.append(_Batch(support, balance, fade, group))
        for ring in layout.rings:
            band = QPainterPath()
            band.addEllipse(QPointF(0, 0), ring.outer, ring.outer)
            band.addEllipse(QPointF(0, 0), ring.inner, ring.inner)  # odd-even fill: a hole
            self._bands.append(band)
        if len(layout.sectors) > 1:
            r0 = layout.rings[0].inner - 4
            r1 = layout.radius + 10
            for s in layout.sectors:
                c, si = math.cos(s.start), math.sin(s.start)
                self._sector_lines.moveTo(r0 * c, r0 * si)
                self._sector_lines.lineTo(r1 * c, r1 * si)
        self._links_ready = False

    def _ensure_links(self) -> None:
        """Link geometry, built on first need (at 10,000 people, zoomed out, it is not)."""
        if self._links_ready or self.layout_ is None or self.data is None:
            return
        self._links_ready = True
        node = self.layout_.node
        for i, link in enumerate(self.data.links):
            a, b = node(link.a), node(link.b)
            if a is None or b is None:
                continue
            cx, cy = _control(a, b)
            self._link_paths.append(
                (
                    link.kind,
                    (a.x, a.y, cx, cy, b.x, b.y),
                    (min(a.x, b.x, cx), min(a.y, b.y, cy), max(a.x, b.x, cx), max(a.y, b.y, cy)),
                )
            )
            self._links_of.setdefault(link.a, []).append(i)
            self._links_of.setdefault(link.b, []).append(i)

    # --------------------------------------------------------------------- view

    def map_to_view(self, x: float, y: float) -> QPointF:
        return QPointF(x * self.scale + self.ox, y * self.scale + self.oy)

    def view_to_map(self, pos: QPointF) -> tuple[float, float]:
        return (pos.x() - self.ox) / self.scale, (pos.y() - self.oy) / self.scale

    def fit_view(self, width: float, height: float) -> tuple[float, float, float]:
        """Scale and centre that show the whole map and its names, beside the legend if room.

        Names sit beside their discs, so the sides keep room for a typical name
        (and the circles' names above and below), not only the rings.
        """
        if self.layout_ is None:
            return 1.0, width / 2, height / 2
        extent = 2 * self.layout_.radius
        side = max(FIT_MARGIN, self._name_room() + 24)
        left = 0.0
        if self.show_legend:
            legend = legend_size(self._font, self._bold).width() + 16
            if width - legend - 2 * side >= (height - 2 * FIT_MARGIN) * 0.9:
                left = legend
        scale = max(
            MIN_SCALE, min((width - left - 2 * side) / extent, (height - 2 * FIT_MARGIN) / extent)
        )
        centre = left + (width - left) / 2
        if self.show_legend and not left:
            # the legend lies over the map's left: keep the map as far right as its names allow
            centre = max(centre, width - side - self.layout_.radius * scale)
        return scale, centre, height / 2

    def _name_room(self) -> float:
        """The width most names need (nine in ten fit), at most :data:`NAME_ROOM_MAX`.

        On a large map, of :data:`NAME_ROOM_SAMPLE` names spread evenly over everyone:
        measuring a name takes ~5 µs, a tenth of the first picture's time at 10,000
        people, and the margin it sets does not need the last pixel.
        """
        if not self.people:
            return 0.0
        names = [p.name for p in self.people.values()]
        step = max(1, len(names) // NAME_ROOM_SAMPLE)
        widths = sorted(self._text_width(name) for name in names[::step])
        return min(NAME_ROOM_MAX, widths[int(0.9 * (len(widths) - 1))])

    def set_all_links_shown(self, shown: bool) -> None:
        """Draw every link, or only the links of the person pointed at or chosen."""
        self.show_all_links = shown
        self._version += 1
        self._cache = None
        self.update()

    def set_legend_shown(self, shown: bool) -> None:
        """Show or hide the legend; a fitted map is fitted again to the room it leaves."""
        self.show_legend = shown
        if not self._user_moved:
            self.zoom_to_fit()
        else:
            self.update()

    def zoom_to_fit(self) -> None:
        self.scale, self.ox, self.oy = self.fit_view(self.width(), self.height())
        self._fitted = True
        self._user_moved = False
        self.update()
        self.view_changed.emit()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom keeping the map point under ``anchor`` (default: the centre) in place."""
        anchor = anchor or QPointF(self.width() / 2, self.height() / 2)
        new = max(MIN_SCALE, min(MAX_SCALE, self.scale * factor))
        mx, my = self.view_to_map(anchor)
        self.scale = new
        self.ox = anchor.x() - mx * new
        self.oy = anchor.y() - my * new
        self._user_moved = True
        self._settle.start()
        self.update()
        self.view_changed.emit()

    def pan_by(self, dx: float, dy: float) -> None:
        self.ox += dx
        self.oy += dy
        self._user_moved = True
        self.update()
        self.view_changed.emit()

    def resizeEvent(self, event: object) -> None:
        if not self._user_moved:
            self.zoom_to_fit()

    def sizeHint(self) -> QSize:
        return QSize(900, 700)

    # ------------------------------------------------------------------ drawing

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.paint(painter, QRectF(self.rect()), self.scale, self.ox, self.oy)
            if self.hasFocus():
                # the keyboard is here: a frame as clear as a focused field's
                pen = QPen(self.style_.highlight, FOCUS_FRAME)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                half = FOCUS_FRAME / 2
                painter.drawRect(QRectF(self.rect()).adjusted(half, half, -half, -half))
        finally:
            painter.end()

    def paint(
        self,
        painter: QPainter,
        rect: QRectF,
        scale: float,
        ox: float,
        oy: float,
        *,
        interactive: bool = True,
    ) -> None:
        """Draw the whole picture into ``rect``; used for the screen and for export.

        On screen the still part (rings, links, nodes, names) comes from a
        cached picture of the view and its surroundings, redrawn only when the
        zoom or the data change, so a pan step is a single copy. While the
        wheel turns, the cached picture is stretched; it is redrawn sharp once
        zooming pauses.
        """
        st = self.style_
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        layout = self.layout_
        if layout is None or self.data is None:
            painter.fillRect(rect, st.background)
            painter.setPen(st.muted)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "Drawing the map…")
            return
        if interactive:
            self._paint_cached(painter, rect, scale, ox, oy)
            painter.save()
            painter.setTransform(QTransform(scale, 0, 0, scale, ox, oy), True)
            if self._drag_id is not None:
                self._paint_drop_target(painter)
            if self.selected_id is not None and self.selected_id != self.hover_id:
                self._paint_hover(painter, self.selected_id)
            if self.hover_id is not None:
                self._paint_hover(painter, self.hover_id)
            if self.selected_id is not None:
                self._paint_selected(painter, self.selected_id)
            painter.restore()
            if self.hover_id is not None and self._person_links_of == self.hover_id:
                self._paint_person_link_labels(painter)
            if self._drag_id is not None:
                self._paint_drag(painter)
        else:
            self._paint_still(painter, rect, scale, ox, oy)
        if self.links_hidden:
            painter.setFont(self._font)
            painter.setPen(st.muted)
            painter.drawText(
                QRectF(rect.left() + 12, rect.top() + 8, rect.width() - 24, 20),
                Qt.AlignmentFlag.AlignLeft,
                f"{len(self.data.links):,} links: zoom in or point at a person to see them",
            )
        if self.show_legend:
            if interactive:
                self._paint_cached_legend(painter, rect)
            else:
                paint_legend(painter, rect, st, self._font, self._bold)

    def _paint_cached_legend(self, painter: QPainter, rect: QRectF) -> None:
        ratio = max(1.0, painter.device().devicePixelRatioF())
        key = (self.style_, ratio)
        if self._legend is None or self._legend[0] != key:
            size = legend_size(self._font, self._bold)
            w, h = size.width() + 20, size.height() + 20
            pixmap = QPixmap(int(w * ratio) + 1, int(h * ratio) + 1)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            p = QPainter(pixmap)
            try:
                paint_legend(p, QRectF(0, 0, w, h), self.style_, self._font, self._bold)
            finally:
                p.end()
            self._legend = (key, pixmap, h)
        _, pixmap, h = self._legend
        painter.drawPixmap(QPointF(rect.left(), rect.bottom() - h), pixmap)

    def _paint_cached(
        self, painter: QPainter, rect: QRectF, scale: float, ox: float, oy: float
    ) -> None:
        view = QRectF(rect).translated(-ox, -oy)  # in scaled map units, centre at 0,0
        c = self._cache
        if c is not None and c.version == self._version and c.style is self.style_:
            if c.scale == scale and c.area.contains(view):
                painter.drawPixmap(QPointF(c.area.left() + ox, c.area.top() + oy), c.pixmap)
                return
            if self._settle.isActive():  # mid-zoom: stretch the last sharp picture
                f = scale / c.scale
                a = c.area
                target = QRectF(a.left() * f + ox, a.top() * f + oy, a.width() * f, a.height() * f)
                painter.fillRect(rect, self.style_.background)
                painter.drawPixmap(target, c.pixmap, QRectF(c.pixmap.rect()))
                return
        w, h = view.width(), view.height()
        area = view.adjusted(
            -w * CACHE_MARGIN, -h * CACHE_MARGIN, w * CACHE_MARGIN, h * CACHE_MARGIN
        )
        ratio = max(1.0, painter.device().devicePixelRatioF())
        pixmap = QPixmap(int(area.width() * ratio) + 1, int(area.height() * ratio) + 1)
        pixmap.setDevicePixelRatio(ratio)
        p = QPainter(pixmap)
        try:
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            self._paint_still(
                p, QRectF(0, 0, area.width(), area.height()), scale, -area.left(), -area.top()
            )
        finally:
            p.end()
        self._cache = _Cache(self._version, self.style_, scale, area, pixmap)
        painter.drawPixmap(QPointF(area.left() + ox, area.top() + oy), pixmap)

    def render_still_ms(self) -> float:
        """Time to redraw the cached picture at the current zoom (for the benchmark)."""
        import time

        self._cache = None
        image = QImage(max(1, self.width()), max(1, self.height()), QImage.Format.Format_ARGB32)
        start = time.perf_counter()
        painter = QPainter(image)
        try:
            self.paint(painter, QRectF(image.rect()), self.scale, self.ox, self.oy)
        finally:
            painter.end()
        return (time.perf_counter() - start) * 1000

    def _paint_still(
        self, painter: QPainter, rect: QRectF, scale: float, ox: float, oy: float
    ) -> None:
        """Everything that does not follow the mouse: rings, links, nodes, names."""
        st = self.style_
        layout = self.layout_
        assert layout is not None
        painter.fillRect(rect, st.background)
        painter.save()
        painter.setTransform(QTransform(scale, 0, 0, scale, ox, oy), True)
        painter.setPen(Qt.PenStyle.NoPen)
        for i, band in enumerate(self._bands):
            painter.setBrush(st.ring_fill[i % 2])
            painter.drawPath(band)
        pen = QPen(st.ring_line, 1.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for ring in layout.rings:
            painter.drawEllipse(QPointF(0, 0), ring.outer, ring.outer)
        pen = QPen(st.sector_line, 1.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.drawPath(self._sector_lines)
        # links in view, unless there are too many to read (then on hover only)
        x0, y0 = (rect.left() - ox) / scale, (rect.top() - oy) / scale
        x1, y1 = (rect.right() - ox) / scale, (rect.bottom() - oy) / scale
        edge = layout.radius
        whole = x0 <= -edge and y0 <= -edge and x1 >= edge and y1 >= edge
        total = len(self.data.links) if self.data is not None else 0
        visible: list[tuple[str, tuple[float, ...], tuple[float, float, float, float]]] = []
        asked = {"person"} if self._has_person_links else set()
        if self.show_all_links:
            asked |= {"organization", "introduction"}
        if not asked:
            self.links_hidden = False  # the hovered or chosen person's links are drawn on top
        elif whole and total > LINK_LIMIT:
            self.links_hidden = True  # too many to draw: no need to know where they go
        elif whole:
            self._ensure_links()
            visible = self._link_paths
            self.links_hidden = False
        else:
            self._ensure_links()
            visible = [
                link
                for link in self._link_paths
                if link[2][0] <= x1 and x0 <= link[2][2] and link[2][1] <= y1 and y0 <= link[2][3]
            ]
            self.links_hidden = len(visible) > LINK_LIMIT
        self.links_drawn = 0
        if asked and not self.links_hidden:
            known = QColor(st.text)  # links between people (issue #15), when asked for
            known.setAlpha(90)
            for kind, colour, width in (
                ("organization", st.link_org, 0.7),
                ("introduction", st.link_intro, 0.9),
                ("person", known, 0.9),
            ):
                pen = QPen(colour, width)
                pen.setCosmetic(True)
                if kind == "person":
                    pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                for k, (ax, ay, cx, cy, bx, by), _ in visible:
                    if k == kind and k in asked:
                        path = QPainterPath(QPointF(ax, ay))
                        path.quadTo(cx, cy, bx, by)
                        painter.drawPath(path)
                        self.links_drawn += 1
        # nodes; borders only when they are big enough to see
        tiny = layout.params.max_radius * scale < 3.0
        for batch in self._batches:
            alpha = FADE_ALPHA[batch.fade]
            fill = QColor(st.fills[batch.support])
            fill.setAlpha(alpha)
            painter.setBrush(fill)
            if tiny:
                painter.setPen(Qt.PenStyle.NoPen)
            else:
                painter.setPen(_border_pen(st, batch.balance, alpha))
            draw = painter.drawEllipse
            if whole:
                for _, _, r in batch.nodes:
                    draw(r)
            else:
                m = layout.params.max_radius
                for x, y, r in batch.nodes:
                    if x0 - m <= x <= x1 + m and y0 - m <= y <= y1 + m:
                        draw(r)
        me = layout.params.centre_radius
        painter.setBrush(st.me)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QPointF(0, 0), me, me)
        painter.restore()
        self._paint_texts(painter, scale, ox, oy, rect)

    def _paint_drop_target(self, painter: QPainter) -> None:
        assert self.layout_ is not None
        x, y = self.view_to_map(self._drag_pos)
        closeness = self.layout_.ring_at(math.hypot(x, y))
        ring = next(r for r in self.layout_.rings if r.closeness == closeness)
        band = QPainterPath()
        band.addEllipse(QPointF(0, 0), ring.outer + 3, ring.outer + 3)
        band.addEllipse(QPointF(0, 0), max(0.0, ring.inner - 3), max(0.0, ring.inner - 3))
        colour = QColor(self.style_.highlight)
        colour.setAlpha(45)
        painter.setBrush(colour)
        painter.drawPath(band)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _paint_hover(self, painter: QPainter, pid: int) -> None:
        assert self.layout_ is not None and self.data is not None
        node = self.layout_.node(pid)
        if node is None:
            return
        st = self.style_
        self._ensure_links()
        links = self._links_of.get(pid, [])
        if links:
            path = QPainterPath()
            for i in links:
                link = self.data.links[i]
                a, b = self.layout_.node(link.a), self.layout_.node(link.b)
                if a is not None and b is not None:
                    _curve(path, a, b)
            pen = QPen(st.highlight, 2.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        if self._person_links_of == pid and self.person_links:
            path = QPainterPath()
            for other, _relation in self.person_links:
                b = self.layout_.node(other)
                if b is not None:
                    _curve(path, node, b)
            pen = QPen(st.text, 1.6, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        pen = QPen(st.highlight, 2.5)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(
            QPointF(node.x, node.y), node.r + 3 / self.scale, node.r + 3 / self.scale
        )

    def _paint_selected(self, painter: QPainter, pid: int) -> None:
        """The keyboard's person: a second, wider ring outside the hover ring."""
        node = self.layout_.node(pid) if self.layout_ is not None else None
        if node is None:
            return
        pen = QPen(self.style_.highlight, 2.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        r = node.r + 8 / self.scale
        painter.drawEllipse(QPointF(node.x, node.y), r, r)

    def _paint_person_link_labels(self, painter: QPainter) -> None:
        """Each linked person's relation, at the far end of the dashed line."""
        assert self.layout_ is not None
        node = self.layout_.node(self.hover_id) if self.hover_id is not None else None
        if node is None:
            return
        painter.setFont(self._small)
        fm = painter.fontMetrics()
        for other, relation in self.person_links:
            b = self.layout_.node(other)
            if b is None:
                continue
            at = self.map_to_view(b.x, b.y)
            name = self.people[other].name if other in self.people else ""
            text = f"{name} · {relation}" if name else relation
            w = fm.horizontalAdvance(text) + 8
            box = QRectF(at.x() - w / 2, at.y() + b.r * self.scale + 3, w, fm.height() + 2)
            painter.setPen(Qt.PenStyle.NoPen)
            back = QColor(self.style_.background)
            back.setAlpha(215)
            painter.setBrush(back)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(self.style_.text)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_drag(self, painter: QPainter) -> None:
        assert self.layout_ is not None
        node = self.layout_.node(self._drag_id) if self._drag_id is not None else None
        if node is None:
            return
        p = self.people[node.id]
        st = self.style_
        r = max(5.0, node.r * self.scale)
        painter.setBrush(st.fills[p.support])
        pen = QPen(st.highlight, 2.0)
        painter.setPen(pen)
        painter.drawEllipse(self._drag_pos, r, r)
        x, y = self.view_to_map(self._drag_pos)
        closeness = self.layout_.ring_at(math.hypot(x, y))
        text = f"{p.name} → {closeness} · {CLOSENESS_LABELS[closeness]}"
        painter.setFont(self._bold)
        painter.setPen(st.text)
        painter.drawText(self._drag_pos + QPointF(r + 6, -r - 4), text)

    def _fixed_labels(self, scale: float) -> list[tuple[QRectF, str, str]]:
        """Ring and circle names: (box relative to the centre, text, kind)."""
        assert self.layout_ is not None and self.data is not None
        layout = self.layout_
        out: list[tuple[QRectF, str, str]] = []
        fm = QFontMetricsF(self._small)
        h = fm.height() + 2
        # always named, unless zoomed out so far that the names would pile up
        radii = [r.label_radius for r in layout.rings]
        spacing = min(b - a for a, b in itertools.pairwise(radii))
        if scale * spacing > h:
            for ring in layout.rings:
                text = f"{ring.closeness} · {CLOSENESS_LABELS[ring.closeness]}"
                w = fm.horizontalAdvance(text) + 12
                y = -ring.label_radius * scale
                out.append((QRectF(-w / 2, y - h / 2, w, h), text, "ring"))
        fmb = QFontMetricsF(self._bold)
        names = dict(self.data.circles)
        outer = layout.radius * scale + 14
        hb = fmb.height()
        for sec in layout.sectors:
            text = f"{names.get(sec.key, sec.key)} · {sec.count}"
            w = fmb.horizontalAdvance(text)
            ca, sa = math.cos(sec.mid), math.sin(sec.mid)
            x = outer * ca - w / 2 + (w / 2) * ca  # lean away from the map
            y = outer * sa - hb / 2 + (hb / 2) * sa
            box = QRectF(x, y, w, hb)
            # a circle named near the top or bottom moves outwards off the rings' names
            for _ in range(20):
                if not any(b.intersects(box) for b, _, kind in out if kind == "ring"):
                    break
                box.translate(0, -hb / 2 if sa <= 0 else hb / 2)
            out.append((box, text, "circle"))
        return out

    def _paint_texts(
        self, painter: QPainter, scale: float, ox: float, oy: float, rect: QRectF
    ) -> None:
        assert self.layout_ is not None and self.data is not None
        st = self.style_
        layout = self.layout_
        if layout.params.centre_radius * scale >= 9:
            painter.setFont(self._bold)
            painter.setPen(st.background)
            painter.drawText(QRectF(ox - 30, oy - 10, 60, 20), Qt.AlignmentFlag.AlignCenter, "Me")
        pill = QColor(st.background)
        pill.setAlpha(215)
        for box, text, kind in self._fixed_labels(scale):
            box = box.translated(ox, oy)
            if kind == "ring":
                painter.setFont(self._small)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(pill)
                painter.drawRoundedRect(box, box.height() / 2, box.height() / 2)
                painter.setPen(st.muted)
            else:
                painter.setFont(self._bold)
                painter.setPen(st.text)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        labels_now = self._node_labels(scale, ox, oy, rect)
        if labels_now:
            painter.setFont(self._font)
            fm = QFontMetricsF(self._font)
            ascent = fm.ascent()
            covers = self._labels.covers if self._labels is not None else []
            if any(covers):  # names over smaller dots get a pill, to read and to hide them
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(pill)
                h = fm.height()
                for (x, y, text), over in zip(labels_now, covers, strict=False):
                    if over:
                        box = QRectF(x + ox, y + oy, self._text_width(text), h)
                        painter.drawRoundedRect(box, 3, 3)
            painter.setPen(st.text)
            for x, y, text in labels_now:
                painter.drawText(QPointF(x + ox, y + oy + ascent), text)

    def _text_width(self, text: str) -> float:
        w = self._widths.get(text)
        if w is None:
            w = self._widths[text] = QFontMetricsF(self._font).horizontalAdvance(text)
        return w

    def importance_order(self) -> list[PlacedNode]:
        """Everyone on the map, most important first: the order names are placed in and
        Tab walks in. Closer rings first, then more active, then by name; people the
        support filter dims come last."""
        layout = self.layout_
        if layout is None:
            return []
        if self._order is None or self._order[0] != self._version:
            people, dimmed = self.people, self.dimmed
            nodes = sorted(
                layout.nodes,
                key=lambda n: (
                    n.id in dimmed,
                    -n.closeness,
                    -people[n.id].activity,
                    people[n.id].name,
                    n.id,
                ),
            )
            self._order = (self._version, nodes)
        return self._order[1]

    def _node_labels(
        self, scale: float, ox: float, oy: float, rect: QRectF
    ) -> list[tuple[float, float, str]]:
        """Names that fit without overlapping, the most important first.

        Placed afresh for each zoom level (more names fit as the map grows) and
        kept while panning. A small map is labelled whole; a big one over the
        picture being drawn (the view and the cached margin around it), and at
        most :data:`LABEL_TRIES` people are tried, so a view of 10,000 people
        stays fast (the closest people get their names first).
        """
        layout = self.layout_
        assert layout is not None
        if layout.params.max_radius * scale < LABEL_MIN_RADIUS:
            return []  # discs a pixel or two wide, packed: no name fits beside them
        # the visible part of the map, in scaled map units (screen pixels around the centre)
        vx0, vy0 = rect.left() - ox, rect.top() - oy
        vx1, vy1 = rect.right() - ox, rect.bottom() - oy
        key = (round(scale, 6), self._version, (0, 0, 0, 0))
        cached = self._labels
        if (
            cached is not None
            and cached.key == key
            and (
                cached.region is None
                or (
                    cached.region[0] <= vx0
                    and cached.region[1] <= vy0
                    and cached.region[2] >= vx1
                    and cached.region[3] >= vy1
                )
            )
        ):
            return cached.boxes
        order = self.importance_order()
        region: tuple[float, float, float, float] | None = None
        if len(order) > LABEL_WHOLE_MAP:
            # the picture being drawn (the view and the cached margin around it) and no
            # more: the tries go to names that will be seen
            region = (vx0, vy0, vx1, vy1)
            m = layout.params.pitch
            x0, y0, x1, y1 = ((v / scale) for v in region)
            order = [n for n in order if x0 - m <= n.x <= x1 + m and y0 - m <= n.y <= y1 + m]
        fm = QFontMetricsF(self._font)
        texts = [self.people[n.id].name for n in order]
        discs = [(n.x * scale, n.y * scale, n.r * scale) for n in order]
        width = self._text_width
        widths = [width(t) for t in texts]
        # the ring and circle names and the "me" disc are obstacles too, with a little air
        # on every side (a name right under "Online · 23" read as one label with it)
        obstacles = [
            (b.left() - 3, b.top() - 3, b.right() + 3, b.bottom() + 3)
            for b, _, _ in self._fixed_labels(scale)
        ]
        me = layout.params.centre_radius * scale
        obstacles.append((-me, -me, me, me))
        boxes = place_labels(
            discs,
            widths,
            fm.height(),
            range(len(order)),
            pad=2.0,
            obstacles=obstacles,
            tries=LABEL_TRIES,
            within=region,
            cover=len(layout.nodes) > LABEL_COVER_FROM,
            spacing=LABEL_SPACING,
        )
        out = [(b.x, b.y, texts[b.index]) for b in boxes]
        self._labels = _Labels(key, out, region, [b.covers for b in boxes])
        return out

    def label_rects(self) -> list[tuple[QRectF, str]]:
        """The names drawn in the view now: their boxes in widget pixels, and the text."""
        if self.layout_ is None:
            return []
        h = QFontMetricsF(self._font).height()
        view = QRectF(self.rect())
        out = []
        for x, y, text in self._node_labels(self.scale, self.ox, self.oy, view):
            box = QRectF(x + self.ox, y + self.oy, self._text_width(text), h)
            if box.intersects(view):
                out.append((box, text))
        return out

    def label_count(self) -> int:
        """How many names are drawn at the current zoom (for tests and the benchmark)."""
        if self.layout_ is None:
            return 0
        return len(self._node_labels(self.scale, self.ox, self.oy, QRectF(self.rect())))

    # -------------------------------------------------------------------- mouse

    def node_at_view(self, pos: QPointF) -> PlacedNode | None:
        if self.layout_ is None:
            return None
        x, y = self.view_to_map(pos)
        return self.layout_.node_at(x, y, slack=3.0 / self.scale)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        node = self.node_at_view(event.position())
        self._press = (node.id if node else None, event.position(), self.ox, self.oy)
        self.setFocus()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._press is not None:
            pid, start, ox, oy = self._press
            moved = (pos - start).manhattanLength() >= QApplication.startDragDistance()
            if pid is None:
                if moved or self._user_moved:
                    self.ox, self.oy = ox + pos.x() - start.x(), oy + pos.y() - start.y()
                    self._user_moved = True
                    self.setCursor(Qt.CursorShape.ClosedHandCursor)
                    self.update()
                    self.view_changed.emit()
                return
            if moved or self._drag_id is not None:
                self._drag_id = pid
                self._drag_pos = pos
                self.setCursor(Qt.CursorShape.DragMoveCursor)
                self._set_hover(None)
                self.update()
            return
        node = self.node_at_view(pos)
        self._set_hover(node.id if node else None)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return super().mouseReleaseEvent(event)
        pid = self._press[0]
        self._press = None
        self.unsetCursor()
        if self._drag_id is not None:
            drag_id, self._drag_id = self._drag_id, None
            self.update()
            assert self.layout_ is not None
            x, y = self.view_to_map(event.position())
            closeness = self.layout_.ring_at(math.hypot(x, y))
            if closeness != self.people[drag_id].closeness:
                self.closeness_dropped.emit(drag_id, closeness)
            return
        if pid is not None:
            self.person_clicked.emit(pid)

    def leaveEvent(self, event: object) -> None:
        if self._drag_id is None:
            self._set_hover(None)

    def _set_hover(self, pid: int | None) -> None:
        if pid == self.hover_id:
            return
        self.hover_id = pid
        self.hover_changed.emit(-1 if pid is None else pid)
        self.update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.18**steps, event.position())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrows pan, +/- zoom, 0 fits; Tab walks the people, Enter opens, Ctrl+Up/Down
        re-ring, Menu (or Shift+F10) offers the same in a menu, Escape lets go."""
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and ctrl:
            # Ctrl+Tab leaves the map at once (Tab alone walks its people first)
            super().focusNextPrevChild(
                key == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            )
            return
        if ctrl and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_selected(1 if key == Qt.Key.Key_Up else -1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_id is not None:
            self.person_clicked.emit(self.selected_id)
            return
        if key == Qt.Key.Key_Escape and self.selected_id is not None:
            self.select(None)
            return
        if key == Qt.Key.Key_Menu or (
            key == Qt.Key.Key_F10 and mods & Qt.KeyboardModifier.ShiftModifier
        ):
            self._menu_for_selected()
            return
        step = 60.0
        actions = {
            Qt.Key.Key_Plus: lambda: self.zoom_by(1.25),
            Qt.Key.Key_Equal: lambda: self.zoom_by(1.25),
            Qt.Key.Key_Minus: lambda: self.zoom_by(0.8),
            Qt.Key.Key_0: self.zoom_to_fit,
            Qt.Key.Key_Left: lambda: self.pan_by(step, 0),
            Qt.Key.Key_Right: lambda: self.pan_by(-step, 0),
            Qt.Key.Key_Up: lambda: self.pan_by(0, step),
            Qt.Key.Key_Down: lambda: self.pan_by(0, -step),
        }
        action = actions.get(Qt.Key(key))
        if action is None:
            super().keyPressEvent(event)
        else:
            action()

    # ---------------------------------------------------------------- keyboard

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab walk the people in :meth:`importance_order`; past the last
        (or before the first) they leave the map as usual."""
        order = self.importance_order() if self.hasFocus() else []
        if not order:
            return super().focusNextPrevChild(next)
        ids = [n.id for n in order]
        if self.selected_id is None or self.selected_id not in self._order_pos():
            i = 0 if next else len(ids) - 1
        else:
            i = self._order_pos()[self.selected_id] + (1 if next else -1)
        if not 0 <= i < len(ids):
            self.select(None)
            return super().focusNextPrevChild(next)
        self.select(ids[i])
        return True

    def _order_pos(self) -> dict[int, int]:
        order = self.importance_order()
        if self._order_index is None or self._order_index[0] != self._version:
            self._order_index = (self._version, {n.id: i for i, n in enumerate(order)})
        return self._order_index[1]

    def select(self, pid: int | None) -> None:
        """Select a person from the keyboard: ringed, their card shown, kept in view."""
        if pid is not None and (self.layout_ is None or self.layout_.node(pid) is None):
            pid = None
        self.selected_id = pid
        if pid is None:
            self.setAccessibleDescription("")
            self._set_hover(None)
            self.selection_changed.emit(-1)
            self.update()
            return
        assert self.layout_ is not None
        node = self.layout_.node(pid)
        assert node is not None
        at = self.map_to_view(node.x, node.y)
        margin = 40.0
        if not QRectF(self.rect()).adjusted(margin, margin, -margin, -margin).contains(at):
            self.pan_by(self.width() / 2 - at.x(), self.height() / 2 - at.y())
        p = self.people[pid]
        self.setAccessibleDescription(
            f"{p.name}, ring {p.closeness} · {CLOSENESS_LABELS[p.closeness]}"
        )
        self._set_hover(pid)
        self.selection_changed.emit(pid)
        self.update()

    def move_selected(self, rings: int) -> None:
        """The selected person one ring closer (+1) or further (-1): as a drag would."""
        if self.selected_id is None:
            return
        now = self.people[self.selected_id].closeness
        new = min(5, max(1, now + rings))
        if new != now:
            self.closeness_dropped.emit(self.selected_id, new)

    def _menu_for_selected(self, at: QPointF | None = None) -> None:
        pid = self.selected_id
        if pid is None:
            return
        p = self.people[pid]
        menu = QMenu(self)
        menu.setAccessibleName(f"{p.name}: actions")
        menu.addAction(
            self.tr("Open {name}").format(name=p.name), lambda: self.person_clicked.emit(pid)
        )
        closer = menu.addAction(self.tr("One ring closer\tCtrl+Up"), lambda: self.move_selected(1))
        closer.setEnabled(p.closeness < 5)
        further = menu.addAction(
            self.tr("One ring further\tCtrl+Down"), lambda: self.move_selected(-1)
        )
        further.setEnabled(p.closeness > 1)
        if at is None:
            node = self.layout_.node(pid) if self.layout_ is not None else None
            at = self.map_to_view(node.x, node.y) if node is not None else QPointF(0, 0)
        self._menu = menu
        menu.popup(self.mapToGlobal(at.toPoint()))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Right-click on a person: the same menu as the Menu key."""
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            self._menu_for_selected()
            return
        node = self.node_at_view(QPointF(event.pos()))
        if node is None:
            return
        self.select(node.id)
        self._menu_for_selected(QPointF(event.pos()))

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()  # the focus frame

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    # ------------------------------------------------------------------- export

    def render_image(self, width: int, height: int, ratio: float = 2.0) -> QImage:
        """The whole map fitted into ``width`` × ``height`` (logical px), without hover."""
        image = QImage(
            int(width * ratio), int(height * ratio), QImage.Format.Format_ARGB32_Premultiplied
        )
        image.setDevicePixelRatio(ratio)
        painter = QPainter(image)
        try:
            self.paint_fitted(painter, width, height)
        finally:
            painter.end()
        return image

    def paint_fitted(self, painter: QPainter, width: float, height: float) -> None:
        """An exported picture always has its legend: without it nobody else can read it."""
        saved = self._labels, self.show_legend
        self._labels, self.show_legend = None, True
        try:
            scale, ox, oy = self.fit_view(width, height)
            self.paint(painter, QRectF(0, 0, width, height), scale, ox, oy, interactive=False)
        finally:
            self._labels, self.show_legend = saved


def _control(a: PlacedNode, b: PlacedNode) -> tuple[float, float]:
    """A link bows towards the centre, so links bundle instead of cutting across rings."""
    return (a.x + b.x) * 0.3, (a.y + b.y) * 0.3


def _curve(path: QPainterPath, a: PlacedNode, b: PlacedNode) -> None:
    cx, cy = _control(a, b)
    path.moveTo(a.x, a.y)
    path.quadTo(cx, cy, b.x, b.y)


def _border_pen(st: MapStyle, balance: str, alpha: int) -> QPen:
    if balance == "over_giving":
        colour = QColor(st.over_giving)
        colour.setAlpha(alpha)
        return QPen(colour, 2.6)
    if balance == "over_taking":
        colour = QColor(st.over_taking)
        colour.setAlpha(alpha)
        pen = QPen(colour, 2.2)
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setDashPattern([1.6, 1.2])
        return pen
    colour = QColor(st.outline)
    colour.setAlpha(min(alpha, colour.alpha()))
    return QPen(colour, 1.0)


def _legend_rows() -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = [("head", "Support they gave me", "")]
    rows += [("fill", SUPPORT_TEXT[k], k) for k in SUPPORT_CLASSES]
    rows += [("head", "Balance (border)", "")]
    rows += [("border", BALANCE_TEXT[k], k) for k in BALANCE_CLASSES]
    rows += [("head", "Size: activity · faded: dormant", "")]
    rows += [("link", "Introduced to each other", "")]
    return rows


def legend_size(font: QFont, bold: QFont) -> QSizeF:
    line = QFontMetricsF(font).height() + 3
    rows = _legend_rows()
    width = max(QFontMetricsF(bold).horizontalAdvance(t) for _, t, _ in rows) + 34
    return QSizeF(width, line * len(rows) + 12)


def paint_legend(painter: QPainter, rect: QRectF, st: MapStyle, font: QFont, bold: QFont) -> QRectF:
    """The key to colours, borders and fading, in the bottom-left corner."""
    fm = QFontMetricsF(font)
    line = fm.height() + 3
    rows = _legend_rows()
    size = legend_size(font, bold)
    box = QRectF(rect.left() + 10, rect.bottom() - size.height() - 10, size.width(), size.height())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(st.ring_line, 1))
    painter.setBrush(st.card)
    painter.drawRoundedRect(box, 8, 8)
    y = box.top() + 6
    for kind, text, key in rows:
        cy = y + line / 2
        sx = box.left() + 16
        if kind == "head":
            painter.setFont(bold)
            painter.setPen(st.muted)
            painter.drawText(QPointF(box.left() + 9, y + fm.ascent() + 1), text)
        else:
            if kind == "fill":
                painter.setBrush(st.fills[key])
                painter.setPen(_border_pen(st, "balanced", 255))
                painter.drawEllipse(QPointF(sx, cy), 5.5, 5.5)
            elif kind == "border":
                painter.setBrush(st.fills["none"])
                painter.setPen(_border_pen(st, key, 255))
                painter.drawEllipse(QPointF(sx, cy), 5.5, 5.5)
            else:
                painter.setPen(QPen(st.link_intro, 1.6))
                painter.drawLine(QPointF(sx - 7, cy + 3), QPointF(sx + 7, cy - 3))
            painter.setFont(font)
            painter.setPen(st.text)
            painter.drawText(QPointF(box.left() + 28, y + fm.ascent() + 1), text)
        y += line
    painter.restore()
    return box
