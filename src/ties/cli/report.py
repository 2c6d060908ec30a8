"""``ties report KIND``: the analyses, as text or as stable JSON.

Each module in ``ties.cli.reports`` adds one report kind through
``register(report_subparsers, common)``.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil

from ties.cli import reports


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "report",
        parents=[common],
        help="analyses of the journal (coverage, balance)",
        description="Analyses of the journal. The JSON of each report is a documented, "
        "stable interface (see docs/).",
    )
    kinds = p.add_subparsers(dest="report", metavar="REPORT", required=True)
    for m in sorted(pkgutil.iter_modules(reports.__path__), key=lambda m: m.name):
        importlib.import_module(f"ties.cli.reports.{m.name}").register(kinds, common)
