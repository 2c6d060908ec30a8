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
    from ties.analysis.today import GROUPS, today_items

    as_of: date = args.as_of or date.today()
    with open_store(args, create=False) as store:
        items = today_items(store, as_of, args.window_days)
        if args.json:
            from ties.io.records import PersonRefs

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
    if not items:
        print(f"Nothing to do on {as_of.isoformat()}: no follow-ups, quiet ties or thanks due.")
        return 0
    first = True
    for group, heading in GROUPS:
        mine = [i for i in items if i.group == group]
        if not mine:
            continue
        if not first:
            print()
        first = False
        print(f"{heading} ({len(mine):,})")
        shown = mine if args.all else mine[: args.limit]
        for item in shown:
            print(f"  - {item.title}: {item.detail}")
        if len(shown) < len(mine):
            print(f"  … and {len(mine) - len(shown):,} more (--all shows them)")
    return 0
