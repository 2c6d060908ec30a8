"""Measure what ``synchronous=FULL`` costs over ``NORMAL`` for single-entry commits.

    .venv/bin/python scripts/sync_cost.py [--commits 500] [--folder PATH]

Each commit is one ``Store.add_entry`` (one BEGIN IMMEDIATE … COMMIT, as when
a person logs one entry). The figures go in docs/reliability.md; the folder
should be on the disk a user's journal would be on (the default is a temp dir).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure(folder: Path, mode: str, commits: int) -> list[float]:
    from ties.model import Entry, Person
    from ties.store import Store

    path = folder / f"sync-{mode.lower()}.ties"
    with Store.open(path) as store:
        store.conn.execute(f"PRAGMA synchronous = {mode}")
        ana = store.add_person(Person(name="Ana"))
        assert ana.id
        times = []
        for i in range(commits):
            entry = Entry(date=date(2026, 1, 1), person_ids=[ana.id], note=f"entry {i}")
            start = time.perf_counter()
            store.add_entry(entry)
            times.append(time.perf_counter() - start)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=500)
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.folder) as tmp:
        results = {}
        for mode in ("NORMAL", "FULL", "NORMAL", "FULL"):  # interleaved, second round kept
            results[mode] = measure(Path(tmp), mode, args.commits)
    for mode, times in results.items():
        ms = sorted(t * 1000 for t in times)
        print(
            f"{mode:6}  {args.commits} commits  median {statistics.median(ms):.2f} ms  "
            f"p95 {ms[int(len(ms) * 0.95)]:.2f} ms  total {sum(ms) / 1000:.2f} s"
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
