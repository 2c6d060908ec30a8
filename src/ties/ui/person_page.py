"""A person's page: their profile (editable in place), the give-and-take timeline, their entries."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ties.model import Person
from ties.store import EntryFilter, JournalError, NotFoundError, ValidationError
from ties.ui import commands, person_commands
from ties.ui import format as fmt
from ties.ui.context import AppContext
from ties.ui.dialogs.person_dialogs import refuse_taken_name
from ties.ui.entry_table import EntryTable
from ties.ui.errors import report_unexpected
from ties.ui.icons import icon
from ties.ui.models.entries import COL_PEOPLE, COL_TYPES, COL_WEIGHT, EntryTableModel
from ties.ui.person_details import contact_html, open_contact
from ties.ui.person_form import PersonForm
from ties.ui.person_links import LinksPanel
from ties.ui.person_timeline import PersonTimeline
from ties.ui.photos import (
    PhotoError,
    initials,
    name_colours,
    photo_bytes_from_file,
    round_pixmap,
)
from ties.ui.widgets import ErrorLabel

PHOTO_SIDE = 72


class PersonPage(QWidget):
    """One person. Edits are kept until Save (Ctrl+S) and go through the undo stack.

    Signals:
        new_entry_requested(int): log an entry with this person.
        edit_entry_requested(int), delete_entries_requested(list): from the entry list.
    """

    new_entry_requested = Signal(int)
    edit_entry_requested = Signal(int)
    delete_entries_requested = Signal(list)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.person: Person | None = None
        self.month: tuple[date, date] | None = None
        self.setAccessibleName("Person page")
        self.title = QLabel(self)
        self.title.setObjectName("placeTitle")
        self.title.setAccessibleName("Person name")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)  # a long name wraps rather than widening the page
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("muted")
        self.subtitle.setAccessibleName("Person summary")
        self.subtitle.setWordWrap(True)
        self.contact = QLabel(self)
        self.contact.setAccessibleName("Person contact")
        self.contact.setTextFormat(Qt.TextFormat.RichText)
        self.contact.setWordWrap(True)
        self.contact.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction
        )  # links open on click, text stays selectable
        self.contact.setOpenExternalLinks(False)
        self.photo = QLabel(self)
        self.photo.setAccessibleName("Person photo")
        self.photo.setFixedSize(PHOTO_SIDE, PHOTO_SIDE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_button = QToolButton(self)
        self.photo_button.setAccessibleName("Photo menu")
        self.photo_button.setText(self.tr("Photo"))
        self.photo_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        photo_menu = QMenu(self.photo_button)
        self.set_photo_action = photo_menu.addAction(self.tr("Set photo…"))
        self.remove_photo_action = photo_menu.addAction(self.tr("Remove photo"))
        self.photo_button.setMenu(photo_menu)
        self.banner = ErrorLabel("Person message", self)
        self.form = PersonForm(ctx.store, self)
        self.links = LinksPanel(ctx, self)
        self.save_button = QPushButton(self.tr("Save changes"), self)
        self.save_button.setAccessibleName("Save person")
        self.revert_button = QPushButton(self.tr("Revert"), self)
        self.revert_button.setAccessibleName("Revert person")
        self.log_button = QPushButton(icon("add"), self.tr("Log entry…"), self)
        self.log_button.setAccessibleName("Log entry with person")
        self.timeline = PersonTimeline(ctx, self)
        self.entries_model = EntryTableModel(lambda: self.ctx.store, ctx.today, self)
        self.entries = EntryTable(self.entries_model, "Person entries", self)
        self.entries.setColumnHidden(COL_WEIGHT, True)  # room for the note; the editor has it
        em = self.fontMetrics().horizontalAdvance("M")
        self.entries.setColumnWidth(COL_PEOPLE, 9 * em)
        self.entries.setColumnWidth(COL_TYPES, 10 * em)
        self.entries_label = QLabel(self)
        self.entries_label.setAccessibleName("Person entries count")
        self.month_button = QPushButton(self.tr("Show all months"), self)
        self.month_button.setAccessibleName("Show all months")
        self.month_button.hide()

        form_scroll = QScrollArea(self)
        form_scroll.setAccessibleName("Profile")
        form_scroll.setWidgetResizable(True)
        form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        form_holder = QWidget(form_scroll)
        fh = QVBoxLayout(form_holder)
        fh.setContentsMargins(4, 12, 12, 4)
        fh.addWidget(self.form)
        fh.addSpacing(12)
        fh.addWidget(self.links)
        fh.addStretch(1)
        form_scroll.setWidget(form_holder)
        form_scroll.viewport().installEventFilter(self)
        self.form_scroll = form_scroll

        head = QHBoxLayout()
        head.setSpacing(12)
        photo_box = QVBoxLayout()
        photo_box.setSpacing(2)
        photo_box.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignHCenter)
        photo_box.addWidget(self.photo_button, 0, Qt.AlignmentFlag.AlignHCenter)
        photo_box.addStretch(1)
        head.addLayout(photo_box)
        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        title_row = QHBoxLayout()
        title_row.addLayout(names, 1)
        title_row.addWidget(self.log_button, 0, Qt.AlignmentFlag.AlignTop)
        beside_photo = QVBoxLayout()
        beside_photo.setSpacing(2)
        beside_photo.addLayout(title_row)
        # Under the name and the Log button both: a long e-mail address must not widen
        # the page past the window's minimum width.
        beside_photo.addWidget(self.contact)
        beside_photo.addStretch(1)
        head.addLayout(beside_photo, 1)

        entries_box = QWidget(self)
        eb = QVBoxLayout(entries_box)
        eb.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        heading = QLabel(self.tr("Entries"), entries_box)
        heading.setObjectName("sectionTitle")
        bar.addWidget(heading)
        bar.addWidget(self.entries_label, 1)
        bar.addWidget(self.month_button)
        eb.addLayout(bar)
        eb.addWidget(self.entries, 1)

        # "Give and take" (timeline above the entries) and "Profile" (every field).
        history = QSplitter(Qt.Orientation.Vertical, self)
        history.setChildrenCollapsible(False)
        history.addWidget(self.timeline)
        history.addWidget(entries_box)
        history.setStretchFactor(0, 2)
        history.setStretchFactor(1, 3)
        history.setSizes([220, 330])
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Person sections")
        self.tabs.setDocumentMode(True)
        # Save and Revert under the form they act on, not in the tab bar's corner: at the
        # window's minimum width the corner covered the tabs.
        profile = QWidget(self)
        pl = QVBoxLayout(profile)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(form_scroll, 1)
        edit_buttons = QHBoxLayout()
        edit_buttons.setContentsMargins(4, 0, 12, 0)
        edit_buttons.addStretch(1)
        edit_buttons.addWidget(self.revert_button)
        edit_buttons.addWidget(self.save_button)
        pl.addLayout(edit_buttons)
        self.tabs.addTab(history, self.tr("Give and take"))
        self.tabs.addTab(profile, self.tr("Profile"))
        save_shortcut = QShortcut(QKeySequence("Ctrl+S"), self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self.save)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 0, 0, 0)
        lay.setSpacing(8)
        lay.addLayout(head)
        lay.addWidget(self.banner)
        lay.addWidget(self.tabs, 1)
        self._connect_callbacks()
        self._set_dirty(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # a Qt override
        if event.type() == QEvent.Type.Resize and watched is self.form_scroll.viewport():
            self.form.fit_width(self.form_scroll.viewport().width() - 16)
        return super().eventFilter(watched, event)

    def _connect_callbacks(self) -> None:
        self.form.edited.connect(lambda: self._set_dirty(True))
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.log_button.clicked.connect(self._log_entry)
        self.timeline.month_clicked.connect(self.filter_month)
        self.month_button.clicked.connect(lambda: self.filter_month(None, None))
        self.entries.edit_requested.connect(self.edit_entry_requested)
        self.entries.delete_requested.connect(self.delete_entries_requested)
        self.entries.person_requested.connect(self.ctx.person_requested)
        self.links.person_requested.connect(self.ctx.person_requested)
        self.contact.linkActivated.connect(open_contact)
        self.set_photo_action.triggered.connect(self.choose_photo)
        self.remove_photo_action.triggered.connect(self.remove_photo)

    def _log_entry(self) -> None:
        if self.person is not None and self.person.id is not None:
            self.new_entry_requested.emit(self.person.id)

    def _set_dirty(self, dirty: bool) -> None:
        self.dirty = dirty
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    # ------------------------------------------------------------------ loading

    def set_person(self, person_id: int | None) -> None:
        self.month = None
        self.month_button.hide()
        if person_id is None:
            self.person = None
            self.setEnabled(False)
            return
        self.setEnabled(True)
        self.person = self.ctx.store.get_person(person_id)
        self.form.reload_circles()
        self.form.load(self.person)
        self.banner.show_message(None)
        self._set_dirty(False)
        self._header()
        self.timeline.set_person(person_id, self.ctx.today())
        self.entries_model.set_filter(EntryFilter(person_id=person_id))
        self._count()

    def refresh(self) -> None:
        """Data changed elsewhere: reload, keeping unsaved edits."""
        if self.person is None:
            return
        try:
            fresh = self.ctx.store.get_person(self.person.id)  # type: ignore[arg-type]
        except NotFoundError:
            self.set_person(None)
            return
        self.person = fresh
        if not self.dirty:
            self.form.reload_circles()
            self.form.load(fresh)
        self._header()
        self.timeline.set_person(fresh.id, self.ctx.today())
        self.entries_model.refresh()
        self._count()

    def _header(self) -> None:
        p = self.person
        if p is None:
            return
        circles = {c.key: c.label for c in self.ctx.store.circles(include_retired=True)}
        bits = [circles.get(p.circle, p.circle), fmt.closeness(p.closeness)]
        if p.organization or p.role:
            bits.append(" · ".join(x for x in (p.role, p.organization) if x))
        bits.append("last contact " + fmt.ago(p.last_contact, self.ctx.today()))
        if p.archived:
            bits.append("archived")
        self.title.setText(html.escape(p.name))
        self.subtitle.setText("  ·  ".join(bits))
        contact = contact_html(p)
        self.contact.setText(contact)
        self.contact.setVisible(bool(contact))
        self._show_photo()
        self.links.set_person(p.id)

    def _show_photo(self) -> None:
        p = self.person
        if p is None or p.id is None:
            return
        data = self.ctx.store.get_photo(p.id) if p.has_photo else None
        pix = round_pixmap(data, PHOTO_SIDE, self.devicePixelRatioF())
        if pix is None:
            self.photo.setPixmap(QPixmap())
            self.photo.setText(html.escape(initials(p.name)))
            dark = self.palette().color(self.backgroundRole()).lightness() < 128
            fill, ink = name_colours(p.name, dark)
            self.photo.setStyleSheet(
                f"QLabel {{ background: {fill.name()}; border-radius: {PHOTO_SIDE // 2}px;"
                f" font-size: 22px; color: {ink.name()}; }}"
            )
        else:
            self.photo.setStyleSheet("")
            self.photo.setText("")
            self.photo.setPixmap(pix)
        self.remove_photo_action.setEnabled(p.has_photo)

    def choose_photo(self) -> None:
        """Ask for an image file and make it this person's photo (scaled, undoable)."""
        if self.person is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Photo of {name}").format(name=self.person.name),
            "",
            self.tr("Images (*.jpg *.jpeg *.png *.webp *.bmp *.gif)"),
        )
        if path:
            self.set_photo_from(path)

    def set_photo_from(self, path: str) -> bool:
        if self.person is None or self.person.id is None:
            return False
        try:
            data = photo_bytes_from_file(path)
            person_commands.set_photo(self.ctx, self.person.id, data)
        except (PhotoError, JournalError) as exc:
            self.banner.show_message(str(exc))
            return False
        self.ctx.status.emit(self.tr("Photo set — Ctrl+Z undoes it."))
        return True

    def remove_photo(self) -> None:
        if self.person is None or self.person.id is None or not self.person.has_photo:
            return
        try:
            person_commands.set_photo(self.ctx, self.person.id, None)
        except JournalError as exc:
            self.banner.show_message(str(exc))
            return
        self.ctx.status.emit(self.tr("Photo removed — Ctrl+Z undoes it."))

    def _count(self) -> None:
        n = self.entries_model.rowCount()
        text = f"{n:,} entr{'y' if n == 1 else 'ies'}"
        if self.month:
            text += f" in {self.month[0]:%B %Y}"
        self.entries_label.setText(text)

    def filter_month(self, first: date | None, last: date | None) -> None:
        """Show only one month of this person's entries (from the timeline)."""
        if self.person is None:
            return
        if first is None or last is None:
            self.month = None
            self.month_button.hide()
            filt = EntryFilter(person_id=self.person.id)
        else:
            self.month = (first, last)
            self.month_button.show()
            filt = EntryFilter(person_id=self.person.id, since=first, until=last)
        self.entries_model.set_filter(filt)
        self._count()

    # ------------------------------------------------------------------- saving

    def save(self) -> bool:
        if self.person is None or not self.dirty:
            return True
        self.banner.show_message(None)
        person = self.form.build(self.person)
        try:
            self.ctx.store.validate_person(person)
            if person.name != self.person.name:
                refuse_taken_name(self.ctx, person)
            self._set_dirty(False)
            commands.update_person(self.ctx, person)
        except ValidationError as exc:
            self._set_dirty(True)
            self.tabs.setCurrentIndex(1)
            if not self.form.show_errors(exc.field, str(exc)):
                self.banner.show_message(str(exc))
            return False
        except JournalError as exc:  # keep what was typed
            self._set_dirty(True)
            self.banner.show_message(str(exc))
            return False
        except Exception as exc:
            self._set_dirty(True)
            self.banner.show_message(report_unexpected(exc))
            return False
        self.form.show_errors(None, "")
        self.ctx.status.emit(self.tr("Saved {name} — Ctrl+Z undoes it.").format(name=person.name))
        return True

    def revert(self) -> None:
        if self.person is not None:
            self._set_dirty(False)
            self.form.load(self.person)
