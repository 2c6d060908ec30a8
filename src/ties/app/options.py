"""The window's command-line options, declared once.

``ties`` with no subcommand opens the window; ``ties --help`` lists these
options and the window's own parser (:func:`parse_window_args`) reads them.
Both are built from :data:`WINDOW_OPTIONS`, so neither can drift.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn


def not_empty(text: str) -> str:
    """argparse type for an option whose empty value would silently mean "the default".

    ``--db ""`` (an unset shell variable) used to open the default journal, and
    ``--person ""`` to list everybody: a script with a typo would act on too much.
    """
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty; leave the option out for the default")
    return text


@dataclass(frozen=True)
class Option:
    """One option: its flag, whether it takes a value, and argparse's keyword arguments."""

    flag: str
    takes_value: bool
    kwargs: dict[str, Any] = field(default_factory=dict)


DB = Option(
    "--db",
    True,
    {
        "metavar": "PATH",
        "type": not_empty,
        "help": "journal file (default: $TIES_DB, else the journal in your data folder)",
    },
)
WINDOW_OPTIONS: tuple[Option, ...] = (
    DB,
    Option(
        "--smoke-test",
        False,
        {
            "action": "store_true",
            "help": "open the window, show each place once and exit 0 (for packaging checks)",
        },
    ),
    Option(
        "--screenshots",
        True,
        {"metavar": "DIR", "help": "open the window, save a PNG of each place, exit"},
    ),
    Option(
        "--color-scheme",
        True,
        {"choices": ("light", "dark"), "help": "force a light or dark palette"},
    ),
    Option(
        "--tray",
        False,
        {
            "action": "store_true",
            "help": "start in the tray, window closed (start at login)",
        },
    ),
)


def add_window_options(parser: argparse.ArgumentParser, *, db: bool = True) -> None:
    """Add the window's options to ``parser`` (``db=False`` when a parent parser has --db)."""
    for option in WINDOW_OPTIONS:
        if option is DB and not db:
            continue
        parser.add_argument(option.flag, **option.kwargs)


def wants_window(argv: Sequence[str]) -> bool:
    """True when ``argv`` holds only window options: no subcommand was given."""
    valued = {o.flag for o in WINDOW_OPTIONS if o.takes_value}
    flags = {o.flag for o in WINDOW_OPTIONS if not o.takes_value}
    skip_next = False
    for arg in argv:
        if skip_next:
            skip_next = False
            continue
        if arg in valued:
            skip_next = True
            continue
        if arg in flags or arg.split("=", 1)[0] in valued:
            continue
        return False
    return True


class _WindowArguments(argparse.ArgumentParser):
    """The window's options fail as every command's do: one line, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"ties: error: {message}; see 'ties --help'\n")


def parse_window_args(argv: Sequence[str]) -> argparse.Namespace:
    """The window's options from ``argv`` (anything else is left for Qt)."""
    parser = _WindowArguments(prog="ties", add_help=False)
    add_window_options(parser)
    args, _unknown = parser.parse_known_args(list(argv))
    return args
