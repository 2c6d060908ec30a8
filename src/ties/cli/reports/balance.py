"""``ties report balance``: give and take per person in a window, as text or stable JSON."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from ties.cli.common import (
    add_json_flag,
    add_window_args,
    find_person,
    not_empty,
    open_store,
    print_json,
)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "balance",
        parents=[common],
        help="what you gave and received with each person, and who needs attention",
        description="Give and take with each person over a window ending on the as-of date "
        "(entries dated after as-of minus the window and up to as-of count), with the flags "
        "over_giving, over_taking, dormant, follow_up_due and unthanked. People are sorted "
        "by name. The --json output is a stable interface, described in docs/reciprocity.md.",
    )
    add_window_args(p)
    p.add_argument(
        "--person",
        type=not_empty,
        metavar="NAME",
        help="only this person, with a month-by-month timeline of their whole history",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_balance)


def cmd_balance(args: argparse.Namespace) -> int:
    from ties.analysis.reciprocity import balances, timeline
    from ties.analysis.render import balance_text

    as_of: date = args.as_of or date.today()
    with open_store(args, create=False) as store:  # as every report (see ties report coverage)
        person = find_person(store, args.person, "--person") if args.person else None
        rows = balances(store, as_of, args.window_days, person_ids=[person.id] if person else None)
        points = timeline(store, person.id, as_of) if person else []
    if args.json:
        people: list[dict[str, Any]] = []
        for b in rows:
            item: dict[str, Any] = {
                "name": b.name,
                "uuid": b.uuid,
                "given": b.given,
                "received": b.received,
                "mutual": b.mutual,
                "balance": b.balance,
                "last_contact": b.last_contact.isoformat() if b.last_contact else None,
                "flags": b.flags,
            }
            if person is not None:
                item["timeline"] = [
                    {
                        "month": m.month,
                        "given": m.given,
                        "received": m.received,
                        "balance": m.balance,
                    }
                    for m in points
                ]
            people.append(item)
        print_json({"as_of": as_of.isoformat(), "window_days": args.window_days, "people": people})
        return 0
    print(balance_text(rows, as_of, args.window_days, rows[0] if person else None, points))
    return 0
