"""The phone inbox in the window: lines with their preview, saved as one undo step."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from ties.app import inbox as inbox_app
from ties.ui.context import AppContext


def _inbox(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "inbox.txt"
    path.write_text(text, encoding="utf-8")
    old = time.time() - 3600
    os.utime(path, (old, old))
    return path


def test_checked_lines_are_saved_marked_and_undone_together(
    ctx: AppContext, tmp_path: Path, qtbot
) -> None:
    from ties.ui.inbox import InboxDialog

    path = _inbox(tmp_path, "call with @Ana\nmet with @Bo: lunch\nnonsense words\n")
    dialog = InboxDialog(ctx, tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.lines.count() == 3
    assert "→" in dialog.lines.item(0).text() and "✗" in dialog.lines.item(2).text()
    dialog.lines.item(1).setCheckState(Qt.CheckState.Unchecked)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert ctx.store.count_entries() == 1
    assert path.read_text(encoding="utf-8").splitlines()[0] == "[x] call with @Ana"
    assert dialog.lines.count() == 2  # the saved line is no longer waiting
    ctx.undo_stack.undo()
    assert ctx.store.count_entries() == 0 and ctx.store.count_people() == 0


def test_a_file_that_cannot_be_marked_saves_nothing(
    ctx: AppContext, tmp_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from ties.ui.inbox import InboxDialog

    path = _inbox(tmp_path, "call with @Ana\n")
    dialog = InboxDialog(ctx, path)
    qtbot.addWidget(dialog)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))

    def refuse(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(inbox_app.os, "replace", refuse)
    dialog.save_checked()
    assert warnings and "Permission denied" in warnings[0]
    assert ctx.store.count_entries() == 0
    assert path.read_text(encoding="utf-8") == "call with @Ana\n"
