"""The automatic backup when the window closes, taken on a worker while the window waits.

At most once a day closing the window takes a verified backup of the journal
(:func:`ties.io.backup.auto_backup`). On a large journal that takes seconds, so
it runs on a pool thread against its own read-only connection while a small
window-modal dialog says so, with a busy bar and *Close without backup*; the
window closes for real when the backup is done, has failed (logged, never a
dialog) or was skipped.

A backup once started cannot be interrupted (SQLite's backup API and the
integrity check of the copy run to their end), but it is written under a
temporary name and renamed only once checked, so a backup-named file is always
a whole one. After *Close without backup* it finishes in the background and
:func:`ties.ui.jobs.wait_for_all` waits for it at exit; one that had not begun
yet is not taken.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ties.io import backup as backups
from ties.paths import backup_dir
from ties.store import JournalError, Store
from ties.ui import jobs
from ties.ui.context import AppContext

log = logging.getLogger("ties")


def quit_backup_due(ctx: AppContext) -> bool:
    """Whether closing the window should take the automatic backup (cheap; never raises).

    Not for a journal open read-only or the sample journal, and at most once a day.
    """
    store = ctx.store
    try:
        if store.readonly or store.is_demo:
            return False
        return backups.auto_backup_due(store)
    except (JournalError, OSError, sqlite3.Error) as exc:
        log.warning("automatic backup skipped: %s", exc)
        return False


def log_failure(exc: object) -> None:
    """A failed automatic backup goes to the log only: it never stops the window closing."""
    if isinstance(exc, (JournalError, OSError)):
        log.warning("automatic backup failed: %s", exc)
        return
    # A bug: its type and where (the message could quote the journal), as for any other.
    log.warning("automatic backup failed: unexpected %s", type(exc).__name__)
    if isinstance(exc, BaseException):
        from ties.logs import log_unexpected

        log_unexpected(exc)


class QuitBackupJob(jobs.Job):
    """The backup on a pool thread; waited for at exit even when nobody waits for its answer."""

    must_finish = True


class QuitBackupDialog(QDialog):
    """'Backing up … before closing', a busy bar and Close without backup (also Esc)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Closing"))
        self.setAccessibleName("Backup before closing")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        lay = QVBoxLayout(self)
        self.status = QLabel(self.tr("Backing up “{name}” before closing…").format(name=name), self)
        self.status.setAccessibleName("Backup status")
        self.status.setWordWrap(True)
        # Wide enough for the sentence on one line with an ordinary name (it wrapped at 200 px).
        self.status.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 34)
        lay.addWidget(self.status)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Backup progress")
        self.progress.setRange(0, 0)  # SQLite's backup does not say how far it is
        self.progress.setTextVisible(False)
        lay.addWidget(self.progress)
        buttons = QDialogButtonBox(self)
        self.skip_button = buttons.addButton(
            self.tr("Close without backup"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.skip_button.setAccessibleName("Close without backup")
        self.skip_button.clicked.connect(self.reject)
        lay.addWidget(buttons)


class QuitBackup(QObject):
    """Takes the automatic backup for a closing window and says when the window may close.

    Attributes:
        over: True once the backup was taken, failed or skipped.
        job: the worker (it may still run after a skip).
        dialog: the window-modal dialog shown while waiting.

    Signals:
        ended(object): the new backup file, or None (skipped or failed).
    """

    ended = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.over = False
        store = ctx.store
        try:  # the journal's identity, which the backup (read-only worker) then carries
            backups.journal_id(store)
        except (JournalError, sqlite3.Error) as exc:
            log.warning("journal identity not set: %s", exc)
        self.dialog = QuitBackupDialog(store.name, parent)
        self.dialog.rejected.connect(self.skip)
        folder = backup_dir()

        def work(worker: Store, job: jobs.Job) -> Path | None:
            # Skipped before it began, or the backup folder moved meanwhile: take none.
            if job.cancelled or backup_dir() != folder:
                return None
            return backups.auto_backup(worker)

        self.job = QuitBackupJob(store.path, work, readonly=True)
        self.job.signals.done.connect(self._done)
        self.job.signals.failed.connect(self._failed)

    def start(self) -> None:
        self.dialog.show()
        jobs.start(self.job)

    def skip(self) -> None:
        """Stop waiting: the window closes now; a backup under way finishes on its own."""
        self.job.cancelled = True
        self._end(None)

    def _done(self, _job: int, result: object) -> None:
        self._end(result)

    def _failed(self, _job: int, exc: object) -> None:
        log_failure(exc)
        self._end(None)

    def _end(self, result: object) -> None:
        if self.over:
            return
        self.over = True
        self.dialog.hide()
        self.dialog.deleteLater()
        self.ended.emit(result)
