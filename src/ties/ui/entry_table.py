"""A table view over :class:`EntryTableModel` with sensible columns and edit/delete keys."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from ties.ui.icons import icon
from ties.ui.models.entries import (
    COL_DATE,
    COL_DIRECTION,
    COL_KIND,
    COL_NOTE,
    COL_PEOPLE,
    COL_TYPES,
    COL_WEIGHT,
    ENTRY_ID_ROLE,
    EntryTableModel,
)


class EntryTable(QTableView):
    """Entries, one per row; Enter or double-click edits, Delete deletes.

    Signals:
        edit_requested(int): entry id.
        delete_requested(list): entry ids.
        person_requested(int): open this person's page (from the context menu).
    """

    edit_requested = Signal(int)
    delete_requested = Signal(list)
    person_requested = Signal(int)

    def __init__(self, model: EntryTableModel, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)  # Tab leaves the list; arrow keys move inside it
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setSortingEnabled(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.horizontalHeader().setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fm = self.fontMetrics()
        pad = 2 * fm.horizontalAdvance("M")
        for col, sample in (
            (COL_DATE, "Wed 28 Sep 2026 ·"),
            (COL_PEOPLE, "Saanvi Papadopoulos"),
            (COL_DIRECTION, "← received"),
            (COL_KIND, "introduction"),
            (COL_TYPES, "Career guidance, Expertise"),
            (COL_WEIGHT, "medium"),
        ):
            self.setColumnWidth(col, fm.horizontalAdvance(sample) + pad)
        self.doubleClicked.connect(self._activated)

    def entry_model(self) -> EntryTableModel:
        return self.model()  # type: ignore[return-value]

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        ids = [self.model().index(r, 0).data(ENTRY_ID_ROLE) for r in rows]
        return [i for i in ids if i is not None]

    def current_id(self) -> int | None:
        index = self.currentIndex()
        return index.siblingAtColumn(0).data(ENTRY_ID_ROLE) if index.isValid() else None

    def select_entry(self, entry_id: int) -> bool:
        row = self.entry_model().row_of(entry_id)
        if row is None:
            return False
        self.selectRow(row)
        self.scrollTo(self.model().index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _activated(self, index) -> None:
        eid = index.siblingAtColumn(0).data(ENTRY_ID_ROLE)
        if eid is not None:
            self.edit_requested.emit(eid)

    def menu_for(self, index: QModelIndex) -> QMenu | None:
        """The right-click menu of a row: edit, delete, and the people on it."""
        if not index.isValid():
            return None
        if index.row() not in {i.row() for i in self.selectionModel().selectedRows()}:
            self.selectRow(index.row())
        entry = self.entry_model().entry_at(index.row())
        if entry is None or entry.id is None:
            return None
        ids = self.selected_ids()
        menu = QMenu(self)
        menu.setAccessibleName("Entry menu")
        edit = menu.addAction(icon("edit"), self.tr("Edit…"))
        edit.setEnabled(len(ids) == 1)
        edit.triggered.connect(lambda: self.edit_requested.emit(entry.id))
        n = len(ids)
        delete = menu.addAction(icon("delete"), "Delete" if n == 1 else f"Delete {n} entries")
        delete.triggered.connect(lambda: self.delete_requested.emit(ids))
        names = [n.strip() for n in entry.people_label.split(",")]
        if len(names) == len(entry.person_ids):
            menu.addSeparator()
            for pid, name in zip(entry.person_ids, names, strict=True):
                act = menu.addAction(icon("people"), self.tr("Open {name}").format(name=name))
                act.triggered.connect(lambda _c=False, p=pid: self.person_requested.emit(p))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.menu_for(self.indexAt(event.pos()))
        if menu is not None:
            menu.exec(event.globalPos())
            menu.deleteLater()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_id():
            self.edit_requested.emit(self.current_id())
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected_ids():
            self.delete_requested.emit(self.selected_ids())
            return
        super().keyPressEvent(event)


__all__ = [
    "COL_DIRECTION",
    "COL_KIND",
    "COL_NOTE",
    "COL_PEOPLE",
    "COL_TYPES",
    "COL_WEIGHT",
    "EntryTable",
]
