"""Subcommands that move data in and out: backup, restore, export, import."""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ties.cli.common import CommandError, add_json_flag, journal_path, open_store, print_json
from ties.io.crypto import ENV_PASSPHRASE
from ties.store import CorruptJournalError, JournalError, PeopleFilter, Store

if TYPE_CHECKING:
    from ties.io.importers import Mapping

EXPORT_FORMATS = ("json", "csv", "markdown", "ics")
#: Contact fields a CSV column can be mapped to with ``ties import --map``.
MAP_FIELDS = (
    "name",
    "first",
    "middle",
    "last",
    "organization",
    "role",
    "notes",
    "categories",
    "birthday",
    "email",
)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "backup",
        parents=[common],
        help="write a verified backup of the journal",
        description="Write a consistent, verified copy of the journal (safe while the window is "
        "writing). Without PATH it goes to the backup folder under a dated name. With "
        f"--encrypt the passphrase is asked for (never echoed) or taken from ${ENV_PASSPHRASE}.",
    )
    p.add_argument("path", nargs="?", metavar="PATH", help="file or folder to write to")
    p.add_argument(
        "--encrypt",
        action="store_true",
        help=f"encrypt with a passphrase (prompted, or ${ENV_PASSPHRASE})",
    )
    p.add_argument(
        "--list", action="store_true", help="list the backups in the backup folder instead"
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore",
        parents=[common],
        help="replace the journal with a backup",
        description="Check a backup (SQLite header, integrity, a Ties journal this version can "
        "read) and replace the journal with it atomically. The journal as it was is backed up "
        f"first. Encrypted backups ask for their passphrase (or read ${ENV_PASSPHRASE}).",
    )
    p.add_argument("path", metavar="PATH", help="the backup file")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "export",
        parents=[common],
        help="export the journal as JSON, CSV, Markdown or a calendar (ics)",
        description="Export the whole journal: json (every field, for moving to another device; "
        "see docs/export-format.md), csv (a zip of people.csv and entries.csv for spreadsheets) "
        "markdown (a readable report) or ics (follow-ups and yearly dates for a calendar app; "
        "see docs/window.md).",
    )
    p.add_argument("--format", "-f", choices=EXPORT_FORMATS, required=True)
    p.add_argument(
        "-o", "--output", metavar="PATH", required=True, type=Path, help="the file to write"
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import",
        parents=[common],
        help="import a Ties export, vCard or CSV contacts",
        description="Import a Ties JSON or CSV export (merged by UUID, the newer edit wins), a "
        "vCard file or CSV contacts (Google, Outlook, LinkedIn), recognised by content. Prints "
        "what was added, updated and skipped. Once the file has been read and would import, a "
        "backup of the journal is taken, then everything is written in one transaction. "
        "--dry-run writes nothing, not even a missing journal. See docs/import.md.",
    )
    p.add_argument("path", metavar="PATH", type=Path)
    p.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
    p.add_argument(
        "--strict", action="store_true", help="refuse the whole file if any record cannot be read"
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="for CSV contacts with headers Ties does not know: which column holds a field "
        f"({', '.join(MAP_FIELDS)}); repeat for each field",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_import)


def read_passphrase(prompt: str, *, confirm: bool = False) -> str:
    """From the environment variable, else a prompt that does not echo; never an argument."""
    env = os.environ.get(ENV_PASSPHRASE)
    if env:
        return env
    if env is not None:
        raise CommandError(
            f"${ENV_PASSPHRASE} is set but empty; put the passphrase in it, or unset it "
            "to be asked in a terminal"
        )
    if not sys.stdin.isatty():
        raise CommandError(f"a passphrase is needed: run in a terminal, or set ${ENV_PASSPHRASE}")
    import getpass

    first = getpass.getpass(prompt)
    if not first:
        raise CommandError("the passphrase is empty")
    if confirm and getpass.getpass("Repeat the passphrase: ") != first:
        raise CommandError("the two passphrases differ; nothing was written")
    return first


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def cmd_backup(args: argparse.Namespace) -> int:
    from ties.io import backup

    if args.list:
        found = backup.list_backups(journal_path(args).stem)
        if args.json:
            print_json(
                [
                    {
                        "path": str(b.path),
                        "kind": b.kind,
                        "taken": b.taken.isoformat(),
                        "size": b.size,
                        "encrypted": b.encrypted,
                    }
                    for b in found
                ]
            )
        elif not found:
            print("no backups yet")
        for b in [] if args.json else found:
            lock = " (encrypted)" if b.encrypted else ""
            print(f"{b.taken:%Y-%m-%d %H:%M}  {b.kind:<14} {_size(b.size):>10}  {b.path}{lock}")
        return 0
    passphrase = (
        read_passphrase("Passphrase for the backup: ", confirm=True) if args.encrypt else None
    )
    # The copy is checked with PRAGMA integrity_check; checking the journal first as well
    # would only double the time on a large journal.
    with Store.open(journal_path(args), create=False, check=False) as store:
        target = Path(args.path) if args.path else None
        path = backup.backup(store, target, passphrase=passphrase)
    if args.json:
        print_json(
            {"path": str(path), "size": path.stat().st_size, "encrypted": passphrase is not None}
        )
    else:
        print(f"backed up to {path} ({_size(path.stat().st_size)}, verified)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ties.io import backup, crypto

    source = Path(args.path).expanduser()
    if not source.is_file():
        raise CommandError(f"there is no file at {source}")
    passphrase = None
    if crypto.is_encrypted(source):
        passphrase = read_passphrase(f"Passphrase for {source.name}: ")
    target = journal_path(args)
    candidate, safety = backup.restore(source, target, passphrase=passphrase)
    print(
        f"restored {target} from {source.name} ({candidate.people:,} people, "
        f"{candidate.entries:,} entries)"
    )
    if safety and ".damaged-" in safety.name:
        print(f"the journal was damaged; it is kept, untouched, as {safety}")
    elif safety:
        print(f"the journal as it was is kept in {safety}")
    return 0


@contextlib.contextmanager
def _reading() -> Iterator[None]:
    """Damage met while reading the whole journal is a known error, not a bug."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        raise CorruptJournalError(f"the journal is damaged: {exc}; nothing was exported") from exc


def cmd_export(args: argparse.Namespace) -> int:
    out: Path = args.output.expanduser()
    if out.is_dir():
        raise CommandError(f"{out} is a folder; give a file name with -o")
    if not out.parent.is_dir():
        raise CommandError(f"the folder {out.parent} does not exist")
    with (
        _reading(),
        Store.open(journal_path(args), create=False, readonly=True, check=False) as store,
    ):
        if args.format == "json":
            from ties.io.export_json import export_json

            n = export_json(store, out)
        elif args.format == "csv":
            from ties.io.export_csv import export_csv

            n = export_csv(store, out)
        elif args.format == "ics":
            from ties.io.ics import export_ics

            n = export_ics(store, out)
            print(f"exported {n:,} calendar items to {out}")
            return 0
        else:
            from ties.io.export_markdown import export_markdown

            n = export_markdown(store, out)
        people = store.count_people(PeopleFilter(archived=None))
    print(f"exported {people:,} people and {n:,} entries to {out}")
    return 0


def _mapping(pairs: list[str]) -> Mapping | None:
    """``--map FIELD=COLUMN`` options as a :class:`Mapping` (``None`` when there are none)."""
    from ties.io.importers import Mapping

    if not pairs:
        return None
    m = Mapping()
    for pair in pairs:
        field, sep, column = pair.partition("=")
        field = field.strip().lower()
        if not sep or not column.strip() or field not in MAP_FIELDS:
            raise CommandError(
                f"--map {pair!r}: give FIELD=COLUMN, FIELD one of {', '.join(MAP_FIELDS)}"
            )
        setattr(m, field, column.strip())
    if not m.usable():
        raise CommandError("--map must name the column of name, first or last")
    return m


def cmd_import(args: argparse.Namespace) -> int:
    from ties.io.importers import import_file
    from ties.io.importers.csv_contacts import UnknownColumnsError, headers_of

    mapping = _mapping(args.map)
    if mapping is not None:
        from ties.io.importers import FORMATS, detect_format

        kind = detect_format(args.path)
        if kind != "csv":
            raise CommandError(f"--map is for CSV contacts; {args.path.name} is a {FORMATS[kind]}")
    path = journal_path(args)
    missing = not path.exists()
    try:
        if args.dry_run and missing:
            # A dry run creates nothing: preview against a new, empty journal in a
            # temporary folder, which is what a real import would start from.
            with (
                tempfile.TemporaryDirectory(prefix="ties-dry-run-") as tmp,
                Store.open(Path(tmp) / path.name) as store,
            ):
                report = import_file(
                    store, args.path, dry_run=True, mapping=mapping, strict=args.strict
                )
        else:
            with open_store(args) as store:
                report = import_file(
                    store, args.path, dry_run=args.dry_run, strict=args.strict, mapping=mapping
                )
    except UnknownColumnsError as exc:
        if mapping is not None:
            raise
        try:
            found = ", ".join(repr(h) for h in headers_of(args.path)) or "none"
        except JournalError:
            found = "none readable"
        raise CommandError(
            f"{exc} Its first row has: {found}. Say which column holds what with "
            "--map name=COLUMN (or first=/last=, organization=, …), or use File → Import in "
            "the window to choose the columns."
        ) from None
    if args.json:
        print_json(dict(report.as_dict(), journal_exists=not missing))
        return 0
    head = "would import" if report.dry_run else "imported"
    print(f"{head} {report.source} ({report.format}): {report.summary()}")
    for c in report.changes:
        if c.kind in ("circle", "support type") and c.action == "skipped":
            continue
        reason = f" ({c.reason})" if c.reason else ""
        print(f"  {c.action:<8} {c.kind:<12} {c.label}{reason}")
    for problem in report.problems:
        print(f"  unreadable: {problem}")
    if report.backup:
        print(f"a backup from before the import is in {report.backup}")
    if report.dry_run and missing:
        print(
            f"there is no journal at {path} yet: a real import would create it with what is "
            "listed above; dry run: nothing was written"
        )
    elif report.dry_run:
        print("dry run: nothing was written")
    return 0
