"""The window's sync: with the journal's sync folder at open, at close, and when the folder
changes; its state in the status bar.

The sync itself is :func:`ties.app.sync.sync_folder`, run as a job on its own
connection. Changes it brings are not undoable: the undo stack is cleared after
a sync that changed the journal (an undo would otherwise act on rows another
device has changed since).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget

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

    Signals:
        synced(object): a sync ended, with its :class:`~ties.app.sync.SyncReport`.
    """

    synced = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.label = QLabel()
        self.label.setObjectName("muted")
        self.label.setAccessibleName("Sync state")
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
        self.timer.timeout.connect(self.sync_now)
        self.ctx.journal_opened.connect(self.restart)

    def folder(self) -> Path | None:
        """The open journal's sync folder, as read when it opened or was chosen."""
        return self._folder

    def restart(self) -> None:
        """Watch the open journal's folder (if it has one) and sync once."""
        try:
            self._folder = chosen_folder(self.ctx.store)
        except (JournalError, sqlite3.Error):  # a damaged journal: the window says so elsewhere
            self._folder = None
        self._watch()
        folder = self.folder()
        self.label.setVisible(folder is not None)
        if folder is not None:
            self.label.setText(self.tr("Sync: starting…"))
            self.sync_now()

    def _watch(self) -> None:
        old = self.watcher.directories() + self.watcher.files()
        if old:
            self.watcher.removePaths(old)
        folder = self.folder()
        if folder is None or not folder.is_dir():
            return
        root = folder / files.ROOT
        paths = [str(folder)] + ([str(root)] if root.is_dir() else [])
        paths += [str(d) for d in files.device_dirs(root)]
        self.watcher.addPaths(paths)

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

    def _done(self, report: SyncReport) -> None:
        self._running = False
        if report.applied:
            # Another connection wrote: the window's cached vocabularies may be stale.
            self.ctx.store.forget_types()
            self.ctx.undo_stack.clear()
            self.ctx.changed.emit(Changes.everything())
        self.label.setText(state_text(report))
        self.label.setToolTip("\n".join(report.problems))
        self._watch()  # a new device's folder may have appeared
        self.synced.emit(report)
        if self._again:
            self._again = False
            self.sync_now()

    def _failed(self, exc: object) -> None:
        self._running = False
        self.label.setText(self.tr("Sync: failed"))
        self.label.setToolTip(str(exc))
        self.ctx.status.emit(self.tr("Sync failed: {0}").format(exc))

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
        InboxDialog(self.ctx, folder, parent).exec()


def state_text(report: SyncReport) -> str:
    """The status bar's words for a sync that ended (the time is UTC, as the report's)."""
    others = sum(1 for d in report.devices if not d.this_device)
    text = QCoreApplication.translate("SyncController", "Synced {at} UTC · {n} other devices")
    text = text.format(at=report.at[11:16], n=others)
    if report.problems:
        notes = QCoreApplication.translate("SyncController", "{n} notes (hover to read)")
        text += " · " + notes.format(n=len(report.problems))
    return text
