"""The people list as a Qt table model, paged from the store like the entry list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, cast

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from ties.model import CLOSENESS_LABELS, Person
from ties.store import PeopleFilter, Store
from ties.ui import format as fmt
from ties.ui.models.paged import Index as _Index
from ties.ui.models.paged import PagedTableModel
from ties.ui.photos import ThumbnailCache, initials_pixmap, name_colours

PAGE_SIZE = 200
MAX_PAGES = 20

COL_NAME, COL_CIRCLE, COL_CLOSENESS, COL_ORG, COL_LAST = range(5)
HEADERS = (
    QT_TRANSLATE_NOOP("PeopleTableModel", "Name"),
    QT_TRANSLATE_NOOP("PeopleTableModel", "Circle"),
    QT_TRANSLATE_NOOP("PeopleTableModel", "Closeness"),
    QT_TRANSLATE_NOOP("PeopleTableModel", "Organization"),
    QT_TRANSLATE_NOOP("PeopleTableModel", "Last contact"),
)
SORT_KEYS = ("name", "circle", "closeness", "organization", "last_contact")

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class PeopleTableModel(PagedTableModel):
    """People matching a :class:`PeopleFilter`, sorted by the store."""

    headers = HEADERS
    page_size = PAGE_SIZE
    max_pages = MAX_PAGES

    def __init__(self, store: Callable[[], Store], today: Callable[[], date], parent=None) -> None:
        super().__init__(store, today, parent)
        self.filter = PeopleFilter()
        self.order = "name"
        self.descending = False
        self._circle_labels: dict[str, str] | None = None
        #: Photo thumbnails beside the names (None: the list shows no pictures).
        self.thumbnails: ThumbnailCache | None = None

    def show_thumbnails(self, side: int) -> None:
        """Draw each person's photo (or initials) ``side`` px across beside their name."""
        self.thumbnails = ThumbnailCache(side)

    def refresh(self) -> None:
        self.beginResetModel()
        self._forget()
        self._circle_labels = None
        if self.thumbnails is not None:
            self.thumbnails.clear()
        self.endResetModel()

    def _thumbnail(self, p: Person) -> Any:
        thumbs = self.thumbnails
        if thumbs is None or p.id is None:
            return None
        pid = p.id
        photo = thumbs.get(pid, p.has_photo, lambda: self._store().get_photo(pid))
        if photo is not None:
            return photo
        dark = QGuiApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
        return thumbs.get(
            -pid,
            False,
            lambda: None,
            lambda: initials_pixmap(p.name, thumbs.side, 1.0, *name_colours(p.name, dark)),
        )

    def set_filter(self, filt: PeopleFilter) -> None:
        self.filter = replace(filt)
        self.refresh()

    def person_at(self, row: int) -> Person | None:
        return cast("Person | None", self.item_at(row))

    def _count_rows(self) -> int:
        return self._store().count_people(self.filter)

    def _fetch_page(self, number: int) -> list[Person]:
        return self._store().list_people(
            self.filter,
            order=self.order,
            descending=self.descending,
            offset=number * PAGE_SIZE,
            limit=PAGE_SIZE,
        )

    def _circles(self) -> dict[str, str]:
        if self._circle_labels is None:
            self._circle_labels = {
                c.key: c.label for c in self._store().circles(include_retired=True)
            }
        return self._circle_labels

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
        if role == Qt.ItemDataRole.DecorationRole and col == COL_NAME:
            return self._thumbnail(p)
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
