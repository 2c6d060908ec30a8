"""``ties sync FOLDER`` and ``ties inbox``: one journal on several computers, and a phone inbox."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ties.analysis.render import counted
from ties.cli.common import CommandError, add_json_flag, open_store, print_json

if TYPE_CHECKING:
    from ties.store import Store


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "sync",
        parents=[common],
        help="sync the journal with your other computers through a folder",
        description="Sync the journal through FOLDER, a folder that Syncthing, Nextcloud, "
        "Dropbox, a USB stick … already carries between your computers. Ties writes only its "
        "own change files there (never the journal itself) and reads the other computers' "
        "ones; edits made on both sides merge field by field, the later one winning. The "
        "format is described in docs/sync-format.md.",
    )
    p.add_argument("folder", metavar="FOLDER", help="the sync folder (it must exist)")
    p.add_argument(
        "--compact",
        action="store_true",
        help="write a snapshot now and retire this computer's change files every other one has",
    )
    p.add_argument(
        "--inbox",
        action="store_true",
        help="also save every line of FOLDER/inbox.txt that parses (see 'ties inbox')",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser(
        "inbox",
        parents=[common],
        help="list, or save, the quick-add lines waiting in a phone inbox file",
        description="Read the quick-add lines (docs/quick-add.md) waiting in PATH (a file, or "
        "a folder's inbox.txt) and show what each would save. With --save, save every line "
        "that parses and mark it done ('[x] ' in front) in the file, keeping lines written "
        "meanwhile. A line with no date is logged on the day it was written: a leading "
        "YYYY-MM-DD on the line, else the day the file was last changed.",
    )
    p.add_argument("path", metavar="PATH", help="the inbox file, or the folder holding inbox.txt")
    p.add_argument("--save", action="store_true", help="save the lines that parse")
    add_json_flag(p)
    p.set_defaults(func=cmd_inbox)


def cmd_sync(args: argparse.Namespace) -> int:
    from ties.app.sync import SyncError, sync_folder

    folder = Path(args.folder).expanduser()
    if not folder.is_dir():
        raise CommandError(f"the sync folder {folder} does not exist")
    # A new computer joins with an empty journal: sync creates it.
    with open_store(args) as store:
        try:
            report = sync_folder(store, folder, compact=True if args.compact else None)
        except SyncError as exc:
            raise CommandError(str(exc)) from exc
        inbox_json = None
        inbox_text = ""
        if args.inbox or (folder / "inbox.txt").exists():
            inbox_json, inbox_text = _inbox(store, folder, save=args.inbox)
    if args.json:
        data = report.as_json()
        data["inbox"] = inbox_json
        print_json(data)
        return 0
    others = [d for d in report.devices if not d.this_device]
    print(
        f"Synced with {counted(len(others), 'other device')}: "
        f"{counted(report.applied, 'row')} changed here, "
        f"{counted(report.sent, 'change')} sent."
    )
    for d in others:
        print(f"  {d.name or d.device} ({d.device}): last wrote {d.last_written or 'never'}")
    if report.compacted:
        print(f"Compacted: {counted(report.compacted, 'old file')} retired.")
    for problem in report.problems:
        print(f"note: {problem}")
    if inbox_text:
        print(inbox_text)
    return 0


def _inbox(store: Store, folder: Path, *, save: bool) -> tuple[dict[str, Any], str]:
    from ties.app.inbox import InboxError, read_inbox, save_lines

    try:
        inbox = read_inbox(store, folder)
        saved, note = save_lines(store, inbox, inbox.pending) if save else ([], "")
    except InboxError as exc:
        raise CommandError(str(exc)) from exc
    waiting = [ln for ln in inbox.pending if ln not in saved]
    data = {
        "path": str(inbox.path),
        "saved": [ln.as_json() for ln in saved],
        "pending": [ln.as_json() for ln in waiting],
        "notes": [n for n in (note, inbox.waiting) if n],
    }
    text = []
    if saved:
        text.append(f"Saved {counted(len(saved), 'line')} from {inbox.path.name}.")
    if waiting:
        text.append(
            f"{counted(len(waiting), 'line')} waiting in {inbox.path.name} "
            f"('ties inbox {inbox.path}' shows them)."
        )
    text += [f"note: {n}" for n in data["notes"]]
    return data, "\n".join(text)


def cmd_inbox(args: argparse.Namespace) -> int:
    from ties.app.inbox import InboxError, read_inbox, save_lines

    with open_store(args, create=False) as store:
        try:
            inbox = read_inbox(store, Path(args.path))
            saved, note = save_lines(store, inbox, inbox.pending) if args.save else ([], "")
        except InboxError as exc:
            raise CommandError(str(exc)) from exc
    waiting = [ln for ln in inbox.pending if ln not in saved]
    notes = [n for n in (note, inbox.waiting) if n]
    if args.json:
        print_json(
            {
                "path": str(inbox.path),
                "saved": [ln.as_json() for ln in saved],
                "pending": [ln.as_json() for ln in waiting],
                "done": inbox.done,
                "notes": notes,
            }
        )
        return 0
    for ln in saved:
        print(f"saved  line {ln.number}: {ln.entry.describe() if ln.entry else ln.text}")
    for ln in waiting:
        if ln.entry is not None:
            new = f" (new: {', '.join(ln.new_people)})" if ln.new_people else ""
            print(f"ready  line {ln.number}: {ln.entry.describe()}{new}")
        else:
            print(f"error  line {ln.number}: {ln.raw} — {ln.error}")
    if not saved and not waiting:
        print(f"Nothing waiting in {inbox.path}.")
    for n in notes:
        print(f"note: {n}")
    return 0
