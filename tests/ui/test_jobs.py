"""Workers: what a job raises reaches the GUI thread as the journal error it is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ties.store import CorruptJournalError, Store
from ties.ui import jobs


def _failure_of(qtbot, path: Path, exc: BaseException) -> object:
    def work(_store: Store, _job: jobs.Job) -> None:
        raise exc

    job = jobs.Job(path, work)
    with qtbot.waitSignal(job.signals.failed, timeout=5000) as blocker:
        jobs.start(job)
    return blocker.args[1]


def test_a_damaged_page_met_by_a_worker_is_a_journal_error(qtbot, store: Store) -> None:
    failure = _failure_of(
        qtbot, store.path, sqlite3.DatabaseError("database disk image is malformed")
    )
    assert isinstance(failure, CorruptJournalError)
    assert "damaged" in str(failure)


def test_other_failures_reach_the_window_as_they_are(qtbot, store: Store) -> None:
    bug = KeyError("a bug")
    assert _failure_of(qtbot, store.path, bug) is bug


_LONG_QUERY = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000000) "
    "SELECT count(*) FROM n"
)


def test_cancelling_an_interruptible_job_stops_its_sql_at_once(qtbot, store: Store) -> None:
    import threading
    import time

    started = threading.Event()

    def work(s: Store, _job: jobs.Job) -> object:
        started.set()
        return s.conn.execute(_LONG_QUERY).fetchone()  # tens of seconds if left to run

    job = jobs.Job(store.path, work, interruptible=True)
    with qtbot.waitSignal(job.signals.failed, timeout=10_000) as blocker:
        jobs.start(job)
        assert started.wait(10)
        t0 = time.monotonic()
        assert jobs.wait_for_all(10_000)  # what the window does at exit: cancel, then wait
        assert time.monotonic() - t0 < 2
    assert isinstance(blocker.args[1], sqlite3.OperationalError)


def test_a_job_cancelled_before_it_started_does_no_work(qtbot, store: Store) -> None:
    ran: list[int] = []
    job = jobs.Job(store.path, lambda s, j: ran.append(1), interruptible=True)
    job.cancelled = True
    with qtbot.waitSignal(job.signals.failed, timeout=5000):
        jobs.start(job)
    assert ran == []
