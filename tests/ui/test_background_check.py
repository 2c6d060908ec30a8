"""The window checks its journal in the background: at most daily, never holding up the exit."""

from __future__ import annotations

from datetime import datetime, timedelta

from ties.app.journal_check import check_key
from ties.ui import jobs
from ties.ui.journal_check import JournalCheck, _check, last_checked
from ties.ui.settings import app_settings


def test_a_check_runs_once_due_and_is_remembered(ctx, qtbot) -> None:
    check = JournalCheck(ctx)
    check.schedule(unclean=False)
    assert check.timer.isActive() and check.due()
    with qtbot.waitSignal(check.runner.ready, timeout=10_000):
        check.timer.start(0)
    when = last_checked(ctx.store.path)
    assert when is not None and datetime.now() - when < timedelta(minutes=1)
    assert not check.due()  # checked today
    check.schedule(unclean=True)  # an unclean end: checked again at once
    assert check.due()


def test_a_check_not_due_does_not_run(ctx, qtbot) -> None:
    app_settings().setValue(check_key(ctx.store.path), datetime.now().isoformat())
    check = JournalCheck(ctx)
    check.schedule(unclean=False)
    started: list[object] = []
    check.runner.busy.connect(started.append)
    check.timer.start(0)
    qtbot.wait(50)
    assert started == []


def test_a_check_from_yesterday_is_due_again(ctx) -> None:
    app_settings().setValue(check_key(ctx.store.path), "2026-06-29T11:00:00")
    check = JournalCheck(ctx)
    assert not check.due(now=datetime(2026, 6, 29, 20, 0))
    assert check.due(now=datetime(2026, 6, 30, 11, 0))


def test_a_check_cut_short_at_exit_is_not_remembered(ctx, qtbot) -> None:
    check = JournalCheck(ctx)
    job = jobs.Job(ctx.store.path, _check)
    job.cancelled = True  # as wait_for_all leaves every running job
    result = _check(ctx.store, job)
    assert result == (ctx.store.path, False)
    check._done(result)
    assert last_checked(ctx.store.path) is None


def test_the_window_schedules_the_check_when_its_journal_opens(window) -> None:
    assert window.journal_check.timer.isActive()


def test_a_log_left_beside_the_journal_makes_the_window_check_at_once(
    ctx, qtbot, monkeypatch
) -> None:
    from ties.ui import lock as journal_lock
    from ties.ui.main_window import MainWindow

    app_settings().setValue(check_key(ctx.store.path), datetime.now().isoformat())
    monkeypatch.setattr(ctx.store, "wal_at_open", True)  # as after a crash
    lock = journal_lock.acquire(ctx.store.path)
    window = MainWindow(ctx, lock)
    qtbot.addWidget(window)
    assert window.journal_check.due()  # checked today, but the last writer died
    window._release()
    no_lock = MainWindow(ctx, None)  # read-only, no lock: another window may hold the log
    qtbot.addWidget(no_lock)
    assert not no_lock.journal_check.due()
