"""The look-back window: bounds that make sense, never an overflow."""

from __future__ import annotations

from datetime import date

import pytest

from ties.analysis.window import MAX_WINDOW_DAYS, check_window, window_start
from ties.cli import main
from ties.store import Store, ValidationError


def test_window_start_is_clamped_at_the_first_date() -> None:
    assert window_start(date(2026, 6, 30), 30) == date(2026, 5, 31)
    assert window_start(date(1, 1, 5), 30) == date(1, 1, 1)


@pytest.mark.parametrize("days", [0, -1, MAX_WINDOW_DAYS + 1, True])
def test_check_window_refuses_nonsense(days: int) -> None:
    with pytest.raises(ValidationError):
        check_window(days)


@pytest.mark.parametrize(
    "args",
    [
        ["today", "--window-days", "1000000"],
        ["report", "coverage", "--window-days", "1000000"],
        ["report", "balance", "--window-days", "1000000"],
    ],
)
def test_cli_refuses_huge_windows_plainly(
    args: list[str], store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*args, "--db", str(store.path)])
    assert exit_info.value.code == 2
    assert "more than" in capsys.readouterr().err


def test_cli_as_of_near_the_first_date_works(store: Store) -> None:
    for args in (["today"], ["report", "coverage"], ["report", "balance"]):
        assert (
            main([*args, "--db", str(store.path), "--as-of", "1900-01-05", "--window-days", "30"])
            == 0
        )


def test_cli_as_of_before_any_journal_day_is_a_usage_error(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (["today"], ["report", "coverage"], ["report", "balance"]):
        with pytest.raises(SystemExit) as exit_:
            main([*args, "--db", str(store.path), "--as-of", "0001-01-05"])
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert "is before 1900-01-01" in err and err.count("\n") == 1
