"""``ties recover``: put a damaged journal aside and bring back its newest good backup."""

from __future__ import annotations

import argparse
from pathlib import Path

from ties.cli.common import CommandError, add_json_flag, journal_path, print_json


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
    from ties.io.recovery import journal_problems, newest_good_backup, recover

    journal = journal_path(args)
    if not journal.exists():
        raise CommandError(f"there is no journal at {journal}")
    # The full check (as 'ties check'), not only the quick one every open runs: a row
    # missing from its index is damage too.
    if not journal_problems(journal):
        raise CommandError(
            f"{journal.name} passes its check; nothing to recover (see 'ties restore')"
        )
    source = Path(args.source).expanduser() if args.source else newest_good_backup(journal)
    if source is None:
        raise CommandError(
            f"{journal.name} is damaged and no backup of it passes its check; "
            "the damaged file was left as it is"
        )
    if args.dry_run:
        if args.json:
            print_json({"journal": str(journal), "backup": str(source), "dry_run": True})
        else:
            print(f"would set {journal.name} aside and restore {source}")
        return 0
    result = recover(journal, source, other_journal=args.other_journal)
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
        print(f"the damaged journal is kept at {result.damaged}")
        print(
            f"restored {journal} from {result.restored_from.name} "
            f"({result.people:,} people, {result.entries:,} entries)"
        )
    return 0
