"""The window fully checks the newest backup when idle, at most weekly (issue #20)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject

from ties.io import backup as backups
from ties.io import backup_checks
from ties.io.recovery import newest_good_backup
from ties.model import Person
from ties.ui.backup_idle_check import IdleBackupCheck
from ties.ui.context import AppContext


def _run(check: IdleBackupCheck, qtbot) -> None:
    check.run_now()
    assert check.job is not None
    qtbot.waitUntil(lambda: check.job is None, timeout=20_000)


def test_the_idle_check_records_the_newest_backup_once_a_week(ctx: AppContext, qtbot) -> None:
    owner = QObject()
    check = IdleBackupCheck(ctx, owner, idle_ms=60_000)
    ctx.store.add_person(Person(name="Ann"))
    first = backups.backup(ctx.store, kind="auto")
    _run(check, qtbot)
    found = backup_checks.status(first)
    assert found is not None and found.ok
    second = backups.backup(ctx.store, kind="manual")
    _run(check, qtbot)
    assert backup_checks.status(second) is None  # not again within the week


def test_a_backup_failing_the_idle_check_is_marked_and_never_newest_good(
    ctx: AppContext, qtbot
) -> None:
    sys.path.insert(0, str(Path(__file__).parents[1] / "reliability"))
    from reliability_kit import damage_quietly

    ctx.store.add_person(Person(name="Zed Quiet"))
    older = backups.backup(ctx.store, kind="auto")
    newest = backups.backup(ctx.store, kind="manual")
    damage_quietly(newest, "Zed Quiet")
    owner = QObject()
    check = IdleBackupCheck(ctx, owner, idle_ms=60_000)
    messages: list[str] = []
    ctx.status.connect(messages.append)
    _run(check, qtbot)
    assert backup_checks.failed(newest)
    assert any("failed its full check" in m for m in messages)
    assert newest_good_backup(ctx.store.path) == older
