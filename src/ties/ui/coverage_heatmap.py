"""The people × support-type heat map of received weight, and the entries behind a cell.

A thin table model (one row per person who gave me anything in the window), a
delegate that paints each cell as a tile whose colour deepens with the weight,
and a sortable view. Clicking a tile asks for the entries behind it.

Signals (HeatMapView):
    cell_activated(int, str): a person id and a support type key were clicked.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionHeader,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ties.analysis.coverage import Coverage, ProviderRow
from ties.model import Entry
from ties.ui import format as fmt
from ties.ui.style import readable_on

COL_PERSON = 0
COL_TOTAL = 1
FIRST_TYPE = 2
#: Numbers for sorting (names folded for the person column).
SORT_ROLE = Qt.ItemDataRole.UserRole
#: ``(person id, type key)`` of a tile; ``None`` outside the type columns.
CELL_ROLE = Qt.ItemDataRole.UserRole + 1
#: The tile's intensity, 0 … 1 (its weight over the largest weight on the map).
HEAT_ROLE = Qt.ItemDataRole.UserRole + 2
HEAT_COLOR = QColor("#d8703b")
#: The name column's widest, in average characters.
NAME_CHARS = 16

_Index = QModelIndex | QPersistentModelIndex


class HeatMapModel(QAbstractTableModel):
    """Rows: people who gave me support in the window; columns: name, total, each type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._types: list[tuple[str, str, str]] = []  # key, label, question
        self._rows: list[ProviderRow] = []
        self._top = 0

    def set_coverage(self, cov: Coverage | None) -> None:
        self.beginResetModel()
        if cov is None:
            self._types, self._rows, self._top = [], [], 0
        else:
            self._types = [(t.key, t.label, t.plain_words) for t in cov.support_types]
            self._rows = cov.provider_rows  # made on the worker (Coverage.with_lists)
            self._top = max(
                (c.weight for *_, by_type in self._rows for c in by_type.values()), default=0
            )
        self.endResetModel()

    def type_key(self, column: int) -> str | None:
        i = column - FIRST_TYPE
        return self._types[i][0] if 0 <= i < len(self._types) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_TYPE + len(self._types)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            # names A to Z; figures most first (the header's first click uses this)
            if section == COL_PERSON:
                return Qt.SortOrder.AscendingOrder
            return Qt.SortOrder.DescendingOrder
        if section == COL_PERSON:
            return "Person" if role == Qt.ItemDataRole.DisplayRole else None
        if section == COL_TOTAL:
            if role == Qt.ItemDataRole.DisplayRole:
                return "Total"
            if role == Qt.ItemDataRole.ToolTipRole:
                return "All the weight this person gave you in the window"
            return None
        _key, label, question = self._types[section - FIRST_TYPE]
        if role == Qt.ItemDataRole.DisplayRole:
            return label
        if role == Qt.ItemDataRole.ToolTipRole:
            return question
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        pid, name, total, by_type = self._rows[index.row()]
        col = index.column()
        if col == COL_PERSON:
            if role == Qt.ItemDataRole.DisplayRole:
                return name
            if role == SORT_ROLE:
                return name.casefold()
            return None
        if col == COL_TOTAL:
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
                return total
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        key = self.type_key(col)
        if key is None:
            return None
        c = by_type.get(key)
        if role == Qt.ItemDataRole.DisplayRole:
            return str(c.weight) if c else ""
        if role == SORT_ROLE:
            return c.weight if c else 0
        if role == HEAT_ROLE:
            return c.weight / self._top if c and self._top else 0.0
        if role == CELL_ROLE:
            return (pid, key)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            label = self._types[col - FIRST_TYPE][1]
            if not c:
                return f"{name} gave you no {label.lower()} in this window"
            return (
                f"{name} gave you {label.lower()}: {c.entries} "
                f"{'entry' if c.entries == 1 else 'entries'}, weight {c.weight}. "
                "Click to see them."
            )
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{name}, {self._types[col - FIRST_TYPE][1]}: {c.weight if c else 0}"
        return None


class HeatDelegate(QStyledItemDelegate):
    """Paints a type cell as a tile whose colour deepens with its weight."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        heat = index.data(HEAT_ROLE)
        if heat is None:
            super().paint(painter, option, index)
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(option.rect).adjusted(2, 2, -2, -2)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(
                option.rect,
                option.palette.color(QPalette.ColorRole.Highlight),
            )
        if heat > 0:
            color = QColor(HEAT_COLOR)
            color.setAlphaF(0.15 + 0.85 * float(heat))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawRoundedRect(rect, 3, 3)
            # the tile is see-through: the text's colour follows what it looks like on screen
            base = option.palette.color(QPalette.ColorRole.Base)
            a = color.alphaF()
            seen = QColor.fromRgbF(
                a * color.redF() + (1 - a) * base.redF(),
                a * color.greenF() + (1 - a) * base.greenF(),
                a * color.blueF() + (1 - a) * base.blueF(),
            )
            painter.setPen(readable_on(seen))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), str(index.data()))
        painter.restore()


class TypeHeader(QHeaderView):
    """Column headings with the type columns' labels turned upright (read bottom to top).

    Eleven support types side by side need ~1,000 px with level labels; upright,
    each column is only as wide as its figures, so all fit at 1280 px (issue #17
    item 7). The full question stays the heading's tooltip.
    """

    PAD = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(True)
        self.setHighlightSections(False)

    def _upright(self, section: int) -> bool:
        return section >= FIRST_TYPE

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:
        size = super().sectionSizeFromContents(logicalIndex)
        if not self._upright(logicalIndex):
            return size
        text = str(self.model().headerData(logicalIndex, Qt.Orientation.Horizontal) or "")
        fm = self.fontMetrics()
        return QSize(fm.height() + 2 * self.PAD, fm.horizontalAdvance(text) + 3 * self.PAD)

    def paintSection(self, painter: QPainter, rect: QRect, logicalIndex: int) -> None:
        if not self._upright(logicalIndex):
            super().paintSection(painter, rect, logicalIndex)
            return
        painter.save()
        opt = QStyleOptionHeader()
        self.initStyleOption(opt)
        opt.rect = rect
        opt.section = logicalIndex
        opt.text = ""
        if self.sortIndicatorSection() == logicalIndex and self.isSortIndicatorShown():
            opt.sortIndicator = (
                QStyleOptionHeader.SortIndicator.SortDown
                if self.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
                else QStyleOptionHeader.SortIndicator.SortUp
            )
        self.style().drawControl(QStyle.ControlElement.CE_Header, opt, painter, self)
        text = str(self.model().headerData(logicalIndex, Qt.Orientation.Horizontal) or "")
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        painter.translate(rect.left(), rect.bottom())
        painter.rotate(-90)
        upright = QRect(self.PAD, 0, rect.height() - 2 * self.PAD, rect.width())
        painter.drawText(
            upright, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
        )
        painter.restore()


class HeatMapView(QTableView):
    """The sortable heat map; clicking a non-empty tile emits :attr:`cell_activated`.

    The names stay in view while the tiles scroll sideways: a second view over
    the left edge shows only the name column (Qt's "frozen column" pattern).
    """

    cell_activated = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Coverage heat map")
        self.setTabKeyNavigation(False)  # Tab leaves the heat map; arrow keys move inside it
        self.heat_model = HeatMapModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.heat_model)
        self.proxy.setSortRole(SORT_ROLE)
        self.setModel(self.proxy)
        self.setItemDelegate(HeatDelegate(self))
        self.setHorizontalHeader(TypeHeader(self))
        self.setSortingEnabled(True)
        self.sortByColumn(COL_TOTAL, Qt.SortOrder.DescendingOrder)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(False)
        self.horizontalHeader().setSectionResizeMode(COL_PERSON, QHeaderView.ResizeMode.Interactive)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.names = self._frozen_names()
        self.clicked.connect(self._on_clicked)
        self.activated.connect(self._on_clicked)

    def _frozen_names(self) -> QTableView:
        """The name column drawn again over the left edge, kept in place (issue #17 item 7)."""
        names = QTableView(self)
        names.setAccessibleName("Coverage heat map names")
        names.setModel(self.proxy)
        names.setSelectionModel(self.selectionModel())
        names.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        names.verticalHeader().hide()
        names.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        names.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        names.setVerticalScrollMode(self.verticalScrollMode())
        names.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        names.setFrameShape(QFrame.Shape.NoFrame)
        names.horizontalHeader().setSectionsClickable(True)
        names.horizontalHeader().setSortIndicatorShown(False)
        names.horizontalHeader().sectionClicked.connect(
            lambda section: self.horizontalHeader().sectionClicked.emit(section)
        )
        names.clicked.connect(self._on_clicked)
        self.viewport().stackUnder(names)
        self.horizontalHeader().sectionResized.connect(self._name_width)
        self.verticalHeader().sectionResized.connect(
            lambda row, _old, size: names.setRowHeight(row, size)
        )
        names.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(names.verticalScrollBar().setValue)
        self.proxy.modelReset.connect(self._sync_names)
        self.proxy.layoutChanged.connect(self._sync_names)
        return names

    def _sync_names(self) -> None:
        for col in range(self.proxy.columnCount()):
            self.names.setColumnHidden(col, col != COL_PERSON)
        self.names.setColumnWidth(COL_PERSON, self.columnWidth(COL_PERSON))
        self.names.verticalHeader().setDefaultSectionSize(
            self.verticalHeader().defaultSectionSize()
        )
        self._place_names()

    def _name_width(self, section: int, _old: int, size: int) -> None:
        if section == COL_PERSON:
            self.names.setColumnWidth(COL_PERSON, size)
            self._place_names()

    def _place_names(self) -> None:
        frame = self.frameWidth()
        self.names.setGeometry(
            frame,
            frame,
            self.columnWidth(COL_PERSON),
            self.viewport().height() + self.horizontalHeader().height(),
        )
        self.names.horizontalHeader().setFixedHeight(self.horizontalHeader().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_names()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        if hasattr(self, "names"):
            self._place_names()

    def set_coverage(self, cov: Coverage | None) -> None:
        self.heat_model.set_coverage(cov)
        # Names as wide as they need, up to NAME_CHARS (longer ones end in "…", the
        # tile tooltips say them in full): the type columns keep the room.
        cap = self.fontMetrics().averageCharWidth() * NAME_CHARS
        self.setColumnWidth(COL_PERSON, min(max(self.sizeHintForColumn(COL_PERSON), 80), cap))
        self._sync_names()

    def _on_clicked(self, index: QModelIndex) -> None:
        cell = index.data(CELL_ROLE)
        if cell and index.data(SORT_ROLE):
            self.cell_activated.emit(cell[0], cell[1])


class CellEntriesDialog(QDialog):
    """The entries behind one tile; double-click (or Show) opens one in the Journal.

    Signals:
        entry_chosen(int): the entry the user wants to see.
    """

    entry_chosen = Signal(int)

    def __init__(self, title: str, entries: list[Entry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName("Coverage cell entries")
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Coverage cell entry list")
        # a long note wraps onto more lines instead of needing a sideways scroll
        self.list.setWordWrap(True)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        for e in entries:
            text = f"{fmt.day(e.date)} · {e.people_label} · {fmt.direction(e.direction)}"
            text += f" · {fmt.weight(e.weight)}"
            if e.note:
                text += f" — {e.note}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            self.list.addItem(item)
        if entries:
            self.list.setCurrentRow(0)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.show_button = buttons.addButton(
            self.tr("Show in journal"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.show_button.setAccessibleName("Coverage show entry in journal")
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self._choose)
        self.list.itemActivated.connect(lambda _item: self._choose())
        layout.addWidget(buttons)
        self.resize(560, 320)

    def _choose(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.entry_chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()
