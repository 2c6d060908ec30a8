"""A table view over :class:`EntryTableModel` with sensible columns and edit/delete keys."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

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
    """

    edit_requested = Signal(int)
    delete_requested = Signal(list)

    def __init__(self, model: EntryTableModel, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
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
