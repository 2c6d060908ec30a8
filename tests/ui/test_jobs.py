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
