"""The open journal's quick check, on a worker, when :func:`ties.app.journal_check.check_due` says.

It starts a few seconds after the journal opens (the first screen's reads come
first) and answers only if it read the whole file: the exit cancels it at once
(``jobs.wait_for_all``), and a check cut short counts as not done.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from ties.app.journal_check import check_due, check_key
from ties.store import Store
from ties.ui.context import AppContext
from ties.ui.jobs import Job, LatestOnly
from ties.ui.settings import app_settings

#: How long after a journal opens its check starts.
START_AFTER_MS = 3000


def last_checked(path: Path) -> datetime | None:
    """When the window last checked ``path`` to the end (None: never, or unreadable)."""
    value = app_settings().value(check_key(path), "")
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _check(store: Store, job: Job) -> tuple[Path, bool]:
    return store.path, store.quick_check(cancelled=lambda: job.cancelled)


class JournalCheck(QObject):
    """Checks the window's journal in the background when a check is due.

    Signals:
        failed(object): the check found damage (a CorruptJournalError) or could
            not run (the exception).
    """

    failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = LatestOnly(self)
        self.runner.ready.connect(self._done)
        self.runner.failed.connect(self.failed)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._start)
        self._unclean = False

    def schedule(self, *, unclean: bool) -> None:
        """Look, a few seconds from now, whether a check of the open journal is due; run it if so.

        Deciding then, not now, keeps even the settings lookup out of the window's start.
        """
        self.timer.stop()
        self.runner.discard()  # a check of the journal open before this one no longer matters
        self._unclean = unclean
        self.timer.start(START_AFTER_MS)

    def due(self, now: datetime | None = None) -> bool:
        """Whether the open journal's check is due (:func:`ties.app.journal_check.check_due`)."""
        last = last_checked(self.ctx.store.path)
        return check_due(last, now or datetime.now(), unclean=self._unclean)

    def _start(self) -> None:
        if self.due():
            store = self.ctx.store
            self.runner.start(store.path, _check, readonly=store.readonly)

    def _done(self, result: object) -> None:
        if isinstance(result, tuple) and result[1]:  # read to the end, and found it sound
            path: Path = result[0]
            app_settings().setValue(check_key(path), datetime.now().isoformat(timespec="seconds"))
