"""The automatic backup taken when the window closes runs on a worker; the window never freezes."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QLabel, QPushButton

from ties.io import backup as backups
from ties.paths import backup_dir
from ties.store import JournalError, Store
from ties.ui import jobs
from ties.ui.context import AppContext
from ties.ui.quit_backup import QuitBackup, QuitBackupDialog


class Gate:
    """Holds the worker inside the backup until the test lets it go."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.entered = threading.Event()
        self.open = threading.Event()
        real = backups.auto_backup

        def held(store: Store, **kw: object) -> Path | None:
            self.entered.set()
            assert self.open.wait(10), "the test never let the backup go"
            return real(store)

        monkeypatch.setattr(backups, "auto_backup", held)


def _backup_folder_names() -> list[str]:
    return sorted(p.name for p in backup_dir().iterdir())


def test_closing_waits_for_the_backup_on_a_worker_while_the_window_keeps_turning(
    window, ctx: AppContext, find, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch)
    try:
        assert not window.close()  # deferred: the backup comes first
        assert window.isVisible()
        dialog = find(window, QDialog, "Backup before closing")
        assert dialog.isVisible() and dialog.isModal()
        status = find(dialog, QLabel, "Backup status").text()
        assert f"Backing up “{ctx.store.name}” before closing" in status
        qtbot.waitUntil(gate.entered.is_set, timeout=10_000)
        ticks: list[int] = []
        QTimer.singleShot(0, lambda: ticks.append(1))
        qtbot.waitUntil(lambda: bool(ticks), timeout=5_000)  # the GUI thread is free
        assert not window.close()  # closing again neither closes nor starts a second backup
        assert window.isVisible() and len(window.findChildren(QuitBackupDialog)) == 1
        assert backups.list_backups(ctx.store.path.stem) == []
    finally:
        gate.open.set()
    with qtbot.waitSignal(window.closed, timeout=10_000):
        pass
    assert not window.isVisible()
    taken = backups.list_backups(ctx.store.path.stem)
    assert [b.kind for b in taken] == ["auto"]
    assert backups.check_backup(taken[0].path).schema_version > 0
    assert _backup_folder_names() == [taken[0].path.name]  # no temporary file left


def test_close_without_backup_closes_at_once_and_leaves_only_whole_files(
    window, ctx: AppContext, find, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch)
    try:
        window.close()
        qtbot.waitUntil(gate.entered.is_set, timeout=10_000)
        skip = find(find(window, QDialog, "Backup before closing"), QPushButton,
                    "Close without backup")  # fmt: skip
        with qtbot.waitSignal(window.closed, timeout=1_000):
            skip.click()  # the worker is still held: the window does not wait for it
        assert not window.isVisible()
        assert _backup_folder_names() == []  # nothing under a backup's name
    finally:
        gate.open.set()
    assert jobs.wait_for_all()  # as at exit: the backup under way is waited for, whole
    taken = backups.list_backups(ctx.store.path.stem)
    assert _backup_folder_names() == [b.path.name for b in taken]
    for b in taken:
        backups.check_backup(b.path)


def test_a_backup_skipped_before_it_began_is_not_taken(window, ctx: AppContext, qtbot) -> None:
    quitting = QuitBackup(ctx, window)
    ended: list[object] = []
    quitting.ended.connect(ended.append)
    quitting.skip()
    assert quitting.over and ended == [None]
    jobs.start(quitting.job)
    assert jobs.wait_for_all()
    assert backups.list_backups(ctx.store.path.stem) == []


def test_no_backup_due_closes_at_once_without_a_dialog(
    window, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert backups.auto_backup(ctx.store) is not None  # today's is taken
    started: list[object] = []
    monkeypatch.setattr(jobs, "start", started.append)
    assert window.close()
    assert not window.isVisible()
    assert started == [] and window.findChildren(QuitBackupDialog) == []


def test_the_sample_journal_closes_at_once(demo_ctx: AppContext, qtbot) -> None:
    from ties.ui.main_window import MainWindow

    w = MainWindow(demo_ctx)
    qtbot.addWidget(w)
    w.show()
    assert w.close()
    assert w.findChildren(QuitBackupDialog) == []
    assert backups.list_backups(demo_ctx.store.path.stem) == []


def test_a_failing_backup_still_closes_and_is_logged(
    window, ctx: AppContext, qtbot, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    def fail(store: Store, **kw: object) -> Path | None:
        raise JournalError("The disk is full.")

    monkeypatch.setattr(backups, "auto_backup", fail)
    caplog.set_level(logging.WARNING, logger="ties")
    with qtbot.waitSignal(window.closed, timeout=10_000):
        window.close()
    assert not window.isVisible()
    assert "automatic backup failed: The disk is full." in caplog.text
    assert backups.list_backups(ctx.store.path.stem) == []


def test_quit_closes_through_the_backup_too(window, ctx: AppContext, qtbot) -> None:
    with qtbot.waitSignal(window.closed, timeout=10_000):
        window.act_quit.trigger()
    assert [b.kind for b in backups.list_backups(ctx.store.path.stem)] == ["auto"]


def test_the_dialog_says_the_name_quoted_on_one_line(qtbot, find, tmp_path):
    dlg = QuitBackupDialog("real")
    qtbot.addWidget(dlg)
    dlg.show()
    status = find(dlg, QLabel, "Backup status")
    assert status.text() == "Backing up “real” before closing…"
    one_line = status.fontMetrics().horizontalAdvance(status.text())
    assert status.width() >= one_line  # no "Backing up real before / closing…"
    dlg.grab().save(str(tmp_path / "quit-backup.png"))
