"""``ties today``: the follow-ups, quiet ties, one-sided relationships and thanks due now."""

from __future__ import annotations

import argparse
from datetime import date

from ties.analysis.window import DEFAULT_WINDOW_DAYS
from ties.cli.common import (
    add_json_flag,
    add_window_args,
    open_store,
    positive_int,
    print_json,
)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "today",
        parents=[common],
        help="what is worth doing today: follow-ups, quiet ties, thanks, introductions",
        description="The Today list, as in the window: follow-ups due, ties gone quiet (by "
        "closeness), one-sided relationships, help not yet thanked, gaps in your support and "
        "suggested introductions. Items you dismissed or snoozed in the window are left out. "
        "The --json output is described in docs/reciprocity.md.",
    )
    add_window_args(
        p,
        as_of_help="the day to plan for (default: today)",
        window_help=f"window for one-sidedness and coverage (default {DEFAULT_WINDOW_DAYS})",
    )
    many = p.add_mutually_exclusive_group()
    many.add_argument(
        "--limit",
        type=positive_int,
        default=10,
        metavar="N",
        help="show at most N items per group in the text output (default 10)",
    )
    many.add_argument("--all", action="store_true", help="show every item")
    add_json_flag(p)
    p.set_defaults(func=cmd_today)


def cmd_today(args: argparse.Namespace) -> int:
    from ties.analysis.today import today_groups, today_items

    as_of: date = args.as_of or date.today()
    with open_store(args, create=False) as store:
        if args.json:
            from ties.io.records import PersonRefs

            items = today_items(store, as_of, args.window_days)
            refs = PersonRefs(store)
            print_json(
                {
                    "as_of": as_of.isoformat(),
                    "window_days": args.window_days,
                    "items": [
                        i.as_json()
                        | {
                            "people": [refs(pid) for pid in i.person_ids],
                            "entry_uuid": store.get_entry(i.entry_id).uuid if i.entry_id else None,
                        }
                        for i in items
                    ],
                }
            )
            return 0
        groups = today_groups(
            store, as_of, args.window_days, limit=None if args.all else args.limit
        )
    if not groups:
        print(f"Nothing to do on {as_of.isoformat()}: no follow-ups, quiet ties or thanks due.")
        return 0
    for n, group in enumerate(groups):
        if n:
            print()
        print(f"{group.heading} ({group.total:,})")
        for item in group.items:
            print(f"  - {item.title}: {item.detail}")
        if len(group.items) < group.total:
            print(f"  … and {group.total - len(group.items):,} more (--all shows them)")
    return 0
