"""The Coverage place: which kinds of support my network gives me, from whom, and the gaps.

A checklist in plain words (from the support types' questions), a people ×
support-type heat map of received weight, the instrumental/psychosocial
balance and the weak/strong tie picture, and the diversity of the people I was
in touch with. Everything comes from :func:`ties.analysis.coverage.compute_coverage`,
computed off the GUI thread whenever the journal, the window or the as-of date
changes; the newest answer wins.

Signals:
    coverage_ready(): a new coverage is on screen.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QPoint, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPainter, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ties.analysis.coverage import Coverage, compute_coverage, provider_entry_ids
from ties.analysis.render import diversity_figures, diversity_sentence
from ties.analysis.window import DEFAULT_WINDOW_DAYS
from ties.store import JournalError, Store
from ties.ui.changes import Changes
from ties.ui.context import AppContext
from ties.ui.coverage_charts import BalanceChart, TieChart
from ties.ui.coverage_checklist import CoverageChecklist
from ties.ui.coverage_heatmap import CellEntriesDialog, HeatMapView
from ties.ui.figures_table import FiguresTable
from ties.ui.place_figures import Compute, PlaceFigures
from ties.ui.settings import remember_split, remembered_split
from ties.ui.tag_filter import fill_tag_choices

#: Selector changes are gathered for this long before recomputing.
DEBOUNCE_MS = 250
MAX_WINDOW_DAYS = 3650
#: Below this width the heat map goes under the checklist and the charts.
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's own limit for a widget's size
NARROW_WIDTH = 1000
#: The exported picture: the checklist's width and the margin around everything.
EXPORT_COLUMN = 620
EXPORT_MARGIN = 16


def _tree_height(tree: CoverageChecklist) -> int:
    """The height that shows every line of an expanded tree without scrolling."""
    total = 0
    item = tree.topLevelItem(0)
    while item is not None:
        total += tree.visualItemRect(item).height()
        item = tree.itemBelow(item)
    return total + 2 * tree.frameWidth() + 4


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class CoveragePlace(QWidget):
    """Selectors above; the checklist on the left; charts and the heat map on the right."""

    coverage_ready = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Coverage place")
        self.coverage: Coverage | None = None
        self.cell_dialog: CellEntriesDialog | None = None
        self._build()
        self.figures = (
            PlaceFigures(
                self, ctx, self._work, what=self.tr("Coverage"), show_message=self.status.setText
            )
            .success(self._on_ready)
            .with_progress(self._on_busy)
            .debounced(DEBOUNCE_MS)  # a burst of changes (an import, undo) makes one job
        )
        self._connect_callbacks()

    # ------------------------------------------------------------------- layout

    def _build(self) -> None:
        self.as_of_edit = QDateEdit(_qdate(self.ctx.today()))
        self.as_of_edit.setAccessibleName("Coverage as-of date")
        self.as_of_edit.setToolTip(self.tr("The last day of the window"))
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        self._limit_as_of()
        self.today_button = QPushButton(self.tr("Today"))
        self.today_button.setAccessibleName("Coverage as of today")
        self.today_button.setToolTip(self.tr("End the window today"))
        self.window_spin = QSpinBox()
        self.window_spin.setAccessibleName("Coverage window days")
        self.window_spin.setToolTip(
            self.tr("How many days the window spans, ending on the as-of date")
        )
        self.window_spin.setRange(1, MAX_WINDOW_DAYS)
        self.window_spin.setValue(DEFAULT_WINDOW_DAYS)
        self._window_suffix(DEFAULT_WINDOW_DAYS)
        self.tag_box = QComboBox()  # shown once some person carries a tag
        self.tag_box.setAccessibleName("Coverage tag filter")
        self.tag_box.setToolTip(self.tr("Only the people who carry this tag"))
        self.tag_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        fill_tag_choices(self.tag_box, self.ctx.store.tags())
        self.png_button = QPushButton(self.tr("Export PNG…"))
        self.png_button.setAccessibleName("Coverage export PNG")
        self.png_button.setToolTip(self.tr("Save this view as a PNG picture"))
        self.status = QLabel()
        self.status.setAccessibleName("Coverage status")
        self.summary = QLabel()
        self.summary.setAccessibleName("Coverage summary")
        self.summary.setWordWrap(True)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Window:")))
        bar.addWidget(self.window_spin)
        bar.addWidget(QLabel(self.tr("ending")))
        bar.addWidget(self.as_of_edit)
        bar.addWidget(self.today_button)
        bar.addWidget(self.tag_box)
        bar.addSpacing(12)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.png_button)

        self.checklist = CoverageChecklist()
        self.balance_chart = BalanceChart()
        self.tie_chart = TieChart()
        self.diversity_label = QLabel()
        self.diversity_label.setAccessibleName("Coverage diversity")
        self.diversity_label.setWordWrap(True)
        self.heat_map = HeatMapView()
        heat_hint = QLabel(
            self.tr(
                "Weight received, by person and kind of support. Click a tile to see "
                "its entries; click a heading to sort."
            )
        )
        heat_hint.setWordWrap(True)

        self.charts = QGroupBox(self.tr("Balance and ties"))
        charts_layout = QVBoxLayout(self.charts)
        charts_layout.addWidget(self.balance_chart)
        charts_layout.addWidget(self.tie_chart)
        charts_layout.addWidget(self.diversity_label)
        self.table_button = QPushButton(self.tr("Figures as a table…"))
        self.table_button.setAccessibleName("Coverage figures as a table")
        self.table_button.setToolTip(
            self.tr("The charts' figures as a table a screen reader reads")
        )
        charts_layout.addWidget(self.table_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.heat_box = QWidget()
        heat_layout = QVBoxLayout(self.heat_box)
        heat_layout.setContentsMargins(0, 0, 0, 0)
        heat_layout.addWidget(heat_hint)
        heat_layout.addWidget(self.heat_map, 1)

        # Wide: the checklist beside the charts over the heat map. Narrow: the checklist
        # beside the charts, the heat map under both at the full width (see _arrange).
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.inner = QSplitter(Qt.Orientation.Vertical)
        self.inner.setChildrenCollapsible(False)
        self.splitter.addWidget(self.checklist)
        self.splitter.addWidget(self.inner)
        self.inner.addWidget(self.charts)
        self.inner.addWidget(self.heat_box)
        self.checklist.setMinimumWidth(240)
        self.charts.setMinimumWidth(300)
        self.heat_map.setMinimumHeight(120)
        self.narrow: bool | None = None  # arranged at the first resize

        self.body = QWidget()
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(self.summary)
        body_layout.addWidget(self.splitter, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.body, 1)
        self.body.setVisible(False)  # until the first figures: nothing, not zeros

    def _arrange(self, narrow: bool) -> None:
        """Put the heat map under the checklist and charts when the place is narrow."""
        if narrow == self.narrow:
            return
        self.narrow = narrow
        outer, inner = self.splitter, self.inner
        if narrow:
            outer.setOrientation(Qt.Orientation.Vertical)
            inner.setOrientation(Qt.Orientation.Horizontal)
            inner.insertWidget(0, self.checklist)
            inner.insertWidget(1, self.charts)
            outer.insertWidget(0, inner)
            outer.insertWidget(1, self.heat_box)
            half = max(1, self.width() // 2)
            inner.setSizes([half, half])
            top = self.charts.minimumSizeHint().height()
            outer.setSizes([top, max(1, self.height() - top)])
            outer.setStretchFactor(0, 0)
            outer.setStretchFactor(1, 1)
            self._restore_split()
        else:
            outer.setOrientation(Qt.Orientation.Horizontal)
            inner.setOrientation(Qt.Orientation.Vertical)
            outer.insertWidget(0, self.checklist)
            outer.insertWidget(1, inner)
            inner.insertWidget(0, self.charts)
            inner.insertWidget(1, self.heat_box)
            half = max(1, self.width() // 2)
            outer.setSizes([half, half])
            top = self.charts.minimumSizeHint().height()
            inner.setSizes([top, max(1, self.height() - top)])
            inner.setStretchFactor(0, 0)
            inner.setStretchFactor(1, 1)
            self._restore_split()

    def _split_key(self, splitter: QSplitter) -> str:
        which = "outer" if splitter is self.splitter else "inner"
        return f"coverage/{'narrow' if self.narrow else 'wide'}-{which}"

    def _restore_split(self) -> None:
        """Where the person last left the panes in this arrangement (wide or narrow)."""
        for splitter in (self.splitter, self.inner):
            sizes = remembered_split(self._split_key(splitter))
            if sizes is not None and len(sizes) == splitter.count():
                splitter.setSizes(sizes)

    def _remember_split(self, splitter: QSplitter) -> None:
        if self.narrow is not None:
            remember_split(self._split_key(splitter), splitter.sizes())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(self.width() < NARROW_WIDTH)
        QTimer.singleShot(0, self, self._fit_charts)  # once the splitters gave out the widths

    def _fit_charts(self) -> None:
        """Keep the charts' pane tall enough for its wrapped text (splitters ignore wrapping)."""
        layout = self.charts.layout()
        if layout is None:
            return
        width = self.charts.width()
        need = (
            layout.totalHeightForWidth(width)
            if layout.hasHeightForWidth()
            else layout.totalSizeHint().height()
        )
        if need > 0 and need != self.charts.minimumHeight():
            self.charts.setMinimumHeight(need)
        # Wide, the charts sit over the heat map: a taller pane would only be empty
        # space above the diversity line, taken from the heat map.
        most = need if need > 0 and not self.narrow else QWIDGETSIZE_MAX
        if self.charts.maximumHeight() != most:
            self.charts.setMaximumHeight(most)

    def _connect_callbacks(self) -> None:
        self.ctx.journal_opened.connect(self._to_today)
        self.ctx.journal_opened.connect(self._forget)
        self.as_of_edit.dateChanged.connect(lambda _d: self.figures.request())
        self.window_spin.valueChanged.connect(lambda _v: self.figures.request())
        self.window_spin.valueChanged.connect(self._window_suffix)
        self.today_button.clicked.connect(self._to_today)
        self.tag_box.activated.connect(lambda _i: self.figures.request())
        self.ctx.changed.connect(self._reload_tags)
        self.ctx.journal_opened.connect(self._reload_tags)
        self.png_button.clicked.connect(self._ask_export)
        self.table_button.clicked.connect(self.show_table)
        self.heat_map.cell_activated.connect(self.open_cell)
        for splitter in (self.splitter, self.inner):
            splitter.splitterMoved.connect(
                lambda _pos, _index, splitter=splitter: self._remember_split(splitter)
            )

    # ------------------------------------------------------------------ refresh

    @property
    def as_of(self) -> date:
        d = self.as_of_edit.date()
        return date(d.year(), d.month(), d.day())

    @property
    def window_days(self) -> int:
        return int(self.window_spin.value())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._limit_as_of()  # the window may have stayed open past midnight

    def _to_today(self) -> None:
        self._limit_as_of()
        self.as_of_edit.setDate(_qdate(self.ctx.today()))

    def _limit_as_of(self) -> None:
        """Coverage is about the past: no day after today, none before 1900."""
        self.as_of_edit.setDateRange(QDate(1900, 1, 1), _qdate(self.ctx.today()))

    def _window_suffix(self, days: int) -> None:
        self.window_spin.setSuffix(self.tr(" day") if days == 1 else self.tr(" days"))

    def refresh(self) -> None:
        """Recompute off the GUI thread; an answer overtaken by a newer request is dropped."""
        self.figures.refresh()

    def _reload_tags(self, changes: Changes | None = None) -> None:
        if changes is None or changes.people:
            fill_tag_choices(self.tag_box, self.ctx.store.tags())

    def _work(self) -> Compute:
        as_of, window, tag = self.as_of, self.window_days, self.tag_box.currentData()

        def work(store: Store, job: object) -> Coverage:
            only = store.tagged_ids(tag) if tag else None
            # The place shows what people gave me, never whom I gave to: half the sums.
            return compute_coverage(store, as_of, window, only=only, given=False).with_lists()

        return work

    def _on_busy(self, busy: bool) -> None:
        """While figures are worked out, never show false zeros (issue #17 item 6).

        The last figures stay, greyed, until the new ones arrive; before the first
        answer (or in a journal just opened) there is nothing to show, so nothing is.
        """
        self.body.setVisible(self.coverage is not None)
        self.body.setEnabled(not busy)
        if busy:
            self.status.setText(
                self.tr("Computing… (the figures shown are the previous ones)")
                if self.coverage is not None
                else self.tr("Computing…")
            )

    def _forget(self) -> None:
        """Another journal: the previous journal's figures must not show, even greyed."""
        self.coverage = None
        self.body.setVisible(False)

    def _on_ready(self, cov: object) -> None:
        assert isinstance(cov, Coverage)
        self.coverage = cov
        self.status.setText("")
        self._show(cov)
        self.body.setVisible(True)
        self.body.setEnabled(True)
        self.coverage_ready.emit()

    def _show(self, cov: Coverage) -> None:
        covered = sum(1 for t in cov.support_types if t.covered)
        self.summary.setText(
            self.tr(
                "<b>{covered} of {total}</b> kinds of support covered between "
                "{first} and {last} ({days})."
            ).format(
                covered=covered,
                total=len(cov.support_types),
                first=_day(cov.first_day),
                last=_day(cov.as_of),
                days=self.tr("1 day")
                if cov.window_days == 1
                else self.tr("{n} days").format(n=cov.window_days),
            )
        )
        self.checklist.set_coverage(cov)
        self.balance_chart.set_data(cov.families)
        self.tie_chart.set_data(cov.families, cov.ties)
        self.diversity_label.setText(diversity_sentence(cov.diversity))
        self.diversity_label.setToolTip(diversity_figures(cov.diversity))
        self.diversity_label.setAccessibleDescription(diversity_figures(cov.diversity))
        self._fit_charts()
        self.heat_map.set_coverage(cov)

    # ------------------------------------------------------------ figures table

    def show_table(self) -> FiguresTable | None:
        """The charts' figures as a table: the text alternative to the bars."""
        cov = self.coverage
        if cov is None:
            return None
        rows: list[list[object]] = []
        for name, fam in cov.families.items():
            share = fam.weight or 1
            rows.append(
                [
                    name.capitalize(),
                    fam.providers,
                    fam.weight,
                    f"{round(100 * fam.weak_weight / share)}%",
                    f"{round(100 * fam.medium_weight / share)}%",
                    f"{round(100 * fam.strong_weight / share)}%",
                ]
            )
        ties = cov.ties
        rows.append(
            [self.tr("Active people"), ties.active, "", ties.weak, ties.medium, ties.strong]
        )
        dialog = FiguresTable(
            self.tr("Coverage figures, {first} to {last}").format(
                first=_day(cov.first_day), last=_day(cov.as_of)
            ),
            [
                self.tr("Support"),
                self.tr("People"),
                self.tr("Weight"),
                self.tr("Weak ties"),
                self.tr("Medium"),
                self.tr("Strong ties"),
            ],
            rows,
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    # ------------------------------------------------------------- heat map cell

    def open_cell(self, person_id: int, type_key: str) -> None:
        """Show the entries behind one tile of the heat map in a small list."""
        cov = self.coverage
        if cov is None:
            return
        try:
            ids = provider_entry_ids(
                self.ctx.store, person_id, type_key, cov.as_of, cov.window_days
            )
            entries = self.ctx.store.get_entries(ids)
        except JournalError as exc:
            self.status.setText(str(exc))
            return
        entries.sort(key=lambda e: (e.date, e.id or 0), reverse=True)
        t = cov.type(type_key)
        who = t.people[person_id].name if person_id in t.people else ""
        title = (
            f"{t.label} from {who}: {len(entries)} {'entry' if len(entries) == 1 else 'entries'}"
        )
        if self.cell_dialog is not None:
            self.cell_dialog.close()
        self.cell_dialog = CellEntriesDialog(title, entries, self)
        self.cell_dialog.entry_chosen.connect(self.ctx.entry_requested)
        self.cell_dialog.open()

    # ------------------------------------------------------------------- export

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export the coverage"),
            str(Path.home() / "ties-coverage.png"),
            self.tr("PNG picture (*.png)"),
        )
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        try:
            self.export_png(Path(path))
        except OSError as exc:
            self.status.setText(
                self.tr("Could not write {path}: {reason}").format(
                    path=path, reason=exc.strerror or exc
                )
            )
            return
        self.ctx.status.emit(self.tr("Coverage saved to {path}").format(path=path))

    def export_png(self, path: Path) -> None:
        """Save the whole place as a PNG: summary, checklist, charts and the full heat map."""
        if not self.export_image().save(str(path), "PNG"):  # type: ignore[call-overload]
            raise OSError(0, "the picture could not be written")

    def export_image(self) -> QImage:
        """The place's content laid out in full on one picture, without scroll bars.

        The checklist and the heat map are drawn by fresh copies sized to all their
        rows and columns (the ones on screen keep their size and scroll position).
        """
        cov = self.coverage
        if cov is None:
            return self.body.grab().toImage()
        checklist = CoverageChecklist()
        heat = HeatMapView()
        try:
            for view in (checklist, heat):
                view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
                view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
                view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            checklist.set_coverage(cov)
            heat.set_coverage(cov)
            header = self.heat_map.horizontalHeader()
            heat.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())
            checklist.resize(EXPORT_COLUMN, 200)
            checklist.show()
            heat.resize(800, 200)
            heat.show()
            checklist.doItemsLayout()  # rows wrapped at the picture's width
            checklist.resize(EXPORT_COLUMN, _tree_height(checklist))
            heat.resize(
                heat.horizontalHeader().length() + 2 * heat.frameWidth(),
                heat.horizontalHeader().height()
                + heat.verticalHeader().length()
                + 2 * heat.frameWidth(),
            )
            charts = self.charts.grab()
            summary = self.summary.grab()
            margin = EXPORT_MARGIN
            top_height = max(checklist.height(), charts.height())
            width = max(checklist.width() + margin + charts.width(), heat.width(), summary.width())
            height = summary.height() + margin + top_height + margin + heat.height()
            image = QImage(width + 2 * margin, height + 2 * margin, QImage.Format.Format_ARGB32)
            image.fill(self.palette().color(QPalette.ColorRole.Window))
            painter = QPainter(image)
            try:
                y = margin
                painter.drawPixmap(margin, y, summary)
                y += summary.height() + margin
                checklist.render(painter, QPoint(margin, y))
                painter.drawPixmap(margin + checklist.width() + margin, y, charts)
                y += top_height + margin
                heat.render(painter, QPoint(margin, y))
            finally:
                painter.end()
            return image
        finally:
            checklist.deleteLater()
            heat.deleteLater()

    # ------------------------------------------------------------------ helpers

    def set_window(self, as_of: date, window_days: int) -> None:
        """Set both selectors at once and recompute (one job, not two)."""
        with QSignalBlocker(self.as_of_edit), QSignalBlocker(self.window_spin):
            self.as_of_edit.setDate(_qdate(as_of))
            self.window_spin.setValue(window_days)
        self.refresh()
