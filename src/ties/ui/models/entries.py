"""The entry list as a Qt table model that reads the journal one page at a time.

A journal can hold a million entries, so the model only knows the row count
and keeps a small cache of pages (``PAGE_SIZE`` rows each, least recently
used dropped first). Sorting and filtering are done by the store in SQL.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from dataclasses import replace
from typing import Any, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal

from ties.model import Entry
from ties.store import EntryFilter, Store
from ties.ui import format as fmt
from ties.ui.jobs import LatestOnly
from ties.ui.models.paged import Index as _Index
from ties.ui.models.paged import PagedTableModel

PAGE_SIZE = 200
MAX_PAGES = 40
#: Sorts an index serves page fast with OFFSET; the others read the ids once.
INDEXED_SORTS = frozenset({"date", "person"})
#: Above this many rows an id list is read off the GUI thread.
BACKGROUND_SORT_ROWS = 100_000

COL_DATE, COL_PEOPLE, COL_DIRECTION, COL_KIND, COL_TYPES, COL_WEIGHT, COL_NOTE = range(7)
HEADERS = (
    QT_TRANSLATE_NOOP("EntryTableModel", "Date"),
    QT_TRANSLATE_NOOP("EntryTableModel", "People"),
    QT_TRANSLATE_NOOP("EntryTableModel", "Direction"),
    QT_TRANSLATE_NOOP("EntryTableModel", "Kind"),
    QT_TRANSLATE_NOOP("EntryTableModel", "Support"),
    QT_TRANSLATE_NOOP("EntryTableModel", "Weight"),
    QT_TRANSLATE_NOOP("EntryTableModel", "Note"),
)
SORT_KEYS = ("date", "person", "direction", "kind", "types", "weight", "note")

ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class EntryTableModel(PagedTableModel):
    """Entries matching a filter, in the store's order, fetched page by page.

    Attributes:
        filter: what is shown (an :class:`EntryFilter`).
        order, descending: the store sort key and direction.

    Signals:
        busy(bool): a slow sort is being prepared off the GUI thread.
    """

    busy = Signal(bool)
    headers = HEADERS
    page_size = PAGE_SIZE
    max_pages = MAX_PAGES

    def __init__(self, store: Callable[[], Store], today: Callable[[], Any], parent=None) -> None:
        super().__init__(store, today, parent)
        self.filter = EntryFilter()
        self.order = "date"
        self.descending = True
        self._type_labels: dict[str, str] | None = None
        # display order (8 bytes an entry) for the sorts no index serves
        self._ids: array[int] | None = None
        self._sorter = LatestOnly(self)
        self._sorter.ready.connect(self._ids_ready)
        self._sorter.busy.connect(self.busy)

    # ----------------------------------------------------------------- control

    def refresh(self) -> None:
        """Forget what was read; the view asks again (after a change or a new filter)."""
        self.beginResetModel()
        self._forget()
        self._type_labels = None
        self._prepare_order()
        self.endResetModel()

    def _prepare_order(self) -> None:
        """Read the id order for an unindexed sort: now if small, else in the background."""
        self._ids = None
        if self.order in INDEXED_SORTS:
            return
        store = self._store()
        count = self.rowCount()
        filt, order, desc = replace(self.filter), self.order, self.descending
        if count <= BACKGROUND_SORT_ROWS:
            self._ids = array("q", store.entry_ids(filt, order=order, descending=desc))
            return
        self._sorter.start(
            store.path,
            lambda s, _job: (
                order,
                desc,
                array("q", s.entry_ids(filt, order=order, descending=desc)),
            ),
        )

    def _ids_ready(self, result: object) -> None:
        order, desc, ids = cast("tuple[str, bool, array[int]]", result)
        if (order, desc) != (self.order, self.descending):
            return
        self.beginResetModel()
        self._ids = ids
        self._count = len(ids)
        self._pages.clear()
        self.endResetModel()

    def set_filter(self, filt: EntryFilter) -> None:
        self.filter = replace(filt)
        self.refresh()

    def entry_at(self, row: int) -> Entry | None:
        return cast("Entry | None", self.item_at(row))

    def _count_rows(self) -> int:
        return self._store().count_entries(self.filter)

    def _fetch_page(self, number: int) -> list[Entry]:
        start = number * PAGE_SIZE
        if self._ids is not None:
            wanted = self._ids[start : start + PAGE_SIZE]
            by_id = {e.id: e for e in self._store().get_entries(wanted)}
            page = [by_id[i] for i in wanted if i in by_id]
        else:  # indexed sort, or the id order is still being read: the store's order for now
            order = self.order if self.order in INDEXED_SORTS else "date"
            page = self._store().list_entries(
                self.filter,
                order=order,
                descending=self.descending,
                offset=start,
                limit=PAGE_SIZE,
                total=self._count,  # lets the store read a far page from the other end
            )
        return page

    def _labels(self) -> dict[str, str]:
        if self._type_labels is None:
            self._type_labels = {
                t.key: t.label for t in self._store().support_types(include_retired=True)
            }
        return self._type_labels

    # ------------------------------------------------------------------ Qt API

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self.entry_at(index.row())
        if e is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_DATE:
                text = fmt.day(e.date, self._today())
                return f"{text}  {e.time}" if e.time else text
            if col == COL_PEOPLE:
                return e.people_label
            if col == COL_DIRECTION:
                return fmt.direction(e.direction)
            if col == COL_KIND:
                return e.kind
            if col == COL_TYPES:
                return fmt.type_labels(e.support_types, self._labels())
            if col == COL_WEIGHT:
                return fmt.weight(e.weight)
            if col == COL_NOTE:
                return " ".join(e.note.split())
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_NOTE and e.note:
                return e.note
            if col == COL_DATE:
                return fmt.long_day(e.date)
            if col == COL_TYPES and e.support_types:
                return fmt.type_labels(e.support_types, self._labels())
            return None
        if role == ENTRY_ID_ROLE:
            return e.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORT_KEYS):
            return
        key, desc = SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder
        if (key, desc) == (self.order, self.descending):
            return
        self.beginResetModel()  # rows are re-read from the store in the new order
        self.order, self.descending = key, desc
        self._pages.clear()
        self._prepare_order()
        self.endResetModel()
