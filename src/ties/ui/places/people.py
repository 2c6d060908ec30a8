"""The People place: a filterable list of everyone, and the page of the one selected."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ties.model import CLOSENESS_LABELS
from ties.store import JournalError, PeopleFilter
from ties.ui import commands, entry_actions
from ties.ui.changes import Changes
from ties.ui.context import AppContext
from ties.ui.dialogs.entry_editor import EntryEditor
from ties.ui.dialogs.person_dialogs import (
    ARCHIVE_INSTEAD,
    DELETE_WITH_ENTRIES,
    NewPersonDialog,
    ask_delete_person,
)
from ties.ui.errors import show_error
from ties.ui.icons import icon
from ties.ui.models.people import (
    COL_CIRCLE,
    COL_CLOSENESS,
    COL_LAST,
    COL_NAME,
    COL_ORG,
    PERSON_ID_ROLE,
    PeopleTableModel,
)
from ties.ui.person_page import PersonPage
from ties.ui.places.empty import EmptyState
from ties.ui.settings import remember_split, remembered_split
from ties.ui.tag_filter import fill_tag_choices

ARCHIVED_CHOICES: tuple[tuple[str, bool | None], ...] = (
    ("Active", False),
    ("Archived", True),
    ("Everyone", None),
)
PEOPLE_SPLIT = "people/split"


class PeoplePlace(QWidget):
    """List on the left, person page on the right."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("People place")
        self.search = QLineEdit(self)
        self.search.setAccessibleName("Filter people by name")
        self.search.setPlaceholderText(self.tr("Filter by name…"))
        self.search.setClearButtonEnabled(True)
        self.circle = QComboBox(self)
        self.circle.setAccessibleName("Filter by circle")
        self.closeness = QComboBox(self)
        self.closeness.setAccessibleName("Filter by closeness")
        self.closeness.addItem(self.tr("Any closeness"), None)
        for value, label in CLOSENESS_LABELS.items():
            self.closeness.addItem(f"{value} · {label}", value)
        self.tag = QComboBox(self)
        self.tag.setAccessibleName("Filter by tag")
        self.archived = QComboBox(self)
        self.archived.setAccessibleName("Filter by archived")
        for text, archived in ARCHIVED_CHOICES:
            self.archived.addItem(text, archived)
        for combo in (self.circle, self.closeness, self.archived, self.tag):
            # Shrinkable: at the window's minimum width the list and the page share ~670 px.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(4)
        self.model = PeopleTableModel(lambda: self.ctx.store, ctx.today, self)
        self.model.show_thumbnails(self.fontMetrics().height() + 4)
        self.table = QTableView(self)
        self.table.setAccessibleName("People list")
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrow keys move inside it
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        thumb = self.fontMetrics().height() + 4
        self.table.setIconSize(QSize(thumb, thumb))
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fm = self.fontMetrics()
        pad = fm.horizontalAdvance("MM")
        for col, sample in (
            (COL_CIRCLE, "Communit"),
            (COL_CLOSENESS, "acquaintanc"),
            (COL_ORG, "Umbrella Labs"),
            (COL_LAST, "11 months ago"),
        ):
            self.table.setColumnWidth(col, fm.horizontalAdvance(sample) + pad)
        self._col_widths = {
            col: self.table.columnWidth(col) for col in (COL_CIRCLE, COL_CLOSENESS, COL_LAST)
        }
        self.table.setColumnHidden(COL_ORG, True)  # shown on the person page; the list stays narrow
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.count = QLabel(self)
        self.count.setAccessibleName("People count")
        self.count.setObjectName("muted")
        self.add_button = QPushButton(icon("add"), self.tr("Add person…"), self)
        self.add_button.setAccessibleName("Add person")
        self.archive_button = QPushButton(icon("archive"), self.tr("Archive"), self)
        self.archive_button.setAccessibleName("Archive person")
        self.delete_button = QPushButton(icon("delete"), self.tr("Delete…"), self)
        self.delete_button.setAccessibleName("Delete person")
        self.page = PersonPage(ctx, self)
        self.no_person = EmptyState(
            self.tr("No one selected"),
            self.tr("Choose someone in the list to see and edit their page."),
            self,
        )
        self.no_people = EmptyState(
            self.tr("No people yet"),
            self.tr(
                "Add someone with Add person…, or name them in a quick-add line in the Journal "
                "(for example <b>coffee with @Sam</b>): new names become people."
            ),
            self,
        )
        self.right = QStackedWidget(self)
        self.right.addWidget(self.no_person)
        self.right.addWidget(self.page)
        self.right.addWidget(self.no_people)

        title = QLabel(self.tr("People"), self)
        title.setObjectName("placeTitle")
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        t = QHBoxLayout()
        t.addWidget(title)
        t.addStretch(1)
        t.addWidget(self.count)
        ll.addLayout(t)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 2)
        search_row.addWidget(self.tag, 1)
        ll.addLayout(search_row)
        filters = QHBoxLayout()
        filters.addWidget(self.circle, 1)
        filters.addWidget(self.closeness, 1)
        filters.addWidget(self.archived, 1)
        ll.addLayout(filters)
        ll.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.archive_button)
        buttons.addWidget(self.delete_button)
        ll.addLayout(buttons)
        self.left = left
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setAccessibleName("People list and page")
        split.setChildrenCollapsible(False)
        split.addWidget(left)
        split.addWidget(self.right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes(remembered_split(PEOPLE_SPLIT) or [430, 710])  # the page holds more
        split.splitterMoved.connect(
            lambda _pos, _index: remember_split(PEOPLE_SPLIT, split.sizes())
        )
        self.split = split
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 12)
        lay.addWidget(split)
        self.reload_circles()
        self.reload_tags()
        self._connect_callbacks()
        self._refilter()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # a Qt override
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """Drop the closeness, then the circle column when the list is too narrow for them.

        The filters above still choose by both, and the page shows them; the name and the last
        contact are what the list is for.
        """
        width = self.table.viewport().width()
        name_room = self.fontMetrics().horizontalAdvance("Maria Fernández")
        need = name_room
        for col in (COL_LAST, COL_CIRCLE, COL_CLOSENESS):
            need += self._col_widths[col]
            self.table.setColumnHidden(col, col != COL_LAST and need > width)

    def _connect_callbacks(self) -> None:
        self.table.viewport().installEventFilter(self)
        self.search.textChanged.connect(self._refilter)  # a name LIKE query: fast enough
        for combo in (self.circle, self.closeness, self.archived, self.tag):
            combo.activated.connect(self._refilter)  # user choices only, not teardown
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._after_reset)
        self.add_button.clicked.connect(lambda: self.new_person())
        self.archive_button.clicked.connect(self.toggle_archived)
        self.delete_button.clicked.connect(self.delete_current)
        self.ctx.changed.connect(self._data_changed)
        self.ctx.journal_opened.connect(self._journal_opened)
        self.ctx.person_requested.connect(self.show_person)
        self.page.new_entry_requested.connect(self._log_entry)
        self.page.edit_entry_requested.connect(self._edit_entry)
        self.page.delete_entries_requested.connect(self._delete_entries)

    # ---------------------------------------------------------------- filters

    def reload_circles(self) -> None:
        current = self.circle.currentData()
        self.circle.blockSignals(True)
        self.circle.clear()
        self.circle.addItem(self.tr("Every circle"), None)
        for c in self.ctx.store.circles():
            self.circle.addItem(c.label, c.key)
        self.circle.setCurrentIndex(max(self.circle.findData(current), 0))
        self.circle.blockSignals(False)

    def reload_tags(self) -> None:
        """The tag filter's choices: every tag in the journal, with how many carry it."""
        fill_tag_choices(self.tag, self.ctx.store.tags())

    def current_filter(self) -> PeopleFilter:
        return PeopleFilter(
            tag=self.tag.currentData(),
            circle=self.circle.currentData(),
            closeness=self.closeness.currentData(),
            archived=self.archived.currentData(),
            text=self.search.text().strip() or None,
        )

    def _refilter(self) -> None:
        keep = self.selected_id()
        self.model.set_filter(self.current_filter())
        if keep is not None:
            self._select(keep)

    def _after_reset(self) -> None:
        n = self.model.rowCount()
        total = self.ctx.store.count_people(PeopleFilter(archived=None))
        if n != total:
            self.count.setText(self.tr("{n} of {total}").format(n=f"{n:,}", total=f"{total:,}"))
        elif n == 1:
            self.count.setText(self.tr("1 person"))
        else:
            self.count.setText(self.tr("{n} people").format(n=f"{n:,}"))
        if total == 0:
            self.right.setCurrentWidget(self.no_people)
        elif self.page.person is None:
            self.right.setCurrentWidget(self.no_person)
        self._buttons()

    def _data_changed(self, changes: Changes) -> None:
        if changes.journal_data:
            keep = self.selected_id()
            if changes.settings:
                self.reload_circles()
            if changes.people or changes.settings:  # entries alone leave the list as it is
                self.reload_tags()
                self.model.refresh()
                if keep is not None:
                    self._select(keep)
            self.page.refresh()
            self._after_reset()

    def _journal_opened(self) -> None:
        self.page.set_person(None)
        self.search.clear()
        self.tag.setCurrentIndex(0)
        self.reload_circles()
        self.reload_tags()
        self.model.set_filter(self.current_filter())
        self._after_reset()

    # -------------------------------------------------------------- selection

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return index.siblingAtColumn(0).data(PERSON_ID_ROLE)

    def _select(self, person_id: int) -> bool:
        row = self.model.row_of(person_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def _current_changed(self, current, _previous) -> None:
        if not shiboken6.isValid(self.page):  # the place is being torn down
            return
        pid = current.siblingAtColumn(0).data(PERSON_ID_ROLE) if current.isValid() else None
        if self.page.person is not None and pid == self.page.person.id:
            return
        if self.page.dirty and not self.page.save():
            return
        self.page.set_person(pid)
        self.right.setCurrentWidget(self.page if pid is not None else self.no_person)
        self._buttons()

    def _buttons(self) -> None:
        p = self.page.person if self.right.currentWidget() is self.page else None
        self.archive_button.setEnabled(p is not None)
        self.delete_button.setEnabled(p is not None)
        self.archive_button.setText("Unarchive" if p and p.archived else "Archive")
        self.archive_button.setAccessibleName(
            "Unarchive person" if p and p.archived else "Archive person"
        )

    def show_person(self, person_id: int) -> None:
        """Open a person's page (from search or elsewhere), widening filters if needed."""
        if not self._select(person_id):
            self.model.refresh()
        if not self._select(person_id):
            for w in (self.circle, self.closeness, self.archived, self.tag):
                w.blockSignals(True)
            self.search.blockSignals(True)
            self.search.clear()
            self.tag.setCurrentIndex(0)
            self.circle.setCurrentIndex(0)
            self.closeness.setCurrentIndex(0)
            self.archived.setCurrentIndex(2)
            for w in (self.circle, self.closeness, self.archived, self.tag):
                w.blockSignals(False)
            self.search.blockSignals(False)
            self.model.set_filter(self.current_filter())
            if not self._select(person_id):  # far down a long list: show the page anyway
                self.table.clearSelection()
                self.page.set_person(person_id)
                self.right.setCurrentWidget(self.page)
        self._buttons()

    # ---------------------------------------------------------------- actions

    def new_person(self, name: str = "") -> None:
        dlg = NewPersonDialog(self.ctx, self, name)
        if dlg.exec() and dlg.person and dlg.person.id:
            self.show_person(dlg.person.id)

    def toggle_archived(self) -> None:
        p = self.page.person
        if p is None or p.id is None:
            return
        try:
            commands.set_archived(self.ctx, p.id, not p.archived)
        except JournalError as exc:
            show_error(self, exc)
            return
        if p.archived:
            done = self.tr("Unarchived {name} — Ctrl+Z undoes it.")
        else:
            done = self.tr("Archived {name} — Ctrl+Z undoes it.")
        self.ctx.status.emit(done.format(name=p.name))

    def delete_current(self) -> None:
        p = self.page.person
        if p is None or p.id is None:
            return
        solo, shared = self.ctx.store.person_entry_split(p.id)
        choice = ask_delete_person(self, p.name, solo + shared, shared)
        if choice is None:
            return
        if choice == ARCHIVE_INSTEAD:
            if not p.archived:
                self.toggle_archived()
            return
        try:
            commands.delete_person(self.ctx, p.id, with_entries=choice == DELETE_WITH_ENTRIES)
        except JournalError as exc:
            show_error(self, exc)
            return
        self.page.set_person(None)
        self.right.setCurrentWidget(self.no_person)
        self._buttons()
        self.ctx.status.emit(self.tr("Deleted {name} — Ctrl+Z undoes it.").format(name=p.name))

    def merge(self) -> None:
        """People → Merge…: the selected person is offered as the one to keep."""
        from ties.ui.dialogs.merge_people import MergePeopleDialog

        if self.page.dirty and not self.page.save():
            return
        keep = self.page.person.id if self.page.person is not None else None
        dlg = MergePeopleDialog(self.ctx, self, keep)
        if dlg.exec() and dlg.keep_id is not None:
            self.show_person(dlg.keep_id)

    def _log_entry(self, person_id: int) -> None:
        EntryEditor(self.ctx, None, self, person_id=person_id).exec()

    def _edit_entry(self, entry_id: int) -> None:
        entry_actions.edit_entry(self.ctx, self, entry_id)

    def _delete_entries(self, ids: list[int]) -> None:
        entry_actions.delete_entries(self.ctx, self, ids)
