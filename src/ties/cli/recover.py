"""``ties recover``: put a damaged journal aside and bring back its newest good backup."""

from __future__ import annotations

import argparse
from pathlib import Path

from ties.cli.common import add_json_flag, journal_path, passphrase_reader, print_json


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "recover",
        parents=[common],
        help="replace a damaged journal with its newest good backup",
        description="For a journal that Ties reports as damaged: rename it aside untouched "
        "(<name>.damaged-<time>.ties, beside it) and restore the newest backup of it that "
        "passes its check, or the backup given with --from. Refuses a journal that passes the "
        "full check ('ties check'); use 'ties restore' to go back to a backup of a healthy "
        "journal.",
    )
    p.add_argument("--from", dest="source", metavar="BACKUP", help="restore this backup instead")
    p.add_argument(
        "--other-journal",
        action="store_true",
        help="with --from: restore even a backup of another journal (refused otherwise)",
    )
    p.add_argument("--dry-run", action="store_true", help="only say which backup would be restored")
    add_json_flag(p)
    p.set_defaults(func=cmd_recover)


def cmd_recover(args: argparse.Namespace) -> int:
    from ties.app import backups

    journal = journal_path(args)
    source = backups.recovery_source(
        journal, Path(args.source) if args.source else None, unlock=passphrase_reader(args)
    )
    if args.dry_run:
        if args.json:
            print_json({"journal": str(journal), "backup": str(source), "dry_run": True})
        else:
            print(f"would set {journal.name} aside and restore {source}")
        return 0
    result = backups.recover_journal(journal, source, other_journal=args.other_journal)
    if args.json:
        print_json(
            {
                "journal": str(journal),
                "backup": str(result.restored_from),
                "damaged": str(result.damaged),
                "people": result.people,
                "entries": result.entries,
            }
        )
    else:
        for line in backups.recovered_lines(journal, result):
            print(line)
    return 0
