"""The window meets the command line's messages when a journal cannot be opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ties.cli import main
from ties.store import JournalError


def _cli_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 1
    err = capsys.readouterr().err
    return err.removeprefix("ties: error: ").splitlines()[0]


@pytest.mark.parametrize(
    "make", [lambda tmp: tmp, lambda tmp: Path(tmp, "file.txt", "sub", "j.ties")], ids=str
)
def test_the_window_at_start_says_what_the_command_line_says(
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str], make
) -> None:
    from ties.ui.app import open_window

    (tmp_path / "file.txt").write_text("in the way")
    path = make(tmp_path)
    said = _cli_error(capsys, ["person", "add", "Ana", "--db", str(path)])
    with pytest.raises(JournalError) as caught:
        open_window(path)
    assert str(caught.value) == said


def test_file_open_shows_the_same_message(
    qtbot, ctx, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    from ties.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    folder = tmp_path / "a folder.ties"
    folder.mkdir()
    assert window.open_journal(folder) is False
    said = _cli_error(capsys, ["people", "--db", str(folder)])
    assert shown and said in shown[0]
