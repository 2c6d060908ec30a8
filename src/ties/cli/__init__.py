"""The ``ties`` command: the window with no subcommand, else one of the subcommands.

Each module in this package registers its subcommands through
``register(subparsers, common)``; the modules call the same store, analysis and
io functions as the window, so both always agree.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from ties.cli.common import (
    CommandError,
    TerminalSafe,
    TiesArgumentParser,
    fail,
    not_empty,
    run_guarded,
)

COMMAND_MODULES_SKIP = {"common"}
#: The order ``ties --help`` lists the command modules in: daily use first.
COMMAND_ORDER = ("journal", "people", "today", "report", "exchange", "sync", "recover", "demo")


def command_modules() -> list[str]:
    """Every module here that defines subcommands, daily use first, then by name."""
    names = [
        m.name
        for m in pkgutil.iter_modules(__path__)
        if m.name not in COMMAND_MODULES_SKIP and not m.ispkg
    ]
    rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def build_parser() -> argparse.ArgumentParser:
    from ties import __version__  # read from the package metadata: only when a command runs

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        type=not_empty,
        default=argparse.SUPPRESS,
        help="journal file (default: $TIES_DB, else the journal in your data folder)",
    )
    parser = TiesArgumentParser(
        prog="ties",
        description="Ties: a private, offline journal of your relationships. "
        "Without a command, opens the window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"ties {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, show each place once and exit 0 (for packaging checks)",
    )
    parser.add_argument(
        "--screenshots", metavar="DIR", help="open the window, save a PNG of each place, exit"
    )
    parser.add_argument(
        "--color-scheme", choices=("light", "dark"), help="force a light or dark palette"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules():
        module = importlib.import_module(f"ties.cli.{name}")
        module.register(sub, common)
    return parser


#: Options of the window itself (``ties.ui.app``): with a value, and flags.
WINDOW_OPTIONS = ("--db", "--screenshots", "--color-scheme")
WINDOW_FLAGS = ("--smoke-test",)


def _wants_window(argv: Sequence[str]) -> bool:
    """True when no subcommand is given, without importing every command module."""
    skip_next = False
    for arg in argv:
        if skip_next:
            skip_next = False
            continue
        if arg in WINDOW_OPTIONS:
            skip_next = True
            continue
        if arg in WINDOW_FLAGS or arg.split("=", 1)[0] in WINDOW_OPTIONS:
            continue
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _wants_window(argv):
        return gui_main(argv)
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(out), TerminalSafe(err)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 0
        return run_guarded(args.func, args)
    finally:
        sys.stdout, sys.stderr = out, err


def gui_main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        from ties.ui.app import run
    except ImportError as exc:  # the window needs Qt's system libraries
        return fail(f"cannot start the window: {exc}", code=1)
    return run(argv)


__all__ = ["CommandError", "build_parser", "main"]
