"""The Journal place: the quick-add line, filters, and the paged list of every entry."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ties.model import DIRECTIONS
from ties.store import EntryFilter, ValidationError
from ties.ui import entry_actions
from ties.ui.changes import Changes
from ties.ui.context import AppContext
from ties.ui.dialogs.entry_editor import EntryEditor
from ties.ui.entry_table import EntryTable
from ties.ui.icons import icon
from ties.ui.models.entries import EntryTableModel
from ties.ui.places.empty import EmptyState
from ties.ui.quick_add import QuickAdd
from ties.ui.style import error_color
from ties.ui.tag_filter import fill_tag_choices
from ties.ui.widgets import PeopleCompleter, TabLeavesDateEdit, from_qdate

NO_DATE = QDate(1900, 1, 1)


def _date_filter(name: str, parent: QWidget) -> QDateEdit:
    edit = TabLeavesDateEdit(parent)  # showing "any", a plain QDateEdit kept Tab for good
    edit.setAccessibleName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(QCoreApplication.translate("FilterBar", "any"))
    edit.setDate(NO_DATE)
    return edit


class FilterBar(QWidget):
    """Person, date range, direction and support type; every change refilters the list.

    Signals:
        changed(object): the new :class:`EntryFilter`.
    """

    changed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Entry filters")
        self.person = QLineEdit(self)
        self.person.setAccessibleName("Filter by person")
        self.person.setPlaceholderText(self.tr("Anyone"))
        self.person.setClearButtonEnabled(True)
        self.person.setMinimumWidth(110)
        self.person.setMaximumWidth(200)
        self._completer = PeopleCompleter(self.person, lambda: self.ctx.store)
        self.since = _date_filter("Filter from date", self)
        self.until = _date_filter("Filter until date", self)
        self.direction = QComboBox(self)
        self.direction.setAccessibleName("Filter by direction")
        self.direction.addItem(self.tr("Any direction"), None)
        for d in DIRECTIONS:
            self.direction.addItem(d.capitalize(), d)
        self.support = QComboBox(self)
        self.support.setAccessibleName("Filter by support type")
        self.tag = QComboBox(self)  # shown once some person carries a tag
        self.tag.setAccessibleName("Filter by person tag")
        self.tag.setToolTip(self.tr("Only entries with someone who carries this tag"))
        self.clear = QToolButton(self)
        self.clear.setText(self.tr("Clear"))
        self.clear.setAccessibleName("Clear filters")
        self.message = QLabel(self)
        self.message.setAccessibleName("Filter message")
        self.message.setStyleSheet(f"color: {error_color()};")
        for edit in (self.since, self.until):  # never narrower than "28 Sep 2026" (or "any")
            edit.setMinimumWidth(edit.sizeHint().width())
        for combo in (self.direction, self.support, self.tag):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # Person and dates on the first row; direction, support and Clear follow them
        # when there is room, or take a second row in a narrow window.
        self._first = QHBoxLayout()
        self._second = QHBoxLayout()
        self._tail: list[QWidget] = [
            self.direction,
            self.support,
            self.tag,
            self.clear,
            self.message,
        ]
        self._lead: list[QWidget] = []
        for label, widget in (("Person", self.person), ("From", self.since), ("to", self.until)):
            lab = QLabel(label, self)
            lab.setBuddy(widget)
            self._lead += [lab, widget]
            self._first.addWidget(lab)
            self._first.addWidget(widget)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addLayout(self._first)
        lay.addLayout(self._second)
        self._two_rows: bool | None = None
        self._arrange(two_rows=False)
        self.reload_choices()
        self._connect_callbacks()

    def _width_of(self, widgets: list[QWidget]) -> int:
        """The least width of ``widgets`` side by side (the message may shrink to nothing)."""
        shown = [w for w in widgets if w is not self.message and not w.isHidden()]
        hints = (max(w.minimumWidth(), w.minimumSizeHint().width()) for w in shown)
        return sum(hints) + max(self._first.spacing(), 6) * len(shown)

    def _arrange(self, *, two_rows: bool) -> None:
        if two_rows == self._two_rows:
            return
        self._two_rows = two_rows
        for w in self._tail:
            self._first.removeWidget(w)
            self._second.removeWidget(w)
        for row in (self._first, self._second):  # drop an old trailing stretch
            last = row.itemAt(row.count() - 1) if row.count() else None
            if last is not None and last.spacerItem() is not None:
                row.takeAt(row.count() - 1)
        target = self._second if two_rows else self._first
        for w in self._tail:
            target.addWidget(w, 1 if w is self.message else 0)
        if two_rows:
            self._first.addStretch(1)

    def minimumSizeHint(self) -> QSize:
        """Narrow enough for two rows: the bar wraps rather than widening the window."""
        two = max(self._width_of(self._lead), self._width_of(self._tail))
        return QSize(two, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        need = self._width_of(self._lead + self._tail)
        self._arrange(two_rows=event.size().width() < need)
        super().resizeEvent(event)

    def _connect_callbacks(self) -> None:
        self.person.editingFinished.connect(self._emit)
        self.person.textChanged.connect(self._person_text)
        self._completer.activated.connect(lambda _t: self._emit())
        self.since.dateChanged.connect(self._emit)
        self.until.dateChanged.connect(self._emit)
        # activated: only the user's choices (a combo being destroyed also changes index)
        self.direction.activated.connect(self._emit)
        self.support.activated.connect(self._emit)
        self.tag.activated.connect(self._emit)
        self.clear.clicked.connect(self.reset)

    def _person_text(self, text: str) -> None:
        if not text:  # cleared (the clear button): show everyone again
            self._emit()

    def reload_choices(self) -> None:
        store = self.ctx.store
        current = self.support.currentData()
        self.support.blockSignals(True)
        self.support.clear()
        self.support.addItem(self.tr("Any support"), None)
        for t in store.support_types():
            self.support.addItem(t.label, t.key)
            self.support.setItemData(
                self.support.count() - 1, t.question, Qt.ItemDataRole.ToolTipRole
            )
        idx = self.support.findData(current)
        self.support.setCurrentIndex(max(idx, 0))
        self.support.blockSignals(False)
        fill_tag_choices(self.tag, store.tags())

    def reset(self) -> None:
        for w in (self.person, self.since, self.until, self.direction, self.support, self.tag):
            w.blockSignals(True)
        self.person.clear()
        self.tag.setCurrentIndex(0)
        self.since.setDate(NO_DATE)
        self.until.setDate(NO_DATE)
        self.direction.setCurrentIndex(0)
        self.support.setCurrentIndex(0)
        for w in (self.person, self.since, self.until, self.direction, self.support, self.tag):
            w.blockSignals(False)
        self._emit()

    def current(self) -> EntryFilter | None:
        """The filter the fields describe, or None (with a message) if a field is wrong."""
        self.message.clear()
        filt = EntryFilter(
            direction=self.direction.currentData(),
            support_type=self.support.currentData(),
            tag=self.tag.currentData(),
        )
        name = self.person.text().strip()
        if name:  # whom quick-add's @name would mean: a unique first name is enough
            try:
                found = self.ctx.store.resolve_person(name)
            except ValidationError:
                self.message.setText(
                    self.tr("“{name}” could mean several people: type more of the name.").format(
                        name=name
                    )
                )
                return None
            if found is None:
                self.message.setText(self.tr("Nobody called “{name}”.").format(name=name))
                return None
            filt.person_id = found.id
        since: date | None = None if self.since.date() == NO_DATE else from_qdate(self.since.date())
        until: date | None = None if self.until.date() == NO_DATE else from_qdate(self.until.date())
        if since and until and until < since:
            self.message.setText(self.tr("The end date is before the start date."))
            return None
        filt.since, filt.until = since, until
        return filt

    def _emit(self) -> None:
        filt = self.current()
        if filt is not None:
            self.changed.emit(filt)


class JournalPlace(QWidget):
    """Daily logging: quick-add on top, the whole journal below."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Journal place")
        self.quick_add = QuickAdd(ctx, self)
        self.filters = FilterBar(ctx, self)
        self.model = EntryTableModel(lambda: self.ctx.store, ctx.today, self)
        self.table = EntryTable(self.model, "Entry list", self)
        self.count = QLabel(self)
        self.count.setAccessibleName("Entry count")
        self.new_button = QPushButton(icon("add"), self.tr("New entry…"), self)
        self.new_button.setAccessibleName("New entry")
        self.new_button.setToolTip(self.tr("New entry with every field (Ctrl+N)"))
        self.edit_button = QPushButton(icon("edit"), self.tr("Edit…"), self)
        self.edit_button.setAccessibleName("Edit entry")
        self.delete_button = QPushButton(icon("delete"), self.tr("Delete"), self)
        self.delete_button.setAccessibleName("Delete entry")
        self.empty = EmptyState(
            self.tr("No entries yet"),
            self.tr(
                "Type your first entry in the line above, for example "
                "<b>coffee with @Sam yesterday: talked about the new job</b>, and press Enter. "
                "Or use New entry… for every field."
            ),
            self,
        )
        self.no_match = EmptyState(
            self.tr("Nothing matches"), self.tr("No entry matches these filters."), self
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.no_match)

        title = QLabel(self.tr("Journal"), self)
        title.setObjectName("placeTitle")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.count)
        top.addSpacing(12)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 12)
        lay.setSpacing(10)
        lay.addLayout(top)
        lay.addWidget(self.quick_add)
        lay.addWidget(self.filters)
        lay.addWidget(self.stack, 1)
        self._connect_callbacks()
        self._update_state()

    def _connect_callbacks(self) -> None:
        self.ctx.changed.connect(self._data_changed)
        self.ctx.journal_opened.connect(self._journal_opened)
        self.ctx.entry_requested.connect(self.show_entry)
        self.filters.changed.connect(self._filter_changed)
        self.quick_add.saved.connect(self._saved)
        self.table.edit_requested.connect(self.edit_entry)
        self.table.delete_requested.connect(self.delete_entries)
        self.table.person_requested.connect(self.ctx.person_requested)
        self.new_button.clicked.connect(lambda: self.new_entry())
        self.edit_button.clicked.connect(self._edit_current)
        self.delete_button.clicked.connect(lambda: self.delete_entries(self.table.selected_ids()))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self.model.busy.connect(self._busy)

    # ---------------------------------------------------------------- refresh

    def _data_changed(self, changes: Changes) -> None:
        if changes.journal_data:
            if changes.people or changes.settings:  # the filters' choices
                self.filters.reload_choices()
            self.model.refresh()
            self._update_state()

    def _journal_opened(self) -> None:
        self.filters.reset()
        self.filters.reload_choices()

    def _filter_changed(self, filt: EntryFilter) -> None:
        self.model.set_filter(filt)
        self._update_state()

    def _busy(self, busy: bool) -> None:
        if busy:
            self.ctx.status.emit(self.tr("Sorting…"))
        else:
            self.ctx.status.emit("")
            self._update_state()

    def _update_state(self) -> None:
        n = self.model.rowCount()
        total = n if self.model.filter == EntryFilter() else self.ctx.store.count_entries()
        if total == 0:
            self.stack.setCurrentWidget(self.empty)
        elif n == 0:
            self.stack.setCurrentWidget(self.no_match)
        else:
            self.stack.setCurrentWidget(self.table)
        if n == total:
            self.count.setText(
                self.tr("{n:,} entries").format(n=n) if n != 1 else self.tr("1 entry")
            )
        else:
            self.count.setText(self.tr("{n:,} of {total:,} entries").format(n=n, total=total))
        self._selection_changed()

    def _selection_changed(self, *args: object) -> None:
        ids = self.table.selected_ids()
        self.edit_button.setEnabled(len(ids) == 1)
        self.delete_button.setEnabled(bool(ids))

    def _saved(self, entry_id: int) -> None:
        self.table.select_entry(entry_id)

    # ---------------------------------------------------------------- actions

    def focus_quick_add(self) -> None:
        self.quick_add.focus()

    def new_entry(self, person_id: int | None = None) -> None:
        dlg = EntryEditor(self.ctx, None, self, person_id=person_id)
        if dlg.exec() and dlg.saved_entry and dlg.saved_entry.id:
            self.table.select_entry(dlg.saved_entry.id)

    def _edit_current(self) -> None:
        eid = self.table.current_id()
        if eid is not None:
            self.edit_entry(eid)

    def edit_entry(self, entry_id: int) -> None:
        entry_actions.edit_entry(self.ctx, self, entry_id)

    def delete_entries(self, ids: list[int]) -> None:
        entry_actions.delete_entries(self.ctx, self, ids)

    def show_entry(self, entry_id: int) -> None:
        """Select an entry (from search); widen the filter if it is hidden, then edit it."""
        if not self.table.select_entry(entry_id):
            self.filters.reset()
            self.table.select_entry(entry_id)
        self.edit_entry(entry_id)


__all__ = ["FilterBar", "JournalPlace", "QMessageBox"]
