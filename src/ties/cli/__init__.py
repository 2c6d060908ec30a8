"""The ``ties`` command: the window with no subcommand, else one of the subcommands.

Each module in this package registers its subcommands through
``register(subparsers, common)``. A command is a thin adapter: it parses its
arguments, calls the use case in :mod:`ties.app` (opening the journal, export,
import, backups — the window calls the same ones) or the analysis, and prints.
The window's own options are declared in :mod:`ties.app.options`.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from ties.app.options import DB, add_window_options, wants_window
from ties.cli.common import (
    CommandError,
    TerminalSafe,
    TiesArgumentParser,
    fail,
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
    common.add_argument(DB.flag, default=argparse.SUPPRESS, **DB.kwargs)
    parser = TiesArgumentParser(
        prog="ties",
        description="Ties: a private, offline journal of your relationships. "
        "Without a command, opens the window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"ties {__version__}")
    add_window_options(parser, db=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules():
        module = importlib.import_module(f"ties.cli.{name}")
        module.register(sub, common)
    return parser


def _quick_db(argv: Sequence[str]) -> str | None:
    """For ``ties [--db PATH] quick [--db PATH]``: the ``--db`` value ("" if none); else None."""
    db, rest, i = "", [], 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--db" and i + 1 < len(argv):
            db, i = argv[i + 1], i + 2
        elif arg.startswith("--db="):
            db, i = arg.removeprefix("--db="), i + 1
        else:
            rest.append(arg)
            i += 1
    return db if rest == ["quick"] else None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if wants_window(argv):
        return gui_main(argv)
    db = _quick_db(argv)
    if db is not None:  # the fast way to a running Ties (a keyboard shortcut waits on it)
        try:
            from ties.ui.instance import hand_over, quick_journal

            if hand_over(quick_journal(db).resolve(), "quick"):
                return 0
        except ImportError:
            pass  # no Qt: the command below says so
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
