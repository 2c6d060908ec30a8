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
    add_passphrase_file_option,
    fail,
    run_guarded,
)

COMMAND_MODULES_SKIP = {"common"}
#: The order ``ties --help`` lists the command modules in: daily use first.
COMMAND_ORDER = (
    "journal",
    "people",
    "today",
    "report",
    "exchange",
    "sync",
    "recover",
    "encryption",
    "demo",
)


def command_modules() -> list[str]:
    """Every module here that defines subcommands, daily use first, then by name."""
    names = [
        m.name
        for m in pkgutil.iter_modules(__path__)
        if m.name not in COMMAND_MODULES_SKIP and not m.ispkg
    ]
    rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


class _VersionAction(argparse.Action):
    """``--version``: the version is read from the package metadata (~30 ms) only when asked."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        from ties import __version__

        print(f"ties {__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(DB.flag, default=argparse.SUPPRESS, **DB.kwargs)
    add_passphrase_file_option(common)
    parser = TiesArgumentParser(
        prog="ties",
        description="Ties: a private, offline journal of your relationships. "
        "Without a command, opens the window.",
        parents=[common],
    )
    parser.add_argument("--version", action=_VersionAction)
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
        from ties.cli.common import passphrase_reader
        from ties.store import encryption

        # Commands open their journal with this reader (cli.common.open_store); it is also
        # the default for the opens a use case makes of its own (a restore's copy, say).
        encryption.set_default_unlock(passphrase_reader(args))
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
