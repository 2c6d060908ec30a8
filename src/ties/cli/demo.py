"""``ties demo``: write a sample journal to explore the app or to benchmark it."""

from __future__ import annotations

import argparse
import time

from ties.cli.common import (
    CommandError,
    journal_path,
    new_folder_note,
    parse_date,
    whole_number,
)
from ties.demo import MAX_DEMO_ENTRIES, MAX_DEMO_PEOPLE, demo_today_range


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "demo",
        parents=[common],
        help="write a realistic sample journal",
        description="Write a realistic, deterministic sample journal (same seed, same journal). "
        "Refuses to write into an existing journal that holds your own data. "
        "Without --db it writes the sample journal in your data folder, never your own journal.",
    )
    p.add_argument(
        "--people",
        type=_people,
        default=300,
        help=f"how many people (300, at most {MAX_DEMO_PEOPLE:,})",
    )
    p.add_argument(
        "--entries",
        type=_entries,
        default=6000,
        help=f"how many entries (6000, at most {MAX_DEMO_ENTRIES:,})",
    )
    p.add_argument("--seed", type=int, default=7, help="random seed (7)")
    p.add_argument("--years", type=_years, default=4.0, help="years of history (4)")
    p.add_argument(
        "--today", type=parse_date, metavar="DATE", help="the day the history ends (default: today)"
    )
    p.set_defaults(func=cmd_demo)


def _people(text: str) -> int:
    return whole_number(text, 1, MAX_DEMO_PEOPLE)


def _entries(text: str) -> int:
    return whole_number(text, 0, MAX_DEMO_ENTRIES)


def _years(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of years") from None
    if not 0.1 <= value <= 100:  # also refuses nan and inf
        raise argparse.ArgumentTypeError("--years must be between 0.1 and 100")
    return value


def cmd_demo(args: argparse.Namespace) -> int:
    from ties.demo import write_demo
    from ties.paths import sample_journal_path

    if args.today is not None:
        first, last = demo_today_range(args.years)
        if not first <= args.today <= last:
            raise CommandError(
                f"--today must be between {first.isoformat()} and {last.isoformat()} "
                f"for {args.years:g} years of history"
            )
    path = journal_path(args) if getattr(args, "db", None) else sample_journal_path()
    new_folder = not path.parent.exists() and bool(getattr(args, "db", None))
    started = time.perf_counter()
    store = write_demo(
        path,
        people=args.people,
        entries=args.entries,
        seed=args.seed,
        years=args.years,
        today=args.today,
    )
    store.close()
    if new_folder:
        new_folder_note(path.parent)
    print(
        f"wrote a sample journal with {args.people:,} people and {args.entries:,} entries "
        f"to {path} in {time.perf_counter() - started:.1f} s"
    )
    print(f"open the window on it:  ties --db {path}")
    print(f"or try:                 ties people --db {path}")
    return 0
