"""Ctrl+F: search people and entry notes as you type, off the GUI thread.

The store's full-text index answers; :class:`~ties.ui.jobs.LatestOnly` drops
answers to queries the user has already typed past, so the window never waits.
"""

from __future__ import annotations

import re
from typing import cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ties.model import SearchHit
from ties.store import fold
from ties.ui import format as fmt
from ties.ui.context import AppContext
from ties.ui.errors import report_unexpected
from ties.ui.icons import icon
from ties.ui.jobs import LatestOnly

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
TYPING_PAUSE_MS = 120


def name_matches_first(hits: list[SearchHit], query: str) -> list[SearchHit]:
    """People whose name starts with a query word come before matches in other fields."""
    words = [fold(w) for w in query.split() if w.strip()]

    def named(hit: SearchHit) -> bool:
        parts = fold(hit.title).split()
        return hit.kind == "person" and all(any(p.startswith(w) for p in parts) for w in words)

    return sorted(hits, key=lambda h: (h.kind != "person", not named(h)))


class SearchBox(QLineEdit):
    """The query line; Down moves into the results, Enter opens the first or selected one."""

    def __init__(self, dialog: SearchDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and self.dialog.results.count():
            self.dialog.results.setFocus()
            if self.dialog.results.currentRow() < 0:
                self.dialog.results.setCurrentRow(0)
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.dialog.open_current()
            return
        super().keyPressEvent(event)


class SearchDialog(QDialog):
    """A small window with a query line and the hits, people first."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Search"))
        self.setAccessibleName("Search")
        self.resize(560, 440)
        self.query = SearchBox(self)
        self.query.setAccessibleName("Search query")
        self.query.setPlaceholderText(self.tr("Search people and notes…"))
        self.query.setClearButtonEnabled(True)
        self.query.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.results = QListWidget(self)
        self.results.setAccessibleName("Search results")
        self.results.setAlternatingRowColors(True)
        self.results.setWordWrap(True)
        self.results.setUniformItemSizes(False)
        self.state = QLabel(self)
        self.state.setAccessibleName("Search status")
        self.state.setObjectName("muted")
        self.jobs = LatestOnly(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        lay = QVBoxLayout(self)
        lay.addWidget(self.query)
        lay.addWidget(self.results, 1)
        lay.addWidget(self.state)
        self._connect_callbacks()
        self._set_state("Type a name, an organisation or words from a note.")

    def _connect_callbacks(self) -> None:
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self._timer.timeout.connect(self.run_query)
        self.jobs.ready.connect(self._show)
        self.jobs.failed.connect(self._failed)
        self.results.itemActivated.connect(self._open_item)

    def _set_state(self, text: str) -> None:
        self.state.setText(text)

    def run_query(self) -> None:
        text = self.query.text().strip()
        if not text:
            self.results.clear()
            self._set_state("Type a name, an organisation or words from a note.")
            return
        self._set_state("Searching…")
        self.jobs.start(
            self.ctx.store.path,
            lambda store, _job: (text, store.search(text, 40)),
            interruptible=True,
        )

    def _show(self, result: object) -> None:
        text, hits = cast("tuple[str, list[SearchHit]]", result)
        hits = name_matches_first(hits, text)
        self.results.clear()
        today = self.ctx.today()
        for hit in hits:
            self.results.addItem(self._item(hit, today))
        people = sum(1 for h in hits if h.kind == "person")
        entries = len(hits) - people
        if not hits:
            self._set_state(f"Nothing found for “{text}”.")
        else:
            self._set_state(
                f"{people} {'person' if people == 1 else 'people'}, "
                f"{entries} entr{'y' if entries == 1 else 'ies'} — Enter opens"
            )

    def _item(self, hit: SearchHit, today) -> QListWidgetItem:
        if hit.kind == "person":
            title = hit.title
            detail = re.sub(r"[\[\]]", "", " ".join(hit.snippet.split()))
            if fold(detail) == fold(title):
                detail = "Person"
            item = QListWidgetItem(icon("people"), f"{title}\n{detail}")
        else:
            when = fmt.day(hit.date, today)
            detail = re.sub(r"[\[\]]", "", " ".join(hit.snippet.split()))
            item = QListWidgetItem(icon("journal"), f"{when} · {hit.title}\n{detail}")
        item.setData(HIT_ROLE, (hit.kind, hit.id))
        item.setToolTip(detail)
        return item

    def _failed(self, exc: object) -> None:
        self._set_state(report_unexpected(exc) if isinstance(exc, BaseException) else str(exc))

    def open_current(self) -> None:
        item = self.results.currentItem() or (
            self.results.item(0) if self.results.count() else None
        )
        if item is not None:
            self._open_item(item)

    def _open_item(self, item: QListWidgetItem) -> None:
        kind, hit_id = item.data(HIT_ROLE)
        self.hide()
        if kind == "person":
            self.ctx.person_requested.emit(hit_id)
        else:
            self.ctx.entry_requested.emit(hit_id)

    def hideEvent(self, event) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def start(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        self.query.setFocus()
        self.query.selectAll()
