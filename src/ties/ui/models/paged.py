"""A table model that reads the journal one page at a time.

A journal can hold a million entries and thousands of people, so a list
model only knows its row count and keeps a few pages (``page_size`` rows each,
least recently used dropped first). Subclasses say how to count and how to
fetch one page; sorting and filtering are done by the store in SQL.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from ties.store import Store

Index = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel):
    """Rows fetched from the store a page at a time; each row has an ``id``.

    Attributes:
        headers: the column titles.
        page_size, max_pages: rows per page, and how many pages are kept.
    """

    headers: tuple[object, ...] = ()  # QT_TRANSLATE_NOOP markers: source texts
    page_size = 200
    max_pages = 20

    def __init__(
        self, store: Callable[[], Store], today: Callable[[], date], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._today = today
        self._count: int | None = None
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()

    # ------------------------------------------------------- for subclasses

    def _count_rows(self) -> int:
        raise NotImplementedError

    def _fetch_page(self, number: int) -> list[Any]:
        raise NotImplementedError

    def _forget(self) -> None:
        """Drop what was read; call inside begin/endResetModel."""
        self._count = None
        self._pages.clear()

    # -------------------------------------------------------------- reading

    def item_at(self, row: int) -> Any:
        if row < 0 or row >= self.rowCount():
            return None
        page = self._page(row // self.page_size)
        offset = row % self.page_size
        return page[offset] if offset < len(page) else None

    def row_of(self, item_id: int, limit: int | None = None) -> int | None:
        """The row of an item among the cached pages or the first ``limit`` rows.

        ``limit`` defaults to five pages: finding a row further down would mean
        reading the whole list.
        """
        limit = 5 * self.page_size if limit is None else limit
        count = self.rowCount()
        for number, page in list(self._pages.items()):
            for i, item in enumerate(page):
                if item.id == item_id and number * self.page_size + i < count:
                    return number * self.page_size + i
        for number in range(min(count, limit) // self.page_size + 1):
            for i, item in enumerate(self._page(number)):
                if item.id == item_id and number * self.page_size + i < count:
                    return number * self.page_size + i
        return None

    def _page(self, number: int) -> list[Any]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        page = self._fetch_page(number)
        self._pages[number] = page
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return page

    # --------------------------------------------------------------- Qt API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        if self._count is None:
            self._count = self._count_rows()
        return self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and 0 <= section < len(self.headers) and role == Qt.ItemDataRole.DisplayRole:
            context = type(self).__name__  # the subclass names the translation context
            return QCoreApplication.translate(context, str(self.headers[section]))
        return None
