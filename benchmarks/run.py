"""Run the Ties benchmark: ``.venv/bin/python benchmarks/run.py [--scale small|reference]``.

Builds the sample journal for the scale once (cached in ``benchmarks/.cache``),
then measures what a person feels (whole processes: each command and the
window beside a yardstick, :mod:`whole_process`), the store, the analyses,
backup and export, and the window (offscreen), and prints a Markdown table:
the median of ``--repeat`` runs after one discarded warm-up run, with this
machine's Python, SQLite and Qt versions. ``docs/performance.md`` explains
the measures and keeps a run. ``--encrypted`` measures the journal and an
encrypted copy side by side instead (:mod:`encrypted`).
Not part of the test suite; ``tests/benchmarks`` only checks that it runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import bench_qt  # noqa: E402
import bench_store  # noqa: E402
import encrypted as encryption  # noqa: E402
import reference  # noqa: E402
import whole_process  # noqa: E402
from harness import Row, pin_none, table  # noqa: E402

pin_none()


def versions() -> str:
    try:
        import PySide6
        from PySide6 import QtCore

        qt = f"PySide6 {PySide6.__version__}, Qt {QtCore.qVersion()}"
    except ImportError:
        qt = "PySide6 not installed"
    cpus = os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {qt}, "
        f"{_sqlcipher()}; "
        f"{platform.system()} {platform.machine()}, {cpus} CPUs, load average {load} at start"
    )


def _sqlcipher() -> str:
    """Which ``sqlcipher3`` build encrypted journals go through (the wheels differ in speed)."""
    from importlib import metadata

    for dist in ("sqlcipher3-wheels", "sqlcipher3-binary", "sqlcipher3"):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
        from sqlcipher3 import dbapi2

        return f"{dist} {version} (SQLite {dbapi2.sqlite_version})"
    return "sqlcipher3 not installed"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py", description="Measure Ties on a large sample journal."
    )
    parser.add_argument("--scale", choices=sorted(reference.SCALES), default="reference")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure (median)")
    parser.add_argument("--cache", type=Path, default=reference.CACHE, help="journal cache")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached journal")
    parser.add_argument("--no-gui", action="store_true", help="skip the window measures")
    parser.add_argument("--no-store", action="store_true", help="skip the non-window measures")
    parser.add_argument("--quick", action="store_true", help="skip the JSON export")
    parser.add_argument(
        "--pairs", type=int, default=5, help="whole-process runs, each beside its yardstick"
    )
    parser.add_argument(
        "--no-whole", action="store_true", help="skip the whole-process measures (what you feel)"
    )
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--journal",
        choices=("plain", "encrypted", "plain-via-sqlcipher"),
        default="plain",
        help="the sample journal as it is, an encrypted copy (SQLCipher), or the plain file "
        "opened through sqlcipher3 instead of Python's sqlite3 (see README, Encryption)",
    )
    parser.add_argument(
        "--encrypted",
        action="store_true",
        help="measure the journal and an encrypted copy of it side by side (the copy is "
        "made once, cached beside it): both figures, the ratio and the 1.3x target",
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="with --encrypted: alternating rounds per measure"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from ties.store import Store

    started = time.perf_counter()
    head = [
        f"Ties benchmark, scale '{args.scale}', {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "Command: .venv/bin/python benchmarks/run.py " + " ".join(argv),
        versions(),
    ]
    for line in head:
        print(line, flush=True)
    scale = reference.SCALES[args.scale]
    built = reference.journal(scale, args.cache, rebuild=args.rebuild)
    small = reference.journal(reference.MAP_300, args.cache)
    as_of = date.fromisoformat(built.built_on)
    rows: list[Row] = [
        Row(
            "sample journal",
            f"generate {scale.people:,} people, {scale.entries:,} entries",
            f"{built.seconds:.1f} s",
            "< 120 s" if scale.name == "reference" else "",
            built.seconds < 120 if scale.name == "reference" else None,
            ("built in this run" if built.built_now else "cached build, time from its build")
            + f" on {built.built_on}; {built.path.stat().st_size / 1e6:.0f} MB",
        )
    ]
    if args.encrypted:
        return compare_encrypted(built, args, as_of, head, started)
    if args.journal != "plain":
        built, unlock_rows = encryption.encryption_variant(built, args.journal)
        rows.extend(unlock_rows)
    print(f"journal: {built.path} ({args.journal})\n", flush=True)
    print(*table(rows), sep="\n", flush=True)

    def add(more: list[Row]) -> None:
        rows.extend(more)
        print(*list(table(more))[2:], sep="\n", flush=True)

    if not args.no_whole:  # first, in child processes, on a copy of the journal
        for more in whole_process.all_rows(built.path, args.pairs, gui=not args.no_gui):
            add(more)
    with Store.open(built.path, check=False) as store:
        if not args.no_store:
            for more in bench_store.all_rows(store, args.repeat, as_of, skip_slow=args.quick):
                add(more)
        if not args.no_gui:
            small_as_of = date.fromisoformat(small.built_on)
            for more in bench_qt.all_rows(
                store, built.path, args.repeat, as_of, small.path, small_as_of
            ):
                add(more)
    lines = [
        *head,
        "",
        *table(rows),
        "",
        f"Total benchmark time {time.perf_counter() - started:.0f} s.",
    ]
    print("\nIn full:\n" + "\n".join(lines[len(head) :]))
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    failed = [r for r in rows if r.value == "failed"]
    return 1 if failed else 0  # a missed target is a result; a measure that broke is not


def compare_encrypted(
    built: reference.Built, args: argparse.Namespace, as_of: date, head: list[str], started: float
) -> int:
    """``--encrypted``: plain and encrypted side by side (the window's measures are left out:
    they open the journal through the unlock dialog)."""
    lines: list[str] = []
    for part in encryption.compare(built, args, as_of):
        print(*part, sep="\n", flush=True)
        lines.extend(part)
    lines.append(f"Total benchmark time {time.perf_counter() - started:.0f} s.")
    print(lines[-1])
    if args.out:
        args.out.write_text("\n".join([*head, "", *lines]) + "\n", encoding="utf-8")
    broke = any(" failed: " in line or "| failed |" in line for line in lines)
    return 1 if broke else 0  # a missed target is a result; a measure that broke is not


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
