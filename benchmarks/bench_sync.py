"""The sync benchmark: ``.venv/bin/python benchmarks/bench_sync.py [--base N] [--changes N]``.

Two journals share a folder. The base journal (``--base`` entries, built with
``write_demo``) has synced to both; then one device logs ``--changes`` new
entries and the other syncs them in. Measured: that sync (target < 2 s for
10,000), a sync with nothing new (target < 50 ms), and the folder's size after
compaction against the JSON export (target at most 2x). Standalone; not part
of ``run.py`` or the test suite.

The machine may be shared: the 10,000-change sync is run ``--runs`` times, each
from the same saved journal and folder (restored between runs, so each is the
same sync), alternating with syncs that find nothing new; the minimum is what is
compared with the target, and the median, the CPU time and the load average
are printed beside it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from harness import Row, median, ms, table, under  # noqa: E402

from ties.app.sync import sync_folder  # noqa: E402
from ties.demo import write_demo  # noqa: E402
from ties.io.export_json import export_json  # noqa: E402
from ties.model import Entry  # noqa: E402
from ties.store import PeopleFilter, Store  # noqa: E402


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def measure(base: int, changes: int, tmp: Path, runs: int = 5) -> list[Row]:
    rows: list[Row] = []
    folder = tmp / "folder"
    folder.mkdir()
    a = write_demo(tmp / "a.ties", people=max(50, base // 50), entries=base, seed=7)
    b = Store.open(tmp / "b.ties")
    t0 = time.perf_counter()
    sync_folder(a, folder)
    took = time.perf_counter() - t0
    rows.append(Row("sync", f"first sync of a {base:,}-entry journal", ms(took)))
    t0 = time.perf_counter()
    sync_folder(b, folder)
    rows.append(Row("sync", f"a new device joins ({base:,} entries)", ms(time.perf_counter() - t0)))
    sync_folder(a, folder)
    people = [p.id or 0 for p in a.list_people(PeopleFilter())]
    with a.transaction():
        for i in range(changes):
            a.add_entry(
                Entry(
                    date=date(2026, 1, 1) + timedelta(days=i % 300),
                    person_ids=[people[i % len(people)]],
                    note=f"change {i}",
                    support_types=["expertise"],
                )
            )
    sync_folder(a, folder)
    # Keep what the measured sync starts from, to run the very same sync again.
    b.close()
    saved = tmp / "saved"
    saved.mkdir()
    shutil.copy(tmp / "b.ties", saved / "b.ties")
    shutil.copytree(folder, saved / "folder")
    walls: list[float] = []
    cpus: list[float] = []
    idle: list[float] = []
    loads: list[float] = []
    applied = 0
    for i in range(runs):
        if i:
            shutil.rmtree(folder)
            shutil.copytree(saved / "folder", folder)
            shutil.copy(saved / "b.ties", tmp / "b.ties")
        b = Store.open(tmp / "b.ties")
        loads.append(os.getloadavg()[0])
        t0, c0 = time.perf_counter(), time.process_time()
        report = sync_folder(b, folder)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        applied = report.applied
        for _ in range(3):  # interleaved: syncs that find nothing new
            t0 = time.perf_counter()
            sync_folder(b, folder)
            idle.append(time.perf_counter() - t0)
        if i < runs - 1:
            b.close()
    rows.append(
        under(
            "sync",
            f"{changes:,} changes from another device",
            min(walls),
            2000,
            f"min of {runs}; median {ms(median(walls))}; CPU min {ms(min(cpus))}; "
            f"{applied:,} rows written; journal of {base:,} entries; "
            f"load average {min(loads):.1f}-{max(loads):.1f}",
        )
    )
    rows.append(
        under(
            "sync",
            "a sync with nothing new",
            min(idle),
            50,
            f"min of {len(idle)}; median {ms(median(idle))}",
        )
    )
    sync_folder(a, folder)
    sync_folder(b, folder)
    sync_folder(a, folder, compact=True)
    sync_folder(b, folder, compact=True)
    export = tmp / "export.json"
    export_json(a, export)
    ratio = _folder_bytes(folder) / export.stat().st_size
    rows.append(
        Row(
            "sync",
            "folder after compaction / JSON export",
            f"{ratio:.2f}x",
            "<= 2x",
            ratio <= 2,
            f"{_folder_bytes(folder):,} bytes, two devices",
        )
    )
    a.close()
    b.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=int, default=20_000, help="entries in the base journal")
    parser.add_argument("--changes", type=int, default=10_000, help="new entries to sync")
    parser.add_argument("--runs", type=int, default=5, help="runs of the measured sync")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = measure(args.base, args.changes, Path(tmp), args.runs)
    rows.append(Row("sync", "load average at the end", f"{os.getloadavg()[0]:.1f}", "", None, ""))
    print("\n".join(table(rows)))
    return 0 if all(r.met is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
