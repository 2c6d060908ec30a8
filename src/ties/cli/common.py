"""What every subcommand shares: opening the journal, output, dates and errors."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from ties.store import CorruptJournalError, JournalError, Store
from ties.store.connection import _translate


class CommandError(Exception):
    """A user mistake on the command line: printed as one line, exit code 1."""


def fail(message: str, code: int = 1) -> int:
    print(f"ties: error: {message}", file=sys.stderr)
    return code


def run_guarded(func: Callable[[argparse.Namespace], int | None], args: argparse.Namespace) -> int:
    """Run a subcommand: known problems become one line on stderr, bugs get logged."""
    from ties.quickadd import QuickAddError

    try:
        try:
            return func(args) or 0
        except sqlite3.Error as exc:  # damage met while reading, a busy or full disk, …
            known = _translate(exc)
            if known is None:
                raise
            raise known from exc
    except (JournalError, CommandError, QuickAddError) as exc:
        code = fail(str(exc))
        if isinstance(exc, CorruptJournalError) and getattr(args, "command", "") != "recover":
            print(
                "ties: the damaged file can be set aside and its newest good backup "
                "restored with: ties recover",
                file=sys.stderr,
            )
        return code
    except KeyboardInterrupt:
        return fail("interrupted; nothing half-written was kept", code=130)
    except BrokenPipeError:
        return 0
    except OSError as exc:
        return fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
    except Exception as exc:  # a bug: log it, say where the log is
        from ties.logs import log_unexpected

        path = log_unexpected(exc)
        return fail(f"unexpected {type(exc).__name__}; details were logged to {path}", code=70)


def journal_path(args: argparse.Namespace) -> Path:
    from ties.paths import default_journal_path

    return Path(args.db).expanduser() if getattr(args, "db", None) else default_journal_path()


def open_store(args: argparse.Namespace, *, create: bool = True, readonly: bool = False) -> Store:
    path = journal_path(args)
    if not create and not path.exists():
        raise CommandError(_no_journal_message(path, args))
    return Store.open(path, create=create, readonly=readonly)


def _no_journal_message(path: Path, args: argparse.Namespace) -> str:
    from ties.paths import sample_journal_path

    message = f"there is no journal at {path} yet; add someone with 'ties person add NAME'"
    sample = sample_journal_path()
    if not getattr(args, "db", None) and sample.exists():
        message += f", or explore the sample journal with --db {sample}"
    return message


def parse_date(text: str) -> date:
    """argparse type for YYYY-MM-DD (and today / yesterday)."""
    from ties.quickadd import parse_when

    try:
        return parse_when(text, date.today())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; use YYYY-MM-DD, today or yesterday"
        ) from None


def window_days(text: str) -> int:
    """argparse type for a look-back window: 1 day to a century."""
    from ties.analysis.window import MAX_WINDOW_DAYS

    value = positive_int(text)
    if value > MAX_WINDOW_DAYS:
        raise argparse.ArgumentTypeError(f"'{text}' is more than {MAX_WINDOW_DAYS:,} days")
    return value


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be at least 1")
    return value


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_json_default)
    sys.stdout.write("\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def add_window_args(
    parser: argparse.ArgumentParser,
    *,
    as_of_help: str = "the last day of the window (default: today)",
    window_help: str = "how many days the window spans, ending on the as-of date (default 365)",
) -> None:
    """``--as-of`` and ``--window-days``, spelled alike by every command that looks back."""
    parser.add_argument("--as-of", type=parse_date, metavar="YYYY-MM-DD", help=as_of_help)
    parser.add_argument(
        "--window-days", type=window_days, default=365, metavar="N", help=window_help
    )


def find_person(store: Store, name: str) -> Any:
    """The person a command-line NAME means, or a CommandError saying why not."""
    person = store.resolve_person(name)
    if person is None:
        raise CommandError(f"nobody called '{name}' in {store.path.name}; see 'ties people'")
    return person


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain text table, column widths fitted to the content."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)
