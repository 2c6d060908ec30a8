"""Subcommands for the day-to-day journal: log, entries, search, check."""

from __future__ import annotations

import argparse
import contextlib
import shlex
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ties.analysis.render import table
from ties.cli.common import (
    CommandError,
    add_json_flag,
    find_person,
    journal_path,
    not_empty,
    open_store,
    parse_date,
    positive_int,
    print_json,
)
from ties.model import DIRECTIONS, KINDS
from ties.store import ValidationError

if TYPE_CHECKING:
    from ties.quickadd import QuickEntry
    from ties.store import Store


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "log",
        parents=[common],
        help="add one entry from a quick-add line",
        description="Add one entry from a quick-add line, e.g. "
        'ties log \'gave #career_guidance to @"Ana Ruiz" yesterday w2: reviewed her CV; '
        "follow up in 2 weeks'. People not yet in the journal are created. "
        "See docs/quick-add.md for the grammar.",
    )
    p.add_argument("text", nargs="+", help="the quick-add line (quote it for the shell)")
    p.add_argument("--dry-run", action="store_true", help="show how the line is read; save nothing")
    add_json_flag(p)
    p.set_defaults(func=cmd_log)

    p = sub.add_parser(
        "entries",
        parents=[common],
        help="list entries, newest first",
        description="List entries, newest first, with optional filters.",
    )
    p.add_argument(
        "--person", type=not_empty, metavar="NAME", help="only entries naming this person"
    )
    p.add_argument("--since", type=parse_date, metavar="DATE", help="on or after YYYY-MM-DD")
    p.add_argument("--until", type=parse_date, metavar="DATE", help="on or before YYYY-MM-DD")
    p.add_argument("--direction", choices=DIRECTIONS)
    p.add_argument("--kind", choices=KINDS)
    p.add_argument(
        "--type",
        dest="support_type",
        type=not_empty,
        metavar="KEY",
        help="support type key (with or without #)",
    )
    p.add_argument(
        "--tag", type=not_empty, metavar="TAG", help="entries naming someone with this tag"
    )
    many = p.add_mutually_exclusive_group()
    many.add_argument(
        "--limit", type=positive_int, default=50, help="at most this many (default 50)"
    )
    many.add_argument("--all", action="store_true", help="no limit")
    add_json_flag(p)
    p.set_defaults(func=cmd_entries)

    p = sub.add_parser(
        "search",
        parents=[common],
        help="full-text search over people and entry notes",
        description="Search names, organisations, notes, interests, needs and offers of "
        "people, and the notes of entries. Every word must match (as a prefix).",
    )
    p.add_argument("query", nargs="+")
    p.add_argument("--limit", type=positive_int, default=20)
    add_json_flag(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser(
        "check",
        parents=[common],
        help="check the journal's integrity",
        description="Run SQLite's integrity check and Ties' own consistency checks. "
        "Prints ok (exit 0) or the problems found (exit 1). With --full, the newest plain "
        "backup of the journal gets its full integrity check too, and the result is kept "
        "for the backup list.",
    )
    p.add_argument(
        "--full", action="store_true", help="also fully check the newest backup of the journal"
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_check)


def cmd_log(args: argparse.Namespace) -> int:
    from ties import quickadd
    from ties.io.records import PersonRefs, entry_record

    text = " ".join(args.text)
    with _log_store(args) as store:
        keys = {t.key for t in store.support_types()}
        parsed = quickadd.parse(text, date.today(), keys)
        try:
            archived = quickadd.archived_names(store, parsed)
            if args.dry_run:
                record = _dry_run_record(store, parsed)
            else:
                result = quickadd.save(store, parsed)
        except ValidationError as exc:
            raise _ambiguity_hint(exc) from None
        _archived_note(archived)
        if args.dry_run:
            if args.json:
                print_json(record)
            else:
                print(quickadd.with_journal_names(store, parsed).describe())
                for person in record["new_people"]:
                    print(f"would add new person: {person['name']}")
            return 0
        named = [store.get_person(pid) for pid in result.entry.person_ids]
        if args.json:
            print_json(
                {
                    "entry": entry_record(result.entry, PersonRefs(store)),
                    "new_people": [{"name": p.name, "uuid": p.uuid} for p in result.created],
                }
            )
        else:
            for p in result.created:
                print(f"added new person: {p.name}")
            parsed.people = [p.name for p in named]
            print(f"logged: {parsed.describe()}")
    return 0


@contextlib.contextmanager
def _log_store(args: argparse.Namespace) -> Iterator[Store]:
    """The journal to log into; for a dry run on a journal not made yet, a throwaway one.

    A dry run must not create the journal, yet it can still say how the line reads
    in a new one (everybody it names would be added).
    """
    if args.dry_run and not journal_path(args).exists():
        from ties.store import Store

        with (
            tempfile.TemporaryDirectory() as folder,
            Store.open(Path(folder) / "dry-run.ties") as store,
        ):
            yield store
        return
    with open_store(args) as store:
        yield store


def _archived_note(names: list[str]) -> None:
    for name in names:
        print(
            f"ties: note: {name} is archived, so coverage, balances and Today leave "
            f"them out; bring them back with: ties person unarchive {shlex.quote(name)}",
            file=sys.stderr,
        )


def _dry_run_record(store: Store, q: QuickEntry) -> dict[str, Any]:
    """What ``ties log --json`` would print for the line, without saving it.

    Made by saving the line and rolling the transaction back, so that it can only
    differ from a real log in what saving alone makes, which is null here: the
    entry's uuid and times, and the uuids of the people it would add.
    """
    from ties import quickadd
    from ties.io.records import PersonRefs, entry_record

    class _Undo(Exception):
        pass

    record: dict[str, Any] = {}
    try:
        with store.transaction():
            result = quickadd.save(store, q)
            new = {p.uuid for p in result.created}
            entry = entry_record(result.entry, PersonRefs(store))
            entry.update(uuid=None, created=None, updated=None)
            for ref in [*entry["people"], entry["on_behalf_of"]]:
                if ref is not None and ref["uuid"] in new:
                    ref["uuid"] = None
            people = [{"name": p.name, "uuid": None} for p in result.created]
            record = {"entry": entry, "new_people": people}
            raise _Undo
    except _Undo:
        pass
    return record


def cmd_entries(args: argparse.Namespace) -> int:
    from ties.io.records import PersonRefs, entry_record
    from ties.store import EntryFilter

    with open_store(args, create=False) as store:
        if args.support_type:
            args.support_type = args.support_type.strip().removeprefix("#")
            store.support_type(args.support_type)  # unknown key → clear error
        filt = EntryFilter(
            person_id=find_person(store, args.person, "--person").id if args.person else None,
            since=args.since,
            until=args.until,
            direction=args.direction,
            kind=args.kind,
            support_type=args.support_type,
            tag=args.tag,
        )
        entries = store.list_entries(filt, limit=None if args.all else args.limit)
        refs = PersonRefs(store)
        if args.json:
            print_json([entry_record(e, refs) for e in entries])
            return 0
        rows = [
            [
                e.date.isoformat(),
                e.people_label
                + (f" (for {refs(e.on_behalf_of)['name']})" if e.on_behalf_of else ""),
                e.direction,
                e.kind,
                " ".join("#" + t for t in e.support_types),
                f"w{e.weight}",
                _short(e.note),
            ]
            for e in entries
        ]
        if not rows:
            print("no entries")
            return 0
        print(table(rows, ["date", "people", "direction", "kind", "support", "w", "note"]))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    with open_store(args, create=False) as store:
        hits = store.search(query, limit=args.limit)
        if args.json:
            print_json(
                [
                    {
                        "kind": h.kind,
                        "uuid": (
                            store.get_person(h.id).uuid
                            if h.kind == "person"
                            else store.get_entry(h.id).uuid
                        ),
                        "title": h.title,
                        "snippet": h.snippet,
                        "date": h.date.isoformat() if h.date else None,
                    }
                    for h in hits
                ]
            )
            return 0
        if not hits:
            print(f"nothing matches '{query}'")
            return 0
        for h in hits:
            when = f"{h.date.isoformat()}  " if h.date else ""
            print(f"{h.kind:6}  {when}{h.title}: {_short(h.snippet, 90)}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    with open_store(args, create=False) as store:
        problems = store.integrity_problems()
        journal = store.path
    newest = None
    if getattr(args, "full", False):
        from ties.io.backup_checks import check_newest

        newest = check_newest(journal)
    bad_backup = newest is not None and not newest[1].ok
    if args.json:
        out: dict[str, Any] = {"ok": not problems and not bad_backup, "problems": problems}
        if args.full:
            out["backup"] = (
                None
                if newest is None
                else {"path": str(newest[0]), "ok": newest[1].ok, "problem": newest[1].problem}
            )
        print_json(out)
    else:
        for p in problems:
            print(p)
        if newest is not None:
            path, found = newest
            print(f"newest backup {path.name}: {'ok' if found.ok else found.problem}")
        elif args.full:
            print("no plain backup of this journal to check")
        if not problems and not bad_backup:
            print("ok")
    return 1 if problems or bad_backup else 0


def _ambiguity_hint(exc: ValidationError) -> Exception:
    """Two people who share a name cannot be told apart in a quick-add line: say what can."""
    message = str(exc)
    if "could mean several people" not in message or "full name" in message:
        return exc
    return CommandError(
        f"{message.rstrip('.')}; 'ties person show NAME' lists their uuids, and "
        "'ties person edit UUID --rename NEW_NAME' tells them apart"
    )


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
