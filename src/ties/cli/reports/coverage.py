"""``ties report coverage``: which kinds of support I get, from whom, and the gaps."""

from __future__ import annotations

import argparse

from ties.cli.common import (
    CommandError,
    add_json_flag,
    add_window_args,
    not_empty,
    open_store,
    print_json,
)


def register(kinds: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = kinds.add_parser(
        "coverage",
        parents=[common],
        help="support coverage: providers per support type, gaps and suggestions",
        description="For each support type, who gave it to you in the window (received or "
        "mutual entries), whom you gave it to, and suggestions for the gaps; plus the "
        "instrumental/psychosocial totals, weak and strong ties, and the diversity of the "
        "people you were in touch with. The window is the N days ending on the as-of date. "
        "The JSON is a stable interface, described in docs/coverage.md.",
    )
    add_window_args(p)
    p.add_argument(
        "--tag",
        type=not_empty,
        metavar="TAG",
        help="only the people with this tag (the JSON keeps its shape)",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_coverage)


def cmd_coverage(args: argparse.Namespace) -> int:
    from ties.analysis.coverage import compute_coverage
    from ties.analysis.render import coverage_text

    # Opened as every report is; reading never writes (ties.store.window_totals).
    with open_store(args, create=False) as store:
        only = None
        if args.tag:
            from ties.store import PeopleFilter

            filt = PeopleFilter(tag=args.tag, archived=None)
            only = {p.id for p in store.list_people(filt) if p.id is not None}
            if not only:
                raise CommandError(f"nobody has the tag '{args.tag}'; see 'ties tags'")
        cov = compute_coverage(store, args.as_of, args.window_days, only=only)
    if args.json:
        print_json(cov.to_json())
    else:
        if args.tag:
            print(f"Only the people tagged '{args.tag}'.")
        print(coverage_text(cov))
    return 0
