"""``ties quick``: the small quick-add window, for a system-wide keyboard shortcut."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "quick",
        parents=[common],
        help="open the small quick-add window (bind it to a keyboard shortcut)",
        description="Open the small always-on-top quick-add window: type an entry as in "
        "'ties log', Enter saves and closes, Escape closes. When Ties is already running "
        "(window or tray) it opens there at once; otherwise it opens on its own. "
        "See docs/window.md for binding it to a shortcut on GNOME, KDE, Windows and macOS.",
    )
    p.set_defaults(func=cmd_quick)


def cmd_quick(args: argparse.Namespace) -> int:
    from ties.ui.app import journal_path
    from ties.ui.quick_start import run_quick

    return run_quick(journal_path(argparse.Namespace(db=getattr(args, "db", None))))
