"""The main window: places sidebar, menus and shortcuts, first-run page, journal switching.

Only the place shown first is built (and imported) before the window appears;
the others, the search box and the dialogs are imported and built when first
asked for, so a cold start pays for one place (see docs/performance.md).
"""

from __future__ import annotations

import html
import importlib
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QByteArray,
    QCoreApplication,
    QSize,
    Qt,
    Signal,
    qVersion,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ties.app.journal import open_journal, refuse_folder
from ties.store import CorruptJournalError, JournalError
from ties.ui import deferred
from ties.ui import lock as journal_lock
from ties.ui.banner import ReadOnlyBanner
from ties.ui.changes import Changes
from ties.ui.context import AppContext
from ties.ui.errors import show_error
from ties.ui.icons import icon
from ties.ui.journal_check import JournalCheck
from ties.ui.settings import app_settings, recent_journals, remember_journal
from ties.ui.unlock import open_unlocked
from ties.ui.welcome import WelcomePage

if TYPE_CHECKING:
    from ties.ui.places.journal import JournalPlace
    from ties.ui.places.people import PeoplePlace
    from ties.ui.quit_backup import QuitBackup
    from ties.ui.search import SearchDialog
    from ties.ui.sync import SyncController

PLACES = ("today", "journal", "people", "coverage", "map")
#: Where each place's widget class lives: imported when the place is first shown.
PLACE_CLASSES = {
    "today": ("ties.ui.places.today", "TodayPlace"),
    "journal": ("ties.ui.places.journal", "JournalPlace"),
    "people": ("ties.ui.places.people", "PeoplePlace"),
    "coverage": ("ties.ui.places.coverage", "CoveragePlace"),
    "map": ("ties.ui.places.map", "MapPlace"),
}
PLACE_TITLES = {
    "today": QT_TRANSLATE_NOOP("MainWindow", "Today"),
    "journal": QT_TRANSLATE_NOOP("MainWindow", "Journal"),
    "people": QT_TRANSLATE_NOOP("MainWindow", "People"),
    "coverage": QT_TRANSLATE_NOOP("MainWindow", "Coverage"),
    "map": QT_TRANSLATE_NOOP("MainWindow", "Map"),
}

SHORTCUTS = (
    ("Ctrl+N", QT_TRANSLATE_NOOP("MainWindow", "New entry with every field")),
    ("Ctrl+L", QT_TRANSLATE_NOOP("MainWindow", "Focus the quick-add line")),
    ("F2", QT_TRANSLATE_NOOP("MainWindow", "Circle and closeness of the people quick-add created")),
    ("Ctrl+F", QT_TRANSLATE_NOOP("MainWindow", "Search people and notes")),
    ("Ctrl+Z", QT_TRANSLATE_NOOP("MainWindow", "Undo")),
    ("Ctrl+Shift+Z", QT_TRANSLATE_NOOP("MainWindow", "Redo")),
    ("Ctrl+1 … Ctrl+5", QT_TRANSLATE_NOOP("MainWindow", "Today, Journal, People, Coverage, Map")),
    ("Ctrl+Shift+P", QT_TRANSLATE_NOOP("MainWindow", "New person")),
    ("Ctrl+S", QT_TRANSLATE_NOOP("MainWindow", "Save the person page")),
    ("Enter / double-click", QT_TRANSLATE_NOOP("MainWindow", "Edit the selected entry")),
    ("Delete", QT_TRANSLATE_NOOP("MainWindow", "Delete the selected entries (undoable)")),
    ("Ctrl+,", QT_TRANSLATE_NOOP("MainWindow", "Settings: circles and support types")),
    ("Ctrl+O", QT_TRANSLATE_NOOP("MainWindow", "Open another journal")),
    ("Ctrl+Q", QT_TRANSLATE_NOOP("MainWindow", "Quit")),
)


def _place_title(name: str) -> str:
    """A place's title in the user's language."""
    return QCoreApplication.translate("MainWindow", str(PLACE_TITLES[name]))


class Places(Mapping[str, QWidget]):
    """Place name → widget, building (and importing) a place the first time it is asked for.

    A built place is added to ``stack``; :meth:`built` says which exist already.
    """

    def __init__(self, ctx: AppContext, stack: QStackedWidget) -> None:
        self._ctx = ctx
        self._stack = stack
        self._widgets: dict[str, QWidget] = {}

    def __getitem__(self, name: str) -> QWidget:
        widget = self._widgets.get(name)
        if widget is None:
            if name not in PLACE_CLASSES:
                raise KeyError(name)
            module, cls = PLACE_CLASSES[name]
            widget = getattr(importlib.import_module(module), cls)(self._ctx)
            self._widgets[name] = widget
            self._stack.addWidget(widget)
        return widget

    def __iter__(self) -> Iterator[str]:
        return iter(PLACES)

    def __len__(self) -> int:
        return len(PLACES)

    def built(self, name: str) -> bool:
        return name in self._widgets


class MainWindow(QMainWindow):
    """The window around the places.

    Attributes:
        ctx: the shared :class:`AppContext`.
        places: place name → widget (a :class:`Places`: built on first access).

    Signals:
        closed(): the window closed for real (after the backup taken on closing).
    """

    closed = Signal()

    def __init__(self, ctx: AppContext, lock=None) -> None:
        super().__init__()
        self.ctx = ctx
        self.lock = lock
        self.setAccessibleName("Ties main window")
        self.setWindowIcon(icon("app"))
        self.setMinimumSize(QSize(880, 560))
        self.sidebar = QListWidget(self)
        self.sidebar.setAccessibleName("Places")
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.sidebar.setFixedWidth(176)
        self.sidebar.setFrameShape(QListWidget.Shape.NoFrame)
        self.stack = QStackedWidget(self)
        self.stack.setAccessibleName("Place")
        self.places = Places(ctx, self.stack)
        for name in PLACES:
            title = _place_title(name)
            item = QListWidgetItem(icon(name), title)
            item.setSizeHint(QSize(0, 36))
            item.setToolTip(
                self.tr("{place} (Ctrl+{key})").format(place=title, key=PLACES.index(name) + 1)
            )
            self.sidebar.addItem(item)
        self._welcome: WelcomePage | None = None  # built when first shown (``welcome``)
        self.journal_label = QLabel(self)
        self.journal_label.setObjectName("muted")
        self.journal_label.setAccessibleName("Journal file")
        body = QWidget(self)
        lay = QHBoxLayout(body)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.sidebar)
        self.banner = ReadOnlyBanner(self)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.stack, 1)
        lay.addWidget(right, 1)
        self.setCentralWidget(body)
        self.statusBar().addPermanentWidget(self.journal_label)
        self._sync: SyncController | None = None
        # The sync starts once the window has painted, its code imported on a worker first
        # (~15 ms the first screen does not need), or when first asked for (``sync``).
        deferred.after_first_paint(
            self, lambda: deferred.import_then(("ties.ui.sync",), self._start_sync)
        )
        self._search: SearchDialog | None = None
        self._quit_backup: QuitBackup | None = None
        #: Set by the tray (ui/tray.py) once the window was used and hidden there: quitting
        #: from the tray then takes the same closing backup as closing the window.
        self.backup_when_hidden = False
        from ties.ui.backup_idle_check import IdleBackupCheck

        self.idle_backup_check = IdleBackupCheck(self.ctx, self)
        from ties.ui.idle_lock import IdleLock

        self.idle_lock = IdleLock(self.ctx, self)
        self.journal_check = JournalCheck(ctx, self)
        self.journal_check.failed.connect(self._check_failed)
        self._make_actions()
        self._make_menus()
        self._connect_callbacks()
        self._journal_opened()

    @property
    def sync(self) -> SyncController:
        """The sync with the journal's folder (``ui/sync.py``), started when first built."""
        if self._sync is None:
            from ties.ui.sync import SyncController

            self._sync = SyncController(self.ctx, self)
            self.statusBar().addPermanentWidget(self._sync.inbox_button)
            self.statusBar().addPermanentWidget(self._sync.label)
        return self._sync

    def _start_sync(self) -> None:
        if self.isVisible():  # not closed meanwhile
            self.sync  # noqa: B018 (built: it syncs at once)

    @property
    def search(self) -> SearchDialog:
        """The search box (Ctrl+F), built the first time it is opened."""
        if self._search is None:
            from ties.ui.search import SearchDialog

            self._search = SearchDialog(self.ctx, self)
        return self._search

    # ---------------------------------------------------------------- actions

    def _action(
        self,
        text: str,
        slot,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon_name: str = "",
    ) -> QAction:
        act = QAction(text, self)
        if icon_name:
            act.setIcon(icon(icon_name))
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.triggered.connect(lambda _checked=False: slot())
        self.addAction(act)
        return act

    def _make_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.act_new_journal = self._action(self.tr("&New journal…"), self.new_journal)
        self.act_open_journal = self._action(
            self.tr("&Open journal…"), self.open_journal_dialog, std.Open
        )
        self.act_open_sample = self._action(self.tr("Open &sample journal"), self.open_sample)
        self.act_backup = self._action(
            self.tr("&Backup…"), lambda: _exchange().backup_dialog(self.ctx, self), "", "backup"
        )
        self.act_restore = self._action(
            self.tr("&Restore…"), lambda: _exchange().restore_dialog(self.ctx, self)
        )
        self.act_export = self._action(
            self.tr("&Export…"), lambda: _exchange().export_dialog(self.ctx, self), "", "export"
        )
        self.act_import = self._action(
            self.tr("&Import…"), lambda: _exchange().import_dialog(self.ctx, self), "", "import"
        )
        self.act_encrypt = self._action(
            self.tr("Encrypt &journal…"), lambda: _crypt().encrypt_journal(self.ctx, self)
        )
        self.act_passphrase = self._action(
            self.tr("Change &passphrase…"), lambda: _crypt().change_passphrase(self.ctx, self)
        )
        self.act_decrypt = self._action(
            self.tr("Remove en&cryption…"), lambda: _crypt().remove_encryption(self.ctx, self)
        )
        self.act_lock = self._action(self.tr("&Lock journal"), lambda: self.idle_lock.lock())
        self.act_lock_idle = self._action(self.tr("Lock after &idle…"), self.set_lock_after_idle)
        self.act_quit = self._action(self.tr("&Quit"), self.close, std.Quit)
        self.act_undo = self.ctx.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.act_undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.act_undo.setIcon(icon("undo"))
        self.act_redo = self.ctx.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.act_redo.setIcon(icon("redo"))
        self.addAction(self.act_undo)
        self.addAction(self.act_redo)
        self.act_new_entry = self._action(self.tr("&New entry…"), self.new_entry, "Ctrl+N", "add")
        self.act_quick_add = self._action(self.tr("&Quick add"), self.focus_quick_add, "Ctrl+L")
        self.act_new_person = self._action(self.tr("New &person…"), self.new_person, "Ctrl+Shift+P")
        self.act_merge_people = self._action(self.tr("&Merge…"), self.merge_people)
        self.act_find = self._action(
            self.tr("&Find…"), lambda: self.search.start(), "Ctrl+F", "search"
        )
        self.act_settings = self._action(
            self.tr("&Settings…"), self.open_settings, "Ctrl+,", "settings"
        )
        self.act_places = [
            self._action(
                _place_title(name),
                lambda n=name: self.show_place(n),
                f"Ctrl+{i + 1}",
                name,
            )
            for i, name in enumerate(PLACES)
        ]
        self.act_shortcuts = self._action(self.tr("&Keyboard shortcuts"), self.show_shortcuts)
        self.act_about = self._action(self.tr("&About Ties"), self.show_about)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu(self.tr("&File"))
        for a in (self.act_new_journal, self.act_open_journal):
            m.addAction(a)
        self.recent_menu = m.addMenu(self.tr("Open &recent"))
        self.recent_menu.menuAction().setObjectName("recentJournals")
        self.recent_menu.aboutToShow.connect(self.fill_recent)
        self.fill_recent()
        m.addAction(self.act_open_sample)
        m.addSeparator()
        for a in (self.act_backup, self.act_restore, self.act_export, self.act_import):
            m.addAction(a)
        m.addSeparator()
        for a in (
            self.act_encrypt,
            self.act_passphrase,
            self.act_decrypt,
            self.act_lock,
            self.act_lock_idle,
        ):
            m.addAction(a)
        m.aboutToShow.connect(self._update_encryption_actions)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = bar.addMenu(self.tr("&Edit"))
        m.addAction(self.act_undo)
        m.addAction(self.act_redo)
        m.addSeparator()
        m.addAction(self.act_new_entry)
        m.addAction(self.act_quick_add)
        m.addAction(self.act_new_person)
        m.addSeparator()
        m.addAction(self.act_find)
        m.addSeparator()
        m.addAction(self.act_settings)
        m.addAction(self._action(self.tr("S&ync folder…"), lambda: self.sync.choose(self)))
        m.addAction(self._action(self.tr("&Phone inbox…"), lambda: self.sync.open_inbox(self)))
        m = bar.addMenu(self.tr("&People"))
        m.addAction(self.act_new_person)
        m.addAction(self.act_merge_people)
        m = bar.addMenu(self.tr("&View"))
        for a in self.act_places:
            m.addAction(a)
        m = bar.addMenu(self.tr("&Help"))
        m.addAction(self.act_shortcuts)
        m.addAction(self.act_about)

    def _update_encryption_actions(self) -> None:
        """Encrypt for a plain journal, change or remove for an encrypted one."""
        encrypted = getattr(self.ctx.store, "encrypted", False)
        writable = not self.ctx.store.readonly
        self.act_encrypt.setEnabled(writable and not encrypted)
        self.act_passphrase.setEnabled(writable and encrypted)
        self.act_decrypt.setEnabled(writable and encrypted)
        self.act_lock.setEnabled(encrypted)

    def set_lock_after_idle(self) -> None:
        """File → Lock after idle…: minutes without input before an encrypted journal locks."""
        from PySide6.QtWidgets import QInputDialog

        from ties.ui import idle_lock

        current = idle_lock.idle_minutes()
        minutes, ok = QInputDialog.getInt(
            self,
            self.tr("Lock after idle"),
            self.tr(
                "Close an encrypted journal and ask its passphrase again after this many "
                "minutes without use (0: never):"
            ),
            current or idle_lock.SUGGESTED_MINUTES,
            0,
            24 * 60,
        )
        if ok:
            idle_lock.set_idle_minutes(minutes)
            self.idle_lock.restart()

    def _connect_callbacks(self) -> None:
        self.sidebar.currentRowChanged.connect(self._place_row_changed)
        self.ctx.changed.connect(self._data_changed)
        self.ctx.journal_opened.connect(self._journal_opened)
        self.ctx.status.connect(self._status)
        self.ctx.person_requested.connect(self._person_requested)
        self.ctx.entry_requested.connect(self._entry_requested)

    # ------------------------------------------------------------------ places

    def current_place(self) -> str:
        row = self.sidebar.currentRow()
        return PLACES[row] if 0 <= row < len(PLACES) else "today"

    def show_place(self, name: str) -> None:
        row = PLACES.index(name)
        if self.sidebar.currentRow() != row:
            self.sidebar.setCurrentRow(row)  # its currentRowChanged shows the place
        else:  # the same row: shown again (the welcome page may have given way to it)
            self._place_row_changed(row)

    def _person_requested(self, person_id: int) -> None:
        if not self.places.built("people"):  # built now: it missed this signal
            self.people_place().show_person(person_id)
        self.show_place("people")

    def _entry_requested(self, entry_id: int) -> None:
        if not self.places.built("journal"):  # built now: it missed this signal
            self.journal_place().show_entry(entry_id)
        self.show_place("journal")

    def _place_row_changed(self, row: int) -> None:
        if not 0 <= row < len(PLACES):
            return
        name = PLACES[row]
        if self._journal_empty() and name in ("today", "coverage", "map"):
            self.welcome.set_place(name)  # what this place will show, once there are entries
            self.stack.setCurrentWidget(self.welcome)
        else:
            self.stack.setCurrentWidget(self.places[name])
            if name == "journal":  # logging is what people come here for
                self.journal_place().focus_quick_add()
        app_settings().setValue("window/place", name)

    def _journal_empty(self) -> bool:
        """No person and no entry (people counted: ~1 ms; entries looked for: counting a
        million costs ~40 ms; listing one person sorts them all by folded name, ~30 ms)."""
        store = self.ctx.store
        return not store.count_people(_all_people()) and not store.list_entries(limit=1)

    def _data_changed(self, _changes: Changes) -> None:
        shown = self.stack.currentWidget()
        if shown is not None and shown is self._welcome and not self._journal_empty():
            self._place_row_changed(self.sidebar.currentRow())

    def _journal_opened(self) -> None:
        store = self.ctx.store
        self.banner.show_for(store)
        # Only the journal's name: the platform adds the application's display name
        # ("work — Ties"); "Ties — work" came out as "Ties — work — Ties" (issue #17 item 15).
        self.setWindowTitle(store.name)
        suffix = self.tr("  (sample journal)") if store.is_demo else ""
        if store.readonly:
            suffix += self.tr("  (read-only)")
        self.journal_label.setText(str(store.path) + suffix)
        if self._welcome is not None:
            self._offer_encryption(self._welcome)
        self._place_row_changed(self.sidebar.currentRow())
        self.check_journal()

    @property
    def welcome(self) -> WelcomePage:
        """The first-run page, built the first time a place has nothing to show (a journal
        with entries never needs it: ~10 ms of a start)."""
        if self._welcome is None:
            page = WelcomePage(self)
            page.add_person.connect(self.new_person)
            page.log_entry.connect(self._first_entry)
            page.open_sample.connect(self.open_sample)
            page.encrypt_journal.connect(lambda: _crypt().encrypt_journal(self.ctx, self))
            self._offer_encryption(page)
            self.stack.addWidget(page)
            self._welcome = page
        return self._welcome

    def _offer_encryption(self, page: WelcomePage) -> None:
        from ties.store import encryption

        store = self.ctx.store
        page.offer_encryption(
            encrypted=getattr(store, "encrypted", False),
            writable=not store.readonly and not store.is_demo,
            unavailable="" if encryption.available() else encryption.UNAVAILABLE_REASON,
        )

    def check_journal(self) -> None:
        """SQLite's quick check, on a worker, at most daily (at once after an unclean end).

        The end was unclean when a write-ahead log lay beside the journal while this
        window could take its lock: no other window has it open, so the last one
        ended without closing it (a command running right then makes a needless check).
        """
        store = self.ctx.store
        self.journal_check.schedule(unclean=store.wal_at_open and self.lock is not None)

    def _check_failed(self, exc: object) -> None:
        if isinstance(exc, CorruptJournalError):  # offer the newest backup that passes its check
            from ties.ui.recovery import offer_recovery

            offer_recovery(self, self.ctx, exc)
        elif isinstance(exc, BaseException):  # a known problem is said plainly; a bug is logged
            show_error(self, exc, self.tr("Journal check"))

    def _status(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text, 6000)
        else:
            self.statusBar().clearMessage()

    # ---------------------------------------------------------------- commands

    def journal_place(self) -> JournalPlace:
        return self.places["journal"]  # type: ignore[return-value]

    def people_place(self) -> PeoplePlace:
        return self.places["people"]  # type: ignore[return-value]

    def new_entry(self) -> None:
        self.journal_place().new_entry()

    def _first_entry(self) -> None:
        self.show_place("journal")
        self.focus_quick_add()

    def focus_quick_add(self) -> None:
        self.show_place("journal")
        self.journal_place().focus_quick_add()

    def new_person(self) -> None:
        self.show_place("people")
        self.people_place().new_person()

    def merge_people(self) -> None:
        self.show_place("people")
        self.people_place().merge()

    def open_settings(self) -> None:
        from ties.ui.dialogs.settings import SettingsDialog

        SettingsDialog(self.ctx, self, sync=self.sync).exec()

    def show_shortcuts(self) -> None:
        shortcuts = [(k, QCoreApplication.translate("MainWindow", str(v))) for k, v in SHORTCUTS]
        rows = "".join(
            f"<tr><td style='padding-right:18px'><b>{k}</b></td><td>{v}</td></tr>"
            for k, v in shortcuts
        )
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Keyboard shortcuts"))
        box.setAccessibleName("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText("<table>" + rows + "</table>")
        box.exec()

    def show_about(self) -> None:
        """The version, and what a bug report needs: Qt, PySide6, SQLite, the journal's file."""
        from ties import __version__

        details = self.tr(
            "<p>Qt {qt} · PySide6 {pyside} · SQLite {sqlite}</p><p>Journal: {path}</p>"
        ).format(
            qt=html.escape(qVersion()),
            pyside=html.escape(PySide6.__version__),
            sqlite=html.escape(sqlite3.sqlite_version),
            path=html.escape(str(self.ctx.store.path)),
        )
        QMessageBox.about(
            self,
            self.tr("About Ties"),
            self.tr("<h3>Ties {version}</h3>").format(version=html.escape(__version__))
            + self.tr(
                "<p>A private, offline journal of your relationships.</p>"
                "<p>Your journal is one file on this computer; nothing is sent anywhere.</p>"
                "<p>Licensed under the GPL, version 3 or later.</p>"
            )
            + details,
        )

    # ---------------------------------------------------------------- journals

    def open_journal(self, path: Path) -> bool:
        """Switch to another journal (locking it first); False if it cannot be opened."""
        path = Path(path).expanduser().resolve()
        if path == Path(self.ctx.store.path).resolve():
            return True
        try:
            refuse_folder(path)
            new_lock = journal_lock.acquire(path)
        except JournalError as exc:
            show_error(self, exc, self.tr("Open journal"))
            return False
        try:
            store = open_unlocked(lambda unlock: open_journal(path, check=False, unlock=unlock))
        except JournalError as exc:
            new_lock.unlock()
            show_error(self, exc, self.tr("Open journal"))
            return False
        old_lock, self.lock = self.lock, new_lock
        self.ctx.replace_store(store)
        if old_lock is not None:
            old_lock.unlock()
        remember_journal(path)
        self.ctx.status.emit(self.tr("Opened {name}").format(name=store.name))
        return True

    def fill_recent(self) -> None:
        """File → Open recent: the journals opened last, this one and missing ones left out."""
        menu = self.recent_menu
        menu.clear()
        here = Path(self.ctx.store.path).resolve()
        found = [p for p in recent_journals() if p.resolve() != here and p.is_file()]
        for path in found:
            action = menu.addAction(f"{path.stem}  —  {path.parent}")
            action.setData(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_journal(p))
        if not found:
            menu.addAction(self.tr("No other journals yet")).setEnabled(False)

    def open_journal_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open journal"),
            str(Path(self.ctx.store.path).parent),
            self.tr("Ties journals (*.ties);;All files (*)"),
        )
        if path:
            self.open_journal(Path(path))

    def new_journal(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("New journal"),
            str(Path(self.ctx.store.path).parent / "journal.ties"),
            self.tr("Ties journals (*.ties)"),
        )
        if not path:
            return
        target = Path(path if path.endswith(".ties") else path + ".ties")
        if target.exists() and target.stat().st_size > 0:
            QMessageBox.warning(
                self,
                self.tr("New journal"),
                self.tr("{path} already exists; open it with Open journal…").format(path=target),
            )
            return
        self.open_journal(target)

    def open_sample(self) -> None:
        """Write the demo into its own file (never the user's journal) and open it."""
        from ties import paths
        from ties.demo import write_demo

        target = paths.sample_journal_path()
        if Path(self.ctx.store.path).resolve() == target.resolve():
            self.ctx.status.emit(self.tr("The sample journal is already open."))
            return
        self.statusBar().showMessage(self.tr("Writing the sample journal…"))
        try:
            write_demo(target).close()
        except JournalError as exc:
            show_error(self, exc, self.tr("Sample journal"))
            return
        if self.open_journal(target):
            self.show_place("today")

    # --------------------------------------------------------------- settings

    def restore_state(self) -> None:
        s = app_settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1200, 760)
        self.show_place(first_place())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Close, first taking the day's automatic backup on a worker if one is due.

        While that backup runs the close is refused (a small dialog says why and
        offers to close without it); it closes the window again when it ends.
        """
        # (A window never shown was never used: it takes no backup.)
        if self._quit_backup is None and (self.isVisible() or self.backup_when_hidden):
            from ties.ui import quit_backup

            if quit_backup.quit_backup_due(self.ctx):
                self._quit_backup = quit_backup.QuitBackup(self.ctx, self)
                self._quit_backup.ended.connect(self._backed_up)
                self._quit_backup.start()
        if self._quit_backup is not None and not self._quit_backup.over:
            event.ignore()
            return
        s = app_settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/place", self.current_place())
        s.sync()
        if self._search is not None:
            self._search.close()
        if self._sync is not None:  # (a window closed before it started has nothing to send)
            self._sync.sync_before_close()
        super().closeEvent(event)
        if event.isAccepted():
            self.idle_lock.stop()
            self._release()
            self.closed.emit()

    def _backed_up(self, _path: object) -> None:
        """The backup before closing was taken, failed or skipped: close for real now."""
        self.close()

    def _release(self) -> None:
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None


def first_place() -> str:
    """The place the window opens on: the one shown when it was last closed."""
    place = str(app_settings().value("window/place", "today"))
    return place if place in PLACES else "today"


def _crypt():
    """The encryption actions, imported when first used."""
    from ties.ui import encryption_actions

    return encryption_actions


def _exchange():
    """The backup, restore, import and export dialogs (imported on first use: ~50 ms)."""
    from ties.ui.dialogs import exchange

    return exchange


def _all_people():
    from ties.store import PeopleFilter

    return PeopleFilter(archived=None)
