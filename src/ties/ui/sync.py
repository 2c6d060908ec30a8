"""The window's sync: with the journal's sync folder at open, at close, and when the folder
changes; its state in the status bar; the phone inbox's new lines.

The sync itself is :func:`ties.app.sync.sync_folder`, run as a job on its own
connection. Changes it brings are not undoable: the undo stack is cleared after
a sync that changed the journal (an undo would otherwise act on rows another
device has changed since). The inbox file is read (never saved from) at open and
when it changes: a status-bar button says how many lines wait and opens the
Phone inbox, where the person confirms them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QPushButton, QWidget

from ties.app.inbox import Inbox, inbox_path, read_inbox
from ties.app.sync import SyncError, SyncReport, check_folder, choose_folder, chosen_folder
from ties.app.sync import sync_folder as run_sync
from ties.store import JournalError
from ties.sync import files
from ties.ui import jobs
from ties.ui.changes import Changes
from ties.ui.context import AppContext

#: Milliseconds to wait after the folder changed: a sync engine writes in bursts.
SETTLE_MS = 2000


class SyncController(QObject):
    """Keeps the open journal in sync with its folder.

    Attributes:
        label: the status bar's sync state ("Synced 18:20 · 2 other devices").
        inbox_button: the status bar's "3 new lines in the inbox" (hidden when none).
        last_report: the last sync's report (None before the first one).
        last_error: why the last sync failed ("" when it did not).

    Signals:
        synced(object): a sync ended, with its :class:`~ties.app.sync.SyncReport`.
        state_changed(): a sync started, ended or failed (the Settings page follows).
        inbox_read(object): the inbox file was read, with its :class:`~ties.app.inbox.Inbox`.
    """

    synced = Signal(object)
    state_changed = Signal()
    inbox_read = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.label = QLabel()
        self.label.setObjectName("muted")
        self.label.setAccessibleName("Sync state")
        self.inbox_button = QPushButton()
        self.inbox_button.setFlat(True)
        self.inbox_button.setAccessibleName("Phone inbox lines")
        self.inbox_button.setVisible(False)
        self.last_report: SyncReport | None = None
        self.last_error = ""
        self.inbox: Inbox | None = None
        self._inbox_dialog: QWidget | None = None
        self._reading_inbox = False
        self.watcher = QFileSystemWatcher(self)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SETTLE_MS)
        self._running = False
        self._again = False
        self._folder: Path | None = None
        self._connect_callbacks()
        self.restart()

    def _connect_callbacks(self) -> None:
        self.watcher.directoryChanged.connect(lambda _path: self.timer.start())
        self.watcher.fileChanged.connect(lambda _path: self.timer.start())
        self.timer.timeout.connect(self._folder_changed)
        self.ctx.journal_opened.connect(self.restart)
        self.inbox_button.clicked.connect(lambda: self.open_inbox(self.inbox_button.window()))

    def _folder_changed(self) -> None:
        self.sync_now()
        self.read_inbox()

    def folder(self) -> Path | None:
        """The open journal's sync folder, as read when it opened or was chosen."""
        return self._folder

    def restart(self) -> None:
        """Watch the open journal's folder (if it has one) and sync once."""
        try:
            self._folder = chosen_folder(self.ctx.store)
        except (JournalError, sqlite3.Error):  # a damaged journal: the window says so elsewhere
            self._folder = None
        self.last_report = None
        self.last_error = ""
        self.inbox = None
        self._watch()
        folder = self.folder()
        self.label.setVisible(folder is not None)
        self.inbox_button.setVisible(False)
        if folder is not None:
            self.label.setText(self.tr("Sync: starting…"))
            self.sync_now()
            self.read_inbox()
        self.state_changed.emit()

    def _watch(self) -> None:
        """Watch the folder, its device folders and the inbox file; only paths that came or
        went change (removing a watched path drops its events not yet delivered)."""
        wanted: list[str] = []
        folder = self.folder()
        if folder is not None and folder.is_dir():
            root = folder / files.ROOT
            wanted = [str(folder)] + ([str(root)] if root.is_dir() else [])
            wanted += [str(d) for d in files.device_dirs(root)]
            inbox = inbox_path(folder)
            if inbox.is_file():
                wanted.append(str(inbox))  # edited in place (not replaced): only the file says
        old = set(self.watcher.directories() + self.watcher.files())
        gone = [p for p in old if p not in wanted]
        if gone:
            self.watcher.removePaths(gone)
        new = [p for p in wanted if p not in old]
        if new:
            self.watcher.addPaths(new)

    def sync_now(self) -> None:
        """Sync in the background (again right after, if one is running)."""
        folder = self.folder()
        if folder is None or self.ctx.store.readonly:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self.label.setText(self.tr("Sync: syncing…"))
        self.state_changed.emit()
        job = jobs.Job(self.ctx.store.path, lambda store, _job: run_sync(store, folder))
        job.signals.done.connect(lambda _id, report: self._done(report))
        job.signals.failed.connect(lambda _id, exc: self._failed(exc))
        jobs.start(job)

    def sync_before_close(self) -> None:
        """The last sync, on the GUI thread: the window is closing and waits for it."""
        folder = self.folder()
        if folder is None or self.ctx.store.readonly:
            return
        try:
            run_sync(self.ctx.store, folder)
        except (SyncError, JournalError, OSError, sqlite3.Error) as exc:  # the window still closes
            self.label.setText(self.tr("Sync: {0}").format(exc))

    def running(self) -> bool:
        return self._running

    def _done(self, report: SyncReport) -> None:
        self._running = False
        self.last_report = report
        self.last_error = ""
        if report.applied:
            # Another connection wrote: the window's cached vocabularies may be stale.
            self.ctx.store.forget_types()
            self.ctx.undo_stack.clear()
            self.ctx.changed.emit(Changes.everything())
        self.label.setText(state_text(report))
        self.label.setToolTip("\n".join(report.problems))
        self._watch()  # a new device's folder may have appeared
        self.synced.emit(report)
        self.state_changed.emit()
        if self._again:
            self._again = False
            self.sync_now()

    def _failed(self, exc: object) -> None:
        self._running = False
        self.last_error = str(exc)
        self.label.setText(self.tr("Sync: failed"))
        self.label.setToolTip(str(exc))
        self.ctx.status.emit(self.tr("Sync failed: {0}").format(exc))
        self.state_changed.emit()

    # ------------------------------------------------------------------ the phone inbox

    def read_inbox(self) -> None:
        """Read the sync folder's inbox in the background; only counts, never saves."""
        folder = self.folder()
        if folder is None or self._reading_inbox:
            return
        path = inbox_path(folder)
        if not path.is_file():
            self._show_inbox(None)
            return
        self._reading_inbox = True
        job = jobs.Job(
            self.ctx.store.path, lambda store, _job: read_inbox(store, path), readonly=True
        )
        job.signals.done.connect(lambda _id, inbox: self._inbox_done(inbox))
        job.signals.failed.connect(lambda _id, _exc: self._inbox_done(None))
        jobs.start(job)

    def _inbox_done(self, inbox: Inbox | None) -> None:
        self._reading_inbox = False
        if inbox is not None and self._save_all(inbox):
            return  # read again: what is left, and lines written meanwhile
        self._show_inbox(inbox)
        dialog = self._inbox_dialog
        if dialog is not None and dialog.isVisible():
            dialog.reload()  # type: ignore[attr-defined]

    def _save_all(self, inbox: Inbox) -> bool:
        """With "save every line that parses" chosen, save them now; True when it did."""
        from ties.ui.inbox import save_all_chosen, save_lines

        ready = [line for line in inbox.pending if line.entry is not None]
        if not ready or not save_all_chosen() or self.ctx.store.readonly:
            return False
        if self._inbox_dialog is not None:
            return False  # the person is looking at the list: they save from there
        problem = save_lines(self.ctx, inbox.path, ready)
        if problem:
            self.ctx.status.emit(self.tr("Phone inbox: {0}").format(problem))
            return False
        self.ctx.status.emit(self.tr("Saved {n} lines from the phone inbox").format(n=len(ready)))
        self.read_inbox()
        return True

    def _show_inbox(self, inbox: Inbox | None) -> None:
        self.inbox = inbox
        n = len(inbox.pending) if inbox is not None else 0
        self.inbox_button.setText(self.tr("{n} new lines in the inbox").format(n=n))
        self.inbox_button.setToolTip(self.tr("Open Edit → Phone inbox… to save them"))
        self.inbox_button.setVisible(n > 0)
        self.inbox_read.emit(inbox)

    def choose(self, parent: QWidget) -> None:
        """Settings → Sync folder…: pick the folder (or stop syncing)."""
        current = self.folder()
        picked = QFileDialog.getExistingDirectory(
            parent, self.tr("Sync folder"), str(current or Path.home())
        )
        if not picked:
            return
        try:
            check_folder(self.ctx.store, Path(picked))
            choose_folder(self.ctx.store, Path(picked))
        except SyncError as exc:
            QMessageBox.warning(parent, self.tr("Sync folder"), str(exc))
            return
        self.restart()

    def open_inbox(self, parent: QWidget) -> None:
        """Edit → Phone inbox…: the sync folder's inbox.txt, or a file the person picks."""
        from ties.ui.inbox import InboxDialog

        folder = self.folder()
        if folder is None:
            picked, _filter = QFileDialog.getOpenFileName(
                parent, self.tr("Phone inbox"), str(Path.home()), self.tr("Text files (*.txt)")
            )
            if not picked:
                return
            folder = Path(picked)
        dialog = InboxDialog(self.ctx, folder, parent)
        self._inbox_dialog = dialog
        try:
            dialog.exec()
        finally:
            self._inbox_dialog = None
        if self.folder() is not None:
            self.read_inbox()


def state_text(report: SyncReport) -> str:
    """The status bar's words for a sync that ended (the time is UTC, as the report's)."""
    others = sum(1 for d in report.devices if not d.this_device)
    text = QCoreApplication.translate("SyncController", "Synced {at} UTC · {n} other devices")
    text = text.format(at=report.at[11:16], n=others)
    if report.problems:
        notes = QCoreApplication.translate("SyncController", "{n} notes (hover to read)")
        text += " · " + notes.format(n=len(report.problems))
    return text
