"""ties.app.options: the window's options, declared once for `ties --help` and the window."""

from __future__ import annotations

import pytest

from ties.app.options import WINDOW_OPTIONS, parse_window_args, wants_window


def test_every_window_option_is_in_ties_help() -> None:
    from ties.cli import build_parser

    known = {flag for action in build_parser()._actions for flag in action.option_strings}
    assert {o.flag for o in WINDOW_OPTIONS} <= known


@pytest.mark.parametrize(
    ("argv", "window"),
    [
        ([], True),
        (["--db", "x.ties", "--smoke-test"], True),
        (["--db=x.ties", "--color-scheme", "dark", "--screenshots", "out"], True),
        (["--db", "today"], True),
        (["--tray"], True),
        (["--db", "x.ties", "--tray"], True),  # a journal called "today", not the subcommand
        (["today"], False),
        (["--db", "x.ties", "people"], False),
        (["--version"], False),
    ],
)
def test_wants_window(argv: list[str], window: bool) -> None:
    assert wants_window(argv) is window


def test_the_windows_parser_reads_every_option_and_leaves_qts_alone() -> None:
    args = parse_window_args(
        ["--db", "j.ties", "--smoke-test", "--screenshots", "d", "--color-scheme", "light", "-qt"]
    )
    assert (args.db, args.smoke_test, args.screenshots, args.color_scheme, args.tray) == (
        "j.ties",
        True,
        "d",
        "light",
        False,
    )
    assert parse_window_args(["--tray"]).tray is True


def test_a_bad_window_option_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        parse_window_args(["--db", ""])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("ties: error: argument --db: is empty") and err.count("\n") == 1
