"""The full check of the newest backup, run when the window has been idle a while.

A backup is verified inline with SQLite's quick check only; the full
``integrity_check`` (:mod:`ties.io.backup_checks`) runs here instead, on a
pool thread, once the window was left alone for :data:`IDLE_MS` and at most
weekly per journal. Any change in the journal restarts the wait; quitting
cancels a check under way. A failed check marks the backup (it is never
offered as the newest good one again) and says so in the status bar.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from ties.ui import jobs
from ties.ui.context import AppContext

if TYPE_CHECKING:  # imported on the worker that checks (not by every window start: ~8 ms)
    from ties.io import backup_checks

log = logging.getLogger("ties")

#: How long the window must be left alone before the check starts.
IDLE_MS = 3 * 60 * 1000


class IdleBackupCheck(QObject):
    """Starts the full check of the newest backup of the open journal when idle."""

    def __init__(self, ctx: AppContext, parent: QObject, idle_ms: int = IDLE_MS) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job: jobs.PlainJob | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(idle_ms)
        self.timer.timeout.connect(self.run_now)
        ctx.journal_opened.connect(self._opened)
        ctx.changed.connect(lambda _what: self.timer.start())
        self._opened()

    def _opened(self) -> None:
        self.timer.start()

    def run_now(self) -> None:
        """Check the backup that is due (if any) on a pool thread."""
        if self.job is not None:
            return
        journal = self.ctx.store.path

        def work(job: jobs.Job) -> tuple[Path, backup_checks.FullCheck] | None:
            from ties.io import backup as backups
            from ties.io import backup_checks

            found = [b.path for b in backups.journal_backups(journal)]
            due = backup_checks.background_due(found)
            if due is None or job.cancelled:
                return None
            return due, backup_checks.full_check(due, cancelled=lambda: job.cancelled)

        self.job = jobs.PlainJob(work)
        self.job.signals.done.connect(self._done)
        self.job.signals.failed.connect(self._failed)
        jobs.start(self.job)

    def _done(self, _job: int, result: object) -> None:
        self.job = None
        if not isinstance(result, tuple):
            return
        path, found = result
        if not found.ok:
            log.warning("backup %s failed its full check: %s", path.name, found.problem)
            self.ctx.status.emit(
                self.tr(
                    "The backup {name} failed its full check; it will not be offered for recovery."
                ).format(name=path.name)
            )

    def _failed(self, _job: int, exc: object) -> None:
        from ties.io import backup as backups

        self.job = None
        if not isinstance(exc, backups.RestoreCancelled):
            log.warning("full check of the newest backup failed: %s", exc)
