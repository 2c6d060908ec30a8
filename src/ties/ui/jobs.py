"""Slow work off the GUI thread: a worker opens its own connection and reports by signal.

SQLite connections belong to one thread, so a job gets a fresh read
connection to the same journal file; results reach widgets only through
signals, on the GUI thread.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ties.store import Store
from ties.store.connection import translate_error

_serial = itertools.count(1)
#: Jobs still running: held here so a job outlives the view that started it.
_running: set[Job] = set()


class _Signals(QObject):
    done = Signal(int, object)
    failed = Signal(int, object)
    progress = Signal(int, int, int)  # job id, done, total
    step = Signal(int, str, int, int)  # job id, what, done, total (a job of several steps)


class Job(QRunnable):
    """Run ``fn(store, job)`` on a pool thread against its own connection to ``path``.

    ``job.cancelled`` can be polled by long work; ``job.report(done, total)``
    emits progress. ``readonly`` opens the journal read-only, as the window has
    it: reading coverage moves the kept window totals, a write a journal the
    user opened read-only must not get. ``interruptible`` work (figures whose
    answer is dropped once cancelled) has its SQL stopped as soon as the job is
    cancelled, so a cancelled job ends within a few milliseconds of Python
    instead of finishing its queries: the exit waits for no figures.
    """

    def __init__(
        self,
        path: Path,
        fn: Callable[[Store, Job], Any],
        *,
        readonly: bool = False,
        interruptible: bool = False,
    ) -> None:
        super().__init__()
        self.id = next(_serial)
        self.path = path
        self.readonly = readonly
        self.interruptible = interruptible
        self.fn = fn
        self.signals = _Signals()
        self.cancelled = False
        self._last_step: tuple[str, int] | None = None
        self.setAutoDelete(False)

    def report(self, done: int, total: int) -> None:
        self.signals.progress.emit(self.id, done, total)

    def report_step(self, what: str, done: int = 0, total: int = 0) -> None:
        """Say which step runs and how far it is (at most once per thousandth of it)."""
        mark = (what, done * 1000 // total if total > 0 else -1)
        if mark != self._last_step:
            self._last_step = mark
            self.signals.step.emit(self.id, what, done, total)

    def run(self) -> None:
        try:
            self._run()
        finally:
            _running.discard(self)

    def _run(self) -> None:
        try:
            store = Store.open(
                self.path, create=False, migrate=False, check=False, readonly=self.readonly
            )
            if self.interruptible:  # SQLite asks every 1,000 steps; once cancelled, it stops
                store.stop_when(lambda: self.cancelled)
            try:
                if self.interruptible and self.cancelled:  # cancelled while waiting for a thread
                    raise InterruptedError("cancelled before it started")
                result = self.fn(store, self)
            finally:
                store.close()
        except BaseException as exc:  # delivered to the GUI thread, which decides
            # A damaged page or a full disk met while reading reads as the journal error it is.
            self.signals.failed.emit(self.id, translate_error(exc))
        else:
            self.signals.done.emit(self.id, result)


class PlainJob(Job):
    """Run ``fn(job)`` on a pool thread without opening a connection for it.

    For work that opens what it needs itself (preparing a restore reads a
    backup file and makes its own read-only connection to the journal).
    ``must_finish`` jobs are waited for at quit without a time limit (after
    being told to cancel), so they never stop half-way.
    """

    def __init__(self, fn: Callable[[Job], Any], *, must_finish: bool = False) -> None:
        super().__init__(Path(), lambda _store, job: fn(job))
        self.plain_fn = fn
        self.must_finish = must_finish

    def _run(self) -> None:
        try:
            result = self.plain_fn(self)
        except BaseException as exc:  # delivered to the GUI thread, which decides
            self.signals.failed.emit(self.id, exc)
        else:
            self.signals.done.emit(self.id, result)


def start(job: Job) -> None:
    """Run a job on the shared pool, keeping it alive until it has finished."""
    _running.add(job)
    QThreadPool.globalInstance().start(job)


def wait_for_all(msecs: int = 10_000) -> bool:
    """Let running jobs finish (at quit), so none reports to a deleted window."""
    for job in list(_running):
        job.cancelled = True
    pool = QThreadPool.globalInstance()
    if pool.waitForDone(msecs):
        return True
    if any(getattr(job, "must_finish", False) for job in list(_running)):
        return pool.waitForDone(-1)  # cancelled, it stops at its next safe point
    return False


class LatestOnly(QObject):
    """Runs jobs for one view, delivering only the newest result.

    A view that recomputes on every keystroke or edit starts a new job each
    time; results of jobs that were overtaken are dropped, so a slow old
    answer never overwrites a newer one.

    Signals:
        ready(object): the newest job's result.
        failed(object): the newest job's exception.
        busy(bool): whether a job is running.
    """

    ready = Signal(object)
    failed = Signal(object)
    busy = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest = 0
        self._jobs: dict[int, Job] = {}

    def start(
        self,
        path: Path,
        fn: Callable[[Store, Job], Any],
        *,
        readonly: bool = False,
        interruptible: bool = False,
    ) -> Job:
        """Run ``fn`` on a worker (see :class:`Job`), cancelling the jobs it overtakes."""
        for old in self._jobs.values():
            old.cancelled = True
        job = Job(path, fn, readonly=readonly, interruptible=interruptible)
        self._latest = job.id
        self._jobs[job.id] = job
        job.signals.done.connect(self._done)
        job.signals.failed.connect(self._failed)
        self.busy.emit(True)
        start(job)
        return job

    @property
    def running(self) -> bool:
        """The newest job has not answered yet."""
        return self._latest in self._jobs

    def discard(self) -> None:
        """Drop the answers of every job started so far (another journal is open now)."""
        for old in self._jobs.values():
            old.cancelled = True
        if self._latest in self._jobs:
            self.busy.emit(False)
        self._latest = 0

    def _finish(self, job_id: int) -> bool:
        self._jobs.pop(job_id, None)
        if job_id == self._latest:
            self.busy.emit(False)
            return True
        return False

    def _done(self, job_id: int, result: object) -> None:
        if self._finish(job_id):
            self.ready.emit(result)

    def _failed(self, job_id: int, exc: object) -> None:
        if self._finish(job_id):
            self.failed.emit(exc)
