"""The people list as a Qt table model, paged from the store like the entry list."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ties.model import CLOSENESS_LABELS, Person
from ties.store import PeopleFilter, Store
from ties.ui import format as fmt

PAGE_SIZE = 200
MAX_PAGES = 20

COL_NAME, COL_CIRCLE, COL_CLOSENESS, COL_ORG, COL_LAST = range(5)
HEADERS = ("Name", "Circle", "Closeness", "Organization", "Last contact")
SORT_KEYS = ("name", "circle", "closeness", "organization", "last_contact")

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class PeopleTableModel(QAbstractTableModel):
    """People matching a :class:`PeopleFilter`, sorted by the store."""

    def __init__(self, store: Callable[[], Store], today: Callable[[], date], parent=None) -> None:
        super().__init__(parent)
        self._store = store
        self._today = today
        self.filter = PeopleFilter()
        self.order = "name"
        self.descending = False
        self._count: int | None = None
        self._pages: OrderedDict[int, list[Person]] = OrderedDict()
        self._circle_labels: dict[str, str] | None = None

    def refresh(self) -> None:
        self.beginResetModel()
        self._count = None
        self._pages.clear()
        self._circle_labels = None
        self.endResetModel()

    def set_filter(self, filt: PeopleFilter) -> None:
        self.filter = replace(filt)
        self.refresh()

    def person_at(self, row: int) -> Person | None:
        if row < 0 or row >= self.rowCount():
            return None
        page = self._page(row // PAGE_SIZE)
        offset = row % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def row_of(self, person_id: int, limit: int = 5 * PAGE_SIZE) -> int | None:
        """The row of a person among the cached pages or the first ``limit`` rows."""
        count = self.rowCount()
        for start, page in list(self._pages.items()):
            for i, p in enumerate(page):
                if p.id == person_id and start * PAGE_SIZE + i < count:
                    return start * PAGE_SIZE + i
        for n in range(min(count, limit) // PAGE_SIZE + 1):
            for i, p in enumerate(self._page(n)):
                if p.id == person_id and n * PAGE_SIZE + i < count:
                    return n * PAGE_SIZE + i
        return None

    def _page(self, number: int) -> list[Person]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        page = self._store().list_people(
            self.filter,
            order=self.order,
            descending=self.descending,
            offset=number * PAGE_SIZE,
            limit=PAGE_SIZE,
        )
        self._pages[number] = page
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def _circles(self) -> dict[str, str]:
        if self._circle_labels is None:
            self._circle_labels = {
                c.key: c.label for c in self._store().circles(include_retired=True)
            }
        return self._circle_labels

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        if self._count is None:
            self._count = self._store().count_people(self.filter)
        return self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and 0 <= section < len(HEADERS) and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self.person_at(index.row())
        if p is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return f"{p.name} (archived)" if p.archived else p.name
            if col == COL_CIRCLE:
                return self._circles().get(p.circle, p.circle)
            if col == COL_CLOSENESS:
                return CLOSENESS_LABELS.get(p.closeness, str(p.closeness))
            if col == COL_ORG:
                return " · ".join(x for x in (p.organization, p.role) if x)
            if col == COL_LAST:
                return fmt.ago(p.last_contact, self._today())
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_LAST and p.last_contact:
                return fmt.long_day(p.last_contact)
            if col == COL_CLOSENESS:
                return f"Closeness {fmt.closeness(p.closeness)}"
            if col == COL_NAME and (p.organization or p.role):
                return " · ".join(x for x in (p.role, p.organization) if x)
            return None
        if role == Qt.ItemDataRole.FontRole and col == COL_NAME and p.archived:
            font = QFont()
            font.setItalic(True)
            return font
        if role == PERSON_ID_ROLE:
            return p.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(SORT_KEYS):
            return
        self.beginResetModel()
        self.order = SORT_KEYS[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.endResetModel()
