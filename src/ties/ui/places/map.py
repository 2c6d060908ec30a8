"""The Map place: my network at a glance, on rings of closeness and sectors of circles.

The figures are computed off the GUI thread
(:class:`~ties.ui.place_figures.PlaceFigures`) by
:func:`ties.analysis.map_layout.map_data` whenever the journal changes;
the layout (a pure function) runs again when a filter changes. Dragging a
person onto another ring changes their closeness through the undo stack.

Signals:
    map_ready(): a new picture is on screen (after data or a filter changed).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPoint, QRectF, QSize, Signal
from PySide6.QtGui import QPainter, QResizeEvent
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ties.analysis.map_layout import MapData, layout_map, map_data
from ties.analysis.window import DEFAULT_WINDOW_DAYS
from ties.store.errors import JournalError
from ties.ui.changes import Changes
from ties.ui.context import AppContext, StoreCommand
from ties.ui.map_canvas import MapCanvas
from ties.ui.map_card import MapCard, card_html
from ties.ui.photos import ThumbnailCache
from ties.ui.place_figures import Compute, PlaceFigures
from ties.ui.settings import remember, remembered_flag
from ties.ui.style import error_color
from ties.ui.tag_filter import fill_tag_choices

WINDOWS = (
    (90, QT_TRANSLATE_NOOP("MapPlace", "Last 3 months")),
    (180, QT_TRANSLATE_NOOP("MapPlace", "Last 6 months")),
    (365, QT_TRANSLATE_NOOP("MapPlace", "Last 12 months")),
    (730, QT_TRANSLATE_NOOP("MapPlace", "Last 2 years")),
    (36500, QT_TRANSLATE_NOOP("MapPlace", "All time")),
)
DEFAULT_WINDOW = DEFAULT_WINDOW_DAYS
SUPPORT_FILTERS = (
    ("", QT_TRANSLATE_NOOP("MapPlace", "Any support")),
    ("family:instrumental", QT_TRANSLATE_NOOP("MapPlace", "Gave instrumental support")),
    ("family:psychosocial", QT_TRANSLATE_NOOP("MapPlace", "Gave psychosocial support")),
    ("class:both", QT_TRANSLATE_NOOP("MapPlace", "Gave both kinds")),
    ("class:none", QT_TRANSLATE_NOOP("MapPlace", "Gave no support")),
)
EXPORT_SIZE = QSize(1400, 1100)
LEGEND_SETTING = "map/legend"
ALL_LINKS_SETTING = "map/all_links"
CARD_PHOTO_SIDE = 56


class MapPlace(QWidget):
    """Toolbar of filters and actions above a :class:`MapCanvas`."""

    map_ready = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Map place")
        self.data: MapData | None = None
        self._photos = ThumbnailCache(CARD_PHOTO_SIDE)
        self._build()
        self.figures = (
            PlaceFigures(
                self, ctx, self._work, what=self.tr("The map"), show_message=self._show_message
            )
            .success(self._on_data)
            .with_progress(self._on_busy)
        )
        #: The next picture is laid out from scratch (a filter or the window changed).
        self._afresh = False
        self._connect_callbacks()

    # ------------------------------------------------------------------- layout

    def _build(self) -> None:
        self.window_box = QComboBox()
        self.window_box.setAccessibleName("Map window")
        for days, text in WINDOWS:
            self.window_box.addItem(QCoreApplication.translate("MapPlace", str(text)), days)
        self.window_box.setCurrentIndex([d for d, _ in WINDOWS].index(DEFAULT_WINDOW))
        self.support_box = QComboBox()
        self.support_box.setAccessibleName("Map support filter")
        self.circle_box = QComboBox()
        self.circle_box.setAccessibleName("Map circle filter")
        self.tag_box = QComboBox()  # shown once some person carries a tag
        self.tag_box.setAccessibleName("Map tag filter")
        self.tag_box.setToolTip(self.tr("Only people who carry this tag"))
        self.archived_box = QCheckBox(self.tr("Archived"))
        self.archived_box.setAccessibleName("Map show archived")
        self.archived_box.setToolTip(self.tr("Also show archived people (faded)"))
        self.org_box = QCheckBox(self.tr("Same organisation"))
        self.org_box.setAccessibleName("Map organisation links")
        self.org_box.setToolTip(self.tr("Also link people who work at the same organisation"))
        self.people_links_box = QCheckBox(self.tr("Who knows whom"))
        self.people_links_box.setAccessibleName("Map people links")
        self.people_links_box.setToolTip(
            self.tr(
                "Draw every link between people (dashed); pointing at a person always shows theirs"
            )
        )
        self.all_links_box = QCheckBox(self.tr("All links"))
        self.all_links_box.setAccessibleName("Map all links")
        self.all_links_box.setToolTip(
            self.tr(
                "Draw every introduction (and organisation) link at once; otherwise pointing "
                "at a person, or choosing one with Tab, shows theirs"
            )
        )
        self.legend_box = QCheckBox(self.tr("Legend"))
        self.legend_box.setAccessibleName("Map show legend")
        self.legend_box.setToolTip(self.tr("Show what the colours, borders and sizes mean"))
        self.fit_button = QPushButton(self.tr("Fit"))
        self.fit_button.setAccessibleName("Map zoom to fit")
        self.fit_button.setToolTip(self.tr("Zoom to fit (0)"))
        self.zoom_in_button = QPushButton("+")
        self.zoom_in_button.setAccessibleName("Map zoom in")
        self.zoom_out_button = QPushButton("−")
        self.zoom_out_button.setAccessibleName("Map zoom out")
        for b in (self.zoom_in_button, self.zoom_out_button):
            b.setFixedWidth(32)
        self.png_button = QPushButton(self.tr("PNG…"))
        self.png_button.setAccessibleName("Map export PNG")
        self.png_button.setToolTip(self.tr("Export the map as a PNG picture"))
        self.svg_button = QPushButton(self.tr("SVG…"))
        self.svg_button.setAccessibleName("Map export SVG")
        self.svg_button.setToolTip(self.tr("Export the map as an SVG drawing"))
        self.summary = QLabel()
        self.summary.setAccessibleName("Map summary")
        self.message = QLabel()
        self.message.setAccessibleName("Map message")
        self.message.setStyleSheet(f"color: {error_color()};")
        self.message.hide()

        for box in (self.window_box, self.support_box, self.circle_box, self.tag_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        for w in (self.window_box, self.support_box, self.circle_box, self.tag_box):
            filters.addWidget(w)
        actions = QHBoxLayout()
        actions.setSpacing(6)
        for check in (self.archived_box, self.org_box, self.legend_box):
            actions.addWidget(check)
        actions.addStretch(1)
        for button in (
            self.zoom_out_button,
            self.zoom_in_button,
            self.fit_button,
            self.png_button,
            self.svg_button,
        ):
            actions.addWidget(button)
        # one line when there is room, two (filters above, the rest below) when narrow
        self.bar = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.bar.setSpacing(6)
        self.bar.addLayout(filters)
        self.bar.addLayout(actions, 1)
        self._bar_parts = (filters, actions)
        self.canvas = MapCanvas(self)
        self.card = MapCard(self.canvas)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(self.bar)
        info = QHBoxLayout()
        info.addWidget(self.summary)
        info.addWidget(self.message, 1)
        info.addWidget(self.all_links_box)  # here, not in the bar: the bar must stay narrow
        info.addWidget(self.people_links_box)
        layout.addLayout(info)
        layout.addWidget(self.canvas, 1)
        self.legend_box.setChecked(remembered_flag(LEGEND_SETTING, True))
        self.canvas.show_legend = self.legend_box.isChecked()
        self.all_links_box.setChecked(remembered_flag(ALL_LINKS_SETTING, False))
        self.canvas.show_all_links = self.all_links_box.isChecked()
        self._fill_filters()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._wrap_toolbar()

    def _wrap_toolbar(self) -> None:
        filters, actions = self._bar_parts
        need = filters.sizeHint().width() + actions.sizeHint().width() + 6 + 16
        direction = (
            QBoxLayout.Direction.LeftToRight
            if self.width() >= need
            else QBoxLayout.Direction.TopToBottom
        )
        if self.bar.direction() != direction:
            self.bar.setDirection(direction)

    def _connect_callbacks(self) -> None:
        self.ctx.changed.connect(self._on_changed)
        self.ctx.journal_opened.connect(self._on_journal_opened)
        self.window_box.currentIndexChanged.connect(self._refresh_afresh)
        self.archived_box.toggled.connect(self._refresh_afresh)
        self.org_box.toggled.connect(self.refresh)
        self.people_links_box.toggled.connect(self.refresh)
        self.circle_box.currentIndexChanged.connect(self._relayout_afresh)
        self.tag_box.currentIndexChanged.connect(self._relayout_afresh)
        self.support_box.currentIndexChanged.connect(self._apply_dimming)
        self.canvas.hover_changed.connect(self._on_hover)
        self.canvas.person_clicked.connect(self.ctx.person_requested.emit)
        self.canvas.closeness_dropped.connect(self.change_closeness)
        self.canvas.view_changed.connect(self._move_card)
        self.legend_box.toggled.connect(self._show_legend)
        self.all_links_box.toggled.connect(self._show_all_links)
        self.fit_button.clicked.connect(self.canvas.zoom_to_fit)
        self.zoom_in_button.clicked.connect(lambda: self.canvas.zoom_by(1.25))
        self.zoom_out_button.clicked.connect(lambda: self.canvas.zoom_by(0.8))
        self.png_button.clicked.connect(lambda: self._ask_export("png"))
        self.svg_button.clicked.connect(lambda: self._ask_export("svg"))

    def _show_all_links(self, shown: bool) -> None:
        remember(ALL_LINKS_SETTING, shown)
        self.canvas.set_all_links_shown(shown)

    def _show_legend(self, shown: bool) -> None:
        """Hide the legend to free the map's left side (a narrow window); remembered."""
        remember(LEGEND_SETTING, shown)
        self.canvas.set_legend_shown(shown)

    def _fill_filters(self) -> None:
        store = self.ctx.store
        for box, items in (
            (
                self.circle_box,
                [("", self.tr("All circles"))] + [(c.key, c.label) for c in store.circles()],
            ),
            (
                self.support_box,
                [(k, QCoreApplication.translate("MapPlace", str(v))) for k, v in SUPPORT_FILTERS]
                + [
                    (f"type:{t.key}", self.tr("Gave: {label}").format(label=t.label))
                    for t in store.support_types()
                ],
            ),
        ):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            for key, text in items:
                box.addItem(text, key)
            index = box.findData(current) if current is not None else 0
            box.setCurrentIndex(max(0, index))
            box.blockSignals(False)
        fill_tag_choices(self.tag_box, store.tags())
        self._wrap_toolbar()  # longer circle names may need the second line

    # ------------------------------------------------------------------ refresh

    @property
    def window_days(self) -> int:
        return int(self.window_box.currentData())

    def _on_changed(self, changes: Changes) -> None:
        if changes.people:
            self._photos.clear()
            if not changes.settings:
                fill_tag_choices(self.tag_box, self.ctx.store.tags())
                self._wrap_toolbar()
        if changes.settings:  # circles and support types are the filters' choices
            self._fill_filters()

    def _on_journal_opened(self) -> None:
        # The previous journal's figures must not stay on screen: their nodes carry its ids.
        self._photos.clear()
        self.data = MapData([], [], [], self.ctx.today(), self.window_days)
        self.canvas.set_map(self.data, layout_map([]), set())
        self.data = None
        self.canvas._user_moved = False
        self._fill_filters()

    def _refresh_afresh(self) -> None:
        """Another window or the archived shown: a new picture, laid out from scratch."""
        self._afresh = True
        self.refresh()

    def _relayout_afresh(self) -> None:
        self._afresh = True
        self._relayout()

    def refresh(self) -> None:
        """Recompute the figures off the GUI thread; the newest answer wins."""
        self.figures.refresh()

    def _work(self) -> Compute:
        as_of = self.ctx.today()
        window = self.window_days
        archived = self.archived_box.isChecked()
        orgs = self.org_box.isChecked()
        if self.people_links_box.isChecked():
            return lambda store, job: map_data(
                store,
                as_of,
                window,
                include_archived=archived,
                organization_links=orgs,
                person_links=True,
            )
        return lambda store, job: map_data(
            store, as_of, window, include_archived=archived, organization_links=orgs
        )

    def _on_busy(self, busy: bool) -> None:
        """Say that the first picture is on its way (seconds on a very large journal)."""
        if busy and self.data is None:
            self.summary.setText(self.tr("Reading the journal to draw the map…"))

    def _on_data(self, data: object) -> None:
        assert isinstance(data, MapData)
        self.data = data
        self.message.hide()
        self._relayout()

    def _relayout(self) -> None:
        if self.data is None:
            return
        circle = self.circle_box.currentData() or ""
        tag = self.tag_box.currentData()
        tagged = self.ctx.store.tagged_ids(tag) if tag else None
        people = [
            p
            for p in self.data.people
            if (not circle or p.circle == circle) and (tagged is None or p.id in tagged)
        ]
        # After a change in the journal the picture on screen is the starting point: one
        # person moved, nobody else moves. A filter or another window asks for a new picture.
        previous = None if self._afresh else self.canvas.layout_
        self._afresh = False
        layout = layout_map(people, [k for k, _ in self.data.circles], previous=previous)
        shown = {p.id for p in people}
        # only the links between people on the picture: the summary counts what is drawn
        drawn = [lk for lk in self.data.links if lk.a in shown and lk.b in shown]
        self.canvas.set_map(
            replace(self.data, people=people, links=drawn), layout, self._dimmed(people)
        )
        links = sum(1 for link in drawn if link.kind == "introduction")
        span = (
            self.tr("all time")
            if self.window_days >= 36500
            else self.tr("the {period}").format(
                period=self.window_box.currentText().lower().removeprefix(self.tr("last "))
            )
        )
        self.summary.setText(
            self.tr(
                "{people:,} people · {links:,} introduction links"
                " · activity and support over {span}"
            ).format(people=len(people), links=links, span=span)
            + (
                self.tr(" · {n:,} links between people").format(
                    n=sum(1 for link in drawn if link.kind == "person")
                )
                if self.people_links_box.isChecked()
                else ""
            )
        )
        self.map_ready.emit()

    def _dimmed(self, people: list) -> set[int]:
        key = self.support_box.currentData() or ""
        if not key or self.data is None:
            return set()
        kind, _, value = key.partition(":")
        if kind == "family":
            return {p.id for p in people if value not in p.families}
        if kind == "class":
            return {p.id for p in people if p.support != value}
        given = self.data.support_types
        return {p.id for p in people if value not in given.get(p.id, ())}

    def _apply_dimming(self) -> None:
        if self.data is not None:
            self.canvas.set_dimmed(self._dimmed(list(self.canvas.people.values())))
            self.map_ready.emit()

    # ---------------------------------------------------------------- behaviour

    def _on_hover(self, pid: int) -> None:
        if pid < 0 or self.data is None:
            self.card.hide()
            return
        p = self.canvas.people[pid]
        circles = dict(self.data.circles)
        types = self.data.support_types.get(pid, frozenset())
        labels = [self.data.support_labels.get(k, k) for k in sorted(types)]
        if not labels:
            labels = sorted(p.families)
        html = card_html(
            p, circles.get(p.circle, p.circle), self.ctx.today(), labels, self.data.window_days
        )
        self.card.label.setText(html)
        # One indexed read each for the person pointed at: their photo and their links.
        store = self.ctx.store
        self.card.set_photo(self._photos.get(pid, True, lambda: store.get_photo(pid)))
        self.canvas.set_person_links(pid, [(x.other_id, x.relation) for x in store.links(pid)])
        self._move_card()

    def _move_card(self) -> None:
        pid = self.canvas.hover_id
        node = self.canvas.layout_.node(pid) if pid is not None and self.canvas.layout_ else None
        if node is None:
            self.card.hide()
            return
        pos = self.canvas.map_to_view(node.x, node.y)
        self.card.show_for(self.card.label.text(), QPoint(int(pos.x()), int(pos.y())))

    def change_closeness(self, person_id: int, closeness: int) -> None:
        """Move a person to another ring: an undoable change of their closeness."""
        try:
            before = self.ctx.store.get_person(person_id)
        except JournalError as exc:
            self._show_message(str(exc))
            return
        old = before.closeness

        def redo() -> None:
            store = self.ctx.store
            store.update_person(replace(store.get_person(person_id), closeness=closeness))

        def undo() -> None:
            store = self.ctx.store
            now = store.get_person(person_id)
            store.update_person(replace(now, closeness=old, updated=before.updated), touch=False)

        try:
            self.ctx.push(
                StoreCommand(self.ctx, "Change closeness", redo, undo, Changes(people=True))
            )
        except JournalError as exc:
            self._show_message(str(exc))
            return
        self.ctx.status.emit(
            self.tr("{name}: closeness {old} → {new}").format(
                name=before.name, old=old, new=closeness
            )
        )

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # ------------------------------------------------------------------- export

    def _ask_export(self, kind: str) -> None:
        name = f"ties-map.{kind}"
        filt = "PNG picture (*.png)" if kind == "png" else "SVG drawing (*.svg)"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the map"), str(Path.home() / name), filt
        )
        if not path:
            return
        if not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        try:
            (self.export_png if kind == "png" else self.export_svg)(Path(path))
        except OSError as exc:
            self._show_message(f"Could not write {path}: {exc.strerror or exc}")
            return
        self.ctx.status.emit(self.tr("Map saved to {path}").format(path=path))

    def export_png(self, path: Path, size: QSize = EXPORT_SIZE) -> None:
        image = self.canvas.render_image(size.width(), size.height())
        if not image.save(str(path), "PNG"):  # type: ignore[call-overload]
            raise OSError(0, "the picture could not be written")

    def export_svg(self, path: Path, size: QSize = EXPORT_SIZE) -> None:
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(size)
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle(self.tr("Ties: relationship map"))
        generator.setDescription("Closeness rings and circles of my network")
        painter = QPainter()
        if not painter.begin(generator):
            raise OSError(0, "the drawing could not be written")
        try:
            self.canvas.paint_fitted(painter, size.width(), size.height())
        finally:
            painter.end()
        if not path.exists():
            raise OSError(0, "the drawing could not be written")
