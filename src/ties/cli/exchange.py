"""Subcommands that move data in and out: backup, restore, export, import."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ties.app.formats import (
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    VCARD_VERSIONS,
    export_help,
    map_field_names,
)
from ties.app.journal import path_was_given
from ties.cli.common import (
    CommandError,
    add_json_flag,
    find_person,
    journal_path,
    new_folder_note,
    print_json,
)
from ties.io.crypto import ENV_PASSPHRASE
from ties.store import JournalError

if TYPE_CHECKING:
    from ties.io.importers import Mapping


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
    p.add_argument(
        "--verify",
        choices=("quick", "full"),
        default="quick",
        help="quick (default): SQLite's quick_check of the copy; full: also its full "
        "integrity_check now (otherwise the window runs it later, when idle)",
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
    p.add_argument(
        "--other-journal",
        action="store_true",
        help="restore even a backup of another journal (refused otherwise)",
    )
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "export",
        parents=[common],
        help="export the journal as JSON, CSV, Markdown, vCard or a calendar (ics)",
        description=f"Export the whole journal: {export_help()}.",
    )
    p.add_argument("--format", "-f", choices=tuple(EXPORT_FORMATS), required=True)
    p.add_argument(
        "-o", "--output", metavar="PATH", required=True, type=Path, help="the file to write"
    )
    p.add_argument(
        "--person",
        metavar="NAME",
        action="append",
        default=[],
        help="vCard only: export this person (name or uuid; repeat for several)",
    )
    p.add_argument(
        "--vcard-version",
        choices=VCARD_VERSIONS,
        default=None,
        help=f"vCard only: the version to write (default {VCARD_VERSIONS[0]})",
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
        f"({', '.join(map_field_names())}); repeat for each field",
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


def cmd_backup(args: argparse.Namespace) -> int:
    from ties.app import backups

    if args.list:
        found = backups.backups_of(journal_path(args))
        if args.json:
            print_json([backups.listing_json(b) for b in found])
        elif not found:
            print("no backups yet")
        for b in [] if args.json else found:
            print(backups.listing_line(b))
        return 0
    passphrase = (
        read_passphrase("Passphrase for the backup: ", confirm=True) if args.encrypt else None
    )
    target = Path(args.path) if args.path else None
    path = backups.back_up_journal(journal_path(args), target, passphrase=passphrase)
    full = None
    if args.verify == "full":
        full = backups.full_check_backup(path, passphrase=passphrase)
    if args.json:
        encrypted = passphrase is not None or backups.is_encrypted_file(path)
        out = {"path": str(path), "size": path.stat().st_size, "encrypted": encrypted}
        if full is not None:
            out["full_check"] = backups.full_check_json(full)
        print_json(out)
    else:
        print(backups.backed_up_message(path, full))
    failure = backups.full_check_failure(full)
    if failure:
        raise CommandError(failure)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ties.app import backups

    restored = backups.restore_journal(
        Path(args.path),
        journal_path(args),
        passphrase=lambda source: read_passphrase(f"Passphrase for {source.name}: "),
        other_journal=args.other_journal,
    )
    for line in restored.lines():
        print(line)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ties.app import exchange

    out: Path = args.output.expanduser()
    problem = exchange.export_target_problem(out)
    if problem is not None:
        raise CommandError(problem + (" with -o" if out.is_dir() else ""))
    exported = exchange.export_journal(
        journal_path(args),
        args.format,
        out,
        people=args.person or None,
        vcard_version=args.vcard_version,
        resolve=lambda store, name: find_person(store, name, "--person"),
    )
    print(exported.message())
    return 0


def _mapping(pairs: list[str]) -> Mapping | None:
    """``--map FIELD=COLUMN`` options as a :class:`Mapping` (``None`` when there are none)."""
    from ties.io.importers import Mapping

    if not pairs:
        return None
    fields = map_field_names()
    m = Mapping()
    for pair in pairs:
        field, sep, column = pair.partition("=")
        field = field.strip().lower()
        if not sep or not column.strip() or field not in fields:
            raise CommandError(
                f"--map {pair!r}: give FIELD=COLUMN, FIELD one of {', '.join(fields)}"
            )
        setattr(m, field, column.strip())
    if not m.usable():
        raise CommandError("--map must name the column of name, first or last")
    return m


def cmd_import(args: argparse.Namespace) -> int:
    from ties.app import exchange
    from ties.io.importers.csv_contacts import UnknownColumnsError, headers_of

    mapping = _mapping(args.map)
    if mapping is not None:
        from ties.io.importers import detect_format

        kind = detect_format(args.path)
        if kind != "csv":
            raise CommandError(
                f"--map is for CSV contacts; {args.path.name} is a "
                f"{IMPORT_FORMATS[kind].description}"
            )
    db = getattr(args, "db", None)
    try:
        imported = exchange.import_into(
            journal_path(args),
            args.path,
            dry_run=args.dry_run,
            strict=args.strict,
            mapping=mapping,
            on_new_folder=new_folder_note if path_was_given(db) else None,
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
        print_json(dict(imported.report.as_dict(), journal_exists=imported.journal_existed))
        return 0
    print(imported.text())
    return 0
