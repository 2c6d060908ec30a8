"""What every subcommand shares: opening the journal, output, dates and errors."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import shlex
import sqlite3
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TextIO

from ties.analysis.window import DEFAULT_WINDOW_DAYS
from ties.app.journal import chosen_journal, new_folder_message, open_journal, path_was_given
from ties.app.options import not_empty as not_empty  # re-exported for the subcommands
from ties.store import CorruptJournalError, JournalError, Store
from ties.store.connection import _translate


class CommandError(Exception):
    """A user mistake on the command line: printed as one line, exit code 1."""


def fail(message: str, code: int = 1) -> int:
    print(f"ties: error: {message}", file=sys.stderr)
    return code


#: Control characters a name or note may carry (from a vCard, say) that a terminal would
#: obey instead of showing: clearing the screen, moving the cursor, retitling the window.
#: Shown as ``\x1b`` and so on; line breaks and tabs stay. ``--json`` bypasses this
#: (:func:`print_json` writes to :attr:`TerminalSafe.unescaped`): JSON must stay data.
_CONTROLS = {
    c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)] if c not in (0x09, 0x0A)
}
#: Finds any of them (a search is ~50× faster than ``str.translate`` on clean text).
_ANY_CONTROL = re.compile("[" + "".join(re.escape(chr(c)) for c in _CONTROLS) + "]")


class TerminalSafe:
    """A text stream that writes control characters as visible escapes."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.unescaped = stream

    def write(self, text: str) -> int:
        if _ANY_CONTROL.search(text) is not None:
            text = text.translate(_CONTROLS)
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


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


class TiesArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose usage errors are the one line every other error is."""

    def error(self, message: str) -> NoReturn:
        self.usage_error(self.prog.removeprefix("ties").strip(), message)

    def usage_error(self, where: str, message: str) -> NoReturn:
        """``ties: error: person add: …; see 'ties person add --help'`` and exit 2."""
        hint = f"; see 'ties {where} --help'" if where else "; see 'ties --help'"
        self.exit(2, f"ties: error: {where + ': ' if where else ''}{message}{hint}\n")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: None = None
    ) -> argparse.Namespace:
        """As argparse's, but an unknown option names the subcommand it was given to."""
        if args is not None:
            args = glue_yearless_dates(args)
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            words = (getattr(parsed, key, None) for key in ("command", "action", "report"))
            where = " ".join(w for w in words if isinstance(w, str))
            self.usage_error(where, f"unrecognized arguments: {' '.join(extras)}")
        return parsed


#: Options whose value may be a date without a year, ``--MM-DD``, which argparse would
#: otherwise take for an unknown option.
YEARLESS_DATE_OPTIONS = ("--birthday",)


def glue_yearless_dates(argv: Sequence[str]) -> list[str]:
    """``--birthday --02-29`` → ``--birthday=--02-29`` (argparse reads it then)."""
    import re

    out: list[str] = []
    glue = False
    for word in argv:
        if glue and re.fullmatch(r"--\d+-\d+", word):
            out[-1] = f"{out[-1]}={word}"
        else:
            out.append(word)
        glue = word in YEARLESS_DATE_OPTIONS
    return out


def add_passphrase_file_option(common: argparse.ArgumentParser) -> None:
    """``--passphrase-file PATH`` on every subcommand (an encrypted journal needs it anywhere)."""
    common.add_argument(
        "--passphrase-file",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="read an encrypted journal's passphrase from the first line of PATH "
        "(else $TIES_PASSPHRASE, else a prompt)",
    )
    for refused in ("--passphrase", "--new-passphrase"):
        common.add_argument(refused, action=_RefusePassphrase, help=argparse.SUPPRESS)


class _RefusePassphrase(argparse.Action):
    """``--passphrase X`` refused, X not echoed (else it would abbreviate --passphrase-file)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
        parser.error(
            f"{self.option_strings[0]} is not taken on the command line (other users can read "
            "it in the process list): use --passphrase-file PATH or $TIES_PASSPHRASE"
        )


def read_file_passphrase(path: str) -> str:
    """The first line of ``path``, without its line ending."""
    try:
        with open(Path(path).expanduser(), encoding="utf-8") as fh:
            line = fh.readline()
    except OSError as exc:
        raise CommandError(f"cannot read the passphrase file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CommandError(f"the passphrase file {path} is not UTF-8 text") from None
    passphrase = line.rstrip("\r\n")
    if not passphrase:
        raise CommandError(f"the passphrase file {path} starts with an empty line")
    return passphrase


def passphrase_reader(args: argparse.Namespace) -> Callable[[Path], str]:
    """What the store asks when a journal turns out to be encrypted: a file, the environment,
    a prompt (never a command-line argument: other users see those in the process list)."""

    def read(path: Path) -> str:
        file = getattr(args, "passphrase_file", None)
        if file:
            return read_file_passphrase(file)
        env = os.environ.get("TIES_PASSPHRASE")
        if env:
            return env
        return prompt_passphrase(f"Passphrase for {path}: ", path)

    return read


def prompt_passphrase(text: str, path: Path) -> str:
    """A passphrase asked on the terminal without echo; refused when there is no terminal."""
    if not sys.stdin.isatty():
        raise CommandError(
            f"{path} is encrypted: give its passphrase with --passphrase-file PATH or "
            "$TIES_PASSPHRASE (there is no terminal to ask)"
        )
    try:
        passphrase = getpass.getpass(text)
    except EOFError:
        raise CommandError("no passphrase given") from None
    if not passphrase:
        raise CommandError("no passphrase given")
    return passphrase


def journal_path(args: argparse.Namespace) -> Path:
    """The journal ``--db`` or ``$TIES_DB`` names, else the one in the data folder.

    A folder given as the journal is refused here, before SQLite meets it.
    """
    return chosen_journal(getattr(args, "db", None))


def new_folder_note(folder: Path) -> None:
    """Say that a journal's missing folder was created, so a typo in --db does not go unseen."""
    print(f"ties: {new_folder_message(folder)}", file=sys.stderr)


def open_store(args: argparse.Namespace, *, create: bool = True, readonly: bool = False) -> Store:
    """The journal the command names, through :func:`ties.app.journal.open_journal`."""
    db = getattr(args, "db", None)
    return open_journal(
        journal_path(args),
        create=create,
        readonly=readonly,
        offer_sample=not db,
        on_new_folder=new_folder_note if path_was_given(db) else None,
        unlock=passphrase_reader(args),
    )


def parse_date(text: str) -> date:
    """argparse type for YYYY-MM-DD (and today / yesterday)."""
    from ties.datewords import NUMERIC
    from ties.model import EARLIEST_ENTRY
    from ties.quickadd import parse_when

    try:
        if NUMERIC.fullmatch(text.strip()):  # 3/12 reads by locale: a script must not
            raise ValueError(text)
        day = parse_when(text, date.today())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date; use YYYY-MM-DD, today or yesterday"
        ) from None
    if day < EARLIEST_ENTRY:
        # a journal holds nothing earlier, and a window reaching back past year 1 cannot be said
        raise argparse.ArgumentTypeError(
            f"'{text}' is before {EARLIEST_ENTRY.isoformat()}, the earliest day a journal holds"
        )
    return day


def window_days(text: str) -> int:
    """argparse type for a look-back window: 1 day to a century."""
    from ties.analysis.window import MAX_WINDOW_DAYS

    return whole_number(text, 1, MAX_WINDOW_DAYS, too_many=f"is more than {MAX_WINDOW_DAYS:,} days")


#: The largest count any option takes: far beyond any journal, well inside SQLite's
#: 64-bit integers.
MAX_COUNT = 1_000_000_000


def whole_number(text: str, low: int, high: int, *, too_many: str | None = None) -> int:
    """``text`` as a whole number from ``low`` to ``high``, or an argparse error saying why."""
    try:
        if not text.strip().lstrip("+-").isascii():
            raise ValueError(text)  # int() also reads other scripts' digits ("٣" is 3)
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < low:
        raise argparse.ArgumentTypeError(f"'{text}' must be at least {low:,}")
    if value > high:
        raise argparse.ArgumentTypeError(f"'{text}' {too_many or f'must be at most {high:,}'}")
    return value


def positive_int(text: str) -> int:
    """argparse type for a count: 1 to :data:`MAX_COUNT`."""
    return whole_number(text, 1, MAX_COUNT)


class Clear:
    """The value of an option given as ``none`` (or empty): clear the field."""

    def __repr__(self) -> str:
        return "CLEAR"


CLEAR = Clear()
CLEAR_WORDS = ("", "none")


def date_or_none(text: str) -> date | Clear:
    """argparse type for a date that can be cleared with ``none`` or an empty string."""
    return CLEAR if text.strip().lower() in CLEAR_WORDS else parse_date(text)


def past_date_or_none(text: str) -> date | Clear:
    """:func:`date_or_none` for something that has happened: not after today (as in the window)."""
    value = date_or_none(text)
    if isinstance(value, date) and value > date.today():
        raise argparse.ArgumentTypeError(f"'{text}' is in the future")
    return value


def days_or_none(text: str) -> int | Clear:
    """argparse type for a number of days (1 to a century), or ``none`` to clear it."""
    return CLEAR if text.strip().lower() in CLEAR_WORDS else window_days(text)


def print_json(data: Any) -> None:
    """The data as JSON on stdout, as it is (JSON escapes the characters a terminal obeys)."""
    out = getattr(sys.stdout, "unescaped", sys.stdout)
    json.dump(data, out, ensure_ascii=False, indent=2, default=_json_default)
    out.write("\n")


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
    window_help: str = "how many days the window spans, ending on the as-of date "
    f"(default {DEFAULT_WINDOW_DAYS})",
) -> None:
    """``--as-of`` and ``--window-days``, spelled alike by every command that looks back."""
    parser.add_argument("--as-of", type=parse_date, metavar="YYYY-MM-DD", help=as_of_help)
    parser.add_argument(
        "--window-days",
        type=window_days,
        default=DEFAULT_WINDOW_DAYS,
        metavar="N",
        help=window_help,
    )


def find_person(store: Store, name: str, option: str | None = None) -> Any:
    """The person a command-line NAME (or uuid) means, or a CommandError saying why not.

    Two people can share a name (an import keeps both); then the error lists
    each with its uuid, which is accepted wherever a name is. ``option`` is the
    flag that took the name (``--person``), for the example in the message.
    """
    by_uuid = store.get_person_by_uuid(name.strip().lower())
    if by_uuid is not None:
        return by_uuid
    named = store.people_named(name)
    exact = [p for p in named if not p.archived] or named
    if len(exact) > 1:
        listed = ", ".join(f"{p.name} ({p.organization or p.circle}) {p.uuid}" for p in exact)
        raise CommandError(f"'{name}' could mean several people: {listed}; name one by its uuid")
    if exact:
        return exact[0]
    starts = store.people_starting(name)
    if len(starts) > 1:
        listed = ", ".join(p.name for p in starts[:6])
        full = starts[0].name
        example = f'"{full}"' if '"' not in full and "$" not in full else shlex.quote(full)
        raise CommandError(
            f"'{name}' could mean several people: {listed}; write the full name, e.g. "
            + (f"{option} {example}" if option else example)
        )
    if starts:
        return starts[0]
    raise CommandError(f"nobody called '{name}' in {store.path.name}; see 'ties people'")
