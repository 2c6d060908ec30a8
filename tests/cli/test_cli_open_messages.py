"""Every command says the same thing about a journal that is not there (one function opens it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ties.cli import main


def _error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 1
    return capsys.readouterr().err


@pytest.mark.parametrize("empty", [False, True], ids=["missing", "0-byte"])
def test_reading_exporting_and_backing_up_a_missing_journal_say_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], empty: bool
) -> None:
    journal = tmp_path / "j.ties"
    if empty:
        journal.touch()
    said = {
        _error(capsys, [*argv, "--db", str(journal)])
        for argv in (
            ["today"],
            ["people"],
            ["report", "coverage"],
            ["export", "-f", "json", "-o", str(tmp_path / "x.json")],
            ["backup"],
        )
    }
    where = f"{journal} is empty" if empty else f"there is no journal at {journal} yet"
    assert said == {f"ties: error: {where}; add someone with 'ties person add NAME'\n"}
    assert journal.exists() == empty and not (tmp_path / "x.json").exists()
